"""A sister city's health, derived from its activity: a meeting held, an initiative started or
updated, a contact logged. Nothing here is typed in by anyone."""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Greatest, TruncDate
from django.utils import timezone

from ..models import ContactLog, SisterCity

ALIVE, QUIET, FADING, SUSPENDED = "alive", "quiet", "fading", "suspended"


class MonthBucket(Func):
    """Which month a day falls in: 1 for the first of `starts` (month start dates, ascending, the
    last one the end of the range), 0 before it, len(starts) after. The months may be Jalali."""

    function = "width_bucket"
    output_field = IntegerField()

    def __init__(self, expression, starts: list[datetime.date]):
        super().__init__(expression, Value(starts, output_field=ArrayField(DateField())))


def fading_after_days() -> int:
    return settings.CITY_FADING_AFTER_DAYS


def held_meetings():
    from initiatives.models import Meeting

    return Meeting.objects.filter(status=Meeting.Status.SCHEDULED, starts_at__lte=timezone.now())


def meetings_of(city) -> Q:
    """A meeting belongs to a city directly or through one of its initiatives."""
    return Q(city=city) | Q(initiative__cities=city)


def initiative_activity_day(today: datetime.date, prefix: str = ""):
    """An initiative's last activity: the day it was last updated, or started if that is later
    (a start date still ahead is not activity yet). `prefix` reaches the initiative through a
    relation, e.g. "initiative__"."""
    starts_on = f"{prefix}starts_on"
    started = Case(When(**{f"{starts_on}__lte": today}, then=starts_on), output_field=DateField())
    return Greatest(TruncDate(f"{prefix}updated_at"), started, output_field=DateField())


CITY_VALUES = [
    "pk",
    "slug",
    "name_en",
    "name_fa",
    "status",
    "latitude",
    "longitude",
    "fading_since",
]


def health_rows(cities: QuerySet[SisterCity], *, today: datetime.date | None = None) -> list[dict]:
    """Each of `cities` as a dict of CITY_VALUES with its last_activity, days_since_activity,
    active_initiatives, engaged_diplomats, meetings_last_year, is_fading and health.

    Six queries whatever the number of cities: each kind of activity is aggregated for all the
    cities at once (GROUP BY city), one pass over its table, then joined up here. Per-city
    subqueries did the same in one statement, but repeated per city and per use of a figure."""
    from initiatives.models import Initiative, Membership

    today = today or timezone.localdate()
    rows = list(cities.values(*CITY_VALUES))
    chosen = cities.values("pk")
    year_ago = timezone.now() - datetime.timedelta(days=365)
    last_year = Count("pk", filter=Q(starts_at__gte=year_ago))
    direct, through_initiatives = (
        {
            row["of_city"]: row
            for row in meetings.values(of_city=F(city))
            .annotate(last=Max("starts_at"), last_year=last_year)
            .order_by()
        }
        for meetings, city in [
            (held_meetings().filter(city__in=chosen), "city"),
            (held_meetings().filter(initiative__cities__in=chosen), "initiative__cities"),
        ]
    )
    initiatives = {
        row["of_city"]: row
        for row in Initiative.cities.through.objects.filter(sistercity__in=chosen)
        .values(of_city=F("sistercity"))
        .annotate(
            last=Max(initiative_activity_day(today, "initiative__")),
            active=Count("pk", filter=Q(initiative__status=Initiative.Status.ACTIVE)),
        )
        .order_by()
    }
    contacts = dict(
        ContactLog.objects.filter(city__in=chosen, date__lte=today)
        .values_list("city")
        .annotate(Max("date"))
        .order_by()
    )
    engaged = dict(
        Membership.objects.filter(initiative__cities__in=chosen, state=Membership.State.ACCEPTED)
        .exclude(initiative__status=Initiative.Status.COMPLETED)
        .values_list("initiative__cities")
        .annotate(Count("user", distinct=True))
        .order_by()
    )
    cutoff = today - datetime.timedelta(days=fading_after_days())
    quiet_cutoff = today - datetime.timedelta(days=fading_after_days() // 2)
    none = {"last": None, "last_year": 0, "active": 0}
    for row in rows:
        pk = row["pk"]
        meeting_days = [
            timezone.localdate(found["last"])
            for found in (direct.get(pk, none), through_initiatives.get(pk, none))
            if found["last"]
        ]
        days = [*meeting_days, initiatives.get(pk, none)["last"], contacts.get(pk)]
        last = max((day for day in days if day), default=None)
        silent = last is None or last < cutoff
        suspended = row["status"] == SisterCity.Status.SUSPENDED
        row.update(
            last_activity=last,
            days_since_activity=(today - last).days if last else None,
            active_initiatives=initiatives.get(pk, none)["active"],
            engaged_diplomats=engaged.get(pk, 0),
            meetings_last_year=direct.get(pk, none)["last_year"]
            + through_initiatives.get(pk, none)["last_year"],
            is_fading=silent and not suspended,
            health=(
                SUSPENDED
                if suspended
                else FADING
                if silent
                else QUIET
                if last < quiet_cutoff
                else ALIVE
            ),
        )
    return rows
