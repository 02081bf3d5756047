"""Each web process keeps the sessions and readers it read, and PostgreSQL tells it what changed
(citizens/session_cache.py, on in production). A signed-in request then needs no query to know
who asks, and every change that concerns a reader counts from their next request once
PostgreSQL's notification of it has arrived (at once in the process that wrote a session).

These tests commit (the cache hears only of committed changes) and, before each request that
must see a change, wait until PostgreSQL's notification of it has reached this process's
listening connection, unread: reading it is the cache's own work."""

import os
import select
import socket
import time
import uuid

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import connection, connections, transaction

from citizens import auth, session_cache
from citizens.models import Notification, Session
from citizens.roles import CITY_OFFICIALS
from citizens.sessions import SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.SESSION_READER_CACHE = True
    session_cache.cache.close()
    yield session_cache.cache
    session_cache.cache.close()


def _arrived():
    """Wait until every notification committed so far has reached the listening connection.
    A marker naming no session is sent last; notifications arrive in commit order."""
    listener = session_cache.cache.listener
    assert listener is not None, "the cache is not listening"
    marker = f"s:no-such-session-{uuid.uuid4().hex}".encode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [session_cache.CHANNEL, marker.decode()])
    with socket.socket(fileno=os.dup(listener.fileno())) as peek:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            select.select([peek], [], [], 0.05)
            try:
                if marker in peek.recv(1 << 20, socket.MSG_PEEK | socket.MSG_DONTWAIT):
                    return
            except BlockingIOError:
                pass
    pytest.fail("PostgreSQL's notification did not arrive")


def _signed_in(client, user):
    """`client` signed in as `user`, their session read and kept by this process."""
    client.force_login(user)
    client.get("/livez")  # an official's first request also sets the idle timeout
    _arrived()
    client.get("/livez")
    _arrived()
    return client


def test_a_kept_reader_is_known_without_a_query(client, django_assert_num_queries):
    _signed_in(client, UserFactory(first_name="Parisa", roles=[CITY_OFFICIALS]))

    with django_assert_num_queries(0):
        assert client.get("/livez").status_code == 200
    client.get("/dashboard/")  # the figures are read and kept
    with django_assert_num_queries(0):
        response = client.get("/dashboard/")
    assert response.status_code == 200


def test_a_session_ended_elsewhere_counts_on_the_next_request(client):
    _signed_in(client, UserFactory())

    # As when the person signs out in another process, or staff end their sessions.
    Session.objects.filter(session_key=client.session.session_key).delete()
    _arrived()

    assert client.get("/me/")["Location"].startswith("/accounts/login/")


def test_a_role_taken_away_counts_on_the_next_request(client):
    official = UserFactory(roles=[CITY_OFFICIALS])
    _signed_in(client, official)
    assert client.get("/dashboard/").status_code == 200

    official.groups.clear()
    _arrived()

    assert client.get("/dashboard/").status_code == 403


def test_a_permission_taken_from_a_role_counts_for_everyone_in_it(client):
    _signed_in(client, UserFactory(roles=[CITY_OFFICIALS]))
    assert client.get("/dashboard/").status_code == 200

    Group.objects.get(name=CITY_OFFICIALS).permissions.remove(
        Permission.objects.get(content_type__app_label="sistercities", codename="view_dashboard")
    )
    _arrived()

    assert client.get("/dashboard/").status_code == 403


def test_a_new_notice_shows_in_the_unread_count(client):
    person = UserFactory()
    _signed_in(client, person)
    assert "unread</span>" not in client.get("/me/").content.decode()

    Notification.objects.create(recipient=person, kind=Notification.Kind.MEETING_INVITATION)
    _arrived()

    assert '1<span class="visually-hidden"> unread</span>' in client.get("/me/").content.decode()


def test_a_changed_password_ends_other_sessions(client):
    person = UserFactory()
    _signed_in(client, person)

    person.set_password("another horse battery")
    person.save()
    _arrived()

    assert client.get("/me/")["Location"].startswith("/accounts/login/")


def test_a_read_that_overlapped_a_change_is_not_kept(client, monkeypatch):
    official = UserFactory(roles=[CITY_OFFICIALS])
    _signed_in(client, official)
    session_cache.cache.close()  # forgets what it kept
    read_session = auth.read_session
    changed = []

    def read_then_change(*args):
        found = read_session(*args)  # still with the role
        if not changed:
            # The role goes away after the read, in another process; its notification
            # arrives before this request is done.
            other = connections.create_connection("default")
            with other.cursor() as cursor:
                cursor.execute("DELETE FROM citizens_user_groups WHERE user_id = %s", [official.pk])
            other.close()
            _arrived()
            changed.append(True)
        return found

    monkeypatch.setattr(auth, "read_session", read_then_change)

    assert client.get("/dashboard/").status_code == 200  # read before the change
    assert client.get("/dashboard/").status_code == 403


def test_a_session_this_process_writes_is_read_afresh_before_it_hears_of_it(
    client, cache_on, monkeypatch
):
    _signed_in(client, UserFactory())
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    monkeypatch.setattr(cache_on, "_read_notifications", lambda: None)  # nothing arrives

    session = SessionStore(session_key)
    session["seen"] = "yes"
    session.save()

    assert SessionStore(session_key).get("seen") == "yes"
    SessionStore(session_key).delete()
    assert client.get("/me/").status_code == 302


def test_a_change_made_in_this_process_counts_on_its_next_request(client, cache_on, monkeypatch):
    _signed_in(client, UserFactory(preferred_language="en"))
    monkeypatch.setattr(cache_on, "_read_notifications", lambda: None)  # nothing arrives

    client.post("/i18n/setlang/", {"language": "fa", "next": "/me/"})

    assert '<html lang="fa" dir="rtl">' in client.get("/me/").content.decode()


def test_what_a_transaction_read_is_not_kept(client):
    """A transaction reads its own changes; they may yet be rolled back, and PostgreSQL tells
    of none of them until they are committed."""
    person = UserFactory()
    with transaction.atomic():
        client.force_login(person)
        assert client.get("/me/").status_code == 200
        transaction.set_rollback(True)

    assert client.get("/me/").status_code == 302  # the session never was


def test_without_its_listening_connection_a_process_reads_the_database(
    client, monkeypatch, django_assert_num_queries
):
    person = UserFactory(first_name="Parisa")
    _signed_in(client, person)
    monkeypatch.setattr(session_cache, "RETRY_SECONDS", 0.5)
    listener = session_cache.cache.listener
    client.get("/livez")  # reads the marker _arrived left, so that only the ending is unread
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [listener.info.backend_pid])
    assert select.select([listener.fileno()], [], [], 10)[0]  # the server said so

    # The lost connection is noticed; nothing kept is trusted, and nothing is kept meanwhile.
    with django_assert_num_queries(1):
        assert client.get("/livez").status_code == 200
    person.first_name = "Roya"
    person.save()
    with django_assert_num_queries(2):
        assert "Roya" in client.get("/me/").content.decode()

    time.sleep(0.6)
    client.get("/livez")  # listens again, and keeps
    _arrived()
    with django_assert_num_queries(0):
        assert client.get("/livez").status_code == 200


def test_each_listening_connection_is_named_for_operators(client):
    _signed_in(client, UserFactory())

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT application_name FROM pg_stat_activity WHERE pid = %s",
            [session_cache.cache.listener.info.backend_pid],
        )
        assert cursor.fetchone() == ("portal session listener",)
