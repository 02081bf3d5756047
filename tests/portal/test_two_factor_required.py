"""Staff, officials and coordinators see other people's data and act for the city only in a
session signed in with the second factor. The permission table (test_every_url_is_guarded.py)
walks every URL with role holders who have no authenticator; these follow the way back."""

import pytest
from django.test import Client

from citizens.roles import CITY_OFFICIALS, INITIATIVE_COORDINATORS, MUNICIPAL_STAFF
from tests.factories import UserFactory, application_in, totp_code
from tests.initiatives.factories import MeetingFactory, coordinator

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's
SET_UP = "/accounts/2fa/totp/activate/"
CODE = "/accounts/2fa/reauthenticate/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def cv_url():
    application = application_in("submitted")
    return f"/applications/{application.public_id}/documents/cv/"


@pytest.mark.parametrize(
    ("is_staff", "roles"),
    [(True, [MUNICIPAL_STAFF]), (True, [INITIATIVE_COORDINATORS]), (False, [CITY_OFFICIALS])],
)
def test_role_holders_without_an_authenticator_are_sent_to_set_one_up(is_staff, roles):
    client = Client()
    client.force_login(UserFactory(is_staff=is_staff, roles=roles, totp=False))

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[0] == (f"{SET_UP}?next=%2Fadmin%2F", 302)
    assert "Set up two-factor authentication first" in response.content.decode()


def test_staff_without_an_authenticator_set_one_up_and_get_the_cv_they_asked_for(cv_url):
    staff = UserFactory(email="new@example.org", is_staff=True, roles=[MUNICIPAL_STAFF], totp=False)
    client = Client()
    client.force_login(staff)

    assert client.get(cv_url)["Location"] == f"{SET_UP}?next={cv_url.replace('/', '%2F')}"
    # allauth asks for the password before an authenticator is added.
    client.post("/accounts/reauthenticate/", {"password": PASSWORD, "next": SET_UP})
    secret = client.get(SET_UP).context["form"].secret
    answer = client.post(SET_UP, {"code": totp_code(secret)})

    assert answer["Location"] == f"{CODE}?next={cv_url.replace('/', '%2F')}"
    back = client.post(CODE, {"code": totp_code(secret), "next": cv_url})
    assert back["Location"] == cv_url
    assert b"".join(client.get(cv_url).streaming_content).startswith(b"%PDF-")


def test_signed_in_with_the_password_alone_staff_type_the_code_then_get_the_cv(cv_url):
    client = Client()
    client.force_login(UserFactory(is_staff=True, roles=[MUNICIPAL_STAFF]))

    first = client.get(cv_url)

    assert first["Location"] == f"{CODE}?next={cv_url.replace('/', '%2F')}"
    back = client.post(CODE, {"code": totp_code(), "next": cv_url})
    assert back["Location"] == cv_url
    assert client.get(cv_url).status_code == 200


def test_signing_in_with_password_and_code_opens_the_cv_directly(cv_url):
    UserFactory(email="maryam@example.org", is_staff=True, roles=[MUNICIPAL_STAFF])
    client = Client()

    client.post("/accounts/login/", {"login": "maryam@example.org", "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": totp_code()})

    assert client.get(cv_url).status_code == 200


def test_signing_in_with_two_factor_asks_for_the_code():
    UserFactory(email="maryam@example.org", is_staff=True, roles=[MUNICIPAL_STAFF])

    client = Client()
    response = client.post(
        "/accounts/login/", {"login": "maryam@example.org", "password": PASSWORD}
    )

    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session


def test_a_coordinator_without_two_factor_cancels_nothing():
    neda = coordinator("neda@example.org", totp=False)
    meeting = MeetingFactory(initiative__coordinator=neda, organiser=neda)
    client = Client()
    client.force_login(neda)

    response = client.post(f"/meetings/{meeting.pk}/cancel/")

    assert response["Location"] == SET_UP
    meeting.refresh_from_db()
    assert not meeting.is_cancelled


def test_citizens_are_not_asked_for_two_factor_on_their_own_pages():
    client = Client()
    client.force_login(UserFactory(totp=False))

    assert client.get("/me/").status_code == 200
    assert client.get("/inbox/").status_code == 200


def test_a_documents_address_is_its_random_id_not_the_applications_number():
    first, second = application_in("submitted"), application_in("submitted")
    client = Client()
    client.force_login(first.user)

    assert first.public_id != second.public_id
    assert client.get(f"/applications/{first.public_id}/documents/cv/").status_code == 200
    assert client.get(f"/applications/{first.pk}/documents/cv/").status_code == 404
