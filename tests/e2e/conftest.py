import pytest
from django.db import connections


@pytest.fixture
def browser_context_args(browser_context_args):
    # An English-speaking browser, so switching to Persian is the user's own choice.
    return {**browser_context_args, "locale": "en-GB"}


@pytest.fixture(autouse=True)
def _browser_marker(request):
    request.node.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _keep_migrated_data(django_db_serialized_rollback):
    """The live server needs committed data; the roles the migrations created come back after."""


@pytest.fixture(scope="session", autouse=True)
def _migrated_data_for_every_context(django_db_setup):
    """Keep the snapshot that the restore above reads where every test can see it.

    Django keeps a connection per thread and per async context. Once Playwright's synchronous
    API has started its event loop, tests get a fresh connection object, without the snapshot
    taken when the test database was made, and nothing was restored: the second browser test
    found no roles. Hung on the connection's class, the snapshot is seen from every context."""
    for connection in connections.all():
        if hasattr(connection, "_test_serialized_contents"):
            type(connection)._test_serialized_contents = connection._test_serialized_contents
