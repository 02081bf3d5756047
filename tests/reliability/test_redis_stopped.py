"""With the cache's Redis stopped (a real one, started by the test and stopped again), signing
in works, wrong passwords are still limited, and every page of the permission table renders."""

from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from tests.factories import UserFactory
from tests.portal.test_every_url_is_guarded import CHECKS, ROLES, outcome, world  # noqa: F401
from tests.processes import RedisServer
from tests.reliability.caches import production_caches

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def stopped_redis_url(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    server.stop()
    return server.url


@pytest.fixture
def redis_stopped(settings, stopped_redis_url):
    """The production caches (allauth's rate limits in the database), their Redis stopped."""
    settings.CACHES = production_caches(stopped_redis_url)
    settings.DASHBOARD_CACHE_SECONDS = 300
    call_command("createcachetable")


def _sign_in(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password})


@pytest.mark.django_db
def test_signing_in_works_while_the_cache_is_stopped(redis_stopped):
    citizen = UserFactory(email="leila@example.org")
    client = Client()

    response = _sign_in(client, citizen.email, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


@pytest.mark.django_db
def test_wrong_passwords_are_still_limited_while_the_cache_is_stopped(redis_stopped):
    citizen = UserFactory(email="leila@example.org")
    client = Client()
    for _ in range(5):
        assert _sign_in(client, citizen.email, "guess").status_code == 200

    response = _sign_in(client, citizen.email, PASSWORD)

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_every_page_of_the_permission_table_answers_without_error_while_the_cache_is_stopped(
    world,  # noqa: F811
    redis_stopped,
):
    keys, sessions, client = world
    errors = []
    for _route, check in CHECKS:
        url = check.url.format(**keys)
        if url == "/healthz":
            continue  # its 503 says that the cache is down: the test below
        for role in ROLES:
            client.cookies = SimpleCookie()
            if sessions[role]:
                client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
            with transaction.atomic():
                got = outcome(client, check, url)
                transaction.set_rollback(True)
            if isinstance(got, int) and got >= 500:
                errors.append(f"{role}: {check.method.upper()} {url} answered {got}")
    assert not errors, "\n".join(errors)


@pytest.mark.django_db
def test_the_health_check_names_the_stopped_cache(client, redis_stopped):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["cache"] == "unavailable"
    assert response.json()["database"] == "ok"
