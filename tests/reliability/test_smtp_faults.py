"""The SMTP server refuses for a while, then is down, then recovers: mail waits and arrives once.
An address refused for good is marked failed, for staff to see, and not tried again."""

import time
from collections import Counter

import pytest
from django.db import transaction

from citizens.models import OutgoingEmail
from citizens.services.applications import decide_application
from initiatives.models import Invitation
from initiatives.services.invitations import invite_members
from tests.factories import UserFactory, application_in, reviewer
from tests.helpers import wait_for
from tests.processes import service_env, start_beat, start_worker
from tests.reliability.test_nothing_lost import _meeting_with_members

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def processes():
    started = []
    yield started
    for process in reversed(started):
        process.stop()


@pytest.fixture
def env(smtp_server):
    return service_env(
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}",
        EMAIL_TIMEOUT=2,
        DELIVERY_SWEEP_GRACE_SECONDS=2,
        DELIVERY_SWEEP_INTERVAL_SECONDS=1,
        INVITATION_CHUNK_SIZE=20,
    )


def _approve(application, staff):
    with transaction.atomic():  # the e-mail is queued on commit, as in a request
        decide_application(application=application, reviewer=staff, decision="approve")


def test_mail_waits_out_a_busy_then_absent_smtp_server_and_arrives_once(
    env, smtp_server, processes, tmp_path, celery_app_on_broker
):
    staff = reviewer("maryam@example.org")
    approved = [application_in("submitted") for _ in range(3)]
    meeting = _meeting_with_members(50)
    smtp_server.busy = True
    processes.append(start_worker(env, tmp_path))
    processes.append(start_beat(env, tmp_path))

    for application in approved:
        _approve(application, staff)
    with transaction.atomic():
        invite_members(meeting=meeting, invited_by=meeting.initiative.coordinator)
    # Every e-mail, notices and invitations alike, has been refused at least once.
    wait_for(
        lambda: not OutgoingEmail.objects.filter(status="queued", attempts=0).exists(),
        timeout=60,
    )
    smtp_server.stop()  # now it is not even there
    time.sleep(3)
    smtp_server.busy = False
    smtp_server.start()

    wait_for(
        lambda: (
            not Invitation.objects.filter(meeting=meeting, sent_at__isnull=True).exists()
            and not OutgoingEmail.objects.filter(status="queued").exists()
        ),
        timeout=120,
        interval=0.5,
    )
    time.sleep(2)
    invitations = [m for m in smtp_server.messages if meeting.uid in m.as_string()]
    others = [m for m in smtp_server.messages if meeting.uid not in m.as_string()]
    assert sorted(Counter(m["To"] for m in invitations).values()) == [1] * 50
    # Every stored e-mail (notices to staff, approvals, invitations) arrived, and arrived once.
    assert len(smtp_server.messages) == OutgoingEmail.objects.filter(status="sent").count()
    assert all(any(m["To"] == a.user.email for m in others) for a in approved)
    assert OutgoingEmail.objects.filter(status="failed").count() == 0


def test_an_address_refused_for_good_is_marked_failed_and_shown_to_staff(
    env, smtp_server, processes, tmp_path, client, celery_app_on_broker
):
    staff = reviewer("maryam@example.org")
    gone = application_in("submitted", user=UserFactory(email="gone@example.org"))
    meeting = _meeting_with_members(5)
    smtp_server.refuse_for_good("gone@example.org")
    smtp_server.refuse_for_good("member3@example.org")
    processes.append(start_worker(env, tmp_path))

    _approve(gone, staff)
    with transaction.atomic():
        invite_members(meeting=meeting, invited_by=meeting.initiative.coordinator)

    email = wait_for(
        lambda: OutgoingEmail.objects.filter(to="gone@example.org", status="failed").first()
    )
    failed = wait_for(lambda: Invitation.objects.filter(meeting=meeting, state="failed").first())
    wait_for(lambda: Invitation.objects.filter(meeting=meeting, sent_at__isnull=False).count() == 4)
    time.sleep(2)
    assert email.attempts == 1 and "550" in email.last_error
    assert failed.invitee.email == "member3@example.org"
    assert failed.email.status == "failed" and "550" in failed.email.last_error
    client.force_login(staff)
    listing = client.get("/admin/citizens/outgoingemail/?status__exact=failed").content.decode()
    assert "gone@example.org" in listing and "member3@example.org" in listing
