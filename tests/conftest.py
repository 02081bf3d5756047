import os

import pytest
from django.core.cache import cache

from diplomacy_portal.celery import app as celery_app

from .factories import SisterCityFactory, UserFactory
from .processes import service_env, start_worker
from .smtp import SMTPServer

CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def citizen(db):
    return UserFactory(email="citizen@example.org")


@pytest.fixture
def sister_city(db):
    return SisterCityFactory(name_en="Florence", name_fa="فلورانس", slug="florence")


# Browser tests: Playwright (pytest-playwright's `page`) on Debian's Chromium.


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: install Debian's chromium package"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


# Real processes: an SMTP server on loopback and a Celery worker on the real broker.


@pytest.fixture
def smtp_server():
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def celery_worker(transactional_db, smtp_server, tmp_path):
    """A real `celery worker` process with production settings, on the real broker, sharing
    this test's database (committed for real, so the worker sees it) and delivering mail to
    `smtp_server`."""
    env = service_env(EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}")
    worker = start_worker(env, tmp_path)
    celery_app.conf.task_always_eager = False
    try:
        yield worker
    finally:
        celery_app.conf.task_always_eager = True
        worker.stop()
