"""A kept database connection that the server has ended is replaced before a request uses it
(Django's CONN_HEALTH_CHECKS)."""

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
