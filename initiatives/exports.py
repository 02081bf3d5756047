"""A person's memberships and invitations, for their data export (citizens.services.privacy)."""

from .models import CalendarFeed, Invitation, Membership


def my_initiatives_data(user) -> dict:
    return {
        "memberships": [
            {
                "initiative": membership.initiative.title_en,
                "state": membership.state,
                "requested_at": membership.requested_at,
                "decided_at": membership.decided_at,
                "left_at": membership.left_at,
            }
            for membership in Membership.objects.filter(user=user).select_related("initiative")
        ],
        "invitations": [
            {
                "meeting": invitation.meeting.title,
                "starts_at": invitation.meeting.starts_at,
                "state": invitation.state,
                "invited_at": invitation.created_at,
                "sent_at": invitation.sent_at,
                "responded_at": invitation.responded_at,
            }
            for invitation in Invitation.objects.filter(invitee=user).select_related("meeting")
        ],
        "calendar_feed": CalendarFeed.objects.filter(user=user).exists(),
    }
