"""`make bench`: the portal at a city's scale, served and loaded as in production.

    python scripts/dev.py bench [--scale full|small] [--output PATH] [--rebuild] ...

scripts/dev.py provides DATABASE_URL and REDIS_URL (embedded Postgres and Redis unless they are
set). See docs/benchmark.md for what each figure means.
"""

import argparse
import json
import math
import os
import platform
import secrets
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".data" / "bench"
PYTHON = sys.executable
DEFAULTS = {  # per scale: rounds × burst seconds per page, readers, no-op tasks
    "full": {"rounds": 6, "burst": 4.0, "warmup": 2.0, "users": 8, "noop": 10_000},
    "small": {"rounds": 4, "burst": 2.0, "warmup": 1.0, "users": 8, "noop": 3_000},
}


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=["full", "small"], default="full")
    parser.add_argument(
        "--output",
        type=Path,
        help="results file (default: bench/results.json at full scale, "
        "bench/results-small.json at small scale; the chart goes beside it as .png)",
    )
    parser.add_argument("--rebuild", action="store_true", help="build the data set again")
    parser.add_argument("--rounds", type=int, help="rounds of bursts (each page once a round)")
    parser.add_argument("--burst", type=float, help="seconds each page gets in a round")
    parser.add_argument("--users", type=int, help="simulated readers asking at once")
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn processes")
    parser.add_argument("--worker-concurrency", type=int, default=2, help="Celery processes")
    parser.add_argument("--noop-tasks", type=int, help="no-op tasks for the ceiling")
    parser.add_argument(
        "--uncached",
        nargs="*",
        default=["dashboard", "dashboard_city"],
        help="pages also timed with an empty cache before each request (default: dashboards)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a target is missed"
    )
    args = parser.parse_args(argv)
    for key, value in DEFAULTS[args.scale].items():
        name = "noop_tasks" if key == "noop" else key
        if getattr(args, name, None) is None:
            setattr(args, name, value)
    if args.output is None:
        name = "results.json" if args.scale == "full" else "results-small.json"
        args.output = ROOT / "bench" / name
    return args


def _say(message: str) -> None:
    print(message, flush=True)


def _prepare(scale: str, *extra: str) -> dict | None:
    result = subprocess.run(
        [PYTHON, "-m", "bench.prepare", scale, *extra],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "diplomacy_portal.settings",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-prepare",
        },
        stdout=subprocess.PIPE,
        text=True,
    )
    if result.returncode != 0:
        if "--check" in extra:
            return None
        sys.exit(f"Preparing the {scale} data set failed")
    return json.loads(result.stdout)


def _pages(people: dict) -> list[dict]:
    """The pages measured, each read as whom."""
    return [
        {"name": "trivial", "path": "/livez"},
        # The same view read by a signed-in official: what knowing the reader costs (session,
        # account, roles) before any page's own work.
        {"name": "trivial_signed_in", "path": "/livez", "as": "official"},
        {"name": "home", "path": "/"},
        {"name": "cities", "path": "/cities/"},
        {"name": "city", "path": f"/cities/{people['city']}/"},
        {"name": "initiatives", "path": "/initiatives/"},
        {"name": "proposals", "path": "/proposals/"},
        # The open data API's first pages, read by a program without a token.
        {"name": "api_cities", "path": "/api/v1/cities/"},
        {"name": "api_initiatives", "path": "/api/v1/initiatives/"},
        {"name": "dashboard", "path": "/dashboard/", "as": "official"},
        {
            "name": "dashboard_city",
            "path": f"/dashboard/cities/{people['city']}/",
            "as": "official",
        },
        {
            "name": "admin_applications",
            "path": "/admin/citizens/diplomatapplication/",
            "as": "staff",
        },
        {"name": "me", "path": "/me/", "as": "diplomat"},
        {"name": "inbox", "path": "/inbox/", "as": "diplomat"},
    ]


def _count_queries(stamp: dict, log_dir: Path) -> dict:
    plan = log_dir / f"queries-{stamp['scale']}.json"
    plan.write_text(json.dumps({"pages": _pages(stamp["people"]), "people": stamp["people"]}))
    result = subprocess.run(
        [PYTHON, "-m", "bench.queries", str(plan)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "DATABASE_URL": stamp["url"]},
    )
    if result.returncode != 0:
        sys.exit(f"Counting the queries at {stamp['scale']} scale failed")
    return json.loads(result.stdout)


def _configure(stamp: dict, log_dir: Path) -> None:
    """This process and the portal's processes: production settings on the bench database."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="diplomacy_portal.settings",
        DATABASE_URL=stamp["url"],
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="false",  # loopback has no TLS
        CELERY_QUEUE=f"bench-{uuid.uuid4().hex[:8]}",
        LOG_LEVEL="WARNING",
        DATA_DIR=str(WORK),
        STATIC_ROOT=str(WORK / "static"),
        MEDIA_ROOT=str(WORK / "media"),
        SITE_URL="http://127.0.0.1",
        # The load comes from one address, far faster than the API lets one address read.
        API_ANONYMOUS_RATE="1000000/min",
    )
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    import django

    django.setup()


class MemoryWatch(threading.Thread):
    """The largest resident set of any process of each group, sampled twice a second."""

    def __init__(self, groups: dict[str, int]):
        super().__init__(daemon=True)
        self.groups, self.peak = groups, dict.fromkeys(groups, 0.0)
        self.stopping = threading.Event()

    def run(self):
        import psutil

        while not self.stopping.wait(0.5):
            for name, pid in self.groups.items():
                try:
                    parent = psutil.Process(pid)
                    processes = [parent, *parent.children(recursive=True)]
                except psutil.NoSuchProcess:
                    continue
                for process in processes:
                    try:
                        rss = process.memory_info().rss / 2**20
                    except psutil.NoSuchProcess:
                        continue
                    self.peak[name] = max(self.peak[name], round(rss, 1))

    def stop(self) -> dict:
        self.stopping.set()
        self.join()
        return self.peak


def _machine() -> dict:
    import psutil
    from django.db import connection

    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (postgres,) = cursor.fetchone()
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "postgres": postgres,
        "platform": platform.platform(),
    }


def _commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout

    commit = git("rev-parse", "--short=10", "HEAD").strip() or "unknown"
    # A previous run's results, not yet committed, leave the code as it was.
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results*")
    dirty = dirty.strip()
    return commit + ("-dirty" if dirty else "")


def _empty_cache() -> None:
    """Remove every entry of the portal's cache (keys under its prefix only; the broker's keys in
    the same Redis stay)."""
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    pattern = f"{settings.CACHES['redis'].get('KEY_PREFIX', '')}:*"
    keys = list(client.scan_iter(match=pattern, count=1000))
    if keys:
        client.delete(*keys)


def _uncached(base_url: str, pages: list[dict], names: list[str], samples: int) -> dict:
    """p95 of each named page when its data is not cached: each request follows the removal
    of every cache entry (keys under the portal's cache prefix only; the broker's keys in the
    same Redis stay)."""
    from tests.processes import http

    results = {}
    for page in pages:
        if page["name"] not in names or page.get("missing"):
            continue
        timings = []
        for _ in range(samples):
            _empty_cache()
            started = time.perf_counter()
            http(base_url, "GET", page["path"], cookie=page.get("cookie", ""))
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        # Nearest rank: of 20 samples the 19th fastest, not the slowest.
        results[page["name"]] = {
            "p95": round(timings[math.ceil(0.95 * samples) - 1], 1),
            "max": round(timings[-1], 1),
        }
    return results


def _probe(base_url: str, pages: list[dict]) -> None:
    """Read each page once: a page that is not there yet (the dashboards before their branch is
    merged) is recorded as missing; any other answer than 200 stops the benchmark."""
    from tests.processes import http

    for page in pages:
        status, headers, body = http(base_url, "GET", page["path"], cookie=page.get("cookie", ""))
        if status == 404 and page["name"].startswith("dashboard"):
            page["missing"] = True
        elif status != 200:
            sys.exit(
                f"{page['name']} ({page['path']}) answered {status} "
                f"{headers.get('Location', '')}\n{body[:1000]}"
            )


def main(argv: list[str]) -> int:
    args = _arguments(argv)
    started = time.monotonic()
    log_dir = WORK / "logs" / datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    log_dir.mkdir(parents=True, exist_ok=True)
    other = "small" if args.scale == "full" else "full"
    _say(f"Data set ({args.scale} scale)")
    stamp = _prepare(args.scale, *(["--rebuild"] if args.rebuild else []))
    # The other scale's query counts: a full run builds the small set (seconds); a small run
    # counts on the full set only if a current one is there already.
    other_stamp = _prepare(other) if args.scale == "full" else _prepare(other, "--check")
    _configure(stamp, log_dir)
    _empty_cache()  # what an earlier run kept may describe the data set before it was restored
    from django.db import connection

    from bench import background, report
    from citizens.models import User
    from tests.processes import signed_in_cookie, start_web, start_worker

    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, check=True
    )
    _say("Counting queries")
    queries = {args.scale: _count_queries(stamp, log_dir)}
    if other_stamp:
        queries[other] = _count_queries(other_stamp, log_dir)
        _empty_cache()  # the other data set's counts and filter choices, kept in the same Redis
    pages = _pages(stamp["people"])
    users = User.objects.in_bulk([stamp["people"][p["as"]] for p in pages if p.get("as")])
    for page in pages:
        if page.get("as"):
            page["cookie"] = signed_in_cookie(users[stamp["people"][page["as"]]])
    smtp = background.CountingSMTPServer().start()
    env = {
        **os.environ,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "PATH": f"{Path(PYTHON).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    _say(
        f"Starting gunicorn ({args.web_workers} workers) and a Celery worker "
        f"(prefork, {args.worker_concurrency})"
    )
    web, base_url = start_web(env, log_dir, workers=args.web_workers, threads=1)
    worker = start_worker(env, log_dir, concurrency=args.worker_concurrency, loglevel="WARNING")
    memory = MemoryWatch({"web": web.popen.pid, "worker": worker.popen.pid})
    memory.start()
    try:
        _probe(base_url, pages)
        load = _load(base_url, [p for p in pages if not p.get("missing")], args, log_dir)
        uncached = _uncached(base_url, pages, args.uncached, samples=20)
        _say(f"No-op tasks ({args.noop_tasks})")
        noop = background.noop_rate(
            os.environ["REDIS_URL"], os.environ["CELERY_QUEUE"], worker.name, args.noop_tasks
        )
        _say(f"Fan-out to {stamp['people']['fanout_invitees']} invitees")
        coordinator = User.objects.get(pk=stamp["people"]["coordinator"])
        fan = background.fanout(
            base_url=base_url,
            cookie=signed_in_cookie(coordinator),
            meeting=stamp["people"]["fanout_meeting"],
            invitees=stamp["people"]["fanout_invitees"],
            smtp=smtp,
            database=connection,
        )
    finally:
        peak = memory.stop()
        worker.stop()
        web.stop()
        smtp.stop()
    results = _results(args, stamp, pages, load, uncached, queries, noop, fan, peak)
    results["seconds"] = round(time.monotonic() - started, 1)
    results["targets"] = report.targets(results)
    args.output = args.output.resolve()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    report.chart(results, args.output.with_suffix(".png"))
    _say(
        "\n"
        + report.table(results)
        + "\n\nFloors (issue 21):\n"
        + report.target_lines(results["targets"])
    )
    _say(
        f"\nWrote {args.output} and its chart; took {results['seconds']} s; "
        f"logs in {log_dir.relative_to(ROOT)}"
    )
    missed = [check["target"] for check in results["targets"] if check["met"] is False]
    return 1 if args.strict and missed else 0


def _load(base_url: str, pages: list[dict], args, log_dir: Path) -> dict:
    plan = {
        "host": base_url,
        "users": args.users,
        "rounds": args.rounds,
        "burst": args.burst,
        "warmup": args.warmup,
        "pages": [{k: p.get(k) for k in ("name", "path", "cookie")} for p in pages],
    }
    seconds = len(pages) * (args.warmup + args.rounds * args.burst)
    _say(
        f"Load: {len(pages)} pages × {args.rounds} rounds × {args.burst} s, {args.users} "
        f"readers (about {seconds:.0f} s)"
    )
    (log_dir / "load-plan.json").write_text(json.dumps(plan))
    out = log_dir / "load.json"
    subprocess.run(
        [PYTHON, "-m", "bench.load", str(log_dir / "load-plan.json"), str(out)],
        cwd=ROOT,
        check=True,
    )
    return json.loads(out.read_text())


def _results(args, stamp, pages, load, uncached, queries, noop, fan, peak) -> dict:
    trivial = (load.get("trivial") or {}).get("rps")
    results_pages = {}
    for page in pages:
        name = page["name"]
        measured = load.get(name, {})
        entry = {
            "path": page["path"],
            "as": page.get("as", "anonymous"),
            "rps": measured.get("rps"),
            "p50_ms": measured.get("p50_ms"),
            "p95_ms": measured.get("p95_ms"),
            "ratio": round(measured["rps"] / trivial, 3)
            if measured.get("rps") and trivial
            else None,
            "requests": measured.get("requests"),
            "failures": measured.get("failures"),
            "queries_small": queries.get("small", {}).get(name),
            "queries_full": queries.get("full", {}).get(name),
        }
        signed_in = (load.get("trivial_signed_in") or {}).get("rps")
        if page.get("as") and measured.get("rps") and signed_in:
            entry["ratio_signed_in"] = round(measured["rps"] / signed_in, 3)
        if name in uncached:
            entry["uncached_p95_ms"] = uncached[name]["p95"]
            entry["uncached_max_ms"] = uncached[name]["max"]
        if page.get("missing"):
            entry["note"] = "not built yet (404)"
        results_pages[name] = entry
    return {
        "scale": args.scale,
        "commit": _commit(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": _machine(),
        "settings": {
            "web_workers": args.web_workers,
            "web_threads": 1,
            "worker_concurrency": args.worker_concurrency,
            "readers": args.users,
            "rounds": args.rounds,
            "burst_seconds": args.burst,
            "data_set_built": stamp["built_at"],
        },
        "pages": results_pages,
        "fanout": {
            "messages": fan["messages"],
            "seconds": fan["seconds"],
            "rate": fan["rate"],
            "noop_rate": noop["rate"],
            "ratio": round(fan["rate"] / noop["rate"], 3) if noop["rate"] else None,
            "duplicates": fan["duplicates"],
            "marked_sent": fan["marked_sent"],
            "complete": fan["complete"],
            "click_seconds": fan["click_seconds"],
            "noop_tasks": noop["tasks"],
            "noop_seconds": noop["seconds"],
        },
        "memory_mb": {"web": peak["web"], "worker": peak["worker"]},
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
