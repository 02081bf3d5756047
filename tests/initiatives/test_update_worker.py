"""A real worker on the real broker: a meeting edited twice within the update delay sends each
invitee one update, showing both edits."""

import time

import pytest
from django.utils import timezone
from icalendar import Calendar

from citizens.models import OutgoingEmail
from tests.helpers import wait_for

from .factories import MeetingFactory, invitation
from .test_calendar_details import change


@pytest.mark.worker
def test_two_quick_edits_reach_the_invitee_as_one_update(celery_worker, smtp_server, settings):
    settings.MEETING_UPDATE_DELAY_SECONDS = 2
    meeting = MeetingFactory(agenda="", place="City hall")
    sent = invitation(meeting, sent_at=timezone.now())

    change(meeting, agenda="1. The spring exchange")
    change(meeting, place="Chehel Sotoun palace")

    def delivered():
        return not OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED).exists()

    wait_for(lambda: smtp_server.messages_to(sent.invitee.email), timeout=60)
    wait_for(delivered, timeout=30)
    time.sleep(1)  # time for the first edit's task, whose e-mail was replaced, to run too
    (message,) = smtp_server.messages_to(sent.invitee.email)
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    (event,) = Calendar.from_ical(part.get_content()).events
    assert event["SEQUENCE"] == 2
    assert event["LOCATION"] == "Chehel Sotoun palace"
    assert event["DESCRIPTION"].startswith("1. The spring exchange")
