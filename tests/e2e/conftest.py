import pytest


@pytest.fixture
def browser_context_args(browser_context_args):
    # An English-speaking browser, so switching to Persian is the user's own choice.
    return {**browser_context_args, "locale": "en-GB"}


@pytest.fixture(autouse=True)
def _browser_marker(request):
    request.node.add_marker(pytest.mark.browser)
