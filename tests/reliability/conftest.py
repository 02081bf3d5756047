"""What the fault tests share: a Redis of their own (which a test may stop, start or freeze),
the portal's processes started against it, and their environment."""

import os
import signal

import pytest

from tests.processes import RedisServer, service_env


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    if server.process.poll() is None:
        os.kill(server.process.pid, signal.SIGCONT)  # a frozen Redis would ignore SIGTERM
    server.stop()


@pytest.fixture
def processes():
    started = []
    yield started
    for process in reversed(started):
        process.stop()


@pytest.fixture
def env(redis_server, smtp_server, static_root):
    return service_env(
        REDIS_URL=redis_server.url,
        STATIC_ROOT=static_root,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}",
        DELIVERY_SWEEP_GRACE_SECONDS=2,
        DELIVERY_SWEEP_INTERVAL_SECONDS=1,
        CELERY_VISIBILITY_TIMEOUT=60,
        INVITATION_CHUNK_SIZE=100,
    )
