import pytest
from django.db.utils import OperationalError

from tests.reliability.caches import production_caches


@pytest.fixture
def redis_cache(settings):
    """The production caches on the test run's Redis: the health check asks Redis itself."""
    settings.CACHES = production_caches(settings.REDIS_URL)


@pytest.mark.django_db
def test_healthz_is_ok_when_database_broker_and_cache_answer(client, redis_cache):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_healthz_names_the_broker_when_it_does_not_answer(client, settings, redis_cache):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "broker": "unavailable",
        "cache": "ok",
    }


@pytest.mark.django_db
def test_healthz_names_the_cache_when_it_does_not_answer(client, settings):
    settings.CACHES = production_caches("redis://127.0.0.1:1/0")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "broker": "ok",
        "cache": "unavailable",
    }


@pytest.mark.django_db
def test_healthz_names_the_database_when_it_does_not_answer(client, monkeypatch, redis_cache):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("diplomacy_portal.views.connection.cursor", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    assert response.json()["broker"] == "ok"


@pytest.mark.django_db
def test_livez_answers_without_asking_the_database_or_the_broker(
    client, settings, django_assert_num_queries
):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nobody answers there
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200
    assert response.content == b"ok"
