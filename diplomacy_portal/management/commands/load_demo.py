from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from citizens.models import User
from citizens.roles import CITY_OFFICIALS, INITIATIVE_COORDINATORS, MUNICIPAL_STAFF
from sistercities.models import CooperationField as F
from sistercities.models import SisterCity
from sistercities.services import import_sister_cities

DEMO_PASSWORD = "isfahan-demo"

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
            raise CommandError("Refusing to load demo accounts with DEBUG off.")
        import_sister_cities()
        for slug, (status, fields) in DEMO_CITY_PROFILES.items():
            SisterCity.objects.filter(slug=slug).update(status=status, cooperation_fields=fields)
        for _who, *row in DEMO_USERS:
            self._demo_user(*row)
        self.stdout.write(f"Demo accounts (password for each: {DEMO_PASSWORD}):")
        for who, email, *_ in DEMO_USERS:
            self.stdout.write(f"  {email:<26} {who}")

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
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
