"""RFC 5545 calendar files: a meeting's invitation (iTIP REQUEST / CANCEL) and feeds."""

import functools
from collections.abc import Iterable
from datetime import date, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress
from icalendar.parser import Contentline

from .models import Invitation, Meeting

PRODID = "-//Citizen Diplomat Portal//Meetings//EN"

PARTSTAT = {
    Invitation.State.ACCEPTED: "ACCEPTED",
    Invitation.State.DECLINED: "DECLINED",
    Invitation.State.TENTATIVE: "TENTATIVE",
}


def _address(email: str, name: str = "") -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    return address


def organizer(meeting: Meeting) -> vCalAddress:
    """The initiative's coordinator, else whoever scheduled it, else the portal's sender."""
    person = (meeting.initiative.coordinator if meeting.initiative_id else None) or (
        meeting.organiser
    )
    if person is not None:
        return _address(person.email, person.display_name)
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return _address(email, name)


def meeting_url(meeting: Meeting) -> str:
    return f"{settings.SITE_URL}{meeting.get_absolute_url()}"


def meeting_event(meeting: Meeting, attendee: Invitation | None = None) -> Event:
    # Times are written in the meeting's own zone (with its VTIMEZONE), as people planned it.
    zone = meeting.zone
    description = "\n\n".join(part for part in (meeting.agenda, meeting_url(meeting)) if part)
    event = Event.new(
        uid=meeting.uid,
        summary=meeting.title,
        start=meeting.starts_at.astimezone(zone),
        end=meeting.ends_at.astimezone(zone),
        stamp=timezone.now(),
        sequence=meeting.sequence,
        location=meeting.place or meeting.online_link or None,
        description=description,
        url=meeting_url(meeting),
        organizer=organizer(meeting),
        status="CANCELLED" if meeting.is_cancelled else "CONFIRMED",
    )
    if attendee is not None:
        person = attendee.invitee
        address = _address(person.email, person.display_name)
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["PARTSTAT"] = PARTSTAT.get(attendee.state, "NEEDS-ACTION")
        address.params["RSVP"] = "TRUE"
        event.add("attendee", address)
    return event


def _calendar(events: list[Event], method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    for event in events:
        calendar.add_component(event)
    if events:
        # VTIMEZONE definitions only for the span the events need, not since 1970.
        first = min(event.start for event in events).date() - timedelta(days=1)
        last = max(event.end for event in events).date() + timedelta(days=1)
        for position, tzid in enumerate(sorted(calendar.get_missing_tzids())):
            calendar.subcomponents.insert(position, _timezone(tzid, first, last))
    return calendar


@functools.lru_cache(maxsize=64)
def _timezone(tzid: str, first: date, last: date) -> Timezone:
    # Working a zone's transitions out takes a tenth of a second; a chunk of invitations to
    # one meeting needs the same definition for each e-mail.
    return Timezone.from_tzid(tzid, first_date=first, last_date=last)


def invitation_calendar(invitation: Invitation, *, meeting: Meeting) -> bytes:
    """The calendar file of one invitee's e-mail: REQUEST, or CANCEL once cancelled."""
    head, tail = _shared_parts(meeting)
    return head + _attendee(invitation).to_ical() + b"\r\n" + tail


def _shared_parts(meeting: Meeting) -> tuple[bytes, bytes]:
    """The calendar without its attendee, split where the attendee goes; kept on the meeting
    object, so a chunk of e-mails to one meeting builds it once (it was most of the cost of
    each e-mail)."""
    parts = getattr(meeting, "_invitation_calendar_parts", None)
    if parts is None:
        method = "CANCEL" if meeting.is_cancelled else "REQUEST"
        whole = _calendar([meeting_event(meeting)], method).to_ical()
        end = whole.rindex(b"END:VEVENT\r\n")
        parts = meeting._invitation_calendar_parts = (whole[:end], whole[end:])
    return parts


def _attendee(invitation: Invitation) -> Contentline:
    person = invitation.invitee
    address = _address(person.email, person.display_name)
    address.params["ROLE"] = "REQ-PARTICIPANT"
    address.params["PARTSTAT"] = PARTSTAT.get(invitation.state, "NEEDS-ACTION")
    address.params["RSVP"] = "TRUE"
    return Contentline.from_parts("ATTENDEE", address.params, address)


def feed_calendar(meetings: Iterable[Meeting], *, name: str) -> bytes:
    """A subscribable calendar of meetings (no METHOD: it publishes, it does not invite)."""
    calendar = _calendar([meeting_event(meeting) for meeting in meetings])
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    return calendar.to_ical()
