import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from diplomacy_portal.celery import app as celery_app

from .factories import SisterCityFactory, UserFactory
from .smtp import SMTPServer

ROOT = Path(__file__).resolve().parent.parent
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


def database_url() -> str:
    """The URL of the database this test run uses (pytest-django's test database)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "postgres") + (
        ":" + quote(db["PASSWORD"]) if db["PASSWORD"] else ""
    )
    location = f"{db['HOST']}:{db['PORT'] or 5432}" if db["HOST"] else ""
    query = f"?host={quote(db['OPTIONS']['host'])}" if db["OPTIONS"].get("host") else ""
    return f"postgresql://{credentials}@{location}/{db['NAME']}{query}"


@pytest.fixture
def celery_worker(transactional_db, smtp_server, tmp_path):
    """A real `celery worker` process with production settings, on the real broker, sharing
    this test's database (committed for real, so the worker sees it) and delivering mail to
    `smtp_server`."""
    name = f"test-{uuid.uuid4().hex[:8]}@localhost"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "diplomacy_portal.settings",
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": database_url(),
        "CONN_MAX_AGE": "0",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        "MAIL_RETRY_BASE_SECONDS": "1",
    }
    log = open(tmp_path / "worker.log", "w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "diplomacy_portal",
            "worker",
            "-n",
            name,
            "--pool=prefork",
            "--concurrency=2",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    celery_app.conf.task_always_eager = False
    try:
        _wait_until_ready(name, process, tmp_path / "worker.log")
        yield process
    finally:
        celery_app.conf.task_always_eager = True
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_until_ready(name: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The Celery worker exited:\n{log_path.read_text()}")
        replies = celery_app.control.ping(destination=[name], timeout=0.5)
        if any(name in reply for reply in replies):
            return
    pytest.fail(f"The Celery worker did not become ready:\n{log_path.read_text()}")
