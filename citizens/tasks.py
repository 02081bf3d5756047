from celery import shared_task

from . import services


@shared_task(bind=True, max_retries=None)
def send_outgoing_email(self, email_id: int) -> None:
    """Deliver one stored e-mail; tries are counted and bounded on its row."""
    retry_in = services.deliver_outgoing_email(email_id=email_id)
    if retry_in is not None:
        raise self.retry(countdown=retry_in)
