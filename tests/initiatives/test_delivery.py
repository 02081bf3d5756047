"""Delivering invitations through the one outbox, in chunks: once each, each recorded as the
server takes it, retried when the server is busy, given up for an address refused for good,
swept up when the broker lost the task."""

import smtplib

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone

from citizens.models import OutgoingEmail, User
from citizens.services import mail
from citizens.services.applications import decide_application
from citizens.tasks import send_emails
from initiatives.models import Invitation
from initiatives.services import invitations, meetings
from tests.factories import application_in, reviewer

from .factories import MeetingFactory, diplomat, invitation
from .test_ical import details

pytestmark = pytest.mark.django_db


def invite(meeting, people: list[User]) -> list[int]:
    """Invite `people` as the coordinator would (nothing is sent: the test sends the chunks);
    the ids of their e-mails in the outbox."""
    invitations.invite_people(
        meeting=meeting,
        people=User.objects.filter(pk__in=[person.pk for person in people]),
        invited_by=meeting.initiative.coordinator,
    )
    return list(
        Invitation.objects.filter(meeting=meeting).order_by("pk").values_list("email_id", flat=True)
    )


@pytest.fixture
def owed():
    """A meeting with five invitees whose invitations wait in the outbox."""
    meeting = MeetingFactory()
    return meeting, invite(meeting, [diplomat() for _ in range(5)])


def test_an_invitation_and_a_notice_both_go_through_the_one_outbox(
    mailoutbox, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()
    application = application_in("submitted")
    with django_capture_on_commit_callbacks(execute=True):
        invite(meeting, [diplomat("reza@example.org")])
        decide_application(application=application, reviewer=reviewer(), decision="approve")

    receipt = application.user.notifications.get(kind="application_received").email_id
    rows = OutgoingEmail.objects.filter(
        to__in=["reza@example.org", application.user.email]
    ).exclude(pk=receipt)
    assert sorted(rows.values_list("to", "status", "calendar_method")) == sorted(
        [("reza@example.org", "sent", "REQUEST"), (application.user.email, "sent", "")]
    )
    assert sorted(m.to[0] for m in mailoutbox if m.to[0] != "reviewer@example.org") == sorted(
        ["reza@example.org", application.user.email]
    )
    assert Invitation.objects.get(meeting=meeting).email.to == "reza@example.org"


def test_an_invitation_rolled_back_with_its_request_sends_nothing(
    mailoutbox, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            invite(meeting, [diplomat()])
            raise RuntimeError("the request failed")

    assert callbacks == []
    assert not Invitation.objects.exists() and not OutgoingEmail.objects.exists()
    assert mailoutbox == []


def test_a_chunk_is_sent_over_one_connection_and_each_email_recorded_as_it_goes(
    owed, mailoutbox, monkeypatch
):
    meeting, ids = owed
    opened, recorded = [], []
    original_open, original_send = EmailBackend.open, EmailBackend.send_messages

    def send(self, messages):
        # What the database holds when the server takes each message: those before, sent.
        recorded.append(OutgoingEmail.objects.filter(pk__in=ids, status="sent").count())
        return original_send(self, messages)

    monkeypatch.setattr(EmailBackend, "open", lambda s: opened.append(s) or original_open(s))
    monkeypatch.setattr(EmailBackend, "send_messages", send)

    assert mail.send_emails(email_ids=ids) is None

    assert len({id(connection) for connection in opened}) == 1
    assert recorded == [0, 1, 2, 3, 4]
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        Invitation.objects.values_list("invitee__email", flat=True)
    )
    for row in Invitation.objects.filter(meeting=meeting):
        assert (row.state, row.sequence_sent, row.email.status) == ("sent", 0, "sent")
        assert row.sent_at is not None


def test_a_chunk_delivered_twice_sends_each_email_once(owed, mailoutbox):
    _meeting, ids = owed

    mail.send_emails(email_ids=ids)
    mail.send_emails(email_ids=ids)

    assert len(mailoutbox) == 5


def test_the_invitations_go_out_in_one_task_per_chunk(
    mailoutbox, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.INVITATION_CHUNK_SIZE = 2
    chunks = []
    original = send_emails.apply_async
    monkeypatch.setattr(
        send_emails, "apply_async", lambda args: chunks.append(args[0]) or original(args=args)
    )
    meeting = MeetingFactory()

    with django_capture_on_commit_callbacks(execute=True):
        invite(meeting, [diplomat() for _ in range(5)])

    assert [len(chunk) for chunk in chunks] == [2, 2, 1]
    assert len(mailoutbox) == 5


def test_a_temporary_failure_keeps_what_was_sent_and_retries_the_rest_later(
    owed, mailoutbox, monkeypatch
):
    meeting, ids = owed
    original = EmailBackend.send_messages

    def busy_after_two(self, messages):
        if len(mailoutbox) >= 2:
            raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (451, b"Try again later")})
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", busy_after_two)

    retry_in = mail.send_emails(email_ids=ids)

    assert retry_in and retry_in > 0
    states = list(Invitation.objects.filter(meeting=meeting).order_by("pk").values_list("state"))
    assert [state for (state,) in states] == ["sent", "sent", "pending", "pending", "pending"]
    waiting = OutgoingEmail.objects.filter(pk__in=ids[2:])
    assert all(e.attempts == 1 and "451" in e.last_error for e in waiting)
    assert all(e.next_attempt_at > timezone.now() for e in waiting)

    monkeypatch.setattr(EmailBackend, "send_messages", original)
    assert mail.send_emails(email_ids=ids) is None
    assert len(mailoutbox) == 5


def test_a_time_limit_mid_chunk_keeps_what_was_sent_and_retries_the_rest(
    owed, mailoutbox, monkeypatch
):
    _meeting, ids = owed
    original = EmailBackend.send_messages

    def limit_after_three(self, messages):
        if len(mailoutbox) >= 3:
            raise SoftTimeLimitExceeded()
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", limit_after_three)

    assert mail.send_emails(email_ids=ids) > 0
    assert OutgoingEmail.objects.filter(pk__in=ids, status="sent").count() == 3
    monkeypatch.setattr(EmailBackend, "send_messages", original)
    mail.send_emails(email_ids=ids)
    assert len(mailoutbox) == 5


def test_an_address_refused_for_good_marks_only_that_invitation_failed(
    owed, mailoutbox, monkeypatch
):
    meeting, ids = owed
    refused = OutgoingEmail.objects.get(pk=ids[1]).to
    original = EmailBackend.send_messages

    def refuse_one(self, messages):
        if messages[0].to == [refused]:
            raise smtplib.SMTPRecipientsRefused({refused: (550, b"No such user")})
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_one)

    assert mail.send_emails(email_ids=ids) is None

    states = dict(Invitation.objects.values_list("invitee__email", "state"))
    assert states.pop(refused) == "failed"
    assert set(states.values()) == {"sent"}
    assert len(mailoutbox) == 4
    assert OutgoingEmail.objects.get(to=refused).status == "failed"


def test_an_invitation_the_broker_lost_is_sent_by_the_sweep(
    owed, mailoutbox, django_capture_on_commit_callbacks
):
    meeting, ids = owed
    OutgoingEmail.objects.filter(pk=ids[0]).update(next_attempt_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        assert mail.queue_due_emails() == 1

    (message,) = mailoutbox
    assert message.to == [OutgoingEmail.objects.get(pk=ids[0]).to]
    assert Invitation.objects.get(email_id=ids[0]).state == "sent"


def test_an_update_goes_to_those_already_sent_with_the_new_sequence(
    mailoutbox, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()
    reached = invitation(meeting, state="accepted")

    with django_capture_on_commit_callbacks(execute=True):
        meetings.update_meeting(
            meeting=meeting,
            actor=meeting.initiative.coordinator,
            details={**details(meeting), "place": "Chehel Sotoun garden"},
        )

    reached.refresh_from_db()
    assert reached.sequence_sent == 1
    assert reached.state == "accepted"  # the answer stays
    (message,) = mailoutbox
    assert message.subject.startswith("Updated:")
    assert "Chehel Sotoun garden" in message.body
    assert "SEQUENCE:1" in reached.email.calendar


def test_an_invitation_still_waiting_when_the_meeting_changes_goes_out_once_as_it_is_now(
    mailoutbox, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()
    (waiting,) = invite(meeting, [diplomat()])

    with django_capture_on_commit_callbacks(execute=True):
        meetings.update_meeting(
            meeting=meeting,
            actor=meeting.initiative.coordinator,
            details={**details(meeting), "place": "Chehel Sotoun garden"},
        )

    (message,) = mailoutbox
    assert message.subject.startswith("Invitation:")
    assert "Chehel Sotoun garden" in message.body
    assert not OutgoingEmail.objects.filter(pk=waiting).exists()
    assert Invitation.objects.get(meeting=meeting).sequence_sent == 1


def test_cancelling_sends_to_those_reached_and_nothing_to_those_never_sent(
    mailoutbox, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()
    reached = invitation(meeting, state="accepted")
    invite(meeting, [diplomat()])  # its invitation still in the outbox

    with django_capture_on_commit_callbacks(execute=True):
        meetings.cancel_meeting(meeting=meeting, actor=meeting.initiative.coordinator)

    (message,) = mailoutbox
    assert message.to == [reached.invitee.email]
    assert message.subject.startswith("Cancelled:")
    reached.refresh_from_db()
    assert reached.email.calendar_method == "CANCEL" and "SEQUENCE:1" in reached.email.calendar


def test_invitations_are_stored_as_addresses_and_written_when_their_chunk_is_sent(owed):
    meeting, ids = owed
    stored = OutgoingEmail.objects.filter(pk__in=ids)
    assert set(stored.values_list("composer", "subject")) == {("meeting", "")}

    mail.send_emails(email_ids=ids)

    assert all(e.subject.startswith("Invitation:") and e.calendar for e in stored)
    assert set(stored.values_list("composer", "calendar_method")) == {("", "REQUEST")}


def test_an_email_about_a_deleted_meeting_is_dropped_not_sent(owed, mailoutbox):
    meeting, ids = owed
    meeting.delete()

    mail.send_emails(email_ids=ids)

    assert mailoutbox == []
    assert not OutgoingEmail.objects.filter(pk__in=ids).exists()
