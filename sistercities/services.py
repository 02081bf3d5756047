import csv
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from .models import SisterCity

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
    return created, updated
