"""A real worker on the real broker sends a thousand invitations from the outbox to a real SMTP
server."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from citizens.models import User
from citizens.services.mail import chunks
from citizens.tasks import send_emails
from initiatives.models import Invitation, Membership
from initiatives.services.invitations import invite_members
from tests.helpers import wait_for

from .factories import MeetingFactory

INVITEES = 1000


@pytest.mark.worker
def test_a_thousand_invitations_arrive_once_each_even_when_each_chunk_is_queued_twice(
    celery_worker, smtp_server
):
    meeting = MeetingFactory(title="Citywide board")
    password = make_password(None)
    people = User.objects.bulk_create(
        User(
            email=f"diplomat{n}@example.org",
            password=password,
            preferred_language="fa" if n % 2 else "en",
            diplomat_since=timezone.now() - timedelta(days=1),
        )
        for n in range(INVITEES)
    )
    Membership.objects.bulk_create(
        Membership(initiative=meeting.initiative, user=person, state="accepted")
        for person in people
    )

    started = time.monotonic()
    with transaction.atomic():  # the fan-out is queued when this commits
        invited = invite_members(meeting=meeting, invited_by=meeting.initiative.coordinator)
    queued_in = time.monotonic() - started
    owed = list(Invitation.objects.filter(meeting=meeting).values_list("email_id", flat=True))
    for chunk in chunks(sorted(owed)):
        send_emails.delay(chunk)  # each chunk again: a redelivery, a sweep

    def all_sent():
        return not Invitation.objects.filter(meeting=meeting, sent_at__isnull=True).exists()

    wait_for(all_sent, timeout=90)
    time.sleep(1.5)  # time for any duplicate chunk to run, too

    received = smtp_server.messages
    addresses = sorted(message["To"] for message in received)
    assert invited == INVITEES
    assert queued_in < 5  # the request stores the invitations and their e-mails, no more
    assert len(received) == INVITEES
    assert addresses == sorted(person.email for person in people)
    assert set(Invitation.objects.values_list("state", flat=True)) == {"sent"}
    persian = next(m for m in received if m["To"] == "diplomat1@example.org")
    assert "دعوت" in persian["Subject"]
    calendar = next(p for p in persian.walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "REQUEST"
