from django.db.models import F, QuerySet

from diplomacy_portal import fragments

from ..models import Agreement, ContactLog, SisterCity


def public_cities() -> QuerySet[SisterCity]:
    """Every sister city, the oldest relation first (unknown years last)."""
    return SisterCity.objects.order_by(F("established_year").asc(nulls_last=True), "name_en")


def recent_contacts(*, city: SisterCity, limit: int = 10) -> list[ContactLog]:
    """The city's latest logged contacts, without who logged them (public pages show these)."""
    return list(
        ContactLog.objects.filter(city=city)
        .only("date", "kind", "note")
        .order_by("-date", "-created_at")[:limit]
    )


def public_agreements(*, city: SisterCity) -> list[Agreement]:
    """The city's agreements marked public, with their status today, the latest signed first."""
    return list(
        Agreement.objects.filter(city=city, is_public=True)
        .with_state()
        .only(
            "title_en",
            "title_fa",
            "kind",
            "signed_on",
            "valid_until",
            "status",
            "is_public",
            "document",
            "document_public",
            "public_id",
        )
    )


def cities_version() -> str:
    """Changes whenever a sister city or its contacts do (sistercities.apps)."""
    return fragments.version("cities")


def cities_changed() -> None:
    fragments.changed("cities")
