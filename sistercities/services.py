import csv
import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from citizens.models import Notification
from citizens.services.notifications import notify_staff
from initiatives.models import Initiative

from .models import Agreement, AgreementNotice, SisterCity
from .selectors import cities_changed
from .selectors.health import health_rows

BUNDLED_CITIES = Path(__file__).resolve().parent / "data" / "isfahan_sister_cities.csv"
BUNDLED_AGREEMENTS = Path(__file__).resolve().parent / "data" / "isfahan_agreements.csv"
AGREEMENT_COLUMNS = ["kind", "title_en", "title_fa", "signed_on", "valid_until", "source"]
FACT_COLUMNS = [
    "name_en",
    "name_fa",
    "country_en",
    "country_fa",
    "country_code",
    "established_year",
    "latitude",
    "longitude",
    "source",
]


@transaction.atomic
def import_sister_cities(*, path: Path = BUNDLED_CITIES) -> tuple[int, int]:
    """Create or update sister cities from a CSV of facts; return (created, updated).

    Only the facts in the file are written; what staff set in the admin (status, fields,
    descriptions, contacts) is kept, so importing again changes nothing.
    """
    created = updated = 0
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            facts = {column: row[column].strip() for column in FACT_COLUMNS}
            facts["established_year"] = (
                int(facts["established_year"]) if facts["established_year"] else None
            )
            facts["latitude"] = Decimal(facts["latitude"])
            facts["longitude"] = Decimal(facts["longitude"])
            city, was_created = SisterCity.objects.get_or_create(slug=row["slug"], defaults=facts)
            if was_created:
                created += 1
            elif any(getattr(city, key) != value for key, value in facts.items()):
                SisterCity.objects.filter(pk=city.pk).update(**facts)
                updated += 1
    if updated:
        cities_changed()  # update() sends no signal
    return created, updated


def record_fading_cities(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Mark the cities that started fading, telling the staff and their coordinators once, and
    clear the mark of those with activity again; return (marked, cleared)."""
    today = today or timezone.localdate()
    fading = [row for row in health_rows(SisterCity.objects.all(), today=today) if row["is_fading"]]
    cleared = (
        SisterCity.objects.filter(fading_since__isnull=False)
        .exclude(pk__in=[row["pk"] for row in fading])
        .update(fading_since=None)
    )
    newly = [row["pk"] for row in fading if row["fading_since"] is None]
    marked = sum(_mark_fading(city_id=pk, today=today) for pk in newly)
    return marked, cleared


@transaction.atomic
def _mark_fading(*, city_id: int, today: datetime.date) -> bool:
    # The conditional update claims the city: a second run (or a retried task) finds it marked
    # and tells no one again.
    if not SisterCity.objects.filter(pk=city_id, fading_since__isnull=True).update(
        fading_since=timezone.now()
    ):
        return False
    (city,) = health_rows(SisterCity.objects.filter(pk=city_id), today=today)
    coordinators = Initiative.objects.filter(cities=city_id).values("coordinator_id")
    notify_staff(
        also=coordinators,
        kind=Notification.Kind.CITY_FADING,
        context={
            "city": city["name_en"],
            "city_fa": city["name_fa"],
            "after_days": settings.CITY_FADING_AFTER_DAYS,
            "last_activity": city["last_activity"].isoformat() if city["last_activity"] else "",
        },
        url=reverse("sistercities:dashboard-city", args=[city["slug"]]),
    )
    return True


@transaction.atomic
def import_agreements(*, path: Path = BUNDLED_AGREEMENTS) -> tuple[int, int]:
    """Create or update the public facts of agreements from a CSV; return (created, updated).

    An agreement is found again by its city and English title; what staff set in the admin
    (signatories, status, document) is kept. Cities not imported yet are skipped."""
    created = updated = 0
    cities = SisterCity.objects.in_bulk(field_name="slug")
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            city = cities.get(row["city"].strip())
            if city is None:
                continue
            facts = {column: row[column].strip() for column in AGREEMENT_COLUMNS}
            for day in ("signed_on", "valid_until"):
                facts[day] = datetime.date.fromisoformat(facts[day]) if facts[day] else None
            agreement, was_created = Agreement.objects.get_or_create(
                city=city, title_en=facts["title_en"], defaults={**facts, "is_public": True}
            )
            if was_created:
                created += 1
            elif any(getattr(agreement, key) != value for key, value in facts.items()):
                Agreement.objects.filter(pk=agreement.pk).update(**facts)
                updated += 1
    if updated:
        cities_changed()  # update() sends no signal
    return created, updated


def tell_about_agreements(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Tell the staff once of each agreement that entered its renewal window
    (AGREEMENT_RENEWAL_NOTICE_DAYS) and once of each that expired; return how many of each
    were told about now."""
    today = today or timezone.localdate()
    Status = Agreement.Status
    told_already = AgreementNotice.objects.filter(
        agreement=OuterRef("pk"), kind=OuterRef("state"), valid_until=OuterRef("valid_until")
    )
    # A status set by hand (superseded, ended early) means staff have decided already. An
    # agreement that ended before the window is history being recorded, not news.
    due = (
        Agreement.objects.with_state(today)
        .filter(status="", state__in=[Status.EXPIRING, Status.EXPIRED])
        .filter(
            valid_until__gte=today - datetime.timedelta(days=settings.AGREEMENT_RENEWAL_NOTICE_DAYS)
        )
        .exclude(Exists(told_already))
        .select_related("city")
    )
    told = {Status.EXPIRING: 0, Status.EXPIRED: 0}
    for agreement in due:
        told[agreement.state] += _tell_about_agreement(agreement=agreement, kind=agreement.state)
    return told[Status.EXPIRING], told[Status.EXPIRED]


NOTIFICATION_KINDS = {
    AgreementNotice.Kind.EXPIRING: Notification.Kind.AGREEMENT_EXPIRING,
    AgreementNotice.Kind.EXPIRED: Notification.Kind.AGREEMENT_EXPIRED,
}


@transaction.atomic
def _tell_about_agreement(*, agreement: Agreement, kind: str) -> bool:
    # The notice's row is written first, in the notifications' transaction: a second check
    # running at the same time waits on the unique constraint, then finds it told.
    try:
        with transaction.atomic():
            AgreementNotice.objects.create(
                agreement=agreement, kind=kind, valid_until=agreement.valid_until
            )
    except IntegrityError:
        return False
    notify_staff(
        also=[],
        kind=NOTIFICATION_KINDS[kind],
        context={
            "title": agreement.title_en,
            "title_fa": agreement.title_fa,
            "city": agreement.city.name_en,
            "city_fa": agreement.city.name_fa,
            "valid_until": agreement.valid_until.isoformat(),
        },
        url=reverse("sistercities:dashboard-city", args=[agreement.city.slug]),
    )
    return True
