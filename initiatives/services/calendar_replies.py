"""Answers that come back from calendar programs (iMIP, RFC 6047).

An invitation's ORGANIZER is the portal's calendar reply address (CALENDAR_REPLY_ADDRESS), so
pressing Accept in Gmail, Outlook or Apple Calendar sends a METHOD:REPLY there. Mail for that
address is delivered into a Maildir (CALENDAR_REPLY_MAILDIR: the mail server's own delivery, or
fetchmail/getmail/mbsync from an IMAP mailbox); beat reads it, and each reply is applied exactly
as the RSVP link would apply it (`invitations.respond`: seats, waiting list, notices, feeds).

Every message read is kept as a CalendarReply with what was done with it. A reply that cannot
count (an unknown or cancelled meeting, someone not invited, a sender who is not the invitee,
an answer to an earlier version of the meeting, a counter-proposal, a malformed file) changes
nothing; a message read twice (the same Message-ID) is recorded once and applied once.
"""

import hashlib
import logging
import mailbox
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr

from django.conf import settings
from django.db import IntegrityError, transaction
from icalendar import Calendar

from ..models import CalendarReply, Meeting
from . import InitiativeError
from .invitations import respond

logger = logging.getLogger(__name__)

Outcome = CalendarReply.Outcome

# PARTSTAT of a reply, as the RSVP buttons name the answer.
ANSWERS = {"ACCEPTED": "accept", "DECLINED": "decline", "TENTATIVE": "maybe"}
CALENDAR_TYPES = {"text/calendar", "application/ics"}
# A message kept for staff is cut here: replies are a few kilobytes, anything bigger is not one.
KEPT_CHARACTERS = 200_000


@dataclass
class Reading:
    """What a message says, as far as it could be read."""

    sender: str = ""
    subject: str = ""
    method: str = ""
    uid: str = ""
    attendee: str = ""
    partstat: str = ""
    comment: str = ""
    sequence: int = 0
    problem: str = ""
    counter: dict = field(default_factory=dict)


def read_maildir(path: str | None = None) -> int:
    """Read every message waiting in the reply Maildir, record and apply it, then remove it;
    return how many were read. Nothing to do when no Maildir is configured."""
    path = path or settings.CALENDAR_REPLY_MAILDIR
    if not path:
        return 0
    box = mailbox.Maildir(path, factory=None, create=True)
    count = 0
    for key in box.keys():
        try:
            raw = box.get_bytes(key)
        except (KeyError, FileNotFoundError):  # another reader took it meanwhile
            continue
        receive(raw)
        count += 1
        # Removed only once recorded: a reader stopped in between reads it again next time,
        # and its Message-ID keeps it from counting twice.
        try:
            box.remove(key)
        except (KeyError, FileNotFoundError):
            pass
    return count


def receive(raw: bytes) -> CalendarReply | None:
    """Record one message of the reply mailbox and apply its answer if it may count; None when
    the same message was read before."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    message_id = (str(message.get("Message-ID") or "")).strip()[:998]
    if not message_id:
        message_id = "sha256:" + hashlib.sha256(raw).hexdigest()
    reading = _read(message)
    try:
        with transaction.atomic():
            # The row goes in first: a second reader of the same message stops at its key
            # before anything else is changed.
            reply = CalendarReply.objects.create(
                message_id=message_id,
                sender=reading.sender[:320],
                subject=reading.subject[:998],
                method=reading.method[:20],
                uid=reading.uid[:255],
                attendee=reading.attendee[:320],
                answer=reading.partstat[:20],
                comment=reading.comment,
                outcome=Outcome.MALFORMED,
                raw=raw.decode("utf-8", "replace")[:KEPT_CHARACTERS],
            )
            _apply(reply, reading)
            reply.save(update_fields=["outcome", "detail", "invitation"])
    except IntegrityError:
        logger.info("Calendar reply %s was read before", message_id)
        return None
    logger.info("Calendar reply %s from %s: %s", message_id, reading.sender, reply.outcome)
    return reply


def _apply(reply: CalendarReply, reading: Reading) -> None:
    """Decide what the reply does, and do it."""
    if reading.problem:
        reply.outcome, reply.detail = Outcome.MALFORMED, reading.problem
        return
    if reading.method == "COUNTER":
        reply.outcome = Outcome.COUNTER
        reply.detail = ", ".join(f"{name}: {value}" for name, value in reading.counter.items())
        _find_invitation(reply, reading)
        return
    if reading.method != "REPLY" or reading.partstat not in ANSWERS:
        reply.outcome = Outcome.NOT_A_REPLY
        reply.detail = f"METHOD:{reading.method or '-'} PARTSTAT:{reading.partstat or '-'}"
        return
    invitation = _find_invitation(reply, reading)
    if invitation is None:
        return
    if reading.sender != reading.attendee:
        reply.outcome = Outcome.FORGED
        reply.detail = f"{reading.sender} answered for {reading.attendee}"
        return
    meeting = invitation.meeting
    if reading.sequence < meeting.sequence:
        reply.outcome = Outcome.OUTDATED
        reply.detail = f"SEQUENCE {reading.sequence}, the meeting is at {meeting.sequence}"
        return
    try:
        invitation = respond(invitation=invitation, answer=ANSWERS[reading.partstat])
    except InitiativeError as refusal:
        reply.outcome, reply.detail = Outcome.REFUSED, str(refusal)
        return
    reply.outcome = Outcome.APPLIED
    reply.detail = invitation.state


def _find_invitation(reply: CalendarReply, reading: Reading):
    """The invitation the reply is about, else None with the reply's outcome saying why."""
    meeting = Meeting.objects.filter(uid=reading.uid).first() if reading.uid else None
    if meeting is None:
        reply.outcome, reply.detail = Outcome.UNKNOWN_MEETING, reading.uid
        return None
    invitation = (
        meeting.invitations.select_related("meeting", "invitee")
        .filter(invitee__email__iexact=reading.attendee)
        .first()
    )
    if invitation is None:
        reply.outcome, reply.detail = Outcome.STRANGER, reading.attendee
        return None
    reply.invitation = invitation
    return invitation


def _read(message: EmailMessage) -> Reading:
    reading = Reading(
        sender=parseaddr(str(message.get("From") or ""))[1].lower(),
        subject=str(message.get("Subject") or ""),
    )
    parts = [part for part in message.walk() if _is_calendar(part)]
    calendars = [calendar for calendar in map(_calendar, parts) if calendar is not None]
    if not parts:
        return reading  # a plain e-mail: no METHOD, so not a reply
    if not calendars:
        reading.problem = "no readable calendar file"
        return reading
    # Google sends the same answer twice (inline and as invite.ics): the first one counts.
    calendar = calendars[0]
    reading.method = str(calendar.get("METHOD", "")).upper()
    events = calendar.walk("VEVENT")
    if not events:
        reading.problem = "no event in the calendar file"
        return reading
    event = events[0]
    reading.uid = str(event.get("UID", ""))
    try:
        reading.sequence = int(event.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        reading.problem = "SEQUENCE is not a number"
        return reading
    reading.comment = str(event.get("COMMENT", ""))
    attendees = event.get("ATTENDEE", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    addresses = {_mailto(attendee): attendee for attendee in attendees}
    # A reply names the one who answers; some programs repeat the others as they knew them.
    chosen = addresses.get(reading.sender) or (attendees[0] if len(attendees) == 1 else None)
    if chosen is None:
        reading.problem = "no attendee answering" if not attendees else "several attendees"
        return reading
    reading.attendee = _mailto(chosen)
    reading.partstat = str(chosen.params.get("PARTSTAT", "")).upper()
    if reading.method == "COUNTER":
        for name in ("DTSTART", "DTEND", "LOCATION"):
            if name in event:
                value = event.decoded(name)
                reading.counter[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return reading


def _is_calendar(part) -> bool:
    if part.is_multipart():
        return False
    filename = (part.get_filename() or "").lower()
    return part.get_content_type() in CALENDAR_TYPES or filename.endswith(".ics")


def _calendar(part) -> Calendar | None:
    try:
        content = part.get_content()
        if isinstance(content, str):
            content = content.encode()
        return Calendar.from_ical(content)
    except Exception:  # a calendar file that does not parse counts as none
        return None


def _mailto(address) -> str:
    return str(address).removeprefix("mailto:").removeprefix("MAILTO:").strip().lower()


def calendar_program_reply(invitation, partstat: str, *, comment: str = "") -> bytes:
    """The e-mail a calendar program sends when `invitation`'s invitee answers it (iMIP REPLY):
    for trying the reader locally (`manage.py drop_calendar_reply`) and for the demo."""
    from email.message import EmailMessage as Message
    from email.utils import formataddr, make_msgid

    from icalendar import Event, vCalAddress

    from ..ical import PRODID, organizer

    meeting, invitee = invitation.meeting, invitation.invitee
    attendee = vCalAddress(f"mailto:{invitee.email}")
    attendee.params["PARTSTAT"] = partstat
    attendee.params["CN"] = invitee.display_name
    event = Event.new(
        uid=meeting.uid,
        start=meeting.starts_at,
        end=meeting.ends_at,
        sequence=meeting.sequence,
        summary=meeting.title,
        organizer=organizer(meeting),
    )
    event.add("attendee", attendee)
    if comment:
        event.add("comment", comment)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "REPLY")
    calendar.add_component(event)
    message = Message()
    message["From"] = formataddr((attendee.params["CN"], invitee.email))
    message["To"] = str(organizer(meeting)).removeprefix("mailto:")
    message["Subject"] = f"{partstat.title()}: {meeting.title}"
    message["Message-ID"] = make_msgid(domain="calendar.example")
    message.set_content(f"{invitee.email} has answered: {partstat}.")
    message.add_attachment(
        calendar.to_ical(),
        maintype="text",
        subtype="calendar",
        params={"method": "REPLY"},
        filename="reply.ics",
    )
    return message.as_bytes()
