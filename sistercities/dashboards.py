"""The dashboards' tables and charts: how the rows the selectors return read on a page and in its
downloads (links, badges, labels in the reader's language). Nothing here asks the database."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from diplomacy_portal.l10n import is_persian
from diplomacy_portal.vocabulary import CooperationField
from initiatives.models import Initiative, Meeting

from .models import Agreement, ContactLog, SisterCity
from .tables import DATE, NUMBER, PERCENT, Badge, Column, Link, Table

HEALTH_LABELS = {
    "alive": lambda: _("Alive"),
    "quiet": lambda: _("Quiet"),
    "fading": lambda: _("Fading"),
    "suspended": lambda: _("Suspended"),
}


def health_badge(level: str) -> Badge:
    return Badge(str(HEALTH_LABELS[level]()), level)


def localized_name(row: dict, prefix: str = "") -> str:
    english, persian = row[f"{prefix}name_en"], row[f"{prefix}name_fa"]
    return (persian or english) if is_persian() else (english or persian)


def localized_title(row: dict, prefix: str = "") -> str:
    english, persian = row[f"{prefix}title_en"], row[f"{prefix}title_fa"]
    return (persian or english) if is_persian() else (english or persian)


def _label(choices, value) -> str:
    return str(dict(choices).get(value, value))


def dashboard_link(slug: str) -> str:
    return reverse("sistercities:dashboard-city", args=[slug])


def map_data(rows: list[dict], *, home: dict) -> dict:
    """What static/js/city_map.js draws, each city's marker coloured by its health and titled
    with it (the labels come once, not in each of two hundred titles)."""
    return {
        "home": home,
        "health_labels": {level: str(label()) for level, label in HEALTH_LABELS.items()},
        "cities": [
            {
                "name": localized_name(row),
                "url": dashboard_link(row["slug"]),
                "latitude": float(row["latitude"]),
                "longitude": float(row["longitude"]),
                "health": row["health"],
            }
            for row in rows
        ],
    }


def activity_table(slug: str, labels: list[str], series: dict[str, list[int]]) -> Table:
    """Meetings held, contacts logged and initiatives started in each month of `labels`."""
    return Table(
        slug=slug,
        title=_("Activity per month"),
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


def series_chart(table: Table, kind: str = "bar", stacked: bool = True, horizontal=False) -> dict:
    """What static/js/dashboard_charts.js draws of a table: a series for each column of numbers."""
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


def activity_chart(table: Table) -> dict:
    return {
        "type": "bar",
        "stacked": True,
        "labels": [row[0] for row in table.rows],
        "series": [
            {"label": column.label, "data": [row[i] for row in table.rows]}
            for i, column in enumerate(table.columns[1:], start=1)
        ],
    }


# /dashboard/


def health_table(rows: list[dict]) -> Table:
    """Every city's health row (selectors.health.health_rows), in the order given."""
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
                Link(localized_name(row), dashboard_link(row["slug"])),
                _label(SisterCity.Status.choices, row["status"]),
                health_badge(row["health"]),
                row["last_activity"],
                row["days_since_activity"],
                row["active_initiatives"],
                row["engaged_diplomats"],
                row["meetings_last_year"],
                # A city never active has not faded from anything: no date, as on its page.
                timezone.localdate(row["fading_since"])
                if row["fading_since"] and row["last_activity"]
                else None,
            ]
            for row in rows
        ],
    )


def figures_table(figures: dict) -> Table:
    """The headline figures (selectors.dashboard.headline_figures), one a row."""
    statuses = dict(SisterCity.Status.choices)
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
                _("Active initiatives: %(field)s")
                % {"field": _label(CooperationField.choices, r["field"])},
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


def funnel_table(applications: dict) -> Table:
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


def fields_per_city_table(rows: list[dict]) -> Table:
    """Initiatives per city and field (selectors.dashboard.fields_per_city), pivoted: a column
    per field in the programme's order, the cities with the most first, then by name."""
    labels = dict(CooperationField.choices)
    # A code dropped from the choices later still shows, after the others.
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


def agreements_table(
    rows: list[dict], *, slug: str, title: str, today, with_city: bool = True
) -> Table:
    """Agreements (selectors.dashboard.expiring_agreements, selectors.city.city_agreements)
    with their city (unless the page is the city's), dates, the days left until they end and
    their status today."""

    def cells(row):
        days_left = (
            (row["valid_until"] - today).days
            if row["valid_until"] and row["valid_until"] >= today
            else None
        )
        city = Link(localized_name(row, "city__"), dashboard_link(row["city__slug"]))
        return [
            localized_title(row),
            *([city] if with_city else []),
            _label(Agreement.Kind.choices, row["kind"]),
            row["signed_on"],
            row["valid_until"],
            days_left,
            _label(Agreement.Status.choices, row["state"]),
        ]

    return Table(
        slug=slug,
        title=title,
        columns=[
            Column(_("Agreement")),
            *([Column(_("City"))] if with_city else []),
            Column(_("Kind")),
            Column(_("Signed on"), DATE),
            Column(_("Valid until"), DATE),
            Column(_("Days left"), NUMBER),
            Column(_("Status")),
        ],
        rows=[cells(row) for row in rows],
    )


# /dashboard/cities/<slug>/


def city_initiatives_table(rows: list[dict], total: int | None) -> Table:
    return Table(
        slug="initiatives",
        title=_("Initiatives"),
        total=total,
        columns=[
            Column(_("Initiative")),
            Column(_("Field")),
            Column(_("Status")),
            Column(_("Starts"), DATE),
            Column(_("Members"), NUMBER),
        ],
        rows=[
            [
                Link(
                    localized_title(row),
                    reverse("initiatives:initiative-detail", args=[row["slug"]]),
                ),
                _label(CooperationField.choices, row["field"]),
                _label(Initiative.Status.choices, row["status"]),
                row["starts_on"],
                row["members"],
            ]
            for row in rows
        ],
    )


def city_meetings_table(rows: list[dict], *, upcoming: bool) -> Table:
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
                _label(Meeting.Kind.choices, row["kind"]),
                timezone.localdate(row["starts_at"]),
                row["invited"],
                row["accepted"],
                row["declined"],
            ]
            for row in rows
        ],
    )


def engaged_by_field_table(rows: list[dict]) -> Table:
    return Table(
        slug="engaged",
        title=_("Engaged diplomats by field"),
        columns=[Column(_("Field")), Column(_("Diplomats"), NUMBER)],
        rows=[[_label(CooperationField.choices, r["field"]), r["n"]] for r in rows],
    )


def engaged_diplomats_table(rows: list[dict], total: int | None) -> Table:
    """Names, for the municipal staff only."""
    return Table(
        slug="diplomats",
        title=_("Engaged diplomats"),
        total=total,
        columns=[Column(_("Name")), Column(_("Fields")), Column(_("Initiatives"), NUMBER)],
        rows=[
            [
                f"{r['first_name']} {r['last_name']}".strip() or r["email"],
                ", ".join(_label(CooperationField.choices, code) for code in r["fields"]),
                r["initiatives"],
            ]
            for r in rows
        ],
    )


def _event(event: dict) -> list:
    if event["kind"] == "meeting":
        what, details = _("Meeting held"), event["title"]
    elif event["kind"] == "contact":
        kind = _label(ContactLog.Kind.choices, event["contact_kind"])
        what, details = _("Contact logged: %(kind)s") % {"kind": kind}, event["note"]
    else:
        started = event["day"] == event["starts_on"]
        what = _("Initiative started") if started else _("Initiative updated")
        details = localized_title(event)
    return [event["day"], what, details]


def timeline_table(events: list[dict]) -> Table:
    """A city's recent activity (selectors.city.timeline), in the order given."""
    return Table(
        slug="timeline",
        title=_("Recent activity"),
        columns=[Column(_("Date"), DATE), Column(_("Activity")), Column(_("Details"))],
        rows=[_event(event) for event in events],
        row_headers=False,
    )
