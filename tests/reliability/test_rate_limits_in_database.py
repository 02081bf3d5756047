"""allauth's rate limits are kept in the database, everything else the default cache holds in
Redis: a failed sign-in is counted in the database, and the cache's own entries in Redis."""

import pytest
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connection
from django.test import Client

from tests.factories import UserFactory
from tests.reliability.caches import production_caches


@pytest.fixture
def production_cache(settings):
    settings.CACHES = production_caches(settings.REDIS_URL)
    call_command("createcachetable")
    yield
    caches["redis"].delete_many(["figures", "texts"])


def _rate_limit_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM portal_rate_limits")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_failed_sign_in_is_counted_in_the_database(production_cache):
    citizen = UserFactory(email="leila@example.org")

    Client().post("/accounts/login/", {"login": citizen.email, "password": "guess"})

    assert _rate_limit_rows() > 0
    assert not list(caches["redis"].iter_keys("allauth:*"))


@pytest.mark.django_db
def test_the_caches_other_entries_are_kept_in_redis_one_by_one_or_many_at_once(
    production_cache,
):
    cache.set("figures", [1, 2, 3])
    cache.set_many({"texts": "hello", "allauth:rl:test:key": [1.5]})

    assert caches["redis"].get_many(["figures", "texts"]) == {
        "figures": [1, 2, 3],
        "texts": "hello",
    }
    assert cache.get_many(["figures", "allauth:rl:test:key"]) == {
        "figures": [1, 2, 3],
        "allauth:rl:test:key": [1.5],
    }
    assert caches["rate-limits"].get("allauth:rl:test:key") == [1.5]
    cache.delete_many(["figures", "allauth:rl:test:key"])
    assert cache.get_many(["figures", "texts", "allauth:rl:test:key"]) == {"texts": "hello"}
