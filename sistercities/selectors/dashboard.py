"""Reads behind /dashboard/, the overview of every sister city. Every figure is a SQL
aggregate; the page runs the same queries whatever the number of rows, and its figures are
cached for DASHBOARD_CACHE_SECONDS per language and filter."""

import datetime

from django.conf import settings
from django.db.models import Aggregate, Count, F, FloatField, Func, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from diplomacy_portal.l10n import digits, is_persian

from .. import dashboards
from ..models import Agreement, CooperationField, SisterCity
from .activity import cached, fading_days, home_marker, month_starts, monthly_activity
from .health import health_rows

# The health table's sort keys and the row figure each sorts by (then by name).
SORTS = {
    "name": "name",
    "status": "status",
    "days": "days_since_activity",
    "initiatives": "active_initiatives",
    "diplomats": "engaged_diplomats",
    "meetings": "meetings_last_year",
}
DEFAULT_SORT = "-days"
# The cities whose initiatives by field the overview shows.
BUSIEST_CITIES_SHOWN = 15


class Median(Aggregate):
    """The median of an expression (Postgres' percentile_cont)."""

    function = "percentile_cont"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class Seconds(Func):
    """The seconds in an interval, as a double: EXTRACT gives a numeric, which made sorting for
    the median most of the applications' query."""

    template = "date_part('epoch', %(expressions)s)"
    output_field = FloatField()


def city_health(
    rows: list[dict], *, status: str = "", fading_only: bool = False, sort: str = DEFAULT_SORT
) -> list[dict]:
    """The health rows (health_rows) of the cities asked for, in the order asked for: by name
    within equal figures, and a city with no activity yet counted as the most neglected."""
    name = "name_fa" if is_persian() else "name_en"
    key = SORTS.get(sort.lstrip("-"), SORTS["days"])
    key = name if key == "name" else key
    # A status sorts by its label in the reader's language, as the column shows it.
    labels = {value: str(label) for value, label in SisterCity.Status.choices}

    def order(row):
        value = labels[row["status"]] if key == "status" else row[key]
        return (value is None, 0 if value is None else value)

    chosen = [
        row
        for row in rows
        if (not status or row["status"] == status) and (row["is_fading"] or not fading_only)
    ]
    chosen.sort(key=lambda row: row[name])
    # Python's sort is stable, reversed too: the names stay A to Z within equal figures.
    chosen.sort(key=order, reverse=sort.startswith("-"))
    return chosen


def headline_figures(*, today: datetime.date, cities: list[dict]) -> dict:
    """The figures at the top of /dashboard/, `cities` being every city's health row (five
    queries)."""
    from citizens.models import DiplomatApplication, User
    from initiatives.models import Initiative, Invitation, Meeting

    now = timezone.now()
    city_counts = {
        "cities": len(cities),
        "fading": sum(row["is_fading"] for row in cities),
        **{
            status: sum(row["status"] == status for row in cities)
            for status in SisterCity.Status.values
        },
    }
    Status = DiplomatApplication.Status
    decided = Q(status__in=[Status.APPROVED, Status.REJECTED], decided_at__isnull=False)
    decided &= Q(submitted_at__isnull=False)
    applications = DiplomatApplication.objects.aggregate(
        started=Count("pk"),
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        waiting=Count("pk", filter=Q(status=Status.SUBMITTED)),
        decided=Count("pk", filter=decided),
        approved=Count("pk", filter=Q(status=Status.APPROVED)),
        median_days=Median(Seconds(F("decided_at") - F("submitted_at")) / 86400.0, filter=decided),
    )
    invitations = Invitation.objects.filter(sent_at__gte=now - datetime.timedelta(days=90))
    invitations = invitations.aggregate(
        sent=Count("pk"), accepted=Count("pk", filter=Q(state=Invitation.State.ACCEPTED))
    )
    fields = dict(CooperationField.choices)
    by_field = [
        {**row, "label": str(fields.get(row["field"], row["field"]))}
        for row in Initiative.objects.filter(status=Initiative.Status.ACTIVE)
        .values("field")
        .annotate(n=Count("pk"))
        .order_by("-n", "field")
    ]
    return {
        "cities": city_counts,
        "applications": applications,
        "diplomats": User.objects.filter(diplomat_since__isnull=False, is_active=True).count(),
        "initiatives_by_field": by_field,
        "active_initiatives": sum(row["n"] for row in by_field),
        "meetings_next_30_days": Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED,
            starts_at__gte=now,
            starts_at__lt=now + datetime.timedelta(days=30),
        ).count(),
        "invitations": {
            **invitations,
            "rate": (
                round(100 * invitations["accepted"] / invitations["sent"], 1)
                if invitations["sent"]
                else None
            ),
        },
    }


def fields_per_city() -> list[dict]:
    """Initiatives not yet completed, per city and field (one query), by the city's name in the
    reader's language: a row per city and field with its count `n`."""
    from initiatives.models import Initiative

    persian = is_persian()
    return list(
        Initiative.cities.through.objects.exclude(initiative__status=Initiative.Status.COMPLETED)
        .values(
            "sistercity__slug", "sistercity__name_en", "sistercity__name_fa", "initiative__field"
        )
        .annotate(n=Count("initiative", distinct=True))
        .order_by("sistercity__name_fa" if persian else "sistercity__name_en", "initiative__field")
    )


AGREEMENT_VALUES = [
    "title_en",
    "title_fa",
    "kind",
    "signed_on",
    "valid_until",
    "state",
    "city__slug",
    "city__name_en",
    "city__name_fa",
]


def expiring_agreements(today: datetime.date) -> list[dict]:
    """Every agreement expiring within AGREEMENT_RENEWAL_NOTICE_DAYS, the soonest first (one
    query): AGREEMENT_VALUES of each."""
    return list(
        Agreement.objects.with_state(today)
        .filter(state=Agreement.Status.EXPIRING)
        .order_by("valid_until", "title_en", "pk")
        .values(*AGREEMENT_VALUES)
    )


def overview_key(*, status: str = "", fading_only: bool = False, sort: str = DEFAULT_SORT) -> str:
    """What the cache keeps /dashboard/'s figures under: per day, language and filter."""
    today = timezone.localdate()
    return f"overview:{get_language()}:{today}:{status}:{int(fading_only)}:{sort}"


def overview(*, status: str = "", fading_only: bool = False, sort: str = DEFAULT_SORT) -> dict:
    """Everything /dashboard/ shows, cached per language and filter."""
    key = overview_key(status=status, fading_only=fading_only, sort=sort)
    today = timezone.localdate()
    return cached(key, lambda: _build_overview(today, status, fading_only, sort))


def _build_overview(today, status, fading_only, sort) -> dict:
    every_city = health_rows(SisterCity.objects.all(), today=today)
    figures = headline_figures(today=today, cities=every_city)
    starts, labels = month_starts(today)
    activity = dashboards.activity_table("activity", labels, monthly_activity(starts=starts))
    funnel = dashboards.funnel_table(figures["applications"])
    fields = dashboards.fields_per_city_table(fields_per_city())
    # A chart of two hundred stacked bars says nothing; the page shows the busiest cities.
    busiest = fields.first(BUSIEST_CITIES_SHOWN)
    health = city_health(every_city, status=status, fading_only=fading_only, sort=sort)
    days = settings.AGREEMENT_RENEWAL_NOTICE_DAYS
    agreements = dashboards.agreements_table(
        expiring_agreements(today),
        slug="agreements",
        title=_("Agreements expiring within %(days)s days") % {"days": digits(days)},
        today=today,
    )
    return {
        "figures": figures,
        "tables": {
            "figures": dashboards.figures_table(figures),
            "cities": dashboards.health_table(health),
            "activity": activity,
            "fields": fields,
            "funnel": funnel,
            "agreements": agreements,
        },
        "charts": {
            "activity": dashboards.activity_chart(activity),
            "fields": dashboards.series_chart(busiest),
            "funnel": dashboards.series_chart(funnel, stacked=False, horizontal=True),
        },
        "on_page": {"fields": busiest},
        "map": dashboards.map_data(every_city, home=home_marker()),
        **fading_days(),
    }
