"""Expired sessions are deleted every night (citizens.tasks.clear_expired_sessions, Django's
clearsessions), so the sessions table holds only those that can still sign someone in."""

import datetime
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from citizens import tasks
from diplomacy_portal.celery import app
from tests.factories import UserFactory
from tests.helpers import wait_for

pytestmark = pytest.mark.django_db


def _session(user=None, expires_in=datetime.timedelta(days=1)) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    if user is not None:
        store["_auth_user_id"] = str(user.pk)
    store.set_expiry(timezone.now() + expires_in)
    store.create()
    return store.session_key


def test_the_beat_schedule_clears_sessions_nightly():
    entry = app.conf.beat_schedule["clear-expired-sessions"]
    assert entry["task"] == tasks.clear_expired_sessions.name
    assert entry["schedule"].hour == {3}


def test_only_expired_sessions_are_deleted():
    person = UserFactory()
    live = _session(person)
    _session(person, expires_in=-datetime.timedelta(seconds=1))
    _session(expires_in=-datetime.timedelta(days=30))

    tasks.clear_expired_sessions()

    assert list(Session.objects.values_list("session_key", flat=True)) == [live]


@pytest.mark.worker
def test_a_real_worker_clears_expired_sessions(celery_worker):
    live = _session()
    _session(expires_in=-datetime.timedelta(seconds=1))

    tasks.clear_expired_sessions.delay()

    wait_for(lambda: Session.objects.count() == 1)
    assert Session.objects.get().session_key == live
