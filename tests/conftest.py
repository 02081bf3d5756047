import os

import pytest
from django.core.cache import cache

from diplomacy_portal.celery import app as celery_app

from .factories import SisterCityFactory, UserFactory
from .helpers import SignedInClient
from .processes import collect_static, service_env, start_worker
from .smtp import SMTPServer

CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def client():
    """A browser whose force_login includes the second factor for those who have one."""
    return SignedInClient()


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


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """Static files collected once per run for the portal processes tests start."""
    return collect_static(tmp_path_factory.mktemp("static"))


@pytest.fixture
def celery_app_on_broker():
    """Tasks this test queues go to the real broker (not run in-process), for a real worker."""
    celery_app.conf.task_always_eager = False
    yield celery_app
    celery_app.conf.task_always_eager = True


@pytest.fixture
def celery_worker(transactional_db, smtp_server, tmp_path, celery_app_on_broker):
    """A real `celery worker` process with production settings, on the real broker, sharing
    this test's database (committed for real, so the worker sees it) and delivering mail to
    `smtp_server`."""
    worker = start_worker(service_env(EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}"), tmp_path)
    yield worker
    worker.stop()
