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
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Greatest, TruncDate
from django.utils import timezone

from ..models import ContactLog, SisterCity

ALIVE, QUIET, FADING, SUSPENDED = "alive", "quiet", "fading", "suspended"


class SubqueryCount(Subquery):
    """The number of rows a correlated subquery returns (0 when none)."""

    template = "(SELECT count(*) FROM (%(subquery)s) _rows)"
    output_field = IntegerField()


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
    last_meeting = (
        held_meetings()
        .filter(meetings_of(city))
        .order_by("-starts_at")
        .values(day=TruncDate("starts_at"))[:1]
    )
    last_initiative = (
        Initiative.objects.filter(cities=city)
        .annotate(day=initiative_activity_day(today))
        .order_by("-day")
        .values("day")[:1]
    )
    last_contact = (
        ContactLog.objects.filter(city=city, date__lte=today).order_by("-date").values("date")[:1]
    )
    year_ago = timezone.now() - datetime.timedelta(days=365)
    cutoff = today - datetime.timedelta(days=fading_after_days())
    quiet_cutoff = today - datetime.timedelta(days=fading_after_days() // 2)
    return cities.annotate(
        last_activity=Greatest(
            Subquery(last_meeting),
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
        meetings_last_year=SubqueryCount(
            held_meetings()
            .filter(meetings_of(city), starts_at__gte=year_ago)
            .values("pk")
            .distinct()
        ),
        is_fading=Case(
            When(status=SisterCity.Status.SUSPENDED, then=Value(False)),
            When(Q(last_activity__isnull=True) | Q(last_activity__lt=cutoff), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        health=Case(
            When(status=SisterCity.Status.SUSPENDED, then=Value(SUSPENDED)),
            When(is_fading=True, then=Value(FADING)),
            When(last_activity__lt=quiet_cutoff, then=Value(QUIET)),
            default=Value(ALIVE),
            output_field=CharField(),
        ),
    )
