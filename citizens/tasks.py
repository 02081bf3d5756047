from celery import shared_task
from django.core.management import call_command

from .services import digests, mail


@shared_task(bind=True, max_retries=None)
def send_emails(self, email_ids: list[int]) -> None:
    """Deliver a chunk of stored e-mails over one SMTP connection; tries are counted and
    bounded on their rows."""
    retry_in = mail.send_emails(email_ids=email_ids)
    if retry_in is not None:
        raise self.retry(countdown=retry_in)


@shared_task
def queue_due_emails() -> int:
    """Periodic sweep: queue again the e-mails that no worker sent in time."""
    return mail.queue_due_emails()


@shared_task
def clear_expired_sessions() -> None:
    """Delete the sessions past their expiry (Django's clearsessions)."""
    call_command("clearsessions")


@shared_task
def send_digests() -> int:
    """Periodic: the daily digests whose hour has come (one a day each, never empty)."""
    return digests.send_due_digests()
