"""Reads behind /dashboard/cities/<slug>/: one city in depth, in a fixed number of queries."""

import datetime

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..models import ContactLog, CooperationField, SisterCity
from ..tables import DATE, NUMBER, Column, Link, Table
from .activity import (
    activity_chart,
    activity_table,
    cached,
    dashboard_link,
    fading_days,
    health_badge,
    localized_title,
    map_data,
    month_starts,
    monthly_activity,
)
from .health import (
    health_rows,
    held_meetings,
    initiative_activity_day,
    meetings_of,
)

RECENT = 25  # meetings listed each way, timeline entries
# A busy city has thousands of initiatives and engaged diplomats: its page lists the first of
# them, its downloads all of them.
PAGE_ROWS = 100


def city_overview_key(*, slug: str, with_names: bool) -> str:
    """What the cache keeps a city's figures under: per day, language and audience."""
    return f"city:{slug}:{get_language()}:{timezone.localdate()}:{int(with_names)}"


def city_overview(*, city: SisterCity, with_names: bool) -> dict:
    """Everything /dashboard/cities/<slug>/ shows, cached per city, language and audience."""
    key = city_overview_key(slug=city.slug, with_names=with_names)
    today = timezone.localdate()
    return cached(key, lambda: _build_city(city, today, with_names))


def city_table(*, city: SisterCity, slug: str, with_names: bool) -> Table | None:
    """The whole of one of the city page's tables, for its download; None if there is none."""
    if slug == "initiatives":
        return _city_initiatives(city, limit=None)
    if slug == "diplomats":
        return _engaged_diplomats(city, limit=None) if with_names else None
    return city_overview(city=city, with_names=with_names)["tables"].get(slug)


def _build_city(city: SisterCity, today, with_names: bool) -> dict:
    (health,) = health_rows(SisterCity.objects.filter(pk=city.pk), today=today)
    starts = month_starts(today)
    trend = activity_table(
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
        "charts": {"trend": activity_chart(trend)},
        "map": map_data([health], link=dashboard_link),
        **fading_days(),
    }


def _first(rows, limit: int | None) -> tuple[list, int | None]:
    """The first `limit` of `rows` (a queryset) and how many there are in all; every row and
    None without a limit."""
    if limit is None:
        return list(rows), None
    return list(rows[:limit]), rows.count()


def _city_initiatives(city, *, limit: int | None = PAGE_ROWS) -> Table:
    from initiatives.models import Initiative, Membership

    fields, statuses = dict(CooperationField.choices), dict(Initiative.Status.choices)
    rows, total = _first(
        Initiative.objects.filter(cities=city)
        .annotate(
            members=Count("memberships", filter=Q(memberships__state=Membership.State.ACCEPTED))
        )
        .order_by("status", "title_en", "pk")
        .values("slug", "title_en", "title_fa", "field", "status", "starts_on", "members"),
        limit,
    )
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

    def invitations(**conditions):
        # A subquery per meeting listed: counted for the 25 shown, not for every meeting of a
        # busy city before the limit, as a join with GROUP BY would.
        return Coalesce(
            Subquery(
                Invitation.objects.filter(meeting=OuterRef("pk"), **conditions)
                .order_by()
                .values("meeting")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        )

    answered = {
        state: invitations(state=state)
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
        .annotate(invited=invitations(), **answered)
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


def _engaged_diplomats(city, *, limit: int | None = PAGE_ROWS) -> Table:
    """Names, for the municipal staff only."""
    labels = dict(CooperationField.choices)
    engagements = _engagements(city)
    rows = list(
        engagements.values("user", "user__first_name", "user__last_name", "user__email")
        .annotate(
            fields=ArrayAgg("initiative__field", distinct=True, default=[]),
            initiatives=Count("initiative", distinct=True),
        )
        .order_by("user__last_name", "user__first_name", "user__email")[:limit]
    )
    total = None if limit is None else engagements.values("user").distinct().count()
    return Table(
        slug="diplomats",
        title=_("Engaged diplomats"),
        total=total,
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
            localized_title(i),
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
