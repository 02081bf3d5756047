from celery import shared_task

from .services import invitations


@shared_task
def send_meeting_invitations(meeting_id: int) -> int:
    """Fan-out: queue one delivery task per chunk of the meeting's owed e-mails."""
    return invitations.queue_invitation_chunks(meeting_id=meeting_id)


@shared_task(bind=True, max_retries=None)
def send_invitation_chunk(self, meeting_id: int, invitation_ids: list[int]) -> None:
    """Deliver one chunk over one SMTP connection; tries are counted and bounded on its rows."""
    retry_in = invitations.deliver_invitation_chunk(
        meeting_id=meeting_id, invitation_ids=invitation_ids
    )
    if retry_in is not None:
        raise self.retry(countdown=retry_in)


@shared_task
def queue_due_invitations() -> int:
    """Periodic sweep: queue again the invitation e-mails that no worker sent in time."""
    return invitations.queue_due_invitations()


@shared_task
def send_meeting_reminders() -> int:
    """Periodic: remind invitees of tomorrow's meetings (MEETING_REMINDER_HOURS), once."""
    return invitations.send_due_reminders()
