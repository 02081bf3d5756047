"""Answers sent by calendar programs (iMIP REPLY, RFC 6047) to the portal's reply mailbox, read
from a real Maildir: each counts exactly as the RSVP link would, and everything else is kept
for staff without changing anything.

The samples in calendar_replies/ are written after RFC 6047 and what Google Calendar, Outlook
(Exchange) and Apple Calendar send: Google's answer inline and again as invite.ics, Outlook's
base64 with its X-MICROSOFT-CDO properties and a COMMENT, Apple's quoted-printable attachment
with a Persian name and comment, Outlook's METHOD:COUNTER. They answer the meeting whose UID is
UID below, invited to the addresses below.
"""

import mailbox
import shutil
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from citizens.models import Notification
from citizens.services.mail import email_message
from initiatives.emails import MeetingMail
from initiatives.models import CalendarReply, Invitation
from initiatives.services import calendar_replies
from tests.helpers import wait_for
from tests.processes import service_env, start_beat, start_worker

from .factories import MeetingFactory, coordinator, diplomat, invitation

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "calendar_replies"
UID = "meeting-3f2b9c1e-0d4a-4f4e-9a51-6d2f1c0b7e21"
SARA, REZA, MARYAM = (
    "sara.ahmadi@example.org",
    "reza.karimi@example.net",
    "maryam.rahimi@example.com",
)
Outcome = CalendarReply.Outcome


@pytest.fixture
def maildir(tmp_path, settings):
    settings.CALENDAR_REPLY_MAILDIR = str(tmp_path / "replies")
    return mailbox.Maildir(settings.CALENDAR_REPLY_MAILDIR, factory=None, create=True)


@pytest.fixture
def meeting():
    return MeetingFactory(
        uid=UID,
        title="Board meeting",
        initiative__coordinator=coordinator("neda@example.org", first_name="Neda"),
    )


@pytest.fixture
def invited(meeting):
    return {
        email: invitation(meeting, diplomat(email), sequence_sent=0)
        for email in (SARA, REZA, MARYAM)
    }


def _arrives(maildir, *names):
    for name in names:
        maildir.add((SAMPLES / name).read_bytes())


def _state(invitation):
    invitation.refresh_from_db()
    return invitation.state


def test_an_accept_pressed_in_google_calendar_is_recorded_as_the_rsvp_link_would(maildir, invited):
    _arrives(maildir, "google_accepted.eml")

    assert calendar_replies.read_maildir() == 1

    assert _state(invited[SARA]) == Invitation.State.ACCEPTED
    reply = CalendarReply.objects.get()
    assert (reply.outcome, reply.invitation, reply.method) == (
        Outcome.APPLIED,
        invited[SARA],
        "REPLY",
    )
    assert len(maildir) == 0  # read once, then gone from the mailbox


def test_a_decline_from_outlook_keeps_its_comment(maildir, invited):
    _arrives(maildir, "outlook_declined.eml")

    calendar_replies.read_maildir()

    assert _state(invited[REZA]) == Invitation.State.DECLINED
    assert CalendarReply.objects.get().comment == "I am travelling that week, sorry.\n"


def test_a_maybe_from_apple_calendar_keeps_its_persian_comment(maildir, invited):
    _arrives(maildir, "apple_tentative.eml")

    calendar_replies.read_maildir()

    assert _state(invited[MARYAM]) == Invitation.State.TENTATIVE
    assert CalendarReply.objects.get().comment == "احتمالاً کمی دیرتر می‌رسم."


def test_an_accept_for_a_full_meeting_joins_the_waiting_list_and_is_told(maildir, meeting, invited):
    meeting.capacity = 1
    meeting.save(update_fields=["capacity"])
    invited[REZA].state = Invitation.State.ACCEPTED
    invited[REZA].save(update_fields=["state"])
    _arrives(maildir, "google_accepted.eml")

    calendar_replies.read_maildir()

    assert _state(invited[SARA]) == Invitation.State.WAITLISTED
    assert _state(invited[REZA]) == Invitation.State.ACCEPTED


def test_a_seat_given_up_from_outlook_goes_to_the_first_one_waiting(maildir, meeting, invited):
    meeting.capacity = 1
    meeting.save(update_fields=["capacity"])
    invited[REZA].state = Invitation.State.ACCEPTED
    invited[REZA].save(update_fields=["state"])
    invited[SARA].state, invited[SARA].waitlisted_at = Invitation.State.WAITLISTED, timezone.now()
    invited[SARA].save(update_fields=["state", "waitlisted_at"])
    _arrives(maildir, "outlook_declined.eml")

    calendar_replies.read_maildir()

    assert _state(invited[SARA]) == Invitation.State.ACCEPTED
    assert Notification.objects.filter(
        recipient=invited[SARA].invitee, kind=Notification.Kind.WAITLIST_PROMOTED
    ).exists()


def test_the_same_answer_delivered_twice_is_recorded_and_counted_once(maildir, invited):
    _arrives(maildir, "google_accepted.eml", "google_accepted.eml")

    assert calendar_replies.read_maildir() == 2

    assert CalendarReply.objects.count() == 1
    assert _state(invited[SARA]) == Invitation.State.ACCEPTED
    assert len(maildir) == 0


@pytest.mark.parametrize(
    ("sample", "outcome"),
    [
        ("forged_accepted.eml", Outcome.FORGED),
        ("outlook_counter.eml", Outcome.COUNTER),
        ("malformed.eml", Outcome.MALFORMED),
        ("plain_answer.eml", Outcome.NOT_A_REPLY),
    ],
)
def test_answers_that_cannot_count_change_nothing_and_are_kept_for_staff(
    maildir, invited, sample, outcome
):
    _arrives(maildir, sample)

    calendar_replies.read_maildir()

    assert {_state(i) for i in invited.values()} == {Invitation.State.SENT}
    reply = CalendarReply.objects.get()
    assert reply.outcome == outcome
    assert reply.raw  # the message as received, for staff to read


def test_a_counter_proposal_names_the_time_proposed(maildir, invited):
    _arrives(maildir, "outlook_counter.eml")

    calendar_replies.read_maildir()

    reply = CalendarReply.objects.get()
    assert "2026-12-16T14:00:00" in reply.detail
    assert reply.invitation == invited[REZA]


def test_an_answer_from_someone_not_invited_changes_nothing(maildir, meeting):
    other = invitation(meeting, diplomat("someone.else@example.org"))
    _arrives(maildir, "google_accepted.eml")

    calendar_replies.read_maildir()

    assert CalendarReply.objects.get().outcome == Outcome.STRANGER
    assert _state(other) == Invitation.State.SENT


def test_an_answer_for_a_meeting_the_portal_does_not_know_changes_nothing(maildir, db):
    _arrives(maildir, "google_accepted.eml")

    calendar_replies.read_maildir()

    assert CalendarReply.objects.get().outcome == Outcome.UNKNOWN_MEETING


def test_an_answer_for_a_cancelled_meeting_is_refused(maildir, meeting, invited):
    meeting.status = meeting.Status.CANCELLED
    meeting.save(update_fields=["status"])
    _arrives(maildir, "google_accepted.eml")

    calendar_replies.read_maildir()

    reply = CalendarReply.objects.get()
    assert reply.outcome == Outcome.REFUSED
    assert _state(invited[SARA]) == Invitation.State.SENT


def test_an_answer_to_the_meetings_earlier_time_does_not_confirm_the_new_one(
    maildir, meeting, invited
):
    meeting.sequence = 1  # moved since the invitation the sample answers (SEQUENCE:0)
    meeting.save(update_fields=["sequence"])
    _arrives(maildir, "google_accepted.eml")

    calendar_replies.read_maildir()

    assert CalendarReply.objects.get().outcome == Outcome.OUTDATED
    assert _state(invited[SARA]) == Invitation.State.SENT


def test_an_answer_dropped_by_the_local_command_is_read_and_applied(maildir, invited):
    call_command("drop_calendar_reply", SARA, str(invited[SARA].meeting_id), "declined")

    calendar_replies.read_maildir()

    assert _state(invited[SARA]) == Invitation.State.DECLINED


def test_without_a_reply_maildir_nothing_is_read(settings):
    settings.CALENDAR_REPLY_MAILDIR = ""

    assert calendar_replies.read_maildir() == 0


def test_invitations_name_the_reply_address_as_organizer_and_come_from_it(
    settings, meeting, invited
):
    settings.CALENDAR_REPLY_ADDRESS = "meetings@portal.example"
    settings.DEFAULT_FROM_EMAIL = "Citizen Diplomat Portal <no-reply@portal.example>"

    outgoing = MeetingMail(meeting).message(invited[SARA])
    sent = message_from_bytes(email_message(outgoing).message().as_bytes())

    event = Calendar.from_ical(outgoing.calendar).walk("VEVENT")[0]
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:meetings@portal.example"
    assert organizer.params["CN"] == meeting.initiative.coordinator.get_full_name()
    assert sent["From"] == "Citizen Diplomat Portal <meetings@portal.example>"
    assert outgoing.reply_to == "meetings@portal.example"


@pytest.mark.worker
def test_beat_and_a_real_worker_apply_an_answer_dropped_into_the_mailbox(
    transactional_db, celery_app_on_broker, smtp_server, tmp_path
):
    invited = {
        email: invitation(MeetingFactory(uid=UID), diplomat(email), sequence_sent=0)
        for email in (MARYAM,)
    }
    folder = tmp_path / "replies"
    env = service_env(
        CALENDAR_REPLY_MAILDIR=folder,
        CALENDAR_REPLY_INTERVAL_SECONDS="0.5",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}",
    )
    worker = start_worker(env, tmp_path)
    beat = start_beat(env, tmp_path)
    try:
        box = mailbox.Maildir(folder, factory=None, create=True)
        box.add((SAMPLES / "apple_tentative.eml").read_bytes())
        # The same file again, as a mail server redelivering it would leave it.
        shutil.copy(SAMPLES / "apple_tentative.eml", folder / "new" / f"{time.time()}.again")
        wait_for(lambda: len(box) == 0, timeout=30)
    finally:
        beat.stop()
        worker.stop()

    assert _state(invited[MARYAM]) == Invitation.State.TENTATIVE
    assert CalendarReply.objects.get().outcome == Outcome.APPLIED
