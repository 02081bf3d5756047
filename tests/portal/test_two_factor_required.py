import pytest

from citizens.roles import CITY_OFFICIALS, INITIATIVE_COORDINATORS, MUNICIPAL_STAFF
from tests.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("is_staff", "roles"),
    [(True, [MUNICIPAL_STAFF]), (True, [INITIATIVE_COORDINATORS]), (False, [CITY_OFFICIALS])],
)
def test_privileged_users_must_set_up_two_factor_before_the_admin(client, is_staff, roles):
    client.force_login(UserFactory(is_staff=is_staff, roles=roles, totp=False))

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[0] == ("/accounts/2fa/totp/activate/", 302)
    assert "Set up two-factor authentication first" in response.content.decode()


@pytest.mark.django_db
def test_with_two_factor_set_up_staff_reach_the_admin(client):
    client.force_login(UserFactory(is_staff=True, roles=[MUNICIPAL_STAFF]))

    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_citizens_are_not_asked_for_two_factor_on_their_own_pages(client):
    client.force_login(UserFactory(totp=False))

    assert client.get("/me/").status_code == 200
    assert client.get("/inbox/").status_code == 200


@pytest.mark.django_db
def test_signing_in_with_two_factor_asks_for_the_code(client):
    UserFactory(email="maryam@example.org", is_staff=True, roles=[MUNICIPAL_STAFF])

    response = client.post(
        "/accounts/login/", {"login": "maryam@example.org", "password": "correct horse battery"}
    )

    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
