"""Read queries of the open data API and of the tokens page."""

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from initiatives import selectors as initiative_selectors
from initiatives.models import Initiative, Meeting
from proposals import selectors as proposal_selectors
from proposals.models import Proposal
from sistercities.models import Agreement, SisterCity
from sistercities.selectors.health import health_rows

from .models import ApiToken
from .services import hash_key


def token_for_key(key: str) -> ApiToken | None:
    """The usable token with this key, with its user; None if unknown, revoked or expired."""
    return (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked_at=None, user__is_active=True)
        .filter(Q(expires_on=None) | Q(expires_on__gte=timezone.localdate()))
        .first()
    )


def own_tokens(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).annotate(last_used=Max("uses__at"))


def cities(*, q: str = "", status: str = "", field: str = "") -> QuerySet[SisterCity]:
    found = SisterCity.objects.all()
    if q:
        found = found.filter(
            Q(name_en__icontains=q)
            | Q(name_fa__icontains=q)
            | Q(country_en__icontains=q)
            | Q(country_fa__icontains=q)
        )
    if status:
        found = found.filter(status=status)
    if field:
        found = found.filter(cooperation_fields__contains=[field])
    return found


def with_health(cities: list[SisterCity]) -> list[SisterCity]:
    """`cities` with each one's health row (health_rows) as `figures`: six queries in all."""
    rows = {
        row["pk"]: row
        for row in health_rows(SisterCity.objects.filter(pk__in=[city.pk for city in cities]))
    }
    for city in cities:
        city.figures = rows[city.pk]
    return cities


def initiatives(*, city=None, field="", status="", q="", starts_from=None, starts_until=None):
    """The initiatives as the public list filters them, with their cities and members count."""
    found = initiative_selectors.initiative_list(q=q, city=city, field=field, status=status)
    if starts_from:
        found = found.filter(starts_on__gte=starts_from)
    if starts_until:
        found = found.filter(starts_on__lte=starts_until)
    return found


def public_meetings(*, city=None, initiative=None, starts_from=None, starts_until=None):
    """Public events, cancelled ones too (a client must learn of a cancellation)."""
    found = Meeting.objects.filter(kind=Meeting.Kind.PUBLIC_EVENT).select_related(
        "initiative", "city"
    )
    if city is not None:
        found = found.filter(Q(city=city) | Q(initiative__cities=city)).distinct()
    if initiative is not None:
        found = found.filter(initiative=initiative)
    if starts_from:
        found = found.filter(starts_at__date__gte=starts_from)
    if starts_until:
        found = found.filter(starts_at__date__lte=starts_until)
    return found


def public_agreements(*, city=None, kind="", status="") -> QuerySet[Agreement]:
    """The agreements the city pages show, with their status today (`state`) as those pages
    give it: the one set by hand, else the one the dates give."""
    found = Agreement.objects.filter(is_public=True).with_state().select_related("city")
    if city is not None:
        found = found.filter(city=city)
    if kind:
        found = found.filter(kind=kind)
    if status:
        found = found.filter(state=status)
    return found


def accepted_proposals(*, city=None, field="", q="") -> QuerySet[Proposal]:
    """The proposals the portal accepted (a public decision), with their supports counted,
    their cities and the initiative each became."""
    return proposal_selectors.public_proposals(
        q=q, city=city, field=field, status=Proposal.Status.ACCEPTED
    ).select_related("initiative")


def proposals_freshness() -> str:
    """Changes whenever a proposal is saved, added or deleted, or an accepted one's supports
    change (a supporter's account deleted): one aggregate query."""
    found = Proposal.objects.aggregate(
        changed=Max("updated_at"),
        n=Count("pk", distinct=True),
        supports=Count("supports", filter=Q(status=Proposal.Status.ACCEPTED)),
    )
    return f"{found['changed']}:{found['n']}:{found['supports']}"


def meetings_freshness() -> str:
    """Changes whenever a meeting is saved, added or deleted (one aggregate query)."""
    found = Meeting.objects.aggregate(changed=Max("updated_at"), n=Count("pk"))
    return f"{found['changed']}:{found['n']}"


def figures() -> dict:
    """The programme's figures the public pages show: cities and initiatives by status, active
    initiatives by field, upcoming public events (three queries)."""
    now = timezone.now()
    city_statuses = dict(SisterCity.objects.values_list("status").annotate(Count("pk")).order_by())
    initiative_statuses = dict(
        Initiative.objects.values_list("status").annotate(Count("pk")).order_by()
    )
    by_field = dict(
        Initiative.objects.filter(status=Initiative.Status.ACTIVE)
        .values_list("field")
        .annotate(Count("pk"))
        .order_by()
    )
    upcoming = Meeting.objects.filter(
        kind=Meeting.Kind.PUBLIC_EVENT, status=Meeting.Status.SCHEDULED, starts_at__gte=now
    ).count()
    return {
        "cities": sum(city_statuses.values()),
        "cities_by_status": {s: city_statuses.get(s, 0) for s in SisterCity.Status.values},
        "initiatives": sum(initiative_statuses.values()),
        "initiatives_by_status": {
            s: initiative_statuses.get(s, 0) for s in Initiative.Status.values
        },
        "active_initiatives_by_field": by_field,
        "upcoming_public_meetings": upcoming,
    }
