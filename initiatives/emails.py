"""Meeting e-mails with their calendar file, rendered in each invitee's language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from diplomacy_portal import l10n

from . import ical
from .models import Invitation, Meeting
from .tokens import rsvp_token

ANSWERS = ("accept", "maybe", "decline")


class CalendarMessage(EmailMultiAlternatives):
    """An e-mail whose text/calendar part names its iTIP method, as calendar clients expect
    (Content-Type: text/calendar; method=REQUEST)."""

    def __init__(self, *args, calendar_method: str = "REQUEST", **kwargs):
        super().__init__(*args, **kwargs)
        self.calendar_method = calendar_method

    def _create_mime_attachment(self, content, mimetype):
        part = super()._create_mime_attachment(content, mimetype)
        if mimetype == "text/calendar":
            part.set_param("method", self.calendar_method)
        return part


def meeting_when(meeting: Meeting, language: str) -> str:
    """The start in the meeting's own zone, named, e.g. '5 December 2026, 10:00 (Asia/Tehran)'."""
    with timezone.override(meeting.zone):
        start = l10n.format_datetime(meeting.starts_at, language)
        end = timezone.localtime(meeting.ends_at)
        until = l10n.digits(f"{end.hour:02d}:{end.minute:02d}", language)
    return f"{start}–{until} ({meeting.timezone})"


def invitation_message(invitation: Invitation, *, meeting: Meeting, connection=None):
    """The invitation, update or cancellation e-mail `invitation` is owed, with its .ics."""
    invitee = invitation.invitee
    language = invitee.language
    cancelled = meeting.is_cancelled
    name = "cancellation" if cancelled else "invitation"
    token = rsvp_token(invitation)
    rsvp = f"{settings.SITE_URL}/rsvp/{token}/"
    context = {
        "meeting": meeting,
        "invitee": invitee,
        "language": language,
        "when": meeting_when(meeting, language),
        "is_update": invitation.sequence_sent is not None,
        "meeting_url": ical.meeting_url(meeting),
        "rsvp_url": rsvp,
        "answer_urls": {answer: f"{rsvp}?answer={answer}" for answer in ANSWERS},
    }
    with translation.override(language):
        context["host"] = meeting.host_name
        subject = render_to_string(f"initiatives/emails/{name}_subject.txt", context)
        text = render_to_string(f"initiatives/emails/{name}_body.txt", context)
        html = render_to_string(f"initiatives/emails/{name}_body.html", context)
    calendar = ical.invitation_calendar(invitation, meeting=meeting)
    message = CalendarMessage(
        subject=" ".join(subject.split()),
        body=text,
        to=[invitee.email],
        connection=connection,
        calendar_method="CANCEL" if cancelled else "REQUEST",
    )
    message.attach_alternative(html, "text/html")
    message.attach_alternative(calendar.decode(), "text/calendar")
    # Some mail programs look only at attachments: the same file, as one.
    message.attach("invite.ics", calendar, "application/ics")
    return message
