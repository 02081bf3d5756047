"""A sister city's health, derived from its activity in SQL: a meeting held, an initiative started
or updated, a contact logged. Nothing here is typed in by anyone."""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.db.models.lookups import LessThan
from django.utils import timezone

from ..models import ContactLog, SisterCity

ALIVE, QUIET, FADING, SUSPENDED = "alive", "quiet", "fading", "suspended"


class SubqueryCount(Subquery):
    """The number of rows a correlated subquery returns (0 when none)."""

    template = "(SELECT count(*) FROM (%(subquery)s) _rows)"
    output_field = IntegerField()


class Latest(Func):
    """MAX of the rows a subquery reads, without the GROUP BY an aggregate would bring."""

    function = "MAX"


class DaysBetween(Func):
    """`later - earlier` for two dates: Postgres answers in whole days."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()


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


def held_meetings_of(city, **conditions) -> tuple[QuerySet, QuerySet]:
    """A city's held meetings in two parts, directly and through its initiatives (a meeting is
    of one or the other): apart, each is read from an index; as one OR across the join, Postgres
    reads every meeting once per city."""
    held = held_meetings().filter(**conditions)
    return held.filter(city=city), held.filter(initiative__cities=city)


def initiative_activity_day(today: datetime.date):
    """An initiative's last activity: the day it was last updated, or started if that is later
    (a start date still ahead is not activity yet)."""
    started = Case(When(starts_on__lte=today, then="starts_on"), output_field=DateField())
    return Greatest(TruncDate("updated_at"), started, output_field=DateField())


def with_health(cities: QuerySet[SisterCity], *, today: datetime.date | None = None) -> QuerySet:
    """`cities` annotated with last_activity, days_since_activity, active_initiatives,
    engaged_diplomats, meetings_last_year, is_fading and health; one SQL query."""
    from initiatives.models import Initiative, Membership

    today = today or timezone.localdate()
    city = OuterRef("pk")
    # MAX over the rows rather than the first of them sorted: through the initiatives, that is
    # one index look-up per initiative instead of a walk down every meeting by date.
    last_meetings = [
        Subquery(meetings.order_by().values(day=TruncDate(Latest("starts_at"))))
        for meetings in held_meetings_of(city)
    ]
    last_initiative = (
        Initiative.objects.filter(cities=city)
        .order_by()
        .values(day=Latest(initiative_activity_day(today), output_field=DateField()))
    )
    last_contact = (
        ContactLog.objects.filter(city=city, date__lte=today).order_by("-date").values("date")[:1]
    )
    year_ago = timezone.now() - datetime.timedelta(days=365)
    directly_last_year, through_initiatives_last_year = (
        SubqueryCount(meetings.values("pk"))
        for meetings in held_meetings_of(city, starts_at__gte=year_ago)
    )
    cutoff = today - datetime.timedelta(days=fading_after_days())
    # Django writes `last_activity` out in full wherever it is used (four subqueries each time):
    # one comparison here, with no activity at all counting as long ago, rather than two.
    silent_since_cutoff = LessThan(
        Coalesce(F("last_activity"), Value(datetime.date.min)), Value(cutoff)
    )
    quiet_cutoff = today - datetime.timedelta(days=fading_after_days() // 2)
    return cities.annotate(
        last_activity=Greatest(
            *last_meetings,
            Subquery(last_initiative),
            Subquery(last_contact),
            output_field=DateField(),
        ),
        days_since_activity=DaysBetween(Value(today, output_field=DateField()), "last_activity"),
        active_initiatives=SubqueryCount(
            Initiative.objects.filter(cities=city, status=Initiative.Status.ACTIVE).values("pk")
        ),
        engaged_diplomats=SubqueryCount(
            Membership.objects.filter(initiative__cities=city, state=Membership.State.ACCEPTED)
            .exclude(initiative__status=Initiative.Status.COMPLETED)
            .values("user")
            .distinct()
        ),
        meetings_last_year=directly_last_year + through_initiatives_last_year,
        is_fading=Case(
            When(status=SisterCity.Status.SUSPENDED, then=Value(False)),
            When(silent_since_cutoff, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        health=Case(
            When(status=SisterCity.Status.SUSPENDED, then=Value(SUSPENDED)),
            When(silent_since_cutoff, then=Value(FADING)),
            When(last_activity__lt=quiet_cutoff, then=Value(QUIET)),
            default=Value(ALIVE),
            output_field=CharField(),
        ),
    )
