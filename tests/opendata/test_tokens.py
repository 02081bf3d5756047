"""Personal API tokens: made on /me/api-tokens/ by staff and officials, shown once, kept
hashed, logged at each use, revoked, refused when wrong or expired."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from citizens.roles import CITY_OFFICIALS
from opendata.models import ApiToken, ApiTokenUse
from opendata.services import hash_key

pytestmark = pytest.mark.django_db


def _bearer(key):
    return {"authorization": f"Bearer {key}"}


def test_an_official_creates_a_token_shown_once_and_kept_hashed(client, official):
    client.force_login(official)

    created = client.post("/me/api-tokens/", {"name": "Newsroom map", "expires_on": ""})
    later = client.get("/me/api-tokens/")

    key = created.context["key"]
    token = ApiToken.objects.get()
    assert key.startswith("cdp_") and key.encode() in created.content
    assert token.key_hash == hash_key(key) and key not in token.key_hash
    assert key.encode() not in later.content
    assert b"Newsroom map" in later.content
    assert created["Cache-Control"].startswith("max-age=0")


def test_a_token_may_expire_on_a_solar_hijri_day(client, official):
    client.force_login(official)
    client.post("/me/api-tokens/", {"name": "Until Nowruz", "expires_on": "1420/01/01"})

    assert ApiToken.objects.get().expires_on == datetime.date(2041, 3, 20)


def test_an_expiry_in_the_past_is_refused_on_the_form(client, official):
    client.force_login(official)
    response = client.post("/me/api-tokens/", {"name": "Old", "expires_on": "2001-01-01"})

    assert b"Choose a day from today on." in response.content
    assert not ApiToken.objects.exists()


def test_citizens_cannot_have_tokens(client, citizen):
    client.force_login(citizen)

    assert client.get("/me/api-tokens/").status_code == 403
    assert client.post("/me/api-tokens/", {"name": "Mine"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_each_use_of_a_token_is_logged_with_time_and_address(client, official_key):
    client.get("/api/v1/cities/", headers=_bearer(official_key), REMOTE_ADDR="203.0.113.9")

    use = ApiTokenUse.objects.get()
    assert use.address == "203.0.113.9"
    assert timezone.now() - use.at < datetime.timedelta(minutes=1)


def test_the_tokens_page_shows_the_last_use(client, official, official_key):
    client.get("/api/v1/figures/", headers=_bearer(official_key))
    client.force_login(official)

    page = client.get("/me/api-tokens/")

    assert page.context["tokens"][0].last_used is not None
    assert b"Not yet" not in page.content


def test_a_token_has_a_higher_limit_than_an_address(client, official_key, settings):
    settings.API_ANONYMOUS_RATE, settings.API_TOKEN_RATE = "2/min", "5/min"
    anonymous = [client.get("/api/v1/figures/").status_code for _ in range(3)]
    with_token = [
        client.get("/api/v1/figures/", headers=_bearer(official_key)).status_code for _ in range(6)
    ]

    assert anonymous == [200, 200, 429]
    assert with_token == [200] * 5 + [429]


@pytest.mark.parametrize(
    "header", ["Bearer cdp_wrong", "Bearer", "Bearer two words", "bearer cdp_ümlaut"]
)
def test_a_wrong_token_is_refused_not_served_as_anonymous(client, header):
    response = client.get(
        "/api/v1/cities/", headers={"authorization": header, "accept-language": "fa"}
    )

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["detail"]
    assert not ApiTokenUse.objects.exists()


def test_a_revoked_token_stops_working(client, official, official_key):
    client.force_login(official)
    token = ApiToken.objects.get()

    revoked = client.post(f"/me/api-tokens/{token.pk}/revoke/")
    used = client.get("/api/v1/cities/", headers=_bearer(official_key))

    assert revoked["Location"] == "/me/api-tokens/"
    assert used.status_code == 401
    assert "revoked" in used.json()["detail"]


def test_someone_else_s_token_cannot_be_revoked(client, official_key):
    from tests.initiatives.factories import staff

    client.force_login(staff("other-staff@example.org"))

    response = client.post(f"/me/api-tokens/{ApiToken.objects.get().pk}/revoke/")

    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_an_expired_token_stops_working(client, official_key):
    ApiToken.objects.update(expires_on=timezone.localdate() - datetime.timedelta(days=1))

    response = client.get("/api/v1/cities/", headers=_bearer(official_key))

    assert response.status_code == 401


def test_a_token_expiring_today_still_works_today(client, official_key):
    ApiToken.objects.update(expires_on=timezone.localdate())

    assert client.get("/api/v1/cities/", headers=_bearer(official_key)).status_code == 200


def test_the_dashboards_figures_need_an_official_s_token(client, official_key, programme):
    anonymous = client.get("/api/v1/dashboard/cities/")
    official = client.get("/api/v1/dashboard/cities/", headers=_bearer(official_key))

    assert anonymous.status_code == 401
    rows = official.json()["results"]
    assert [row["slug"] for row in rows] == ["florence", "kuala-lumpur"]
    assert rows[0]["engaged_diplomats"] == 2
    assert rows[0]["active_initiatives"] == 1


def test_a_session_opens_no_dashboard_figures(client, official):
    client.force_login(official)

    assert client.get("/api/v1/dashboard/cities/").status_code == 401


def test_a_role_taken_away_closes_the_dashboards_figures_at_once(client, official, official_key):
    official.groups.remove(Group.objects.get(name=CITY_OFFICIALS))

    response = client.get("/api/v1/dashboard/cities/", headers=_bearer(official_key))

    assert response.status_code == 403
    assert "official" in response.json()["detail"]


def test_my_page_leads_token_holders_to_their_tokens_and_no_one_else(client, official, citizen):
    client.force_login(official)
    official_page = client.get("/me/")
    client.force_login(citizen)
    citizen_page = client.get("/me/")

    assert b'href="/me/api-tokens/"' in official_page.content
    assert b'href="/me/api-tokens/"' not in citizen_page.content


def test_my_data_export_holds_my_tokens_and_their_uses_but_no_key(client, official, official_key):
    client.get("/api/v1/figures/", headers=_bearer(official_key), REMOTE_ADDR="203.0.113.9")
    client.force_login(official)

    export = client.get("/me/export/").content.decode()

    data = json.loads(export)["api_tokens"]
    assert data[0]["name"] == "Newsroom"
    assert data[0]["uses"][0]["address"] == "203.0.113.9"
    assert official_key not in export and hash_key(official_key) not in export
