"""Notices through the outbox: stored, sent after commit, once; retried, given up, swept."""

import smtplib

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from citizens.models import OutgoingEmail
from citizens.services.mail import queue_email, send_emails


def _message(to=("ana@example.org",)):
    message = EmailMultiAlternatives("Hello", "Plain body", to=list(to))
    message.attach_alternative("<p>HTML body</p>", "text/html")
    return message


@pytest.mark.django_db
def test_a_queued_email_is_stored_then_sent_after_commit(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (email,) = queue_email(message=_message())
        assert mailoutbox == []  # nothing is sent before the transaction commits

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.sent_at is not None
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ana@example.org"]
    assert mailoutbox[0].alternatives[0].content == "<p>HTML body</p>"


@pytest.mark.django_db
def test_a_rolled_back_request_sends_nothing(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            from django.db import transaction

            with transaction.atomic():
                queue_email(message=_message())
                raise RuntimeError("the request failed")
        except RuntimeError:
            pass

    assert callbacks == []
    assert OutgoingEmail.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_delivering_twice_sends_once(mailoutbox):
    (email,) = queue_email(message=_message())

    send_emails(email_ids=[email.pk])
    send_emails(email_ids=[email.pk])

    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_a_temporary_smtp_failure_is_retried_later(monkeypatch):
    (email,) = queue_email(message=_message())

    def busy(self, *args, **kwargs):
        raise smtplib.SMTPResponseException(451, b"Try again later")

    monkeypatch.setattr(EmailBackend, "send_messages", busy)
    retry_in = send_emails(email_ids=[email.pk])

    email.refresh_from_db()
    assert retry_in is not None and retry_in > 0
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.attempts == 1
    assert "451" in email.last_error


@pytest.mark.django_db
def test_a_permanent_smtp_failure_marks_the_email_failed_without_retry(monkeypatch):
    (email,) = queue_email(message=_message())

    def refused(self, *args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"ana@example.org": (550, b"No such user")})

    monkeypatch.setattr(EmailBackend, "send_messages", refused)
    retry_in = send_emails(email_ids=[email.pk])

    email.refresh_from_db()
    assert retry_in is None
    assert email.status == OutgoingEmail.Status.FAILED


@pytest.mark.django_db
def test_tries_are_bounded(monkeypatch, settings):
    settings.MAIL_MAX_ATTEMPTS = 3
    (email,) = queue_email(message=_message())

    def down(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(EmailBackend, "send_messages", down)
    results = [send_emails(email_ids=[email.pk]) for _ in range(5)]

    email.refresh_from_db()
    assert results[2:] == [None, None, None]
    assert email.attempts == 3
    assert email.status == OutgoingEmail.Status.FAILED


@pytest.mark.django_db
def test_an_email_the_broker_lost_is_sent_by_the_sweep(
    monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from citizens.services.mail import queue_due_emails
    from citizens.tasks import send_emails as send_emails_task

    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(send_emails_task, "apply_async", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            (email,) = queue_email(message=_message())  # the request still succeeds
    assert mailoutbox == []

    assert queue_due_emails() == 0  # not due yet: a worker may still be on it
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_due_emails() == 1

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert len(mailoutbox) == 1
    assert queue_due_emails() == 0


@pytest.mark.django_db
def test_the_sweep_leaves_sent_and_failed_emails_alone(mailoutbox):
    from citizens.services.mail import queue_due_emails

    (sent,) = queue_email(message=_message())
    (failed,) = queue_email(message=_message())
    OutgoingEmail.objects.filter(pk=sent.pk).update(status="sent", next_attempt_at=timezone.now())
    OutgoingEmail.objects.filter(pk=failed.pk).update(
        status="failed", next_attempt_at=timezone.now()
    )

    assert queue_due_emails() == 0
