"""A year of demo activity for `manage.py load_demo`, so the officials' dashboards have a history
to show: meetings held with several sister cities over the last twelve months, a few more
logged contacts, some cities left without activity (fading), and agreements in each state.
Loading twice changes nothing: each row is found again by its title or note."""

import datetime
import io
from datetime import timedelta

import pikepdf
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from citizens.models import User

from .models import Agreement, ContactLog, SisterCity
from .selectors.health import health_rows

# city slug: days ago of each meeting held with it (working sessions, mostly online)
DEMO_MEETINGS_HELD = {
    "florence": [12, 41, 76, 133, 190, 251, 312],
    "xi-an": [16, 62, 121, 203, 284, 341],
    "samarkand": [27, 96, 161, 222],
    "kazan": [57, 152],
    "freiburg-im-breisgau": [68, 301],
    "barcelona": [205, 333],  # nothing since: fading
    "porto": [112],  # fading
}
# (city slug, days ago, kind, note)
DEMO_MORE_CONTACTS = [
    ("xi-an", 6, ContactLog.Kind.CALL, "Demo entry: call about the guide training."),
    ("florence", 101, ContactLog.Kind.VISIT, "Demo entry: restorers visited Isfahan."),
    ("barcelona", 150, ContactLog.Kind.LETTER, "Demo entry: letter about a design week."),
    ("kuala-lumpur", 260, ContactLog.Kind.AGREEMENT_RENEWED, "Demo entry: agreement renewed."),
    ("saint-petersburg", 48, ContactLog.Kind.VIDEO_MEETING, "Demo entry: museums' video call."),
]


def load_demo_activity(*, logged_by: User) -> None:
    """Past meetings (the demo diplomat invited, mostly accepting) and more logged contacts."""
    from initiatives.models import Invitation, Meeting

    diplomat = User.objects.filter(email="diplomat@example.org").first()
    cities = SisterCity.objects.in_bulk(
        [*DEMO_MEETINGS_HELD, *(row[0] for row in DEMO_MORE_CONTACTS)], field_name="slug"
    )
    now = timezone.localtime().replace(hour=11, minute=0, second=0, microsecond=0)
    for slug, days in DEMO_MEETINGS_HELD.items():
        city = cities.get(slug)
        if city is None:
            continue
        for number, days_ago in enumerate(days, start=1):
            starts = now - timedelta(days=days_ago)
            meeting, created = Meeting.objects.get_or_create(
                city=city,
                title=f"Demo: working session with {city.name_en} ({number})",
                defaults={
                    "kind": Meeting.Kind.WORKING_SESSION,
                    "starts_at": starts,
                    "ends_at": starts + datetime.timedelta(hours=1),
                    "online_link": "https://meet.example.org/demo",
                    "organiser": logged_by,
                },
            )
            if created and diplomat is not None:
                Invitation.objects.create(
                    meeting=meeting,
                    invitee=diplomat,
                    state=Invitation.State.DECLINED if number % 3 == 0 else "accepted",
                    sent_at=starts - timedelta(days=7),
                    responded_at=starts - timedelta(days=5),
                    invited_by=logged_by,
                )
    today = timezone.localdate()
    for slug, days_ago, kind, note in DEMO_MORE_CONTACTS:
        if slug in cities:
            ContactLog.objects.get_or_create(
                city=cities[slug],
                kind=kind,
                note=note,
                defaults={"date": today - timedelta(days=days_ago), "created_by": logged_by},
            )


def mark_demo_fading() -> None:
    """Record when each fading demo city started fading, as the daily check would have, but
    without telling anyone: loading the demo sends no e-mail."""
    after = timedelta(days=settings.CITY_FADING_AFTER_DAYS + 1)
    zone = timezone.get_current_timezone()
    for row in health_rows(SisterCity.objects.filter(fading_since__isnull=True)):
        if not row["is_fading"]:
            continue
        last_activity = row["last_activity"]
        since = (
            datetime.datetime.combine(last_activity + after, datetime.time(6), zone)
            if last_activity
            else timezone.now()
        )
        SisterCity.objects.filter(pk=row["pk"]).update(fading_since=since)


# (city slug, kind, English and Persian titles, signed and valid until: days from today (None:
# open-ended), status set by hand, public, a document (public or not; None: no document),
# signatories)
DEMO_AGREEMENTS = [
    (
        "florence",
        Agreement.Kind.MEMORANDUM,
        "Demo: memorandum on restoring historic crafts",
        "نمونه: یادداشت تفاهم مرمت صنایع دستی تاریخی",
        -700,
        45,  # expiring soon
        "",
        True,
        "public",
        "The mayors of Isfahan and Florence",
    ),
    (
        "kuala-lumpur",
        Agreement.Kind.PROGRAMME,
        "Demo: cultural exchange programme 2023-2025",
        "نمونه: برنامهٔ همکاری تبادل فرهنگی ۱۴۰۲ تا ۱۴۰۴",
        -800,
        -20,  # expired
        "",
        True,
        "private",
        "The cultural deputies of both municipalities",
    ),
    (
        "xi-an",
        Agreement.Kind.PROTOCOL,
        "Demo: protocol on training tourist guides",
        "نمونه: پروتکل آموزش راهنمایان گردشگری",
        -1500,
        -400,
        Agreement.Status.SUPERSEDED,
        True,
        None,
        "The tourism offices of Isfahan and Xi'an",
    ),
    (
        "xi-an",
        Agreement.Kind.PROTOCOL,
        "Demo: renewed protocol on tourist guides and exchanges",
        "نمونه: پروتکل تمدیدشدهٔ راهنمایان گردشگری و تبادل‌ها",
        -420,
        700,
        "",
        True,
        "private",
        "The tourism offices of Isfahan and Xi'an",
    ),
]


def demo_document(title: str) -> bytes:
    """A one-page PDF naming the demo agreement: plain text, nothing that runs."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pdf.make_indirect(font)))
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    page.Contents = pdf.make_stream(b"BT /F1 14 Tf 56 770 Td (" + text + b") Tj ET")
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def load_demo_agreements() -> None:
    """Agreements in every state, one expiring soon with a public document."""
    today = timezone.localdate()
    cities = SisterCity.objects.in_bulk([row[0] for row in DEMO_AGREEMENTS], field_name="slug")
    for (
        slug,
        kind,
        english,
        persian,
        signed,
        until,
        status,
        public,
        document,
        who,
    ) in DEMO_AGREEMENTS:
        if slug not in cities:
            continue
        agreement, created = Agreement.objects.get_or_create(
            city=cities[slug],
            title_en=english,
            defaults={
                "title_fa": persian,
                "kind": kind,
                "signed_on": today + timedelta(days=signed),
                "valid_until": today + timedelta(days=until) if until is not None else None,
                "status": status,
                "is_public": public,
                "document_public": document == "public",
                "signatories": who,
            },
        )
        if created and document is not None:
            agreement.document.save("agreement.pdf", ContentFile(demo_document(english)))
