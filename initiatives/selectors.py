"""Read queries shared by the pages."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from citizens.models import Notification, User

from .access import manageable_initiatives, manageable_meetings
from .models import CalendarFeed, Initiative, Invitation, Meeting, MemberMessage, Membership
from .suggestions import Suggestion, suggested_initiatives

# What the desk shows of each list at most; the rest is a click away (the initiative's members,
# the meeting's page).
DESK_ROWS = 10


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


def _members_subquery(state: str):
    return Coalesce(
        Subquery(
            Membership.objects.filter(initiative=OuterRef("pk"), state=state)
            .order_by()
            .values("initiative")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def desk_initiatives(user) -> QuerySet[Initiative]:
    """The initiatives the user runs (staff: all) with their members and requests counted."""
    return (
        manageable_initiatives(user)
        .annotate(
            members_count=_members_subquery(Membership.State.ACCEPTED),
            requests_count=_members_subquery(Membership.State.REQUESTED),
        )
        .order_by("title_en", "pk")
    )


def join_requests(user) -> QuerySet[Membership]:
    """Requests to join the user's initiatives waiting for an answer, oldest first."""
    return (
        Membership.objects.filter(
            state=Membership.State.REQUESTED,
            initiative__in=manageable_initiatives(user).values("pk"),
        )
        .select_related("user", "initiative")
        .order_by("requested_at", "pk")
    )


def _answered(state: str) -> Count:
    return Count("invitations", filter=Q(invitations__state=state))


def desk_meetings(user) -> QuerySet[Meeting]:
    """The user's meetings (staff: all) with their invitees' answers counted."""
    State = Invitation.State
    return (
        manageable_meetings(user)
        .select_related("initiative", "city")
        .annotate(
            accepted=_answered(State.ACCEPTED),
            tentative=_answered(State.TENTATIVE),
            declined=_answered(State.DECLINED),
            waitlisted=_answered(State.WAITLISTED),
            unanswered=Count(
                "invitations", filter=Q(invitations__state__in=[State.PENDING, State.SENT])
            ),
        )
    )


def desk(user) -> dict:
    """What the coordinator's desk lists, each list a bounded number of rows."""
    now = timezone.now()
    meetings = desk_meetings(user)
    coming = meetings.filter(ends_at__gte=now)
    requests = join_requests(user)
    return {
        "requests": requests[:DESK_ROWS],
        "requests_count": requests.count(),
        "coming": coming.order_by("starts_at", "pk")[:DESK_ROWS],
        "past": meetings.filter(ends_at__lt=now).order_by("-starts_at", "-pk")[:DESK_ROWS],
        # Full meetings with people waiting: a seat given up goes to them by itself, but the
        # coordinator may want more room, or a different order.
        "waiting": coming.filter(status=Meeting.Status.SCHEDULED, waitlisted__gt=0).order_by(
            "starts_at", "pk"
        )[:DESK_ROWS],
        "sent": MemberMessage.objects.filter(
            Q(initiative__in=manageable_initiatives(user).values("pk"))
            | Q(meeting__in=manageable_meetings(user).values("pk"))
        )
        .select_related("initiative", "meeting", "sender")
        .order_by("-sent_at", "-pk")[:DESK_ROWS],
    }


def sent_messages(*, initiative: Initiative | None = None, meeting: Meeting | None = None):
    """The messages written to the initiative's people (its meetings' too), or to the meeting's
    invitees, latest first."""
    sent = MemberMessage.objects.select_related("sender", "meeting")
    if meeting is not None:
        sent = sent.filter(meeting=meeting)
    else:
        sent = sent.filter(initiative=initiative)
    return sent.order_by("-sent_at", "-pk")


UPCOMING_ON_MY_PAGE = 10
NOTICES_ON_MY_PAGE = 5


@dataclass
class MyPage:
    """What a citizen diplomat's home (/me/) shows."""

    invitations: list[Invitation]
    memberships: list[Membership]
    notices: list[Notification]
    suggestions: list[Suggestion]
    calendar_feed: CalendarFeed | None


def my_page(user: User) -> MyPage:
    """The meetings to come that `user` is invited to with their answer, the initiatives they
    belong to or asked to join, a few unread notices, initiatives to suggest and the calendar
    address: a constant number of queries, however many there are of each."""
    invitations = (
        Invitation.objects.filter(
            invitee=user,
            meeting__ends_at__gte=timezone.now(),
            meeting__status=Meeting.Status.SCHEDULED,
        )
        .select_related("meeting__initiative", "meeting__city")
        .order_by("meeting__starts_at", "pk")[:UPCOMING_ON_MY_PAGE]
    )
    memberships = (
        Membership.objects.filter(
            user=user, state__in=[Membership.State.ACCEPTED, Membership.State.REQUESTED]
        )
        .select_related("initiative")
        .order_by("state", "initiative__title_en", "pk")
    )
    notices = Notification.objects.filter(recipient=user, read_at__isnull=True).only(
        "kind", "context", "url", "created_at", "read_at"
    )[:NOTICES_ON_MY_PAGE]
    return MyPage(
        invitations=list(invitations),
        memberships=list(memberships),
        notices=list(notices),
        suggestions=suggested_initiatives(user),
        calendar_feed=CalendarFeed.objects.filter(user=user).first(),
    )


COORDINATED_IN_MENU = 8


def coordinated_by(user: User) -> list[Initiative]:
    """The initiatives `user` coordinates that are not completed, by title (the menu's first
    few)."""
    return list(
        Initiative.objects.filter(coordinator=user)
        .exclude(status=Initiative.Status.COMPLETED)
        .only("slug", "title_en", "title_fa")
        .order_by("title_en", "pk")[:COORDINATED_IN_MENU]
    )
