from celery import shared_task

from .services import invitations


@shared_task
def send_meeting_reminders() -> int:
    """Periodic: remind invitees of tomorrow's meetings (MEETING_REMINDER_HOURS), once."""
    return invitations.send_due_reminders()
