import csv
import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from citizens.models import Notification
from citizens.services.notifications import notify_staff
from initiatives.models import Initiative

from .models import SisterCity
from .selectors import cities_changed
from .selectors.health import health_rows

BUNDLED_CITIES = Path(__file__).resolve().parent / "data" / "isfahan_sister_cities.csv"
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
