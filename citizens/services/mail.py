"""The outbox: every e-mail the portal sends is an OutgoingEmail row, stored in the transaction
that owes it and sent after commit by a worker, in chunks over one SMTP connection each.

An app whose e-mails are too many to write in one request (a meeting's thousands of
invitations) stores them with only an address and registers a composer, which writes a chunk's
content just before it is sent. An app that keeps its own record of a delivery registers a
listener; it runs in the transaction that records the e-mail sent or failed, so the two never
disagree. Both are registered in the app's AppConfig.ready(): citizens imports no other app.
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from email.charset import QP, Charset
from email.mime.text import MIMEText
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from citizens.models import OutgoingEmail
from diplomacy_portal.mail import due_for_sweep, is_permanent_failure, retry_delay
from diplomacy_portal.queue import enqueue_on_commit

logger = logging.getLogger(__name__)
Status = OutgoingEmail.Status

# Every text part (plain, HTML, the calendar file) is UTF-8 sent quoted-printable, in 7-bit
# lines: a server that does not offer 8BITMIME may mangle an 8-bit body, and Persian text is
# never ASCII. Django's own choice for UTF-8 is an 8-bit body when its lines are short.
SEVEN_BIT_UTF8 = Charset("utf-8")
SEVEN_BIT_UTF8.body_encoding = QP

# `listener(sent=[ids], failed=[ids])`, called inside the transaction that records them.
_LISTENERS: list[Callable] = []
# `compose(emails)` by name: fills in the content of stored e-mails before they are sent.
_COMPOSERS: dict[str, Callable] = {}
COMPOSED_FIELDS = [
    "subject",
    "body_text",
    "body_html",
    "reply_to",
    "calendar",
    "calendar_method",
    "composer",
]


def register_delivery_listener(listener: Callable) -> None:
    """Have `listener(sent=..., failed=...)` told of each e-mail sent or given up, by id."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def register_composer(name: str, compose: Callable) -> None:
    """Have `compose(emails)` write the content of the e-mails stored with composer=`name`, a
    chunk at a time before they are sent; it returns those no longer owed, to be dropped."""
    _COMPOSERS[name] = compose


def _tell(*, sent: list[int] = (), failed: list[int] = ()) -> None:
    for listener in _LISTENERS:
        listener(sent=list(sent), failed=list(failed))


def chunks(ids: list[int]) -> Iterable[list[int]]:
    size = settings.INVITATION_CHUNK_SIZE
    return (ids[start : start + size] for start in range(0, len(ids), size))


@transaction.atomic
def queue_emails(*, emails: list[OutgoingEmail], delay: int = 0) -> list[OutgoingEmail]:
    """Store unsaved e-mails in the outbox; workers send them in chunks after commit, or
    `delay` seconds after it (withdraw_emails() may take them back meanwhile)."""
    from citizens.tasks import send_emails

    due = due_for_sweep(delay)
    for email in emails:
        email.next_attempt_at = due
    emails = OutgoingEmail.objects.bulk_create(emails, batch_size=1000)
    for chunk in chunks([email.pk for email in emails]):
        enqueue_on_commit(send_emails, chunk, countdown=delay or None)
    return emails


def queue_email(*, message: EmailMessage) -> list[OutgoingEmail]:
    """Store a rendered e-mail, one row per recipient; a worker sends each after commit."""
    html = next(
        (body for body, mime in getattr(message, "alternatives", []) if mime == "text/html"), ""
    )
    if message.content_subtype == "html":
        html = message.body
    return queue_emails(
        emails=[
            OutgoingEmail(
                to=to,
                subject=message.subject,
                body_text=message.body,
                body_html=html,
                reply_to=message.reply_to[0] if message.reply_to else "",
            )
            for to in message.to
        ]
    )


def withdraw_emails(*, email_ids: Iterable[int]) -> list[int]:
    """Delete those of the e-mails still queued and not being sent; return their ids."""
    with transaction.atomic():
        withdrawn = list(
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk__in=email_ids, status=Status.QUEUED)
            .values_list("pk", flat=True)
        )
        OutgoingEmail.objects.filter(pk__in=withdrawn).delete()
    return withdrawn


def email_message(email: OutgoingEmail, *, connection=None) -> EmailMultiAlternatives:
    """The stored e-mail as Django's message: text, HTML, and the calendar file if any."""
    sender = settings.DEFAULT_FROM_EMAIL
    if email.calendar and settings.CALENDAR_REPLY_ADDRESS:
        # An invitation comes from its organizer's address, where calendar programs send their
        # answers: otherwise they show it as sent "on behalf of" someone else.
        sender = formataddr((parseaddr(sender)[0], settings.CALENDAR_REPLY_ADDRESS))
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=sender,
        to=[email.to],
        reply_to=[email.reply_to] if email.reply_to else None,
        connection=connection,
    )
    message.encoding = SEVEN_BIT_UTF8
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    if email.calendar:
        # text/calendar naming its method, as calendar programs expect of an invitation.
        part = MIMEText(email.calendar, "calendar", SEVEN_BIT_UTF8)
        part.set_param("method", email.calendar_method)
        part.add_header("Content-Disposition", "attachment", filename="invite.ics")
        message.attach(part)
    return message


def send_emails(*, email_ids: list[int]) -> int | None:
    """Send the queued e-mails among `email_ids` over one SMTP connection, each recorded sent
    as soon as the server accepted it; return seconds to wait before a retry, else None."""
    _compose(email_ids)
    connection = get_connection()
    try:
        for position, email_id in enumerate(email_ids):
            failure = _send_one(email_id, connection)
            if failure is not None:
                connection.close()  # it may be broken; the retry opens a new one
                return _postpone(email_ids[position:], failure)
    finally:
        connection.close()
    return None


@transaction.atomic
def _compose(email_ids: list[int]) -> None:
    """Write the content of the chunk's e-mails stored without it, by their composers."""
    blank = list(
        OutgoingEmail.objects.select_for_update(skip_locked=True)
        .filter(pk__in=email_ids, status=Status.QUEUED)
        .exclude(composer="")
    )
    by_composer = defaultdict(list)
    for email in blank:
        by_composer[email.composer].append(email)
    for name, emails in by_composer.items():
        gone = {email.pk for email in _COMPOSERS[name](emails)}
        OutgoingEmail.objects.filter(pk__in=gone).delete()
        for email in emails:
            email.composer = ""
        written = [email for email in emails if email.pk not in gone]
        OutgoingEmail.objects.bulk_update(written, COMPOSED_FIELDS)


def _send_one(email_id: int, connection) -> Exception | None:
    """Send one queued e-mail; a temporary failure is returned, for the chunk to be retried."""
    # The row stays locked while the server takes it: another worker holding the same e-mail
    # skips it, and a worker killed mid-send leaves at most this one to be sent again.
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=Status.QUEUED, composer="")
            .first()
        )
        if email is None:
            return None
        email.attempts += 1
        try:
            connection.open()
            connection.send_messages([email_message(email)])
        except Exception as exc:  # an address refused for good fails alone; others wait
            if not is_permanent_failure(exc):
                return exc
            email.last_error = _error(exc)
            _give_up([email])
            return None
        email.status = Status.SENT
        email.sent_at = timezone.now()
        email.save(update_fields=["attempts", "status", "sent_at"])
        _tell(sent=[email.pk])
    return None


def _error(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _give_up(emails: list[OutgoingEmail]) -> None:
    for email in emails:
        logger.error("E-mail %s to %s failed for good: %s", email.pk, email.to, email.last_error)
        email.status = Status.FAILED
    OutgoingEmail.objects.bulk_update(emails, ["attempts", "last_error", "status"])
    _tell(failed=[email.pk for email in emails])


@transaction.atomic
def _postpone(email_ids: list[int], exc: Exception) -> int | None:
    """Count a try on each e-mail of the chunk not sent yet; give up those tried
    MAIL_MAX_ATTEMPTS times; return seconds to wait before trying the others again."""
    rest = list(
        OutgoingEmail.objects.select_for_update(skip_locked=True).filter(
            pk__in=email_ids, status=Status.QUEUED
        )
    )
    for email in rest:
        email.attempts += 1
        email.last_error = _error(exc)
    exhausted = [email for email in rest if email.attempts >= settings.MAIL_MAX_ATTEMPTS]
    if exhausted:
        _give_up(exhausted)
    waiting = [email for email in rest if email.attempts < settings.MAIL_MAX_ATTEMPTS]
    if not waiting:
        return None
    delay = retry_delay(max(email.attempts for email in waiting))
    for email in waiting:
        email.next_attempt_at = due_for_sweep(delay)
    OutgoingEmail.objects.bulk_update(waiting, ["attempts", "last_error", "next_attempt_at"])
    return delay


def queue_due_emails(*, limit: int = 5000) -> int:
    """Queue again the e-mails no worker has sent in time (the broker was down or lost them,
    a worker died); return how many. A duplicate task is harmless: each row is claimed."""
    from citizens.tasks import send_emails

    now = timezone.now()
    with transaction.atomic():
        due = list(
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(status=Status.QUEUED, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        OutgoingEmail.objects.filter(pk__in=due).update(next_attempt_at=due_for_sweep())
        for chunk in chunks(due):
            enqueue_on_commit(send_emails, chunk)
    return len(due)
