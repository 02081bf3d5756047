"""Who may open each page of the application workflow."""

import pytest

from citizens.roles import CITY_OFFICIALS
from tests.factories import UserFactory, application_in, reviewer

LOGIN = "login"  # a redirect to the sign-in page
ADMIN_LOGIN = "admin-login"

ROLES = ["anonymous", "applicant", "other_citizen", "staff", "official"]

# url ({pk}: the applicant's application; {documents}: its documents' id), then the expected
# answer per role above.
TABLE = [
    ("/apply/", [LOGIN, 302, 200, 200, 200]),
    ("/me/", [LOGIN, 200, 200, 200, 200]),
    ("/me/export/", [LOGIN, 200, 200, 200, 200]),
    ("/me/delete/", [LOGIN, 200, 200, 200, 200]),
    ("/inbox/", [LOGIN, 200, 200, 200, 200]),
    ("/applications/{documents}/documents/cv/", [LOGIN, 200, 404, 200, 404]),
    ("/applications/{documents}/documents/photo/", [LOGIN, 200, 404, 200, 404]),
    ("/applications/{documents}/documents/passport/", [LOGIN, 404, 404, 404, 404]),
    (
        "/admin/citizens/diplomatapplication/",
        [ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, ADMIN_LOGIN],
    ),
    (
        "/admin/citizens/diplomatapplication/{pk}/change/",
        [ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, ADMIN_LOGIN],
    ),
    (
        "/admin/citizens/diplomatapplication/{pk}/decide/approve/",
        [ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, ADMIN_LOGIN],
    ),
]


@pytest.fixture
def people(db):
    application = application_in("submitted")
    return application, {
        "anonymous": None,
        "applicant": application.user,
        "other_citizen": UserFactory(email="other@example.org"),
        "staff": reviewer("maryam@example.org"),
        "official": UserFactory(email="official@example.org", roles=[CITY_OFFICIALS]),
    }


@pytest.mark.parametrize(("url", "expected"), TABLE, ids=[row[0] for row in TABLE])
def test_each_role_gets_what_it_should(client, people, url, expected):
    application, users = people
    for role, answer in zip(ROLES, expected, strict=True):
        client.logout()
        if users[role]:
            client.force_login(users[role])
        response = client.get(url.format(pk=application.pk, documents=application.public_id))
        if answer == LOGIN:
            assert response.status_code == 302, role
            assert response["Location"].startswith("/accounts/login/"), role
        elif answer == ADMIN_LOGIN:
            assert response.status_code == 302, role
            assert response["Location"].startswith("/admin/login/"), role
        else:
            assert response.status_code == answer, role


def test_a_document_is_served_as_a_sandboxed_private_download(client, people):
    application, users = people
    client.force_login(users["staff"])

    response = client.get(f"/applications/{application.public_id}/documents/cv/")

    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "sandbox"
    assert "no-store" in response["Cache-Control"]


def test_uploaded_files_have_no_public_url(client, people):
    application, _users = people

    response = client.get(f"/media/{application.cv.name}")

    assert response.status_code == 404
