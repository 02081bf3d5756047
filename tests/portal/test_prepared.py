import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from diplomacy_portal.prepared import PreparedQuery


def _run(query: PreparedQuery, *parameters):
    with connection.cursor() as cursor:
        query.execute(cursor, connection, list(parameters))
        return cursor.fetchall()


@pytest.mark.django_db
def test_a_query_is_prepared_once_per_connection_then_only_executed():
    query = PreparedQuery("test_double", "integer", lambda connection: "SELECT $1 * 2")

    with CaptureQueriesContext(connection) as ran:
        assert _run(query, 21) == [(42,)]
        assert _run(query, 5) == [(10,)]

    assert ran[0]["sql"].startswith("PREPARE test_double_")
    assert ran[1]["sql"] == f"EXECUTE {query.prepared[connection.connection]}(5)"


@pytest.mark.django_db
def test_a_percent_sign_in_the_query_is_its_own():
    query = PreparedQuery("test_like", "text", lambda connection: "SELECT $1 LIKE 'a%'")

    assert _run(query, "abc") == [(True,)]
    assert _run(query, "cab") == [(False,)]


@pytest.mark.django_db
def test_a_query_whose_first_run_failed_is_prepared_afresh_under_a_new_name():
    query = PreparedQuery("test_divide", "integer", lambda connection: "SELECT 10 / $1")
    with pytest.raises(DataError, match="division by zero"):
        with transaction.atomic(), connection.cursor() as cursor:
            query.execute(cursor, connection, [0])

    assert query.prepared.get(connection.connection) is None
    assert _run(query, 5) == [(2,)]
