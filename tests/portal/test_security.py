"""Headers, cookies and sessions: what every response and every sign-in must carry."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import UserFactory, reviewer

ROOT = Path(__file__).resolve().parents[2]


def _check_headers(response):
    policy = response["Content-Security-Policy"]
    for directive in (
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "default-src 'self'",
    ):
        assert directive in policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        (None, "/", 200),
        (None, "/accounts/login/", 200),
        (None, "/me/", 302),
        (None, "/no-such-page/", 404),
        ("citizen", "/admin/login/", 403),
        ("staff", "/admin/", 200),
        ("staff", "/admin/citizens/diplomatapplication/", 200),
        ("citizen", "/accounts/email/", 200),
    ],
)
def test_every_kind_of_response_carries_the_security_headers(client, who, url, status):
    if who == "citizen":
        client.force_login(UserFactory())
    elif who == "staff":
        client.force_login(reviewer())

    response = client.get(url, secure=True)

    assert response.status_code == status
    _check_headers(response)


@pytest.mark.django_db
@pytest.mark.urls("tests.portal.failing_urls")
def test_a_server_error_carries_the_security_headers_too(client):
    client.raise_request_exception = False

    response = client.get("/broken/", secure=True)

    assert response.status_code == 500
    _check_headers(response)


@pytest.mark.django_db
def test_pages_use_no_inline_script(client):
    client.force_login(UserFactory())
    for url in ("/", "/apply/", "/me/", "/inbox/", "/cities/", "/accounts/login/"):
        html = client.get(url).content.decode()
        for tag in html.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            assert "src=" in opening or 'type="application/json"' in opening, (url, opening)


def test_production_cookies_are_secure_httponly_host_cookies():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "diplomacy_portal.settings",
        "SECRET_KEY": "x" * 60,
        "DEBUG": "false",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    script = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.LANGUAGE_COOKIE_NAME, "
        "s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE, "
        "s.LANGUAGE_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "__Host-language",
        "True",
        "True",
        "True",
        "True",
        "31536000",
    ]


@pytest.mark.django_db
def test_signing_in_gives_a_new_session_key(client):
    UserFactory(email="ana@example.org")
    client.get("/accounts/login/")
    before = client.session.session_key

    client.post(
        "/accounts/login/", {"login": "ana@example.org", "password": "correct horse battery"}
    )

    assert client.session.session_key != before
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_signing_out_ends_the_session(client):
    client.force_login(UserFactory())

    client.post("/accounts/logout/")

    assert client.get("/me/").status_code == 302


@pytest.mark.django_db
def test_a_deactivated_account_is_signed_out_at_once(client):
    user = UserFactory()
    client.force_login(user)

    user.is_active = False
    user.save()

    assert client.get("/me/")["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_staff_sessions_end_after_thirty_idle_minutes_citizens_do_not(client, settings):
    client.force_login(reviewer())
    client.get("/admin/")
    assert client.session.get_expiry_age() == 30 * 60

    client.force_login(UserFactory(email="citizen@example.org"))
    client.get("/me/")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


@pytest.mark.django_db
def test_the_sixth_failed_sign_in_within_five_minutes_is_refused(client):
    UserFactory(email="ana@example.org")
    answers = [
        client.post(
            "/accounts/login/", {"login": "ana@example.org", "password": "wrong"}
        ).content.decode()
        for _ in range(6)
    ]

    assert all("Too many failed login attempts" not in answer for answer in answers[:5])
    assert "Too many failed login attempts" in answers[5]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/accounts/login/", {"password": "wrong-password"}),
        ("/accounts/password/reset/", {}),
    ],
)
def test_sign_in_and_password_reset_say_the_same_whether_the_address_exists(client, url, data):
    UserFactory(email="known@example.org")

    known = client.post(url, {"login": "known@example.org", "email": "known@example.org", **data})
    client.cookies.clear()
    unknown = client.post(
        url, {"login": "nobody@example.org", "email": "nobody@example.org", **data}
    )

    assert known.status_code == unknown.status_code
    assert known.get("Location") == unknown.get("Location")
    if known.status_code == 200:

        def text(response):
            return (
                response.content.decode()
                .replace("known@example.org", "X")
                .replace("nobody@example.org", "X")
            )

        strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
        assert strip.sub("", text(known)) == strip.sub("", text(unknown))


@pytest.mark.django_db
def test_an_idle_staff_session_expires(client, settings):
    from django.contrib.sessions.models import Session

    client.force_login(reviewer())
    client.get("/admin/")
    session = Session.objects.get(session_key=client.session.session_key)

    remaining = session.expire_date - timezone.now()
    assert 29 * 60 < remaining.total_seconds() <= 30 * 60
