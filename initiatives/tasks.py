from celery import shared_task

from .services import calendar_replies, follows, invitations


@shared_task
def send_meeting_reminders() -> int:
    """Periodic: remind invitees as each chose (or the meeting fixed), once per lead."""
    return invitations.send_due_reminders()


@shared_task
def read_calendar_replies() -> int:
    """Periodic, when a reply Maildir is configured: apply the answers calendar programs sent."""
    return calendar_replies.read_maildir()


@shared_task
def tell_followers_of_meeting(meeting_id: int) -> int:
    """E-mail the followers of a public meeting's initiative or city, through the outbox."""
    return follows.tell_of_meeting(meeting_id)
