"""Sending mail: which SMTP failures are worth retrying, and how long to wait."""

import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone


def is_permanent_failure(exc: Exception) -> bool:
    """A 5xx answer means retrying will not help; anything else (4xx, refused, timeout) may."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    return False


def retry_delay(attempts: int) -> int:
    """Seconds before the next try: doubling from the base, capped below the broker's
    visibility timeout so a waiting retry is never handed to a second worker."""
    delay = settings.MAIL_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return min(delay, settings.MAIL_RETRY_MAX_SECONDS)


def due_for_sweep(delay: int = 0) -> datetime:
    """When the sweep may queue an owed e-mail again if no worker has sent it by then: after
    `delay` (a planned retry) and the grace a worker gets to do its job."""
    return timezone.now() + timedelta(seconds=delay + settings.DELIVERY_SWEEP_GRACE_SECONDS)
