"""While the database cannot be reached, pages answer 503 with Retry-After and the portal's own
page in the visitor's language, not a 500."""

import socket

import pytest
from django.db import connection

from tests.portal.test_error_pages import LANGUAGES, page


@pytest.fixture
def database_unreachable():
    """The portal's connection points at a port where nothing listens, as during a restart."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    saved = {key: connection.settings_dict[key] for key in ("HOST", "PORT")}
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port))
    yield
    connection.close()
    connection.settings_dict.update(saved)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_a_page_needing_the_database_answers_503_with_retry_after(
    client, database_unreachable, language, direction
):
    client.raise_request_exception = False

    response = client.get("/initiatives/?q=crafts", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = page(response, language, direction)
    unavailable = {"en": "The portal is briefly unavailable", "fa": "برای مدت کوتاهی در دسترس نیست"}
    assert unavailable[language] in html
    assert "psycopg" not in html and "Traceback" not in html
