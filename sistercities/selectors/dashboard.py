"""Reads behind /dashboard/, the overview of every sister city. Every figure is a SQL
aggregate; the page runs the same queries whatever the number of rows, and its figures are
cached for DASHBOARD_CACHE_SECONDS per language and filter."""

import datetime

from django.db.models import Aggregate, Count, F, FloatField, Q
from django.db.models.functions import Extract
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from diplomacy_portal.l10n import is_persian

from ..models import CooperationField, SisterCity
from ..tables import DATE, NUMBER, PERCENT, Column, Link, Table
from .activity import (
    HEALTH_VALUES,
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
from .health import (
    with_health,
)

SORTS = {
    "name": ("name_en",),
    "status": ("status", "name_en"),
    "days": (F("days_since_activity").asc(nulls_last=True), "name_en"),
    "initiatives": ("active_initiatives", "name_en"),
    "diplomats": ("engaged_diplomats", "name_en"),
    "meetings": ("meetings_last_year", "name_en"),
}
DEFAULT_SORT = "-days"


class Median(Aggregate):
    """The median of an expression (Postgres' percentile_cont)."""

    function = "percentile_cont"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
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


def city_health(*, status: str = "", fading_only: bool = False, sort: str = DEFAULT_SORT):
    """Every city's health row, filtered and sorted in SQL."""
    cities = with_health(SisterCity.objects.all())
    if status:
        cities = cities.filter(status=status)
    if fading_only:
        cities = cities.filter(is_fading=True)
    key = sort.lstrip("-")
    order = list(SORTS.get(key, SORTS["days"]))
    if is_persian() and order[-1] == "name_en":
        order[-1] = "name_fa"
    if sort.startswith("-"):
        first = order[0]
        order[0] = (
            F("days_since_activity").desc(nulls_first=True)
            if key == "days"
            else f"-{first}"
            if isinstance(first, str)
            else first
        )
    return list(cities.order_by(*order).values(*HEALTH_VALUES))


def headline_figures(*, today: datetime.date) -> dict:
    """The figures at the top of /dashboard/ (six queries)."""
    from citizens.models import DiplomatApplication, User
    from initiatives.models import Initiative, Invitation, Meeting

    now = timezone.now()
    status_counts = {
        status: Count("pk", filter=Q(status=status)) for status in SisterCity.Status.values
    }
    cities = with_health(SisterCity.objects.all(), today=today).aggregate(
        cities=Count("pk"), fading=Count("pk", filter=Q(is_fading=True)), **status_counts
    )
    Status = DiplomatApplication.Status
    decided = Q(status__in=[Status.APPROVED, Status.REJECTED], decided_at__isnull=False)
    decided &= Q(submitted_at__isnull=False)
    applications = DiplomatApplication.objects.aggregate(
        started=Count("pk"),
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        waiting=Count("pk", filter=Q(status=Status.SUBMITTED)),
        decided=Count("pk", filter=decided),
        approved=Count("pk", filter=Q(status=Status.APPROVED)),
        median_days=Median(
            Extract(F("decided_at") - F("submitted_at"), "epoch") / 86400.0, filter=decided
        ),
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
        "cities": cities,
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
    """Initiatives not yet completed, per city and field (one query, pivoted here)."""
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
        rows=[[line[""]] + [line.get(code, 0) for code in used] for line in pivot.values()],
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


def overview(*, status: str = "", fading_only: bool = False, sort: str = DEFAULT_SORT) -> dict:
    """Everything /dashboard/ shows, cached per language and filter."""
    today = timezone.localdate()
    key = f"overview:{get_language()}:{today}:{status}:{int(fading_only)}:{sort}"
    return cached(key, lambda: _build_overview(today, status, fading_only, sort))


def _build_overview(today, status, fading_only, sort) -> dict:
    figures = headline_figures(today=today)
    starts = month_starts(today)
    activity = activity_table(
        "activity", _("Activity per month"), starts, monthly_activity(starts=starts[0])
    )
    funnel = _funnel_table(figures["applications"])
    fields = _fields_per_city_table()
    every_city = city_health()
    health = (
        every_city
        if (not status and not fading_only and sort == DEFAULT_SORT)
        else city_health(status=status, fading_only=fading_only, sort=sort)
    )
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
            "fields": _series_chart(fields),
            "funnel": _series_chart(funnel, stacked=False, horizontal=True),
        },
        "map": map_data(every_city, link=dashboard_link),
        **fading_days(),
    }
