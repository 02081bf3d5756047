"""Postgres restarts while the portal runs: requests meanwhile get 503 with Retry-After and the
portal's own page, not a 500 or a traceback, and the portal recovers by itself once the database
is back."""

import subprocess
import sys
import time

import pytest

from tests.helpers import wait_for
from tests.processes import ROOT, http, service_env, start_web

pytestmark = pytest.mark.worker


@pytest.fixture
def own_postgres(tmp_path):
    """A Postgres of the test's own (pgserver), which it can stop and start."""
    import pgserver
    from pgserver._commands import pg_ctl

    server = pgserver.get_server(tmp_path / "pg", cleanup_mode="delete")
    socket_dir = server.get_postmaster_info().socket_dir

    def postgres(action: str):
        arguments = {
            "stop": ["-m", "fast", "stop"],
            "start": ["-o", '-h ""', "-o", f"-k {socket_dir}", "-l", str(server.log), "start"],
        }[action]
        pg_ctl(["-w", *arguments], pgdata=server.pgdata, user=server.system_user)

    server.psql("CREATE DATABASE portal;")
    yield f"postgresql://postgres:@/portal?host={socket_dir}", postgres
    server._cleanup()


def test_a_postgres_restart_answers_503_with_retry_after_then_the_portal_recovers(
    own_postgres, static_root, tmp_path
):
    database_url, postgres = own_postgres
    env = service_env(DATABASE_URL=database_url, CONN_MAX_AGE=60, STATIC_ROOT=static_root)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    web, base_url = start_web(env, tmp_path)
    try:
        assert http(base_url, "GET", "/")[0] == 200

        postgres("stop")
        # A search needs the database; the home page's list of cities, kept, does not.
        for _ in range(3):
            status, headers, body = http(base_url, "GET", "/initiatives/?q=crafts")
            assert status == 503
            assert headers["Retry-After"] == "30"
            assert "The portal is briefly unavailable" in body
            assert "Traceback" not in body and "psycopg" not in body
            assert headers["Content-Type"].startswith("text/html")
        assert http(base_url, "GET", "/")[0] == 200

        postgres("start")
        wait_for(lambda: http(base_url, "GET", "/")[0] == 200, timeout=30, interval=0.5)
        time.sleep(0.5)
        assert all(http(base_url, "GET", "/cities/")[0] == 200 for _ in range(4))
    finally:
        web.stop()
