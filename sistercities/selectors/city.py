"""Reads behind /dashboard/cities/<slug>/: one city in depth, in a fixed number of queries."""

import datetime

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import dashboards
from ..models import Agreement, ContactLog, SisterCity
from ..tables import Table
from .activity import cached, fading_days, home_marker, month_starts, monthly_activity
from .dashboard import AGREEMENT_VALUES
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
        return dashboards.city_initiatives_table(*city_initiatives(city, limit=None))
    if slug == "diplomats":
        if not with_names:
            return None
        return dashboards.engaged_diplomats_table(*engaged_diplomats(city, limit=None))
    return city_overview(city=city, with_names=with_names)["tables"].get(slug)


def _build_city(city: SisterCity, today, with_names: bool) -> dict:
    (health,) = health_rows(SisterCity.objects.filter(pk=city.pk), today=today)
    starts, labels = month_starts(today)
    trend = dashboards.activity_table("trend", labels, monthly_activity(starts=starts, city=city))
    tables = {
        "trend": trend,
        "initiatives": dashboards.city_initiatives_table(*city_initiatives(city)),
        "held": dashboards.city_meetings_table(city_meetings(city, upcoming=False), upcoming=False),
        "upcoming": dashboards.city_meetings_table(
            city_meetings(city, upcoming=True), upcoming=True
        ),
        "engaged": dashboards.engaged_by_field_table(engaged_by_field(city)),
        "timeline": dashboards.timeline_table(timeline(city, today)),
        "agreements": dashboards.agreements_table(
            city_agreements(city, today),
            slug="agreements",
            title=_("Agreements"),
            today=today,
            with_city=False,
        ),
    }
    if with_names:
        tables["diplomats"] = dashboards.engaged_diplomats_table(*engaged_diplomats(city))
    return {
        "health": health,
        "badge": dashboards.health_badge(health["health"]),
        "tables": tables,
        "charts": {"trend": dashboards.activity_chart(trend)},
        "map": dashboards.map_data([health], home=home_marker()),
        **fading_days(),
    }


def _first(rows, limit: int | None) -> tuple[list, int | None]:
    """The first `limit` of `rows` (a queryset) and how many there are in all; every row and
    None without a limit."""
    if limit is None:
        return list(rows), None
    return list(rows[:limit]), rows.count()


def city_initiatives(city, *, limit: int | None = PAGE_ROWS) -> tuple[list[dict], int | None]:
    """The city's initiatives with their accepted members, by status and title: the first
    `limit` and how many in all (every one, and None, without a limit)."""
    from initiatives.models import Initiative, Membership

    return _first(
        Initiative.objects.filter(cities=city)
        .annotate(
            members=Count("memberships", filter=Q(memberships__state=Membership.State.ACCEPTED))
        )
        .order_by("status", "title_en", "pk")
        .values("slug", "title_en", "title_fa", "field", "status", "starts_on", "members"),
        limit,
    )


def city_agreements(city, today: datetime.date) -> list[dict]:
    """Every agreement with the city, in force or not, the latest signed first (one query)."""
    return list(
        Agreement.objects.filter(city=city)
        .with_state(today)
        .order_by(F("signed_on").desc(nulls_last=True), "title_en", "pk")
        .values(*AGREEMENT_VALUES)
    )


def city_meetings(city, *, upcoming: bool) -> list[dict]:
    """The city's next meetings, or those held in the last twelve months (newest first), with
    how many were invited, accepted and declined."""
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
    return list(
        meetings.filter(meetings_of(city))
        .annotate(
            invited=invitations(),
            accepted=invitations(state=Invitation.State.ACCEPTED),
            declined=invitations(state=Invitation.State.DECLINED),
        )
        .values("pk", "title", "starts_at", "kind", "invited", "accepted", "declined")[:RECENT]
    )


def _engagements(city):
    from initiatives.models import Initiative, Membership

    return Membership.objects.filter(
        initiative__cities=city, state=Membership.State.ACCEPTED
    ).exclude(initiative__status=Initiative.Status.COMPLETED)


def engaged_by_field(city) -> list[dict]:
    """How many diplomats work with the city in each field (`field`, `n`), the most first."""
    return list(
        _engagements(city)
        .values(field=F("initiative__field"))
        .annotate(n=Count("user", distinct=True))
        .order_by("-n", "field")
    )


def engaged_diplomats(city, *, limit: int | None = PAGE_ROWS) -> tuple[list[dict], int | None]:
    """The diplomats working with the city, by name, with their fields and initiatives: the
    first `limit` and how many in all (every one, and None, without a limit)."""
    engagements = _engagements(city)
    rows = list(
        engagements.values(
            "user",
            first_name=F("user__first_name"),
            last_name=F("user__last_name"),
            email=F("user__email"),
        )
        .annotate(
            fields=ArrayAgg("initiative__field", distinct=True, default=[]),
            initiatives=Count("initiative", distinct=True),
        )
        .order_by("last_name", "first_name", "email")[:limit]
    )
    total = None if limit is None else engagements.values("user").distinct().count()
    return rows, total


def timeline(city, today: datetime.date) -> list[dict]:
    """The latest activity of three kinds, newest first (three limited queries): meetings held,
    contacts logged and initiatives started or updated, each with its `day` and `kind`."""
    from initiatives.models import Initiative

    events = [
        {**meeting, "kind": "meeting", "day": timezone.localdate(meeting["starts_at"])}
        for meeting in held_meetings()
        .filter(meetings_of(city))
        .order_by("-starts_at")
        .values("starts_at", "title")[:RECENT]
    ]
    events += [
        {**contact, "kind": "contact", "day": contact["date"]}
        for contact in ContactLog.objects.filter(city=city, date__lte=today)
        .order_by("-date", "-created_at")
        .values("date", "note", contact_kind=F("kind"))[:RECENT]
    ]
    events += [
        {**initiative, "kind": "initiative"}
        for initiative in Initiative.objects.filter(cities=city)
        .annotate(day=initiative_activity_day(today))
        .order_by("-day")
        .values("day", "starts_on", "title_en", "title_fa")[:RECENT]
    ]
    events.sort(key=lambda event: event["day"], reverse=True)
    return events[:RECENT]
