"""Who may open the dashboards and their downloads: officials and staff, nobody else."""

import pytest
from django.utils import timezone

from citizens.roles import CITY_OFFICIALS, INITIATIVE_COORDINATORS
from tests.factories import SisterCityFactory, UserFactory, reviewer

pytestmark = pytest.mark.django_db

URLS = [
    "/dashboard/",
    "/dashboard/tables/cities.csv",
    "/dashboard/tables/funnel.xlsx",
    "/dashboard/cities/florence/",
    "/dashboard/cities/florence/tables/timeline.csv",
]

PEOPLE = {
    "citizen": lambda: UserFactory(),
    "diplomat": lambda: UserFactory(diplomat_since=timezone.now()),
    "coordinator": lambda: UserFactory(is_staff=True, roles=[INITIATIVE_COORDINATORS]),
    "official": lambda: UserFactory(roles=[CITY_OFFICIALS]),
    "staff": lambda: reviewer(),
    "superuser": lambda: UserFactory(is_staff=True, is_superuser=True, totp=True),
}
ALLOWED = {"official", "staff", "superuser"}


@pytest.fixture(autouse=True)
def florence(db):
    return SisterCityFactory(name_en="Florence", slug="florence")


@pytest.mark.parametrize("url", URLS)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("who", PEOPLE)
def test_only_officials_and_staff_open_the_dashboards(client, who, url):
    client.force_login(PEOPLE[who]())

    response = client.get(url)

    assert response.status_code == (200 if who in ALLOWED else 403)


def test_the_navigation_links_to_the_dashboard_only_for_those_who_may_see_it(client):
    client.force_login(UserFactory(roles=[CITY_OFFICIALS]))
    assert 'href="/dashboard/"' in client.get("/cities/").content.decode()

    client.force_login(UserFactory(is_staff=True, roles=[INITIATIVE_COORDINATORS]))
    assert 'href="/dashboard/"' not in client.get("/cities/").content.decode()


def test_an_official_without_two_factor_sets_it_up_first(client):
    client.force_login(UserFactory(roles=[CITY_OFFICIALS], totp=False))

    response = client.get("/dashboard/")

    assert response["Location"] == "/accounts/2fa/totp/activate/?next=%2Fdashboard%2F"


def test_unknown_tables_and_formats_are_not_found(client):
    client.force_login(reviewer())

    assert client.get("/dashboard/tables/secrets.csv").status_code == 404
    assert client.get("/dashboard/tables/cities.pdf").status_code == 404
    assert client.get("/dashboard/cities/nowhere/").status_code == 404
    # Names of the engaged diplomats are a staff table; officials cannot download it.
    client.force_login(UserFactory(roles=[CITY_OFFICIALS]))
    assert client.get("/dashboard/cities/florence/tables/diplomats.csv").status_code == 404


def test_public_city_pages_stay_public_and_show_no_dashboard_figures(client):
    response = client.get("/cities/florence/")

    assert response.status_code == 200
    assert "Engaged diplomats" not in response.content.decode()
