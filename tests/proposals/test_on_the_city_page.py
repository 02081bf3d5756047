"""A sister city's public page lists the citizens' proposals accepted for it, and only those."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import SisterCityFactory

from .factories import proposal_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def florence():
    return SisterCityFactory(slug="florence", name_en="Florence")


def _city_page(client) -> str:
    response = client.get("/cities/florence/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_city_page_lists_accepted_proposals_and_no_other(client, florence):
    for status in ("draft", "submitted", "declined", "withdrawn"):
        proposal_in(status, cities=[florence], title=f"A {status} idea")
    proposal_in("accepted", cities=[florence], title="Miniature painting workshops")

    html = _city_page(client)

    assert "Miniature painting workshops" in html
    assert not any(f"A {status} idea" in html for status in ("draft", "submitted", "declined"))


def test_a_proposal_accepted_shows_on_the_next_read_of_the_cached_page(client, florence):
    assert "No proposals accepted yet." in _city_page(client)  # kept in the cache now

    proposal_in("accepted", cities=[florence], title="Calligraphy exchange")

    assert "Calligraphy exchange" in _city_page(client)


def test_the_city_page_makes_as_many_queries_for_twenty_accepted_proposals_as_for_one(
    client, florence, settings
):
    settings.PUBLIC_PAGES_CACHE_SECONDS = 0  # rendered each time
    proposal_in("accepted", cities=[florence])
    with CaptureQueriesContext(connection) as few:
        _city_page(client)
    for _ in range(19):
        proposal_in("accepted", cities=[florence])
    with CaptureQueriesContext(connection) as many:
        _city_page(client)

    assert len(many) == len(few)


def test_the_public_list_shows_a_new_support_at_once_though_its_first_pages_are_kept(client):
    from proposals.models import Support
    from tests.initiatives.factories import diplomat

    florence = SisterCityFactory(slug="florence")
    proposal = proposal_in("submitted", cities=[florence], title="Calligraphy exchange")
    client.get("/proposals/")  # kept in the cache now

    Support.objects.create(proposal=proposal, supporter=diplomat("supporter@example.org"))

    item = client.get("/proposals/").content.decode().split("Calligraphy exchange")[1]
    assert "supported by one diplomat" in item.split("</li>")[0]
