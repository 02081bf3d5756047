import logging

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from citizens.models import OutgoingEmail
from diplomacy_portal.mail import due_for_sweep, is_permanent_failure, retry_delay
from diplomacy_portal.queue import enqueue_on_commit

logger = logging.getLogger(__name__)


@transaction.atomic
def queue_email(*, message: EmailMessage) -> list[OutgoingEmail]:
    """Store a rendered e-mail, one row per recipient; a worker sends each after commit."""
    from citizens.tasks import send_outgoing_email

    html = next(
        (body for body, mime in getattr(message, "alternatives", []) if mime == "text/html"), ""
    )
    if message.content_subtype == "html":
        html = message.body
    due = due_for_sweep()
    emails = OutgoingEmail.objects.bulk_create(
        OutgoingEmail(
            to=to,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            next_attempt_at=due,
        )
        for to in message.to
    )
    for email in emails:
        enqueue_on_commit(send_outgoing_email, email.pk)
    return emails


def _message_for(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    return message


def deliver_outgoing_email(*, email_id: int) -> int | None:
    """Send one stored e-mail unless already sent; return seconds to wait before a retry."""
    with transaction.atomic():
        # The row lock makes a second worker holding the same task skip it, not send it again.
        email = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=OutgoingEmail.Status.QUEUED)
            .first()
        )
        if email is None:
            return None
        email.attempts += 1
        try:
            _message_for(email).send()
        except Exception as exc:  # any failure is recorded on the row, then retried or given up
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            gave_up = is_permanent_failure(exc) or email.attempts >= settings.MAIL_MAX_ATTEMPTS
            if gave_up:
                email.status = OutgoingEmail.Status.FAILED
                logger.error("E-mail %s to %s failed for good: %s", email.pk, email.to, exc)
                email.save(update_fields=["attempts", "last_error", "status"])
                return None
            delay = retry_delay(email.attempts)
            email.next_attempt_at = due_for_sweep(delay)
            email.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            return delay
        email.status = OutgoingEmail.Status.SENT
        email.sent_at = timezone.now()
        email.save(update_fields=["attempts", "status", "sent_at"])
        return None


def queue_due_emails(*, limit: int = 1000) -> int:
    """Queue again the e-mails no worker has sent in time (the broker was down or lost them).

    Returns how many were queued. A duplicate task is harmless: delivery checks the row first.
    """
    from citizens.tasks import send_outgoing_email

    now = timezone.now()
    with transaction.atomic():
        due = list(
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        OutgoingEmail.objects.filter(pk__in=due).update(next_attempt_at=due_for_sweep())
    for pk in due:
        enqueue_on_commit(send_outgoing_email, pk)
    return len(due)
