import logging

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from diplomacy_portal.mail import is_permanent_failure, retry_delay
from diplomacy_portal.queue import enqueue_on_commit

from .models import OutgoingEmail, User

logger = logging.getLogger(__name__)


def set_preferred_language(*, user: User, language: str) -> User:
    """Remember the language a user chose; their pages and e-mails follow it."""
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return user


@transaction.atomic
def queue_email(*, message: EmailMessage) -> list[OutgoingEmail]:
    """Store a rendered e-mail, one row per recipient; a worker sends each after commit."""
    from .tasks import send_outgoing_email

    html = next(
        (body for body, mime in getattr(message, "alternatives", []) if mime == "text/html"), ""
    )
    if message.content_subtype == "html":
        html = message.body
    emails = OutgoingEmail.objects.bulk_create(
        OutgoingEmail(to=to, subject=message.subject, body_text=message.body, body_html=html)
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
            return None if gave_up else retry_delay(email.attempts)
        email.status = OutgoingEmail.Status.SENT
        email.sent_at = timezone.now()
        email.save(update_fields=["attempts", "status", "sent_at"])
        return None
