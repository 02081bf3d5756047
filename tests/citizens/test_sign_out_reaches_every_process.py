"""What changes who someone is in one web process counts in every other from their next request:
a sign-out, a password change, a role taken away. Two gunicorn processes share the sessions
through Redis and the database (Django's cached_db sessions) and keep nothing of their own."""

from http.client import HTTPConnection
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest

from citizens.roles import CITY_OFFICIALS
from tests.factories import UserFactory
from tests.processes import CSRF_SECRET, http, service_env, signed_in_cookie, start_web

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def two_processes(django_db_setup, static_root, tmp_path_factory):
    """The base addresses of two portal web processes on the same database and Redis."""
    env = service_env(STATIC_ROOT=static_root)
    started = [start_web(env, tmp_path_factory.mktemp("web"), workers=1) for _ in range(2)]
    yield [base_url for _web, base_url in started]
    for web, _base_url in started:
        web.stop()


def _status(base_url: str, path: str, cookie: str) -> int:
    return http(base_url, "GET", path, cookie)[0]


def _asked_to_sign_in(base_url: str, cookie: str) -> bool:
    status, headers, _body = http(base_url, "GET", "/me/", cookie)
    return status == 302 and headers["Location"].startswith("/accounts/login/")


def _changing_password(base_url: str, cookie: str, old: str, new: str) -> str:
    """Changes the password; returns the cookie the browser holds afterwards."""
    parts = urlsplit(base_url)
    connection = HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request(
        "POST",
        "/accounts/password/change/",
        body=urlencode({"oldpassword": old, "password1": new, "password2": new}),
        headers={
            "Cookie": cookie,
            "X-CSRFToken": CSRF_SECRET,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    response = connection.getresponse()
    assert response.status == 302, response.read().decode()
    session = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie"):
        session.load(header)
    connection.close()
    return f"__Host-sessionid={session['__Host-sessionid'].value}; __Host-csrftoken={CSRF_SECRET}"


def test_signing_out_in_one_process_signs_out_in_the_other(two_processes):
    first, second = two_processes
    cookie = signed_in_cookie(UserFactory())
    assert _status(first, "/me/", cookie) == 200
    assert _status(second, "/me/", cookie) == 200

    assert http(first, "POST", "/accounts/logout/", cookie, {})[0] == 302

    assert _asked_to_sign_in(second, cookie)


def test_a_password_changed_in_one_process_signs_the_other_browsers_out_of_every_process(
    two_processes, settings
):
    # The portal processes know production's password hashers only.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    first, second = two_processes
    person = UserFactory(password=PASSWORD)
    laptop, phone = signed_in_cookie(person), signed_in_cookie(person)
    assert _status(second, "/me/", phone) == 200

    # Django gives the session that changed the password a new key.
    laptop = _changing_password(first, laptop, PASSWORD, "a new horse staple")

    assert _asked_to_sign_in(second, phone)
    assert _status(second, "/me/", laptop) == 200  # who changed it stays signed in


def test_a_role_taken_away_in_one_process_closes_the_dashboards_in_the_other(two_processes):
    first, second = two_processes
    official = UserFactory(email="official@example.org", roles=[CITY_OFFICIALS])
    administrator = UserFactory(
        email="root@example.org", is_staff=True, is_superuser=True, totp=True
    )
    seen_by_official = signed_in_cookie(official)
    assert _status(second, "/dashboard/", seen_by_official) == 200

    status, _headers, body = http(
        first,
        "POST",
        f"/admin/citizens/user/{official.pk}/change/",
        signed_in_cookie(administrator),
        {
            "email": official.email,
            "first_name": official.first_name,
            "last_name": official.last_name,
            "preferred_language": official.preferred_language,
            "is_active": "on",
            "groups": [],
            "user_permissions": [],
            "_save": "Save",
        },
    )
    assert status == 302, body

    assert _status(second, "/dashboard/", seen_by_official) == 403
