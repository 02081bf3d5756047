"""The calendar files parse with the icalendar library and say what calendar programs need."""

import datetime
import re
import zoneinfo
from email import message_from_bytes
from email.policy import default

import pytest
from icalendar import Calendar

from citizens.services.mail import email_message
from initiatives import emails
from initiatives.services import meetings
from initiatives.tokens import invitation_for_token

from .factories import MeetingFactory, coordinator, diplomat, invitation

pytestmark = pytest.mark.django_db
TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


@pytest.fixture
def invited():
    organiser = coordinator(first_name="Neda", last_name="Moradi")
    meeting = MeetingFactory(
        initiative__coordinator=organiser,
        title="Crafts board",
        starts_at=datetime.datetime(2030, 3, 5, 10, 0, tzinfo=TEHRAN),
        ends_at=datetime.datetime(2030, 3, 5, 12, 0, tzinfo=TEHRAN),
    )
    person = diplomat("reza@example.org", first_name="Reza", last_name="Karimi")
    return invitation(meeting, person, state="pending")


def calendar_of(invitation):
    message = email_message(emails.MeetingMail(invitation.meeting).message(invitation))
    parsed = message_from_bytes(message.message().as_bytes(), policy=default)
    (part,) = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    return part, Calendar.from_ical(part.get_content())


def details(meeting):
    return {
        name: getattr(meeting, name)
        for name in (
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "timezone",
            "place",
            "online_link",
            "agenda",
            "capacity",
        )
    }


def test_the_invitation_carries_a_request_with_uid_sequence_zone_organizer_and_attendee(invited):
    part, calendar = calendar_of(invited)
    (event,) = calendar.events

    assert part.get_param("method") == "REQUEST"
    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == invited.meeting.uid
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].params["TZID"] == "Asia/Tehran"
    assert event["DTSTART"].dt == datetime.datetime(2030, 3, 5, 10, 0, tzinfo=TEHRAN)
    assert event["DTEND"].dt == datetime.datetime(2030, 3, 5, 12, 0, tzinfo=TEHRAN)
    assert str(event["ORGANIZER"]) == "mailto:neda@example.org"
    assert event["ORGANIZER"].params["CN"] == "Neda Moradi"
    assert str(event["ATTENDEE"]) == "mailto:reza@example.org"
    assert event["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"
    assert event["ATTENDEE"].params["RSVP"] == "TRUE"
    assert event["SUMMARY"] == "Crafts board"
    assert [zone["TZID"] for zone in calendar.timezones] == ["Asia/Tehran"]


def test_the_uid_stays_and_the_sequence_grows_when_the_meeting_moves(invited):
    meeting = invited.meeting
    _part, before = calendar_of(invited)
    changed = {**details(meeting), "starts_at": meeting.starts_at + datetime.timedelta(hours=1)}

    meetings.update_meeting(meeting=meeting, actor=meeting.initiative.coordinator, details=changed)

    invited.refresh_from_db()
    _part, after = calendar_of(invited)
    assert after.events[0]["UID"] == before.events[0]["UID"]
    assert after.events[0]["SEQUENCE"] == before.events[0]["SEQUENCE"] + 1
    assert after.events[0]["DTSTART"].dt.hour == 11


def test_changing_only_the_agenda_sends_an_update_with_a_higher_sequence(invited):
    meeting = invited.meeting

    meetings.update_meeting(
        meeting=meeting,
        actor=meeting.initiative.coordinator,
        details={**details(meeting), "agenda": "1. Only the exchange"},
    )

    meeting.refresh_from_db()
    assert meeting.sequence == 1


def test_cancelling_sends_method_cancel_with_a_higher_sequence(invited):
    meeting = invited.meeting

    meetings.cancel_meeting(meeting=meeting, actor=meeting.initiative.coordinator)

    invited.refresh_from_db()
    part, calendar = calendar_of(invited)
    (event,) = calendar.events
    assert part.get_param("method") == "CANCEL"
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert event["UID"] == meeting.uid


def test_the_email_has_text_html_and_the_calendar_file_in_the_invitees_language(
    invited,
):
    person = invited.invitee
    person.preferred_language = "fa"
    person.save()

    message = email_message(emails.MeetingMail(invited.meeting).message(invited))
    parsed = message_from_bytes(message.message().as_bytes(), policy=default)

    types = [part.get_content_type() for part in parsed.walk()]
    assert types == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    text = parsed.get_body(("plain",)).get_content()
    assert "دعوت" in parsed["Subject"]
    assert "۱۴۰۸" in text  # the Solar Hijri year of March 2030, in Persian digits
    # The token carries the second it was signed in: the link is checked by what it opens.
    accept = re.search(r"/rsvp/([^/\s]+)/\?answer=accept", text)
    assert accept and invitation_for_token(accept.group(1)) == invited
