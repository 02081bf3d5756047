"""Calendar details found when the invitations were checked with real calendar programs and
mail servers (issue 25): what a cancellation asks, how the bytes travel, which changes reach the
calendar and how, what a move asks of those who accepted, what the personal feed shows, and
that a place on a waiting list is told at once."""

import datetime
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from citizens.models import Notification, OutgoingEmail
from citizens.services import mail
from initiatives.models import Invitation, Meeting
from initiatives.services import feeds, invitations, meetings

from .factories import MeetingFactory, diplomat, invitation
from .test_emails import parsed, parts, written
from .test_ical import TEHRAN, calendar_of, details

pytestmark = pytest.mark.django_db


def kinds(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def queued_to(person):
    return OutgoingEmail.objects.filter(to=person.email, status=OutgoingEmail.Status.QUEUED)


def change(meeting, **changes):
    meeting.refresh_from_db()
    return meetings.update_meeting(
        meeting=meeting,
        actor=meeting.initiative.coordinator,
        details={**details(meeting), **changes},
    )


# A cancellation


def test_a_cancellation_asks_for_no_answer():
    sent = invitation(MeetingFactory(), state=Invitation.State.ACCEPTED)
    meeting = sent.meeting

    meetings.cancel_meeting(meeting=meeting, actor=meeting.initiative.coordinator)

    sent.refresh_from_db()
    part, calendar = calendar_of(sent)
    (event,) = calendar.events
    assert calendar["METHOD"] == "CANCEL"
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"


def test_an_invitation_and_an_update_still_ask_for_an_answer():
    sent = invitation(MeetingFactory())
    _part, invited = calendar_of(sent)

    change(sent.meeting, place="Chehel Sotoun")

    sent.refresh_from_db()
    _part, updated = calendar_of(sent)
    assert invited.events[0]["ATTENDEE"].params["RSVP"] == "TRUE"
    assert updated.events[0]["ATTENDEE"].params["RSVP"] == "TRUE"


# Non-ASCII text travels in 7-bit lines


@pytest.fixture
def seven_bit_server(settings):
    from tests.smtp import SMTPServer

    server = SMTPServer(eight_bit_mime=False)
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


def test_a_persian_invitation_reaches_a_server_without_8bitmime_as_7_bit_text(seven_bit_server):
    person = diplomat("leila@example.org", first_name="لیلا", last_name="احمدی")
    person.preferred_language = "fa"
    person.save()
    meeting = MeetingFactory(title="نشست صنایع دستی", place="میدان نقش جهان")
    invitations.invite_people(
        meeting=meeting,
        people=type(person).objects.filter(pk=person.pk),
        invited_by=meeting.initiative.coordinator,
    )

    mail.send_emails(email_ids=list(queued_to(person).values_list("pk", flat=True)))

    (raw,) = seven_bit_server.raw_messages
    assert raw.isascii()
    (received,) = seven_bit_server.messages
    leaves = [p for p in received.walk() if not p.is_multipart()]
    assert [p.get_content_type() for p in leaves] == ["text/plain", "text/html", "text/calendar"]
    assert {p["Content-Transfer-Encoding"] for p in leaves} == {"quoted-printable"}
    assert "لیلا" in received.get_body(("plain",)).get_content()
    (event,) = Calendar.from_ical(leaves[2].get_content()).events
    assert event["SUMMARY"] == "نشست صنایع دستی"
    assert event["LOCATION"] == "میدان نقش جهان"


def test_the_notices_too_are_sent_in_7_bit_lines():
    person = diplomat(first_name="رضا")
    person.preferred_language = "fa"
    person.save()
    meeting = MeetingFactory(capacity=1)
    invitations.respond(invitation=invitation(meeting), answer="accept")

    invitations.respond(invitation=invitation(meeting, person), answer="accept")

    (notice,) = queued_to(person)
    raw = mail.email_message(notice).message().as_bytes(linesep="\r\n")
    assert raw.isascii()
    assert "فهرست انتظار" in parsed(mail.email_message(notice)).get_body(("plain",)).get_content()


# The agenda and the place reach the calendar, in one update


def test_a_new_agenda_raises_the_sequence_and_is_the_calendar_entrys_description():
    sent = invitation(MeetingFactory(agenda=""))

    change(sent.meeting, agenda="1. The spring exchange")

    sent.refresh_from_db()
    _part, calendar = calendar_of(sent)
    (event,) = calendar.events
    assert event["SEQUENCE"] == 1
    assert event["DESCRIPTION"].startswith("1. The spring exchange")


def test_edits_in_quick_succession_reach_each_invitee_as_one_update_with_all_of_them(
    settings, mailoutbox
):
    settings.MEETING_UPDATE_DELAY_SECONDS = 120
    sent = invitation(MeetingFactory(agenda="", place="City hall"))
    person = sent.invitee

    change(sent.meeting, agenda="1. The spring exchange")
    change(sent.meeting, place="Chehel Sotoun palace")

    (update,) = queued_to(person)
    assert update.next_attempt_at > timezone.now() + timedelta(seconds=100)
    mail.send_emails(email_ids=[update.pk])
    (message,) = mailoutbox
    found = parts(message)
    (event,) = Calendar.from_ical(found["text/calendar"]).events
    assert event["SEQUENCE"] == 2
    assert event["LOCATION"] == "Chehel Sotoun palace"
    assert event["DESCRIPTION"].startswith("1. The spring exchange")
    assert found["subject"].startswith("Updated:")


def test_a_change_nobody_sees_in_a_calendar_sends_no_update():
    sent = invitation(MeetingFactory(capacity=10))

    change(sent.meeting, capacity=20)

    sent.meeting.refresh_from_db()
    assert sent.meeting.sequence == 0
    assert not queued_to(sent.invitee).exists()


# Moving a meeting


def test_moving_a_meeting_asks_those_who_accepted_to_confirm_and_keeps_their_seat(client):
    meeting = MeetingFactory(capacity=1)
    seated = invitation(meeting, state=Invitation.State.ACCEPTED)
    latecomer = invitation(meeting)

    change(
        meeting,
        starts_at=meeting.starts_at + timedelta(days=1),
        ends_at=meeting.ends_at + timedelta(days=1),
    )

    seated.refresh_from_db()
    assert seated.state == Invitation.State.RECONFIRM
    assert invitations.respond(invitation=latecomer, answer="accept").state == "waitlisted"
    client.force_login(seated.invitee)
    page = client.get(reverse("initiatives:meeting-detail", args=[meeting.pk]))
    assert "Needs re-confirmation" in page.content.decode()
    assert invitations.respond(invitation=seated, answer="accept").state == "accepted"
    assert Invitation.objects.get(pk=latecomer.pk).state == "waitlisted"


def test_the_update_after_a_move_asks_those_who_accepted_to_confirm_the_new_time():
    meeting = MeetingFactory()
    seated = invitation(meeting, state=Invitation.State.ACCEPTED)
    unanswered = invitation(meeting)

    change(
        meeting,
        starts_at=meeting.starts_at + timedelta(hours=2),
        ends_at=meeting.ends_at + timedelta(hours=2),
    )

    meeting.refresh_from_db()
    seated.refresh_from_db()
    unanswered.refresh_from_db()
    asked = parts(written(meeting, seated))
    told = parts(written(meeting, unanswered))
    assert "please confirm that you can still come" in asked["text/plain"]
    assert "please confirm that you can still come" not in told["text/plain"]
    (event,) = Calendar.from_ical(asked["text/calendar"]).events
    assert event["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"
    assert event["ATTENDEE"].params["RSVP"] == "TRUE"


def test_one_who_must_reconfirm_and_declines_gives_the_seat_to_the_first_waiting():
    meeting = MeetingFactory(capacity=1)
    seated = invitation(meeting, state=Invitation.State.ACCEPTED)
    waiting = invitation(meeting)
    invitations.respond(invitation=waiting, answer="accept")
    change(
        meeting,
        starts_at=meeting.starts_at + timedelta(hours=1),
        ends_at=meeting.ends_at + timedelta(hours=1),
    )

    invitations.respond(invitation=Invitation.objects.get(pk=seated.pk), answer="decline")

    assert Invitation.objects.get(pk=waiting.pk).state == "accepted"


def test_moving_a_meeting_reminds_again_before_the_new_time(settings):
    start = (timezone.now() + timedelta(hours=10)).replace(microsecond=0)
    meeting = MeetingFactory(starts_at=start, ends_at=start + timedelta(hours=1))
    seated = invitation(meeting, state=Invitation.State.ACCEPTED)
    assert invitations.send_due_reminders() == 1

    change(meeting, starts_at=start + timedelta(hours=8), ends_at=start + timedelta(hours=9))

    assert Invitation.objects.get(pk=seated.pk).reminder_sent_at is None
    assert invitations.send_due_reminders() == 1
    assert invitations.send_due_reminders() == 0
    reminders = Notification.objects.filter(recipient=seated.invitee, kind="meeting_reminder")
    assert reminders.count() == 2


def test_a_meeting_moved_nowhere_near_its_reminder_is_reminded_when_the_time_comes(settings):
    start = (timezone.now() + timedelta(hours=10)).replace(microsecond=0)
    meeting = MeetingFactory(starts_at=start, ends_at=start + timedelta(hours=1))
    invitation(meeting, state=Invitation.State.ACCEPTED)
    invitations.send_due_reminders()

    change(meeting, starts_at=start + timedelta(days=5), ends_at=start + timedelta(days=5, hours=1))

    assert invitations.send_due_reminders() == 0


# The personal feed


def test_the_personal_feed_marks_waiting_tentative_cancelled_cancelled_and_leaves_out_declined(
    client,
):
    person = diplomat()
    full = MeetingFactory(capacity=1, title="Full")
    invitations.respond(invitation=invitation(full), answer="accept")
    waiting = invitation(full, person)
    invitations.respond(invitation=waiting, answer="accept")
    declined = invitation(MeetingFactory(title="Declined"), person, state="declined")
    cancelled = invitation(MeetingFactory(title="Cancelled"), person, state="accepted")
    meetings.cancel_meeting(
        meeting=cancelled.meeting, actor=cancelled.meeting.initiative.coordinator
    )
    accepted = invitation(MeetingFactory(title="Accepted"), person, state="accepted")
    token = feeds.reset_calendar_feed(user=person).token

    response = client.get(reverse("initiatives:calendar-feed", args=[token]))

    events = {str(e["SUMMARY"]): e for e in Calendar.from_ical(response.content).events}
    assert set(events) == {"Full", "Cancelled", "Accepted"}
    assert declined.meeting.title not in events
    assert events["Full"]["STATUS"] == "TENTATIVE"
    assert events["Cancelled"]["STATUS"] == "CANCELLED"
    assert events["Accepted"]["STATUS"] == "CONFIRMED"
    assert accepted.meeting.uid == events["Accepted"]["UID"]


# The waiting list


def test_being_put_on_a_waiting_list_is_told_at_once_in_the_inbox_and_by_email():
    meeting = MeetingFactory(capacity=1, title="Crafts board")
    invitations.respond(invitation=invitation(meeting), answer="accept")
    late = invitation(meeting)

    invitations.respond(invitation=late, answer="accept")

    assert kinds(late.invitee) == ["waitlisted"]
    (notice,) = queued_to(late.invitee)
    assert "waiting list" in notice.subject
    assert "Crafts board" in notice.subject
    assert "no seat yet" in notice.body_text


def test_asking_again_from_the_waiting_list_tells_nothing_new():
    meeting = MeetingFactory(capacity=1)
    invitations.respond(invitation=invitation(meeting), answer="accept")
    late = invitation(meeting)
    invitations.respond(invitation=late, answer="accept")

    invitations.respond(invitation=late, answer="accept")

    assert kinds(late.invitee) == ["waitlisted"]


def test_the_times_stay_in_the_meetings_zone_after_a_move():
    start = datetime.datetime(2031, 3, 20, 23, 30, tzinfo=TEHRAN)
    sent = invitation(MeetingFactory(starts_at=start, ends_at=start + timedelta(hours=1)))

    change(sent.meeting, starts_at=start + timedelta(hours=1), ends_at=start + timedelta(hours=2))

    sent.refresh_from_db()
    _part, calendar = calendar_of(sent)
    (event,) = calendar.events
    assert event["DTSTART"].params["TZID"] == "Asia/Tehran"
    assert event["DTSTART"].dt == datetime.datetime(2031, 3, 21, 0, 30, tzinfo=TEHRAN)
    assert Meeting.objects.get(pk=sent.meeting_id).sequence == 1
