"""Meeting e-mails with their calendar file, rendered in each invitee's language and stored in
the outbox (citizens.OutgoingEmail), which sends them.

A fan-out writes thousands of e-mails about one meeting, so what they share is done once: each
template is rendered once per language and kind of e-mail, with markers where each invitee's
own name and answer links go.
"""

import re
import secrets

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape

from citizens.models import OutgoingEmail
from diplomacy_portal import l10n

from . import ical
from .models import Invitation, Meeting
from .tokens import rsvp_token


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
        # Answers written back go to the meeting's organizer, as its calendar entry says.
        self.reply_to = str(ical.organizer(meeting)).removeprefix("mailto:")
        self._rendered = {}

    def message(self, invitation: Invitation) -> OutgoingEmail:
        """The e-mail `invitation` is owed, in its invitee's language, with its .ics; unsaved."""
        invitee = invitation.invitee
        cancelled = self.meeting.is_cancelled
        if cancelled:
            kind = "cancellation"
        else:
            # Whoever has had an e-mail about the meeting is sent what changed.
            kind = "update" if invitation.sent_at is not None else "invitation"
            if kind == "update" and invitation.needs_reconfirmation:
                kind = "reconfirm"
        subject, text, html = self._render(invitee.language, kind)
        name = invitee.display_name
        rsvp = f"{settings.SITE_URL}/rsvp/{rsvp_token(invitation)}/"
        return OutgoingEmail(
            to=invitee.email,
            subject=subject,
            body_text=text.fill(name, rsvp),
            body_html=html.fill(escape(name), escape(rsvp)),
            reply_to=self.reply_to,
            calendar=ical.invitation_calendar(invitation, meeting=self.meeting).decode(),
            calendar_method="CANCEL" if cancelled else "REQUEST",
        )

    def _render(self, language: str, kind: str) -> tuple[str, "_Rendered", "_Rendered"]:
        if (language, kind) not in self._rendered:
            template = "cancellation" if kind == "cancellation" else "invitation"
            name, rsvp = self.markers
            context = {
                "meeting": self.meeting,
                "language": language,
                "is_update": kind in ("update", "reconfirm"),
                "reconfirm": kind == "reconfirm",
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
