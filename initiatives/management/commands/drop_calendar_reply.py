"""Put a calendar program's answer into the reply Maildir, as the mail server would deliver it:

    python scripts/dev.py manage drop_calendar_reply diplomat@example.org MEETING_ID accepted

Beat reads the Maildir within CALENDAR_REPLY_INTERVAL_SECONDS and applies the answer."""

import mailbox

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from initiatives.models import Invitation
from initiatives.services.calendar_replies import calendar_program_reply

PARTSTATS = {"accepted": "ACCEPTED", "declined": "DECLINED", "tentative": "TENTATIVE"}


class Command(BaseCommand):
    help = "Deliver a calendar program's answer to an invitation into the reply Maildir."

    def add_arguments(self, parser):
        parser.add_argument("email", help="the invitee's e-mail address")
        parser.add_argument("meeting", type=int, help="the meeting's number (in its address)")
        parser.add_argument("answer", choices=sorted(PARTSTATS))
        parser.add_argument("--comment", default="")

    def handle(self, *args, email, meeting, answer, comment, **options):
        if not settings.CALENDAR_REPLY_MAILDIR:
            raise CommandError("CALENDAR_REPLY_MAILDIR is not set: no mailbox to deliver to.")
        invitation = (
            Invitation.objects.select_related("meeting", "invitee")
            .filter(meeting_id=meeting, invitee__email__iexact=email)
            .first()
        )
        if invitation is None:
            raise CommandError(f"{email} is not invited to meeting {meeting}.")
        raw = calendar_program_reply(invitation, PARTSTATS[answer], comment=comment)
        mailbox.Maildir(settings.CALENDAR_REPLY_MAILDIR, factory=None, create=True).add(raw)
        self.stdout.write(f"Delivered into {settings.CALENDAR_REPLY_MAILDIR}.")
