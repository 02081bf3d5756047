from celery import shared_task
from django.utils import timezone

from .services import mail


@shared_task(bind=True, max_retries=None)
def send_outgoing_email(self, email_id: int) -> None:
    """Deliver one stored e-mail; tries are counted and bounded on its row."""
    retry_in = mail.deliver_outgoing_email(email_id=email_id)
    if retry_in is not None:
        raise self.retry(countdown=retry_in)


@shared_task
def queue_due_emails() -> int:
    """Periodic sweep: queue again the e-mails that no worker sent in time."""
    return mail.queue_due_emails()


@shared_task
def clear_expired_sessions() -> int:
    """Delete the sessions past their expiry, as Django's clearsessions command would; returns
    how many."""
    from .models import Session

    deleted, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
