"""A Redis that stops answering (frozen by SIGSTOP: it accepts connections and never replies, as a
full disk or a stuck host would) slows the portal's requests down by seconds at most, and once it
answers again every e-mail the portal owed arrives, once. Real processes: gunicorn, a Celery
worker and beat, a Redis of the test's own, an SMTP server on loopback."""

import json
import os
import signal
import time

import pytest
from django.core.management import call_command

from citizens.models import OutgoingEmail
from initiatives.models import Invitation
from tests.factories import application_in, reviewer
from tests.helpers import wait_for
from tests.processes import (
    http,
    signed_in_cookie,
    start_beat,
    start_web,
    start_worker,
)
from tests.reliability.test_nothing_lost import (
    APPROVAL,
    _approve_url,
    _invitations_received,
    _meeting_with_members,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# The finding's own contract: each request answers within 3 s while Redis is frozen (it waits
# at most REDIS_PUBLISH_TIMEOUT to queue a task, REDIS_CACHE_TIMEOUT for a cache operation).
BOUND_SECONDS = 3


def _timed(base_url, method, path, cookie="", data=None):
    """The request's answer and how long it took."""
    started = time.monotonic()
    answer = http(base_url, method, path, cookie, data)
    return answer, time.monotonic() - started


def test_with_redis_frozen_requests_answer_within_seconds_and_every_email_arrives_once_after(
    redis_server, env, smtp_server, processes, tmp_path
):
    call_command("createcachetable")  # allauth's rate limits, in the database
    staff_cookie = signed_in_cookie(reviewer("maryam@example.org"))
    warm_up, waiting = application_in("submitted"), application_in("submitted")
    meeting = _meeting_with_members(20)
    coordinator_cookie = signed_in_cookie(meeting.initiative.coordinator)
    web, base_url = start_web(env, tmp_path)
    processes.append(web)
    # Each page once with Redis answering: a new web process's first request loads the admin,
    # the templates and the e-mails', which is not what the bound is about.
    assert http(base_url, "POST", _approve_url(warm_up), staff_cookie, APPROVAL)[0] == 302
    assert http(base_url, "GET", f"/meetings/{meeting.pk}/", coordinator_cookie)[0] == 200
    os.kill(redis_server.process.pid, signal.SIGSTOP)

    (status, _, _), took = _timed(base_url, "POST", _approve_url(waiting), staff_cookie, APPROVAL)
    assert status == 302 and took < BOUND_SECONDS, took
    (status, headers, _), took = _timed(
        base_url, "POST", f"/meetings/{meeting.pk}/invite/", coordinator_cookie, {"mode": "members"}
    )
    assert (status, headers["Location"]) == (302, f"/meetings/{meeting.pk}/")
    assert took < BOUND_SECONDS, took
    (status, _, body), took = _timed(base_url, "GET", "/healthz")
    assert status == 503 and took < BOUND_SECONDS, took
    assert json.loads(body) == {
        "status": "unavailable",
        "database": "ok",
        "broker": "unavailable",
        "cache": "unavailable",
    }

    os.kill(redis_server.process.pid, signal.SIGCONT)
    processes.append(start_worker(env, tmp_path))
    processes.append(start_beat(env, tmp_path))

    def everything_sent():
        return (
            not Invitation.objects.filter(meeting=meeting, sent_at__isnull=True).exists()
            and not OutgoingEmail.objects.filter(status="queued").exists()
        )

    wait_for(everything_sent, timeout=120, interval=0.5)
    time.sleep(3)  # a sweep or two more: still nothing sent twice
    invited = _invitations_received(smtp_server, meeting)
    assert len(invited) == 20 and set(invited.values()) == {1}
    for application in (warm_up, waiting):
        approvals = [
            m
            for m in smtp_server.messages_to(application.user.email)
            if m["Subject"] == "You are now a citizen diplomat"
        ]
        assert len(approvals) == 1
