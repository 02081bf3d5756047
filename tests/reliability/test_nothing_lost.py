"""Faults on purpose, with real processes: the portal's web server (gunicorn), Celery workers and
beat, a Redis of the test's own that it stops and starts, and an SMTP server on loopback.
Nothing a user was promised is lost, and nothing is sent twice."""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from citizens.models import DiplomatApplication, OutgoingEmail, User
from initiatives.models import Invitation, Meeting, Membership
from tests.factories import application_in, reviewer
from tests.helpers import wait_for
from tests.initiatives.factories import InitiativeFactory, coordinator
from tests.processes import (
    http,
    signed_in_cookie,
    start_beat,
    start_web,
    start_worker,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# A request that queues work tries the broker once, for at most REDIS_PUBLISH_TIMEOUT, then
# leaves the work to the sweep; it must not hang on a broker that is down (kombu's defaults
# would retry for minutes). A bound on a timeout, not a speed measurement: the margin is for
# the rest of the request on a busy two-core machine.
REQUEST_BOUND_SECONDS = 5
# Ten chunks of the tests' INVITATION_CHUNK_SIZE (100): enough for two workers to be mid-chunk
# when one is killed, and for a broker outage to leave several chunks' tasks unqueued.
MEMBERS = 1000


def _meeting_with_members(count: int) -> Meeting:
    """A meeting of an initiative with `count` citizen diplomats as members."""
    initiative = InitiativeFactory(coordinator=coordinator("neda@example.org"))
    since = timezone.now() - timedelta(days=30)
    people = User.objects.bulk_create(
        User(
            email=f"member{i}@example.org",
            first_name="Member",
            last_name=str(i),
            preferred_language="fa" if i % 2 else "en",
            diplomat_since=since,
        )
        for i in range(count)
    )
    Membership.objects.bulk_create(
        Membership(initiative=initiative, user=person, state=Membership.State.ACCEPTED)
        for person in people
    )
    start = timezone.now() + timedelta(days=7)
    return Meeting.objects.create(
        initiative=initiative,
        title="Board",
        kind=Meeting.Kind.BOARD,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="City Hall",
        organiser=initiative.coordinator,
    )


def _invite_members(base_url: str, meeting: Meeting) -> None:
    cookie = signed_in_cookie(meeting.initiative.coordinator)
    # The coordinator opens the meeting's page first, as in the portal: the process's first
    # request to these pages loads them, which is not what the bound below is about.
    assert http(base_url, "GET", f"/meetings/{meeting.pk}/", cookie)[0] == 200
    started = time.monotonic()
    status, headers, _ = http(
        base_url, "POST", f"/meetings/{meeting.pk}/invite/", cookie, {"mode": "members"}
    )
    assert (status, headers["Location"]) == (302, f"/meetings/{meeting.pk}/")
    assert time.monotonic() - started < REQUEST_BOUND_SECONDS


def _invitations_received(smtp_server, meeting: Meeting) -> Counter:
    """How many invitations to `meeting` each address received."""
    return Counter(
        message["To"] for message in smtp_server.messages if meeting.uid in message.as_string()
    )


APPROVAL = {"note": "Welcome!", "internal_note": ""}


def _approve_url(application) -> str:
    return f"/admin/citizens/diplomatapplication/{application.pk}/decide/approve/"


def test_with_the_broker_down_requests_succeed_and_everything_arrives_once_it_is_back(
    redis_server, env, smtp_server, processes, tmp_path
):
    staff_cookie = signed_in_cookie(reviewer("maryam@example.org"))
    waiting = [application_in("submitted") for _ in range(5)]
    meeting = _meeting_with_members(MEMBERS)
    web, base_url = start_web(env, tmp_path)
    processes.append(web)
    # One decision with the broker up: the first request a new web process serves loads the
    # admin and the e-mails' templates, which took the whole bound once on a busy CI machine.
    warm_up = application_in("submitted")
    status, _, _ = http(base_url, "POST", _approve_url(warm_up), staff_cookie, APPROVAL)
    assert status == 302
    redis_server.stop()

    for application in waiting:
        started = time.monotonic()
        status, _, _ = http(base_url, "POST", _approve_url(application), staff_cookie, APPROVAL)
        assert status == 302
        assert time.monotonic() - started < REQUEST_BOUND_SECONDS
    _invite_members(base_url, meeting)
    assert DiplomatApplication.objects.filter(status="approved").count() == 6
    assert Invitation.objects.filter(meeting=meeting).count() == MEMBERS

    redis_server.start()
    processes.append(start_worker(env, tmp_path, concurrency=4))
    processes.append(start_beat(env, tmp_path))

    def everything_sent():
        return (
            not Invitation.objects.filter(meeting=meeting, sent_at__isnull=True).exists()
            and not OutgoingEmail.objects.filter(status="queued").exists()
        )

    wait_for(everything_sent, timeout=180, interval=0.5)
    time.sleep(3)  # a sweep or two more: still nothing sent twice
    invited = _invitations_received(smtp_server, meeting)
    assert len(invited) == MEMBERS and set(invited.values()) == {1}
    for application in [warm_up, *waiting]:  # the warm-up's task, if Redis lost it, swept
        approvals = [
            m
            for m in smtp_server.messages_to(application.user.email)
            if m["Subject"] == "You are now a citizen diplomat"
        ]
        assert len(approvals) == 1


def test_a_worker_killed_mid_send_repeats_at_most_one_email_per_connection_and_loses_none(
    env, smtp_server, processes, tmp_path
):
    meeting = _meeting_with_members(MEMBERS)
    web, base_url = start_web(env, tmp_path)
    processes.append(web)
    concurrency = 2
    first = start_worker(env, tmp_path, concurrency=concurrency)
    processes.append(first)

    _invite_members(base_url, meeting)
    wait_for(lambda: len(smtp_server.messages) >= MEMBERS // 5, timeout=120, interval=0.05)
    first.kill()
    sent_when_killed = len(smtp_server.messages)
    processes.append(start_worker(env, tmp_path, concurrency=concurrency))
    processes.append(start_beat(env, tmp_path))

    wait_for(
        lambda: not Invitation.objects.filter(meeting=meeting, sent_at__isnull=True).exists(),
        timeout=180,
        interval=0.5,
    )
    time.sleep(3)
    invited = _invitations_received(smtp_server, meeting)
    assert len(invited) == MEMBERS, f"{MEMBERS - len(invited)} invitees got nothing"
    # Each e-mail is recorded sent as soon as the server takes it: only one in flight on each
    # of the dead worker's SMTP connections (one per process) can have arrived unrecorded.
    duplicates = sum(count - 1 for count in invited.values())
    assert duplicates <= concurrency, (duplicates, sent_when_killed)
