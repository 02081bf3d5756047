"""Each diplomat's private calendar feed."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from citizens.models import User

from ..models import CalendarFeed, Invitation, Meeting

# A feed lists recent past meetings too, so a calendar keeps them; older ones drop off.
FEED_HISTORY = timedelta(days=90)


@transaction.atomic
def reset_calendar_feed(*, user: User) -> CalendarFeed:
    """Give the user a new feed address; the old one stops working."""
    feed, _created = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed


def feed_meetings(*, user: User) -> QuerySet[Meeting]:
    """The meetings the user is invited to and has not declined, recent and upcoming, each
    with the user's answer as `my_state`."""
    invited = Invitation.objects.filter(invitee=user).exclude(
        state__in=[Invitation.State.DECLINED, Invitation.State.FAILED]
    )
    return (
        Meeting.objects.filter(
            pk__in=invited.values("meeting_id"), ends_at__gte=timezone.now() - FEED_HISTORY
        )
        .annotate(my_state=Subquery(invited.filter(meeting=OuterRef("pk")).values("state")))
        .select_related("initiative__coordinator", "city", "organiser")
        .order_by("starts_at")
    )
