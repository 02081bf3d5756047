from django.conf import settings
from django.core.cache import cache
from django.db.models import F, QuerySet
from django.utils.translation import get_language
from redis.exceptions import RedisError

from diplomacy_portal import fragments

from ..models import ContactLog, SisterCity


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


def cities_version() -> str:
    """Changes whenever a sister city or its contacts do (sistercities.apps)."""
    return fragments.version("cities")


def cities_changed() -> None:
    fragments.changed("cities")


def city_options(value_field: str = "pk") -> list[tuple[object, str]]:
    """Every sister city as a form's option, (its `value_field`, its name in the reader's
    language), by English name; kept in the cache until a city changes."""
    language = get_language()
    name = "name_fa" if language == "fa" else "name_en"

    def read():
        return list(SisterCity.objects.order_by("name_en").values_list(value_field, name))

    try:
        key = f"city-options:{cities_version()}:{language}:{value_field}"
        return cache.get_or_set(key, read, settings.PUBLIC_PAGES_CACHE_SECONDS)
    except RedisError:  # the form does without the cache while Redis is away
        return read()
