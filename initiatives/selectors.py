"""Read queries shared by the pages."""

from datetime import timedelta

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Initiative, Invitation, Meeting, Membership


def initiative_list(*, q: str = "", city=None, field: str = "", status: str = ""):
    """Initiatives with their cities and members count, filtered, by title."""
    # A subquery, not a join with GROUP BY: Postgres counts the members of the page's twenty
    # rows only, instead of every membership of every initiative before it can sort.
    members = (
        Membership.objects.filter(initiative=OuterRef("pk"), state=Membership.State.ACCEPTED)
        .order_by()
        .values("initiative")
        .annotate(n=Count("pk"))
        .values("n")
    )
    initiatives = Initiative.objects.annotate(
        members_count=Coalesce(Subquery(members), 0)
    ).prefetch_related("cities")
    if q:
        initiatives = initiatives.filter(
            Q(title_en__icontains=q)
            | Q(title_fa__icontains=q)
            | Q(description_en__icontains=q)
            | Q(description_fa__icontains=q)
        )
    if city is not None:
        initiatives = initiatives.filter(cities=city)
    if field:
        initiatives = initiatives.filter(field=field)
    if status:
        initiatives = initiatives.filter(status=status)
    return initiatives.order_by("title_en", "pk")


def members_count(initiative: Initiative) -> int:
    return initiative.memberships.filter(state=Membership.State.ACCEPTED).count()


# What anyone may see of a meeting is decided by its kind: a public event is announced on the
# public pages and in the public calendar feeds; board meetings and working sessions are for
# their invitees.
PUBLIC = Q(kind=Meeting.Kind.PUBLIC_EVENT)
# A public feed keeps recent meetings too, so a subscribed calendar does not lose them at once.
PUBLIC_FEED_HISTORY = timedelta(days=90)


def upcoming_meetings(*, initiative: Initiative, public_only: bool) -> QuerySet[Meeting]:
    meetings = initiative.meetings.filter(ends_at__gte=timezone.now()).order_by("starts_at")
    if public_only:
        meetings = meetings.filter(PUBLIC, status=Meeting.Status.SCHEDULED)
    return meetings


def public_feed_meetings(*, initiative_id: int | None = None, city_id: int | None = None):
    """The public meetings of an initiative, or of a sister city (its own and its initiatives'),
    recent and upcoming; cancelled ones stay, for subscribed calendars to show them cancelled."""
    if city_id is not None:
        of_initiatives = Initiative.objects.filter(cities=city_id).values("pk")
        host = Q(city_id=city_id) | Q(initiative_id__in=of_initiatives)
    else:
        host = Q(initiative_id=initiative_id)
    since = timezone.now() - PUBLIC_FEED_HISTORY
    return Meeting.objects.filter(host, PUBLIC, ends_at__gte=since).order_by("starts_at", "pk")


def invitees(meeting: Meeting) -> QuerySet[Invitation]:
    """The meeting's invitations with their people, by name."""
    return meeting.invitations.select_related("invitee").order_by(
        "invitee__last_name", "invitee__first_name", "invitee__email"
    )
