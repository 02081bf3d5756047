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
    """Who runs the meeting: the initiative's coordinator, else whoever scheduled it, else the
    portal. With a calendar reply address configured, that address is the organizer (calendar
    programs send their answers to it, and the portal reads them) under the person's name."""
    person = (meeting.initiative.coordinator if meeting.initiative_id else None) or (
        meeting.organiser
    )
    portal_name, portal_email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    name = person.display_name if person is not None else portal_name
    if settings.CALENDAR_REPLY_ADDRESS:
        return _address(settings.CALENDAR_REPLY_ADDRESS, name)
    return _address(person.email if person is not None else portal_email, name)


def meeting_url(meeting: Meeting) -> str:
    return f"{settings.SITE_URL}{meeting.get_absolute_url()}"


def meeting_event(meeting: Meeting, *, status: str = "", page_url: str = "") -> Event:
    """The meeting as a calendar event. With `page_url` (a public feed) it names no person and
    links to that public page, as the meeting's own page is for its invitees only."""
    # Times are written in the meeting's own zone (with its VTIMEZONE), as people planned it.
    zone = meeting.zone
    url = page_url or meeting_url(meeting)
    description = "\n\n".join(part for part in (meeting.agenda, url) if part)
    return Event.new(
        uid=meeting.uid,
        summary=meeting.title,
        start=meeting.starts_at.astimezone(zone),
        end=meeting.ends_at.astimezone(zone),
        # In a published feed (no METHOD) DTSTAMP is when the entry last changed (RFC 5545,
        # 3.8.7.2): a public feed's bytes, and so its ETag, stay until a meeting changes.
        stamp=meeting.updated_at if page_url else timezone.now(),
        sequence=meeting.sequence,
        location=meeting.place or meeting.online_link or None,
        description=description,
        url=url,
        organizer=None if page_url else organizer(meeting),
        status=status or ("CANCELLED" if meeting.is_cancelled else "CONFIRMED"),
    )


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
    attendee = _attendee(invitation, rsvp=not meeting.is_cancelled)
    return head + attendee.to_ical() + b"\r\n" + tail


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


def _attendee(invitation: Invitation, *, rsvp: bool) -> Contentline:
    person = invitation.invitee
    address = _address(person.email, person.display_name)
    address.params["ROLE"] = "REQ-PARTICIPANT"
    address.params["PARTSTAT"] = PARTSTAT.get(invitation.state, "NEEDS-ACTION")
    # A cancellation asks for no answer: calendar programs otherwise offer to reply to it.
    address.params["RSVP"] = "TRUE" if rsvp else "FALSE"
    return Contentline.from_parts("ATTENDEE", address.params, address)


def feed_calendar(meetings: Iterable[Meeting], *, name: str) -> bytes:
    """A person's subscribable calendar (no METHOD: it publishes, it does not invite); each
    meeting carries `my_state`, the person's answer: a place on the waiting list is not yet a
    seat, so it shows as TENTATIVE."""
    events = []
    for meeting in meetings:
        waiting = getattr(meeting, "my_state", "") == Invitation.State.WAITLISTED
        status = "TENTATIVE" if waiting and not meeting.is_cancelled else ""
        events.append(meeting_event(meeting, status=status))
    return _named(_calendar(events), name)


def public_feed_calendar(meetings: Iterable[Meeting], *, name: str, page_url: str) -> bytes:
    """The public meetings of an initiative or a city, for anyone to subscribe to: no
    organizer, no attendee, links to the public page."""
    return _named(_calendar([meeting_event(m, page_url=page_url) for m in meetings]), name)


def _named(calendar: Calendar, name: str) -> bytes:
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    return calendar.to_ical()
