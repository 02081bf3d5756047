"""Meeting e-mails with their calendar file, rendered in each invitee's language.

A fan-out sends thousands of e-mails about one meeting, so what they share is done once: each
template is rendered once per language and kind of e-mail, with markers where each invitee's
own name and answer links go. The MIME message is written out directly: rendering three
templates and the email package's writing of MIME were most of each e-mail's cost.
"""

import base64
import functools
import random
import re
import secrets
import sys
from collections.abc import Iterable
from email.header import Header
from email.utils import formatdate, getaddresses, make_msgid

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText, sanitize_address
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape

from diplomacy_portal import l10n

from . import ical
from .models import Invitation, Meeting
from .tokens import rsvp_token

CRLF = b"\r\n"
# The longest line SMTP allows (RFC 5322); Django writes a text with a longer one as
# quoted-printable.
LONGEST_LINE = 998


def meeting_when(meeting: Meeting, language: str) -> str:
    """The start in the meeting's own zone, named, e.g. '5 December 2026, 10:00 (Asia/Tehran)'."""
    with timezone.override(meeting.zone):
        start = l10n.format_datetime(meeting.starts_at, language)
        end = timezone.localtime(meeting.ends_at)
        until = l10n.digits(f"{end.hour:02d}:{end.minute:02d}", language)
    return f"{start}–{until} ({meeting.timezone})"


class MeetingMail:
    """The e-mails owed to a meeting's invitees: invitation, update or cancellation."""

    def __init__(self, meeting: Meeting):
        self.meeting = meeting
        self.meeting_url = ical.meeting_url(meeting)
        # Random, so that no text of the meeting can pass for one.
        mark = secrets.token_hex(8)
        self.markers = (f"{mark}name", f"{mark}rsvp")
        self._rendered = {}

    def message(self, invitation: Invitation, *, connection=None) -> "CalendarMessage":
        """The e-mail `invitation` is owed, in its invitee's language, with its .ics."""
        invitee = invitation.invitee
        cancelled = self.meeting.is_cancelled
        if cancelled:
            kind = "cancellation"
        else:
            kind = "update" if invitation.sequence_sent is not None else "invitation"
        subject, text, html = self._render(invitee.language, kind)
        name = invitee.get_full_name() or invitee.email
        rsvp = f"{settings.SITE_URL}/rsvp/{rsvp_token(invitation)}/"
        return CalendarMessage(
            subject=subject,
            body=text.fill(name, rsvp),
            html=html.fill(escape(name), escape(rsvp)),
            calendar=ical.invitation_calendar(invitation, meeting=self.meeting),
            method="CANCEL" if cancelled else "REQUEST",
            to=invitee.email,
            connection=connection,
        )

    def _render(self, language: str, kind: str) -> tuple[str, "_Rendered", "_Rendered"]:
        if (language, kind) not in self._rendered:
            template = "cancellation" if kind == "cancellation" else "invitation"
            name, rsvp = self.markers
            context = {
                "meeting": self.meeting,
                "language": language,
                "is_update": kind == "update",
                "meeting_url": self.meeting_url,
                "name": name,
                "rsvp_url": rsvp,
            }
            with translation.override(language):
                context["when"] = meeting_when(self.meeting, language)
                context["host"] = self.meeting.host_name
                subject = render_to_string(f"initiatives/emails/{template}_subject.txt", context)
                text = render_to_string(f"initiatives/emails/{template}_body.txt", context)
                html = render_to_string(f"initiatives/emails/{template}_body.html", context)
            self._rendered[language, kind] = (
                " ".join(subject.split()),
                _Rendered(text, self.markers),
                _Rendered(html, self.markers),
            )
        return self._rendered[language, kind]


class _Rendered:
    """A text rendered once, split at its markers; each e-mail fills in its own values."""

    def __init__(self, text: str, markers: tuple[str, str]):
        self.markers = markers
        self.pieces = re.split(f"({'|'.join(map(re.escape, markers))})", text)

    def fill(self, name: str, rsvp_url: str) -> str:
        values = dict(zip(self.markers, (name, rsvp_url), strict=True))
        pieces = self.pieces.copy()
        pieces[1::2] = [values[marker] for marker in pieces[1::2]]
        return "".join(pieces)


class CalendarMessage(EmailMultiAlternatives):
    """Text, HTML and the calendar file: as text/calendar naming its iTIP method, as calendar
    clients expect (Content-Type: text/calendar; method=REQUEST), and attached, for mail
    programs that look only at attachments."""

    def __init__(
        self,
        *,
        subject: str,
        body: str,
        html: str,
        calendar: bytes,
        method: str,
        to: str,
        connection=None,
    ):
        super().__init__(subject=subject, body=body, to=[to], connection=connection)
        self.calendar_method = method
        self.attach_alternative(html, "text/html")
        self.attach_alternative(calendar.decode(), "text/calendar")
        self.attach("invite.ics", calendar, "application/ics")

    def message(self) -> "WrittenMessage":
        """The MIME message, as Django's EmailMultiAlternatives would write it."""
        alternatives = [_text_part(self.body, "text/plain")]
        for content, mimetype in self.alternatives:
            method = {"method": self.calendar_method} if mimetype == "text/calendar" else {}
            alternatives.append(_text_part(content, mimetype, **method))
        attachments = [_attachment(*attachment) for attachment in self.attachments]
        headers = [
            _shared_header("Subject", self.subject),
            _shared_header("From", self.from_email),
            _header("To", ", ".join(self.to)),
            _header("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)),
            _header("Message-ID", make_msgid(domain=DNS_NAME)),
        ]
        parts = [_multipart("alternative", alternatives), *attachments]
        return WrittenMessage(_multipart("mixed", parts, headers))


class WrittenMessage:
    """A MIME message written out already, with what Django's mail backends ask of one."""

    def __init__(self, data: bytes):
        self.data = data

    def as_bytes(self, linesep: str = "\n") -> bytes:
        return self.data.replace(CRLF, linesep.encode())

    def get_charset(self) -> None:
        return None  # a multipart message has none; its parts name theirs


def _header(name: str, value: str) -> bytes:
    """A header as Django sets it and the email package folds it."""
    if "\n" in value or "\r" in value:  # it would start a header of the sender's choosing
        raise BadHeaderError(f"Header values can't contain newlines (got {value!r} for {name})")
    if value.isascii():
        charset = None
    elif name in ("From", "To"):  # RFC 2047 for a name, IDNA for a domain
        value = ", ".join(sanitize_address(address, "utf-8") for address in getaddresses([value]))
        charset = None
    else:
        charset = "utf-8"
    folded = Header(value, charset, header_name=name).encode(linesep="\r\n", maxlinelen=78)
    return f"{name}: {folded}".encode() + CRLF


# The subject and the sender are the same for every e-mail of a chunk in one language.
_shared_header = functools.lru_cache(maxsize=64)(_header)


def _text_part(content: str, mimetype: str, **params: str) -> bytes:
    data = content.encode()
    if max(map(len, data.splitlines()), default=0) > LONGEST_LINE:
        # Quoted-printable, then (a long paragraph of an agenda): written by Django.
        part = SafeMIMEText(content, mimetype.partition("/")[2], "utf-8")
        for key, value in params.items():
            part.set_param(key, value)
        return part.as_bytes(linesep="\r\n")
    head = f'Content-Type: {mimetype}; charset="utf-8"'
    head += "".join(f'; {key}="{value}"' for key, value in params.items())
    encoding = "7bit" if data.isascii() else "8bit"
    head += f"\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n"
    # Every line ending as CRLF, as the email package writes them.
    return head.encode() + data.replace(CRLF, b"\n").replace(b"\r", b"\n").replace(b"\n", CRLF)


def _attachment(filename: str, content: bytes, mimetype: str) -> bytes:
    head = (
        f"Content-Type: {mimetype}\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: base64\r\n"
        f'Content-Disposition: attachment; filename="{filename}"\r\n\r\n'
    )
    return head.encode() + base64.encodebytes(content).replace(b"\n", CRLF)


def _multipart(subtype: str, parts: list[bytes], headers: Iterable[bytes] = ()) -> bytes:
    boundary = _boundary(parts)
    head = f'Content-Type: multipart/{subtype};\r\n boundary="{boundary}"\r\nMIME-Version: 1.0\r\n'
    delimiter = f"--{boundary}".encode()
    return b"".join(
        [
            head.encode(),
            *headers,
            CRLF + delimiter + CRLF,
            (CRLF + delimiter + CRLF).join(parts),
            CRLF + delimiter + b"--" + CRLF,
        ]
    )


def _boundary(parts: list[bytes]) -> str:
    """A boundary like the email package's, found in none of the parts."""
    while True:
        boundary = f"{'=' * 15}{random.randrange(sys.maxsize):019d}=="
        if not any(boundary.encode() in part for part in parts):
            return boundary
