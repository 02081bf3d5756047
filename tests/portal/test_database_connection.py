"""A kept database connection is checked before each request's first query without asking the
server anything while it is quiet (diplomacy_portal/postgresql); one the server has ended is
replaced before the request uses it."""

import select

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept():
    """A connection of its own, as a portal process keeps one between requests."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def _server_side(pid: int):
    """The last query the server ran on a connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row and row[0]


def test_a_quiet_connection_is_found_usable_without_asking_the_server(kept):
    with kept.cursor() as cursor:
        cursor.execute("SELECT 'the last thing asked'")

    assert kept.is_usable()
    assert _server_side(kept.connection.info.backend_pid) == "SELECT 'the last thing asked'"


def test_a_connection_the_server_ended_is_replaced_before_its_next_query(kept):
    ended = kept.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [ended])
    # The server says why it ends the connection before closing it.
    assert select.select([kept.connection.fileno()], [], [], 10)[0]

    assert not kept.is_usable()
    kept.health_check_done = False  # as at the start of the next request
    with kept.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != ended
