from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from citizens.demo import load_demo_applications
from citizens.models import User
from citizens.roles import CITY_OFFICIALS, INITIATIVE_COORDINATORS, MUNICIPAL_STAFF
from initiatives.demo import load_demo_calendar_replies, load_demo_initiatives
from sistercities.demo import load_demo_activity, load_demo_agreements, mark_demo_fading
from sistercities.models import ContactLog, SisterCity
from sistercities.models import CooperationField as F
from sistercities.services import import_agreements, import_sister_cities

DEMO_PASSWORD = "isfahan-demo"
# Staff, officials and coordinators need two-factor authentication; the demo's share this key
# (add it to an authenticator app, or run `python scripts/dev.py totp` for the current code).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"

# (who, e-mail, first name, last name, language, roles, is_staff, is_superuser, is diplomat)
DEMO_USERS = [
    ("a citizen", "citizen@example.org", "Sara", "Ahmadi", "fa", [], False, False, False),
    ("a citizen diplomat", "diplomat@example.org", "Reza", "Karimi", "en", [], False, False, True),
    (
        "municipal staff",
        "staff@example.org",
        "Maryam",
        "Hosseini",
        "fa",
        [MUNICIPAL_STAFF],
        True,
        False,
        False,
    ),
    (
        "a city official",
        "official@example.org",
        "Ali",
        "Rahimi",
        "en",
        [CITY_OFFICIALS],
        False,
        False,
        False,
    ),
    (
        "an initiative coordinator",
        "coordinator@example.org",
        "Neda",
        "Moradi",
        "en",
        [INITIATIVE_COORDINATORS],
        True,
        False,
        False,
    ),
    ("a superuser", "admin@example.org", "Portal", "Administrator", "en", [], True, True, False),
]

# Demo only: a plausible spread of relation statuses and fields, so pages have something to show.
DEMO_CITY_PROFILES = {
    "xi-an": (SisterCity.Status.ACTIVE, [F.CULTURAL, F.TOURISM, F.ECONOMIC]),
    "kuala-lumpur": (SisterCity.Status.ACTIVE, [F.ECONOMIC, F.TECHNOLOGY]),
    "florence": (SisterCity.Status.ACTIVE, [F.CULTURAL, F.HANDICRAFTS, F.URBAN]),
    "iasi": (SisterCity.Status.DORMANT, [F.SCIENTIFIC, F.EDUCATION]),
    "barcelona": (SisterCity.Status.REVIVING, [F.URBAN, F.CULTURAL, F.SPORTS]),
    "yerevan": (SisterCity.Status.ACTIVE, [F.CULTURAL, F.ECONOMIC]),
    "kuwait-city": (SisterCity.Status.DORMANT, [F.ECONOMIC]),
    "freiburg-im-breisgau": (SisterCity.Status.ACTIVE, [F.ENVIRONMENT, F.SCIENTIFIC, F.YOUTH]),
    "havana": (SisterCity.Status.DORMANT, [F.CULTURAL, F.HEALTH]),
    "lahore": (SisterCity.Status.REVIVING, [F.CULTURAL, F.EDUCATION]),
    "saint-petersburg": (SisterCity.Status.ACTIVE, [F.SCIENTIFIC, F.CULTURAL]),
    "dakar": (SisterCity.Status.DORMANT, [F.CULTURAL]),
    "baalbek": (SisterCity.Status.DORMANT, [F.CULTURAL, F.TOURISM]),
    "samarkand": (SisterCity.Status.ACTIVE, [F.TOURISM, F.HANDICRAFTS]),
    "porto": (SisterCity.Status.REVIVING, [F.TOURISM, F.ECONOMIC]),
    "kazan": (SisterCity.Status.ACTIVE, [F.SCIENTIFIC, F.ECONOMIC, F.SPORTS]),
}

# Short, factual profiles (English, Persian) for the demo; the bundled CSV keeps sourced facts only.
DEMO_CITY_DESCRIPTIONS = {
    "xi-an": (
        "Capital of Shaanxi province and an eastern end of the Silk Road, home of the Terracotta "
        "Army; sister city of Isfahan since 1989.",
        "مرکز استان شنشی و از پایانه‌های شرقی جادهٔ ابریشم، زادگاه ارتش سفالی؛ خواهرخواندهٔ اصفهان "
        "از سال ۱۹۸۹ میلادی.",
    ),
    "kuala-lumpur": (
        "Capital of Malaysia, known for the Petronas Towers; sister city of Isfahan since 1997.",
        "پایتخت مالزی، شناخته‌شده با برج‌های پتروناس؛ خواهرخواندهٔ اصفهان از سال ۱۹۹۷ میلادی.",
    ),
    "florence": (
        "Capital of Tuscany, known for Renaissance art and crafts; sister city of Isfahan since "
        "1998.",
        "مرکز توسکانی، شناخته‌شده با هنر و صنایع دستی دوران رنسانس؛ خواهرخواندهٔ اصفهان از سال "
        "۱۹۹۸ میلادی.",
    ),
    "iasi": (
        "Historic capital of Moldavia and home of Romania's oldest university; sister city of "
        "Isfahan since 1999.",
        "پایتخت تاریخی مولداوی و خانهٔ قدیمی‌ترین دانشگاه رومانی؛ خواهرخواندهٔ اصفهان از سال "
        "۱۹۹۹ میلادی.",
    ),
    "barcelona": (
        "Capital of Catalonia on the Mediterranean, known for Gaudí's architecture; sister city "
        "of Isfahan since 2000.",
        "مرکز کاتالونیا در کرانهٔ مدیترانه، شناخته‌شده با معماری گائودی؛ خواهرخواندهٔ اصفهان از "
        "سال ۲۰۰۰ میلادی.",
    ),
    "yerevan": (
        "Capital of Armenia and one of the oldest continuously inhabited cities in the world; "
        "sister city of Isfahan since 2000.",
        "پایتخت ارمنستان و از کهن‌ترین شهرهای پیوسته مسکونی جهان؛ خواهرخواندهٔ اصفهان از سال "
        "۲۰۰۰ میلادی.",
    ),
    "kuwait-city": (
        "Capital of Kuwait, on the Persian Gulf; sister city of Isfahan since 2000.",
        "پایتخت کویت، در کرانهٔ خلیج فارس؛ خواهرخواندهٔ اصفهان از سال ۲۰۰۰ میلادی.",
    ),
    "freiburg-im-breisgau": (
        "University city on the edge of the Black Forest, known for its environmental policies; "
        "sister city of Isfahan since 2000.",
        "شهر دانشگاهی در کنار جنگل سیاه، شناخته‌شده با سیاست‌های زیست‌محیطی‌اش؛ خواهرخواندهٔ "
        "اصفهان از سال ۲۰۰۰ میلادی.",
    ),
    "havana": (
        "Capital of Cuba, whose old town is a UNESCO World Heritage Site; sister city of Isfahan "
        "since 2001.",
        "پایتخت کوبا که بافت قدیمی‌اش در فهرست میراث جهانی یونسکو است؛ خواهرخواندهٔ اصفهان از "
        "سال ۲۰۰۱ میلادی.",
    ),
    "lahore": (
        "Capital of Punjab province, known for its Mughal monuments; sister city of Isfahan since "
        "2004.",
        "مرکز استان پنجاب، شناخته‌شده با بناهای دوران گورکانی؛ خواهرخواندهٔ اصفهان از سال ۲۰۰۴ "
        "میلادی.",
    ),
    "saint-petersburg": (
        "Russia's second-largest city, founded by Peter the Great and home of the Hermitage; "
        "sister city of Isfahan since 2004.",
        "دومین شهر بزرگ روسیه، بنیان‌گذاری‌شده به دست پتر کبیر و خانهٔ موزهٔ ارمیتاژ؛ خواهرخواندهٔ "
        "اصفهان از سال ۲۰۰۴ میلادی.",
    ),
    "dakar": (
        "Capital of Senegal, at the westernmost point of mainland Africa; sister city of Isfahan "
        "since 2009.",
        "پایتخت سنگال، در غربی‌ترین نقطهٔ خشکی آفریقا؛ خواهرخواندهٔ اصفهان از سال ۲۰۰۹ میلادی.",
    ),
    "baalbek": (
        "City in Lebanon's Beqaa Valley, known for its Roman temples; sister city of Isfahan since "
        "2010.",
        "شهری در درهٔ بقاع لبنان، شناخته‌شده با معابد رومی‌اش؛ خواهرخواندهٔ اصفهان از سال ۲۰۱۰ میلادی.",
    ),
    "samarkand": (
        "Historic Silk Road city in Uzbekistan, known for the Registan; sister city of Isfahan "
        "since 2021.",
        "شهر تاریخی جادهٔ ابریشم در ازبکستان، شناخته‌شده با میدان ریگستان؛ خواهرخواندهٔ اصفهان از "
        "سال ۲۰۲۱ میلادی.",
    ),
    "porto": (
        "Portugal's second city, on the Douro, with a historic centre on the UNESCO World Heritage "
        "list; sister city of Isfahan since 2021.",
        "دومین شهر پرتغال در کرانهٔ رود دورو، با مرکز تاریخی ثبت‌شده در فهرست میراث جهانی یونسکو؛ "
        "خواهرخواندهٔ اصفهان از سال ۲۰۲۱ میلادی.",
    ),
    "kazan": (
        "Capital of Tatarstan on the Volga, known for its Kremlin; sister city of Isfahan since "
        "2025.",
        "مرکز تاتارستان در کرانهٔ ولگا، شناخته‌شده با کرملین کازان؛ خواهرخواندهٔ اصفهان از سال "
        "۲۰۲۵ میلادی.",
    ),
}

# Demo only, marked as such: a few logged contacts (slug, days ago, kind, note).
DEMO_CONTACTS = [
    ("florence", 20, ContactLog.Kind.VIDEO_MEETING, "Demo entry: planning a crafts exchange."),
    ("samarkand", 45, ContactLog.Kind.VISIT, "Demo entry: a delegation visited the bazaar."),
    ("kazan", 75, ContactLog.Kind.LETTER, "Demo entry: letter of thanks after the signing."),
]


class Command(BaseCommand):
    help = "Load the demo: Isfahan's sister cities and one account per role. Safe to rerun."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even with DEBUG off (the demo accounts share a known password).",
        )

    @transaction.atomic
    def handle(self, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Refusing to load demo accounts (they share a known password) with DEBUG off: "
                "for development set DEBUG=true, or pass --allow-production to load them anyway."
            )
        import_sister_cities()
        import_agreements()
        for slug, (status, fields) in DEMO_CITY_PROFILES.items():
            SisterCity.objects.filter(slug=slug).update(status=status, cooperation_fields=fields)
        for slug, (english, persian) in DEMO_CITY_DESCRIPTIONS.items():
            SisterCity.objects.filter(slug=slug).update(
                description_en=english, description_fa=persian
            )
        for _who, *row in DEMO_USERS:
            self._demo_user(*row)
        staff = User.objects.get(email="staff@example.org")
        self._demo_contacts(logged_by=staff)
        load_demo_applications(reviewer=staff)
        load_demo_initiatives()
        load_demo_calendar_replies()
        load_demo_activity(logged_by=staff)
        load_demo_agreements()
        mark_demo_fading()
        self.stdout.write(f"Demo accounts (password for each: {DEMO_PASSWORD}):")
        for who, email, *_ in DEMO_USERS:
            self.stdout.write(f"  {email:<26} {who}")
        self.stdout.write(
            "Staff, the official, the coordinator and the superuser also need a two-factor code:\n"
            f"  authenticator key {DEMO_TOTP_SECRET}, or run: .venv/bin/python scripts/dev.py totp"
        )

    def _demo_user(self, email, first, last, language, roles, is_staff, is_superuser, diplomat):
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "preferred_language": language,
                "is_staff": is_staff,
                "is_superuser": is_superuser,
                "diplomat_since": timezone.now() if diplomat else None,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(*Group.objects.filter(name__in=roles))
        if (is_staff or roles) and not Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )

    def _demo_contacts(self, logged_by):
        today = timezone.localdate()
        for slug, days_ago, kind, note in DEMO_CONTACTS:
            city = SisterCity.objects.filter(slug=slug).first()
            if city is not None:
                ContactLog.objects.get_or_create(
                    city=city,
                    kind=kind,
                    note=note,
                    defaults={"date": today - timedelta(days=days_ago), "created_by": logged_by},
                )
