"""Sending mail: which SMTP failures are worth retrying, and how long to wait."""

import smtplib

from django.conf import settings


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
