"""Reads behind the officials' dashboards. Every figure is a SQL aggregate; each page runs the
same queries whatever the number of rows, and its figures are cached for
DASHBOARD_CACHE_SECONDS, per language (month names and labels differ)."""

import datetime

import jdatetime
from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.core.cache import cache
from django.db.models import Aggregate, Count, F, FloatField, Q
from django.db.models.functions import Coalesce, Extract, TruncDate
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from diplomacy_portal.l10n import digits, is_persian

from ..models import ContactLog, CooperationField, SisterCity
from ..tables import DATE, NUMBER, PERCENT, Badge, Column, Link, Table
from .health import (
    MonthBucket,
    held_meetings,
    initiative_activity_day,
    meetings_of,
    with_health,
)

MONTHS = 12
RECENT = 25  # meetings listed on a city's page, each way; timeline entries
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


def _cached(key: str, build):
    if settings.DASHBOARD_CACHE_SECONDS <= 0:
        return build()
    return cache.get_or_set(f"dashboard:{key}", build, settings.DASHBOARD_CACHE_SECONDS)


def _name(row: dict, prefix: str = "") -> str:
    english, persian = row[f"{prefix}name_en"], row[f"{prefix}name_fa"]
    return (persian or english) if is_persian() else (english or persian)


def _title(row: dict, prefix: str = "") -> str:
    english, persian = row[f"{prefix}title_en"], row[f"{prefix}title_fa"]
    return (persian or english) if is_persian() else (english or persian)


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
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        )

    return {
        "meetings": count(meetings, TruncDate("starts_at")),
        "contacts": count(contacts, "date"),
        "initiatives": count(initiatives, "day"),
    }


def _activity_table(slug: str, title: str, starts, series: dict) -> Table:
    _starts, labels = starts
    return Table(
        slug=slug,
        title=title,
        columns=[
            Column(_("Month")),
            Column(_("Meetings held"), NUMBER),
            Column(_("Contacts logged"), NUMBER),
            Column(_("Initiatives started"), NUMBER),
        ],
        rows=[
            [label, series["meetings"][i], series["contacts"][i], series["initiatives"][i]]
            for i, label in enumerate(labels)
        ],
    )


def _activity_chart(table: Table) -> dict:
    return {
        "type": "bar",
        "stacked": True,
        "labels": [row[0] for row in table.rows],
        "series": [
            {"label": column.label, "data": [row[i] for row in table.rows]}
            for i, column in enumerate(table.columns[1:], start=1)
        ],
    }


HEALTH_LABELS = {
    "alive": lambda: _("Alive"),
    "quiet": lambda: _("Quiet"),
    "fading": lambda: _("Fading"),
    "suspended": lambda: _("Suspended"),
}


def health_badge(level: str) -> Badge:
    return Badge(str(HEALTH_LABELS[level]()), level)


HEALTH_VALUES = [
    "slug",
    "name_en",
    "name_fa",
    "status",
    "latitude",
    "longitude",
    "fading_since",
    "last_activity",
    "days_since_activity",
    "active_initiatives",
    "engaged_diplomats",
    "meetings_last_year",
    "is_fading",
    "health",
]


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
                Link(_name(row), reverse("sistercities:dashboard-city", args=[row["slug"]])),
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


def map_data(rows: list[dict], *, link) -> dict:
    """What static/js/city_map.js draws, each city's marker coloured by its health."""
    home = settings.HOME_CITY
    return {
        "home": {
            "name": home["name_fa"] if is_persian() else home["name_en"],
            "latitude": home["latitude"],
            "longitude": home["longitude"],
        },
        "cities": [
            {
                "name": _name(row),
                "title": f"{_name(row)}: {HEALTH_LABELS[row['health']]()}",
                "url": link(row["slug"]),
                "latitude": float(row["latitude"]),
                "longitude": float(row["longitude"]),
                "health": row["health"],
            }
            for row in rows
        ],
    }


def _dashboard_link(slug: str) -> str:
    return reverse("sistercities:dashboard-city", args=[slug])


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

    rows = (
        SisterCity.objects.filter(initiatives__isnull=False)
        .exclude(initiatives__status=Initiative.Status.COMPLETED)
        .values("slug", "name_en", "name_fa", "initiatives__field")
        .annotate(n=Count("initiatives", distinct=True))
        .order_by("name_fa" if is_persian() else "name_en", "initiatives__field")
    )
    fields = [code for code, _label in CooperationField.choices]
    labels = dict(CooperationField.choices)
    pivot: dict[str, list] = {}
    used: set[str] = set()
    for row in rows:
        line = pivot.setdefault(row["slug"], [_name(row)] + [0] * len(fields))
        line[1 + fields.index(row["initiatives__field"])] = row["n"]
        used.add(row["initiatives__field"])
    shown = [i for i, code in enumerate(fields) if code in used]
    return Table(
        slug="fields",
        title=_("Initiatives by field per city"),
        columns=[Column(_("City"))] + [Column(str(labels[fields[i]]), NUMBER) for i in shown],
        rows=[[line[0]] + [line[1 + i] for i in shown] for line in pivot.values()],
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
    return _cached(key, lambda: _build_overview(today, status, fading_only, sort))


def _build_overview(today, status, fading_only, sort) -> dict:
    figures = headline_figures(today=today)
    starts = month_starts(today)
    activity = _activity_table(
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
            "activity": _activity_chart(activity),
            "fields": _series_chart(fields),
            "funnel": _series_chart(funnel, stacked=False, horizontal=True),
        },
        "map": map_data(every_city, link=_dashboard_link),
        **_fading_days(),
    }


def _fading_days() -> dict:
    days = settings.CITY_FADING_AFTER_DAYS
    return {"fading_after_days": days, "half_fading_days": days // 2}


def city_overview(*, city: SisterCity, with_names: bool) -> dict:
    """Everything /dashboard/cities/<slug>/ shows, cached per city, language and audience."""
    today = timezone.localdate()
    key = f"city:{city.pk}:{get_language()}:{today}:{int(with_names)}"
    return _cached(key, lambda: _build_city(city, today, with_names))


def _build_city(city: SisterCity, today, with_names: bool) -> dict:
    health = with_health(SisterCity.objects.filter(pk=city.pk), today=today).values(*HEALTH_VALUES)[
        0
    ]
    starts = month_starts(today)
    trend = _activity_table(
        "trend", _("Activity per month"), starts, monthly_activity(starts=starts[0], city=city)
    )
    tables = {
        "trend": trend,
        "initiatives": _city_initiatives(city),
        "held": _city_meetings(city, upcoming=False),
        "upcoming": _city_meetings(city, upcoming=True),
        "engaged": _engaged_by_field(city),
        "timeline": _timeline(city, today),
    }
    if with_names:
        tables["diplomats"] = _engaged_diplomats(city)
    return {
        "health": health,
        "badge": health_badge(health["health"]),
        "tables": tables,
        "charts": {"trend": _activity_chart(trend)},
        "map": map_data([health], link=_dashboard_link),
        **_fading_days(),
    }


def _city_initiatives(city) -> Table:
    from initiatives.models import Initiative, Membership

    fields, statuses = dict(CooperationField.choices), dict(Initiative.Status.choices)
    rows = (
        Initiative.objects.filter(cities=city)
        .annotate(
            members=Count("memberships", filter=Q(memberships__state=Membership.State.ACCEPTED))
        )
        .order_by("status", "title_en")
        .values("slug", "title_en", "title_fa", "field", "status", "starts_on", "members")
    )
    return Table(
        slug="initiatives",
        title=_("Initiatives"),
        columns=[
            Column(_("Initiative")),
            Column(_("Field")),
            Column(_("Status")),
            Column(_("Starts"), DATE),
            Column(_("Members"), NUMBER),
        ],
        rows=[
            [
                Link(_title(row), reverse("initiatives:initiative-detail", args=[row["slug"]])),
                str(fields.get(row["field"], row["field"])),
                str(statuses.get(row["status"], row["status"])),
                row["starts_on"],
                row["members"],
            ]
            for row in rows
        ],
    )


def _city_meetings(city, *, upcoming: bool) -> Table:
    from initiatives.models import Invitation, Meeting

    now = timezone.now()
    answered = {
        state: Count("invitations", filter=Q(invitations__state=state), distinct=True)
        for state in (Invitation.State.ACCEPTED, Invitation.State.DECLINED)
    }
    if upcoming:
        meetings = Meeting.objects.filter(
            status=Meeting.Status.SCHEDULED, starts_at__gt=now
        ).order_by("starts_at")
    else:
        meetings = (
            held_meetings()
            .filter(starts_at__gte=now - datetime.timedelta(days=365))
            .order_by("-starts_at")
        )
    rows = (
        meetings.filter(meetings_of(city))
        .annotate(invited=Count("invitations", distinct=True), **answered)
        .values("pk", "title", "starts_at", "kind", "invited", *answered)[:RECENT]
    )
    kinds = dict(Meeting.Kind.choices)
    return Table(
        slug="upcoming" if upcoming else "held",
        title=_("Upcoming meetings") if upcoming else _("Meetings held in the last 12 months"),
        columns=[
            Column(_("Meeting")),
            Column(_("Kind")),
            Column(_("Date"), DATE),
            Column(_("Invited"), NUMBER),
            Column(_("Accepted"), NUMBER),
            Column(_("Declined"), NUMBER),
        ],
        rows=[
            [
                Link(row["title"], reverse("initiatives:meeting-detail", args=[row["pk"]])),
                str(kinds.get(row["kind"], row["kind"])),
                timezone.localdate(row["starts_at"]),
                row["invited"],
                row[Invitation.State.ACCEPTED],
                row[Invitation.State.DECLINED],
            ]
            for row in rows
        ],
    )


def _engagements(city):
    from initiatives.models import Initiative, Membership

    return Membership.objects.filter(
        initiative__cities=city, state=Membership.State.ACCEPTED
    ).exclude(initiative__status=Initiative.Status.COMPLETED)


def _engaged_by_field(city) -> Table:
    labels = dict(CooperationField.choices)
    rows = (
        _engagements(city)
        .values("initiative__field")
        .annotate(n=Count("user", distinct=True))
        .order_by("-n", "initiative__field")
    )
    return Table(
        slug="engaged",
        title=_("Engaged diplomats by field"),
        columns=[Column(_("Field")), Column(_("Diplomats"), NUMBER)],
        rows=[
            [str(labels.get(r["initiative__field"], r["initiative__field"])), r["n"]] for r in rows
        ],
    )


def _engaged_diplomats(city) -> Table:
    """Names, for the municipal staff only."""
    labels = dict(CooperationField.choices)
    rows = (
        _engagements(city)
        .values("user", "user__first_name", "user__last_name", "user__email")
        .annotate(
            fields=ArrayAgg("initiative__field", distinct=True, default=[]),
            initiatives=Count("initiative", distinct=True),
        )
        .order_by("user__last_name", "user__first_name", "user__email")
    )
    return Table(
        slug="diplomats",
        title=_("Engaged diplomats"),
        columns=[Column(_("Name")), Column(_("Fields")), Column(_("Initiatives"), NUMBER)],
        rows=[
            [
                f"{r['user__first_name']} {r['user__last_name']}".strip() or r["user__email"],
                ", ".join(str(labels.get(code, code)) for code in r["fields"]),
                r["initiatives"],
            ]
            for r in rows
        ],
    )


def _timeline(city, today) -> Table:
    """The latest activity of three kinds, newest first (three limited queries)."""
    from initiatives.models import Initiative

    kinds = dict(ContactLog.Kind.choices)
    events = [
        (timezone.localdate(m["starts_at"]), _("Meeting held"), m["title"])
        for m in held_meetings()
        .filter(meetings_of(city))
        .order_by("-starts_at")
        .values("starts_at", "title")[:RECENT]
    ]
    events += [
        (
            c["date"],
            _("Contact logged: %(kind)s") % {"kind": kinds.get(c["kind"], c["kind"])},
            c["note"],
        )
        for c in ContactLog.objects.filter(city=city, date__lte=today)
        .order_by("-date", "-created_at")
        .values("date", "kind", "note")[:RECENT]
    ]
    events += [
        (
            i["day"],
            _("Initiative started") if i["day"] == i["starts_on"] else _("Initiative updated"),
            _title(i),
        )
        for i in Initiative.objects.filter(cities=city)
        .annotate(day=initiative_activity_day(today))
        .order_by("-day")
        .values("day", "starts_on", "title_en", "title_fa")[:RECENT]
    ]
    events.sort(key=lambda event: event[0], reverse=True)
    return Table(
        slug="timeline",
        title=_("Recent activity"),
        columns=[Column(_("Date"), DATE), Column(_("Activity")), Column(_("Details"))],
        rows=[list(event) for event in events[:RECENT]],
        row_headers=False,
    )
