import pytest

from citizens import session_cache


@pytest.fixture
def browser_context_args(browser_context_args):
    # An English-speaking browser, so switching to Persian is the user's own choice.
    return {**browser_context_args, "locale": "en-GB"}


@pytest.fixture(autouse=True)
def _browser_marker(request):
    request.node.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _readers_kept_as_in_production(settings):
    """Journeys commit, so the portal keeps its readers as in production
    (citizens/session_cache.py); its listening connection ends with the test."""
    settings.SESSION_READER_CACHE = True
    yield
    session_cache.cache.close()
