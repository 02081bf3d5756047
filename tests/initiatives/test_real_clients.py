"""Every kind of calendar file the portal writes (an invitation, an update, a cancellation, the
personal feed, the public feeds) is read by khal, a real calendar client from Debian, and the
icalendar library checks the details each kind must carry: METHOD, SEQUENCE, UID, RSVP and the
time zone."""

import datetime
import shutil
import subprocess
import zoneinfo

import pytest
from icalendar import Calendar

from citizens.services.mail import email_message
from initiatives import emails
from initiatives.models import Meeting
from initiatives.services import feeds, meetings
from tests.conftest import IN_CI
from tests.factories import SisterCityFactory

from .factories import InitiativeFactory, MeetingFactory, coordinator, diplomat, invitation
from .test_emails import parsed
from .test_ical import details

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not shutil.which("khal") and not IN_CI, reason="khal is not installed (CI requires it)"
    ),
]
TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
START = datetime.datetime(2030, 3, 5, 10, 0, tzinfo=TEHRAN)


@pytest.fixture
def khal(tmp_path):
    """Have khal print the events of a calendar file; its output, or a failed test."""
    (tmp_path / "calendar").mkdir()
    config = tmp_path / "config"
    config.write_text(
        f"[calendars]\n[[portal]]\npath = {tmp_path / 'calendar'}\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        "default_timezone = Asia/Tehran\nlocal_timezone = Asia/Tehran\n"
    )

    def read(content: bytes, name: str) -> str:
        path = tmp_path / f"{name}.ics"
        path.write_bytes(content)
        done = subprocess.run(
            ["khal", "-c", str(config), "printics", "--format", "{title}|{start}", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert "critical" not in done.stderr.lower(), done.stderr
        return done.stdout

    return read


@pytest.fixture
def world():
    city = SisterCityFactory(name_en="Florence", name_fa="فلورانس", slug="florence")
    organiser = coordinator("neda@example.org", first_name="Neda", last_name="Moradi")
    crafts = InitiativeFactory(slug="crafts", coordinator=organiser, cities=[city])
    meeting = MeetingFactory(
        initiative=crafts,
        kind=Meeting.Kind.PUBLIC_EVENT,
        title="نمایشگاه صنایع دستی",
        starts_at=START,
        ends_at=START + datetime.timedelta(hours=2),
    )
    person = diplomat("reza@example.org", first_name="Reza", last_name="Karimi")
    return meeting, invitation(meeting, person, state="pending")


def calendar_file(invited) -> bytes:
    invited.refresh_from_db()
    invited.meeting.refresh_from_db()
    message = parsed(email_message(emails.MeetingMail(invited.meeting).message(invited)))
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return part.get_content().encode()


def check_zone(calendar: Calendar) -> None:
    (event,) = calendar.events
    assert [zone["TZID"] for zone in calendar.timezones] == ["Asia/Tehran"]
    assert event["DTSTART"].params["TZID"] == "Asia/Tehran"
    assert event["DTSTART"].dt == event["DTSTART"].dt.astimezone(TEHRAN)


def test_the_invitation_is_read_by_khal_and_asks_for_an_answer(world, khal):
    meeting, invited = world

    content = calendar_file(invited)

    assert "1 events found" in khal(content, "invitation")
    assert "نمایشگاه صنایع دستی|2030-03-05 10:00" in khal(content, "invitation")
    calendar = Calendar.from_ical(content)
    (event,) = calendar.events
    assert calendar["METHOD"] == "REQUEST"
    assert (event["UID"], event["SEQUENCE"]) == (meeting.uid, 0)
    assert event["ATTENDEE"].params["RSVP"] == "TRUE"
    check_zone(calendar)


def test_the_update_is_read_by_khal_with_the_same_uid_and_a_higher_sequence(world, khal):
    meeting, invited = world
    invited.sent_at = START - datetime.timedelta(days=30)
    invited.save()
    moved = {**details(meeting), "starts_at": START + datetime.timedelta(hours=1)}
    moved["ends_at"] = moved["starts_at"] + datetime.timedelta(hours=2)

    meetings.update_meeting(meeting=meeting, actor=meeting.initiative.coordinator, details=moved)

    content = calendar_file(invited)
    assert "نمایشگاه صنایع دستی|2030-03-05 11:00" in khal(content, "update")
    calendar = Calendar.from_ical(content)
    (event,) = calendar.events
    assert calendar["METHOD"] == "REQUEST"
    assert (event["UID"], event["SEQUENCE"]) == (meeting.uid, 1)
    assert event["ATTENDEE"].params["RSVP"] == "TRUE"
    check_zone(calendar)


def test_the_cancellation_is_read_by_khal_and_asks_for_no_answer(world, khal):
    meeting, invited = world
    invited.sent_at = START - datetime.timedelta(days=30)
    invited.save()

    meetings.cancel_meeting(meeting=meeting, actor=meeting.initiative.coordinator)

    content = calendar_file(invited)
    assert "1 events found" in khal(content, "cancellation")
    calendar = Calendar.from_ical(content)
    (event,) = calendar.events
    assert calendar["METHOD"] == "CANCEL"
    assert (event["UID"], event["SEQUENCE"], event["STATUS"]) == (meeting.uid, 1, "CANCELLED")
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"
    check_zone(calendar)


def test_the_personal_feed_is_read_by_khal_and_invites_nobody(world, khal, client):
    meeting, invited = world
    token = feeds.reset_calendar_feed(user=invited.invitee).token

    content = client.get(f"/calendar/{token}.ics").content

    assert "1 events found" in khal(content, "personal")
    calendar = Calendar.from_ical(content)
    (event,) = calendar.events
    assert "METHOD" not in calendar
    assert (event["UID"], event["SEQUENCE"]) == (meeting.uid, 0)
    assert "ATTENDEE" not in event
    check_zone(calendar)


@pytest.mark.parametrize(
    "url", ["/initiatives/crafts/meetings.ics", "/cities/florence/meetings.ics"]
)
def test_the_public_feeds_are_read_by_khal_and_name_nobody(world, khal, client, url):
    meeting, _invited = world

    content = client.get(url).content

    assert "نمایشگاه صنایع دستی|2030-03-05 10:00" in khal(content, "public")
    calendar = Calendar.from_ical(content)
    (event,) = calendar.events
    assert "METHOD" not in calendar
    assert (event["UID"], event["SEQUENCE"]) == (meeting.uid, 0)
    assert "ATTENDEE" not in event and "ORGANIZER" not in event
    check_zone(calendar)
