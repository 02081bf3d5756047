"""Make sure the benchmark's database for a scale holds the current data set, then print who
and what the benchmark reads as JSON.

    python -m bench.prepare SCALE [--rebuild] [--check]

Each scale has its own database (`<name>_bench_<scale>` beside DATABASE_URL's) stamped with the
generator's version (bench.dataset.version()). A stamped, current database is migrated and
reused, after undoing what the last run changed (the fan-out's invitations and their
notifications, sessions); anything else (or a database that fails to migrate) is dropped and
built again. `--check` only
reports (exit 1 when there is no current data set).
"""

import json
import os
import sys
import time
from urllib.parse import urlsplit, urlunsplit

STAMP_TABLE = "bench_dataset"


def bench_url(base_url: str, scale: str) -> str:
    parts = urlsplit(base_url)
    name = parts.path.lstrip("/") or "diplomacy_portal"
    return urlunsplit(parts._replace(path=f"/{name}_bench_{scale}"))


def _connect(url: str, dbname: str | None = None):
    import environ
    import psycopg

    config = environ.Env.db_url_config(url)
    params = {
        "dbname": dbname or config["NAME"],
        "user": config["USER"] or "postgres",
        "autocommit": True,
    }
    params.update({k: v for k, v in (("host", config["HOST"]), ("port", config["PORT"])) if v})
    params.update(config.get("OPTIONS", {}))
    if config["PASSWORD"]:
        params["password"] = config["PASSWORD"]
    return psycopg.connect(**params), config["NAME"]


def read_stamp(url: str) -> dict | None:
    import psycopg

    try:
        connection, _name = _connect(url)
    except psycopg.OperationalError:
        return None  # no such database yet
    with connection:
        row = connection.execute("SELECT to_regclass(%s) IS NOT NULL", [STAMP_TABLE]).fetchone()
        if not row[0]:
            return None
        row = connection.execute(
            f"SELECT version, scale, built_at, seconds, people FROM {STAMP_TABLE}"
        ).fetchone()
    if row is None:
        return None
    version, scale, built_at, seconds, people = row
    return {
        "version": version,
        "scale": scale,
        "built_at": built_at.isoformat(),
        "seconds": seconds,
        "people": people,
    }


def _recreate(url: str) -> None:
    maintenance, name = _connect(url, dbname="postgres")
    with maintenance:
        maintenance.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        maintenance.execute(f'CREATE DATABASE "{name}"')


def _reset(url: str, stamp: dict) -> None:
    """Undo what a run changes, so each run starts from the same rows."""
    connection, _name = _connect(url)
    meeting = stamp["people"]["fanout_meeting"]
    with connection:
        connection.execute(
            "DELETE FROM citizens_notification WHERE created_at > %s", [stamp["built_at"]]
        )
        connection.execute("DELETE FROM initiatives_invitation WHERE meeting_id = %s", [meeting])
        connection.execute("DELETE FROM citizens_outgoingemail")
        connection.execute("DELETE FROM django_session")
        connection.execute("UPDATE initiatives_meeting SET sequence = 0 WHERE id = %s", [meeting])
        connection.execute("VACUUM ANALYZE initiatives_invitation")
        connection.execute("VACUUM ANALYZE citizens_notification")


def _build(url: str, scale: str) -> dict:
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    from bench import dataset

    _recreate(url)
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)  # allauth's rate limits
    print(f"Building the {scale} data set (one time; reused while it is current)", file=sys.stderr)
    people = dataset.build(dataset.Sizes.at(dataset.SCALES[scale]), log=_err)
    with connection.cursor() as cursor:
        # As autovacuum would have left a production database: visibility maps make
        # index-only scans possible.
        cursor.execute("VACUUM ANALYZE")
    seconds = round(time.monotonic() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {STAMP_TABLE} (version text, scale text, built_at timestamptz, "
            "seconds float, people jsonb)"
        )
        cursor.execute(
            f"INSERT INTO {STAMP_TABLE} VALUES (%s, %s, now(), %s, %s)",
            [dataset.version(), scale, seconds, json.dumps(people)],
        )
    _err(f"  built in {seconds} s")
    return read_stamp(url)


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def current_version() -> str:
    import django

    django.setup()
    from bench import dataset

    return dataset.version()


def _migrate() -> bool:
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)  # allauth's rate limits
    except Exception as error:  # e.g. migrations from another branch: build afresh
        _err(f"The stored data set does not migrate ({error}); building it again")
        return False
    return True


def main(argv: list[str]) -> int:
    scale = argv[0]
    url = bench_url(os.environ["DATABASE_URL"], scale)
    os.environ["DATABASE_URL"] = url
    stamp = read_stamp(url)
    current = stamp is not None and stamp["version"] == current_version()
    if "--check" in argv:
        print(json.dumps({"url": url, **(stamp or {})} if current else {}))
        return 0 if current else 1
    if current and "--rebuild" not in argv and _migrate():
        _err(f"Reusing the {scale} data set built {stamp['built_at']}")
        _reset(url, stamp)
    else:
        from django.db import connections

        connections.close_all()
        stamp = _build(url, scale)
    print(json.dumps({"url": url, **stamp}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
