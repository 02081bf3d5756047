"""Delivering invitations in chunks: once each, retried when the server is busy, given up
for an address refused for good, swept up when the broker lost the task."""

import itertools
import signal
import smtplib
import threading
import time
from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from initiatives.models import Invitation
from initiatives.services import invitations, meetings
from initiatives.tasks import send_meeting_invitations

from .factories import MeetingFactory, invitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def owed():
    """A meeting with five invitations stored and not yet sent."""
    meeting = MeetingFactory()
    due = timezone.now() + timedelta(minutes=2)
    return meeting, [invitation(meeting, state="pending", delivery_due_at=due) for _ in range(5)]


def ids(rows):
    return [row.pk for row in rows]


def test_a_chunk_is_sent_over_the_connections_set_and_marked_sent_in_bulk(
    owed, mailoutbox, monkeypatch, settings
):
    meeting, rows = owed
    settings.INVITATION_SMTP_CONNECTIONS = 2
    opened, sent_over = [], []
    original_open, original_send = EmailBackend.open, EmailBackend.send_messages
    monkeypatch.setattr(
        EmailBackend, "open", lambda self: opened.append(self) or original_open(self)
    )
    monkeypatch.setattr(
        EmailBackend,
        "send_messages",
        lambda self, messages: sent_over.append(self) or original_send(self, messages),
    )

    invitations.deliver_invitation_chunk(meeting_id=meeting.pk, invitation_ids=ids(rows))

    assert len(opened) == 2
    assert {id(connection) for connection in sent_over} <= {id(c) for c in opened}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(r.invitee.email for r in rows)
    for row in Invitation.objects.filter(meeting=meeting):
        assert row.state == "sent"
        assert row.sent_at is not None
        assert row.sequence_sent == 0
        assert row.delivery_due_at is None


def test_a_chunk_delivered_twice_sends_each_email_once(owed, mailoutbox):
    meeting, rows = owed

    invitations.deliver_invitation_chunk(meeting_id=meeting.pk, invitation_ids=ids(rows))
    invitations.deliver_invitation_chunk(meeting_id=meeting.pk, invitation_ids=ids(rows))

    assert len(mailoutbox) == 5


def test_the_fan_out_splits_the_invitations_into_chunks(
    owed, mailoutbox, settings, monkeypatch, django_capture_on_commit_callbacks
):
    meeting, _rows = owed
    settings.INVITATION_CHUNK_SIZE = 2
    chunks = []
    original = invitations.deliver_invitation_chunk
    monkeypatch.setattr(
        invitations,
        "deliver_invitation_chunk",
        lambda **kwargs: chunks.append(kwargs["invitation_ids"]) or original(**kwargs),
    )

    with django_capture_on_commit_callbacks(execute=True):
        send_meeting_invitations.delay(meeting.pk)

    assert [len(chunk) for chunk in chunks] == [2, 2, 1]
    assert len(mailoutbox) == 5


def test_a_temporary_failure_keeps_what_was_sent_and_retries_the_rest_later(
    owed, mailoutbox, monkeypatch
):
    meeting, rows = owed
    original = EmailBackend.send_messages
    one_at_a_time = threading.Lock()  # the connections send side by side

    def busy_after_two(self, messages):
        with one_at_a_time:
            if len(mailoutbox) >= 2:
                raise smtplib.SMTPResponseException(451, b"Try again later")
            return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", busy_after_two)

    retry_in = invitations.deliver_invitation_chunk(meeting_id=meeting.pk, invitation_ids=ids(rows))

    assert retry_in and retry_in > 0
    rows = list(Invitation.objects.filter(meeting=meeting).order_by("state"))
    assert [row.state for row in rows] == ["pending", "pending", "pending", "sent", "sent"]
    assert all(row.attempts == 1 and "451" in row.last_error for row in rows[:3])
    assert all(row.delivery_due_at > timezone.now() for row in rows[:3])

    monkeypatch.setattr(EmailBackend, "send_messages", original)
    assert (
        invitations.deliver_invitation_chunk(meeting_id=meeting.pk, invitation_ids=ids(rows))
        is None
    )
    assert len(mailoutbox) == 5


def test_an_address_refused_for_good_marks_only_that_invitation_failed(
    owed, mailoutbox, monkeypatch
):
    meeting, rows = owed
    refused = rows[1].invitee.email
    original = EmailBackend.send_messages

    def refuse_one(self, messages):
        if messages[0].to == [refused]:
            raise smtplib.SMTPRecipientsRefused({refused: (550, b"No such user")})
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_one)

    assert (
        invitations.deliver_invitation_chunk(meeting_id=meeting.pk, invitation_ids=ids(rows))
        is None
    )

    states = dict(Invitation.objects.values_list("invitee__email", "state"))
    assert states.pop(refused) == "failed"
    assert set(states.values()) == {"sent"}
    assert len(mailoutbox) == 4


def test_the_sweep_queues_again_what_no_worker_sent_in_time(
    owed, mailoutbox, django_capture_on_commit_callbacks
):
    meeting, rows = owed
    Invitation.objects.filter(pk=rows[0].pk).update(
        delivery_due_at=timezone.now() - timedelta(minutes=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        queued = invitations.queue_due_invitations()

    assert queued == 1
    assert [m.to[0] for m in mailoutbox] == [rows[0].invitee.email]


def test_an_update_goes_to_those_already_sent_with_the_new_sequence(mailoutbox):
    meeting = MeetingFactory()
    reached = invitation(meeting, state="accepted")
    from .test_ical import details

    meetings.update_meeting(
        meeting=meeting,
        actor=meeting.initiative.coordinator,
        details={**details(meeting), "place": "Chehel Sotoun garden"},
    )
    invitations.deliver_invitation_chunk(meeting_id=meeting.pk, invitation_ids=[reached.pk])

    reached.refresh_from_db()
    assert reached.sequence_sent == 1
    assert reached.state == "accepted"  # the answer stays
    (message,) = mailoutbox
    assert message.subject.startswith("Updated:")
    assert "Chehel Sotoun garden" in message.body


def test_cancelling_sends_to_those_reached_and_nothing_to_those_never_sent(mailoutbox):
    meeting = MeetingFactory()
    reached = invitation(meeting, state="accepted")
    never_sent = invitation(meeting, state="pending", delivery_due_at=timezone.now())

    meetings.cancel_meeting(meeting=meeting, actor=meeting.initiative.coordinator)
    invitations.deliver_invitation_chunk(
        meeting_id=meeting.pk, invitation_ids=[reached.pk, never_sent.pk]
    )

    (message,) = mailoutbox
    assert message.to == [reached.invitee.email]
    assert message.subject.startswith("Cancelled:")


def _deliver_under_a_time_limit(monkeypatch, meeting, rows, send_messages):
    """Deliver the chunk with `send_messages` in the mail backend's place; a SIGALRM it asks
    for (signal.setitimer) interrupts the task as Celery's soft time limit does."""

    def time_limit(signum, frame):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    previous = signal.signal(signal.SIGALRM, time_limit)
    try:
        return invitations.deliver_invitation_chunk(meeting_id=meeting.pk, invitation_ids=ids(rows))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_time_limit_as_the_last_email_goes_out_leaves_nothing_to_retry(
    owed, mailoutbox, monkeypatch, settings
):
    meeting, rows = owed
    settings.INVITATION_SMTP_CONNECTIONS = 2
    original = EmailBackend.send_messages
    calls = itertools.count()

    def limit_on_the_last(self, messages):
        if next(calls) == len(rows) - 1:
            signal.setitimer(signal.ITIMER_REAL, 0.05)
            time.sleep(0.3)
        return original(self, messages)

    retry_in = _deliver_under_a_time_limit(monkeypatch, meeting, rows, limit_on_the_last)

    assert retry_in is None
    assert len(mailoutbox) == 5
    assert set(Invitation.objects.filter(meeting=meeting).values_list("state", flat=True)) == {
        "sent"
    }


def test_a_chunk_cut_short_by_the_time_limit_records_every_email_that_went_out(
    owed, mailoutbox, monkeypatch, settings
):
    meeting, rows = owed
    settings.INVITATION_SMTP_CONNECTIONS = 2
    original = EmailBackend.send_messages
    calls = itertools.count()

    def slow_after_two(self, messages):
        if next(calls) >= 2:
            # The limit strikes while these are on their way; the first connection's last
            # message is the last to arrive.
            signal.setitimer(signal.ITIMER_REAL, 0.1)
            time.sleep(0.8 if threading.current_thread().name.endswith("-0") else 0.4)
        return original(self, messages)

    retry_in = _deliver_under_a_time_limit(monkeypatch, meeting, rows, slow_after_two)
    # Anything still sending has its say. (Not join(): an interrupted join may have marked a
    # sender that is still running as stopped.)
    while any(thread.name.startswith("invitations-") for thread in threading.enumerate()):
        time.sleep(0.05)

    states = list(Invitation.objects.filter(meeting=meeting).values_list("state", "last_error"))
    assert sum(state == "sent" for state, _error in states) == len(mailoutbox) < 5
    assert all("SoftTimeLimitExceeded" in error for state, error in states if state == "pending")
    assert retry_in and retry_in > 0
