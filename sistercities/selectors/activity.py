"""What both dashboards read alike: months (Jalali under Persian), activity per month, the home
city, and the cache their figures are kept in."""

import datetime

import jdatetime
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import Coalesce, TruncDate
from django.utils import formats, timezone

from diplomacy_portal.l10n import digits, is_persian

from ..models import ContactLog
from .health import (
    MonthBucket,
    held_meetings,
    meetings_of,
)

MONTHS = 12


def cached(key: str, build):
    """What `build()` returns, kept DASHBOARD_CACHE_SECONDS in the cache (Redis) under `key`
    (and the release, in every key: an older one may have given the figures another shape)."""
    if settings.DASHBOARD_CACHE_SECONDS <= 0:
        return build()
    return cache.get_or_set(f"dashboard:{key}", build, settings.DASHBOARD_CACHE_SECONDS)


def month_starts(today: datetime.date) -> tuple[list[datetime.date], list[str]]:
    """The first days of the last twelve months (this one last) and of the next, with the
    months' names: Jalali months under Persian, Gregorian ones otherwise."""
    if is_persian():
        jalali = jdatetime.date.fromgregorian(date=today)
        year, month = jalali.year, jalali.month
        starts, labels = [], []
        for back in range(MONTHS - 1, -2, -1):
            index = year * 12 + month - 1 - back
            first = jdatetime.date(index // 12, index % 12 + 1, 1, locale="fa_IR")
            starts.append(first.togregorian())
            labels.append(digits(f"{first.j_months_fa[first.month - 1]} {first.year}", "fa"))
        return starts, labels[:-1]
    starts = []
    for back in range(MONTHS - 1, -2, -1):
        index = today.year * 12 + today.month - 1 - back
        starts.append(datetime.date(index // 12, index % 12 + 1, 1))
    return starts, [formats.date_format(day, "M Y") for day in starts[:-1]]


def _per_month(rows, key: str = "n") -> list[int]:
    counts = [0] * MONTHS
    for row in rows:
        counts[row["bucket"] - 1] = row[key]
    return counts


def monthly_activity(*, starts: list[datetime.date], city=None) -> dict[str, list[int]]:
    """Meetings held, contacts logged and initiatives started in each month (three queries)."""
    from initiatives.models import Initiative

    zone = timezone.get_current_timezone()
    begin = datetime.datetime.combine(starts[0], datetime.time(), zone)
    meetings = held_meetings().filter(starts_at__gte=begin)
    contacts = ContactLog.objects.filter(date__gte=starts[0], date__lte=timezone.localdate())
    initiatives = Initiative.objects.annotate(
        day=Coalesce("starts_on", TruncDate("created_at"))
    ).filter(day__gte=starts[0], day__lte=timezone.localdate())
    if city is not None:
        meetings = meetings.filter(meetings_of(city))
        contacts = contacts.filter(city=city)
        initiatives = initiatives.filter(cities=city)

    def count(queryset, day):
        return _per_month(
            queryset.annotate(bucket=MonthBucket(day, starts))
            .values("bucket")
            # Only a city's meetings are reached through a join that may repeat one; counting
            # distinct costs a sort, which the overview's thousands of rows need not pay.
            .annotate(n=Count("pk", distinct=city is not None))
            .order_by()
        )

    return {
        "meetings": count(meetings, TruncDate("starts_at")),
        "contacts": count(contacts, "date"),
        "initiatives": count(initiatives, "day"),
    }


def home_marker() -> dict:
    """The home city as static/js/city_map.js draws it: every line starts there."""
    home = settings.HOME_CITY
    return {
        "name": home["name_fa"] if is_persian() else home["name_en"],
        "latitude": home["latitude"],
        "longitude": home["longitude"],
    }


def fading_days() -> dict:
    days = settings.CITY_FADING_AFTER_DAYS
    return {"fading_after_days": days, "half_fading_days": days // 2}
