"""Reads behind /dashboard/, the overview of every sister city. Every figure is a SQL
aggregate; the page runs the same queries whatever the number of rows, and its figures are
cached for DASHBOARD_CACHE_SECONDS per language and filter."""

import datetime

from django.db.models import Aggregate, Count, F, FloatField, Func, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from diplomacy_portal.l10n import is_persian

from ..models import CooperationField, SisterCity
from ..tables import DATE, NUMBER, PERCENT, Column, Link, Table
from .activity import (
    activity_chart,
    activity_table,
    cached,
    dashboard_link,
    fading_days,
    health_badge,
    localized_name,
    map_data,
    month_starts,
    monthly_activity,
)
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


def _health_table(rows: list[dict], sort: str) -> Table:
    statuses = dict(SisterCity.Status.choices)
    return Table(
        slug="cities",
        title=_("Sister cities by health"),
        columns=[
            Column(_("City"), sort="name"),
            Column(_("Status"), sort="status"),
            Column(_("Health")),
            Column(_("Last activity"), DATE),
            Column(_("Days since activity"), NUMBER, sort="days"),
            Column(_("Active initiatives"), NUMBER, sort="initiatives"),
            Column(_("Engaged diplomats"), NUMBER, sort="diplomats"),
            Column(_("Meetings in the last 12 months"), NUMBER, sort="meetings"),
            Column(_("Fading since"), DATE),
        ],
        rows=[
            [
                Link(
                    localized_name(row), reverse("sistercities:dashboard-city", args=[row["slug"]])
                ),
                str(statuses.get(row["status"], row["status"])),
                health_badge(row["health"]),
                row["last_activity"],
                row["days_since_activity"],
                row["active_initiatives"],
                row["engaged_diplomats"],
                row["meetings_last_year"],
                timezone.localdate(row["fading_since"]) if row["fading_since"] else None,
            ]
            for row in rows
        ],
    )


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


def _figures_table(figures: dict) -> Table:
    statuses = dict(SisterCity.Status.choices)
    fields = dict(CooperationField.choices)
    applications, invitations = figures["applications"], figures["invitations"]
    median = applications["median_days"]
    rows = [
        [_("Sister cities"), figures["cities"]["cities"]],
        *[
            [_("Sister cities: %(status)s") % {"status": statuses[s]}, figures["cities"][s]]
            for s in SisterCity.Status.values
        ],
        [_("Fading sister cities"), figures["cities"]["fading"]],
        [_("Approved citizen diplomats"), figures["diplomats"]],
        [_("Applications waiting for a decision"), applications["waiting"]],
        [_("Median days to a decision"), round(median, 1) if median is not None else None],
        *[
            [
                _("Active initiatives: %(field)s") % {"field": fields.get(r["field"], r["field"])},
                r["n"],
            ]
            for r in figures["initiatives_by_field"]
        ],
        [_("Meetings in the next 30 days"), figures["meetings_next_30_days"]],
        [_("Invitations sent in the last 90 days"), invitations["sent"]],
        [_("Invitations accepted (last 90 days), %"), invitations["rate"]],
    ]
    return Table(
        slug="figures",
        title=_("Headline figures"),
        columns=[Column(_("Figure")), Column(_("Value"), NUMBER)],
        rows=rows,
    )


def _funnel_table(applications: dict) -> Table:
    started = applications["started"]
    stages = [
        (_("Applications started"), started),
        (_("Submitted"), applications["submitted"]),
        (_("Decided"), applications["decided"]),
        (_("Approved"), applications["approved"]),
    ]
    return Table(
        slug="funnel",
        title=_("Application funnel"),
        columns=[
            Column(_("Stage")),
            Column(_("Applications"), NUMBER),
            Column(_("Share of those started"), PERCENT),
        ],
        rows=[[label, n, round(100 * n / started, 1) if started else None] for label, n in stages],
    )


def _fields_per_city_table() -> Table:
    """Initiatives not yet completed, per city and field (one query, pivoted here); the
    cities with the most first, then by name."""
    from initiatives.models import Initiative

    persian = is_persian()
    rows = (
        Initiative.cities.through.objects.exclude(initiative__status=Initiative.Status.COMPLETED)
        .values(
            "sistercity__slug", "sistercity__name_en", "sistercity__name_fa", "initiative__field"
        )
        .annotate(n=Count("initiative", distinct=True))
        .order_by("sistercity__name_fa" if persian else "sistercity__name_en", "initiative__field")
    )
    labels = dict(CooperationField.choices)
    # The programme's order of fields; a code dropped from the choices later still shows.
    order = {code: i for i, code in enumerate(labels)}
    pivot: dict[str, dict] = {}
    for row in rows:
        line = pivot.setdefault(row["sistercity__slug"], {"": localized_name(row, "sistercity__")})
        line[row["initiative__field"]] = row["n"]
    used = sorted(
        {code for line in pivot.values() for code in line if code},
        key=lambda code: (order.get(code, len(order)), code),
    )
    return Table(
        slug="fields",
        title=_("Initiatives by field per city"),
        columns=[Column(_("City"))]
        + [Column(str(labels.get(code, code)), NUMBER) for code in used],
        rows=sorted(
            ([line[""]] + [line.get(code, 0) for code in used] for line in pivot.values()),
            key=lambda row: -sum(row[1:]),  # stable: equal ones stay in the order of names
        ),
    )


def _series_chart(table: Table, kind: str = "bar", stacked: bool = True, horizontal=False):
    return {
        "type": kind,
        "stacked": stacked,
        "horizontal": horizontal,
        "labels": [str(row[0]) for row in table.rows],
        "series": [
            {"label": column.label, "data": [row[i] for row in table.rows]}
            for i, column in enumerate(table.columns[1:], start=1)
            if column.kind == NUMBER
        ],
    }


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
    starts = month_starts(today)
    activity = activity_table(
        "activity", _("Activity per month"), starts, monthly_activity(starts=starts[0])
    )
    funnel = _funnel_table(figures["applications"])
    fields = _fields_per_city_table()
    # A chart of two hundred stacked bars says nothing; the page shows the busiest cities.
    busiest = fields.first(BUSIEST_CITIES_SHOWN)
    health = city_health(every_city, status=status, fading_only=fading_only, sort=sort)
    return {
        "figures": figures,
        "tables": {
            "figures": _figures_table(figures),
            "cities": _health_table(health, sort),
            "activity": activity,
            "fields": fields,
            "funnel": funnel,
        },
        "charts": {
            "activity": activity_chart(activity),
            "fields": _series_chart(busiest),
            "funnel": _series_chart(funnel, stacked=False, horizontal=True),
        },
        "on_page": {"fields": busiest},
        "map": map_data(every_city, link=dashboard_link),
        **fading_days(),
    }
