"""`make bench` at small scale, cut short, as CI's smoke test: it builds its data set, serves the
portal with gunicorn and a Celery pool, loads every page, fans a meeting out over SMTP and writes
results of the promised shape. Its speed targets are the benchmark's business, not this test's."""

import json
import subprocess
import sys

import pytest

from tests.processes import ROOT, service_env

pytestmark = [pytest.mark.worker, pytest.mark.django_db]

PAGES = {
    "trivial",
    "trivial_signed_in",
    "home",
    "cities",
    "city",
    "initiatives",
    "proposals",
    "api_cities",
    "api_initiatives",
    "dashboard",
    "dashboard_city",
    "admin_applications",
    "me",
    "inbox",
}


def test_a_short_small_scale_benchmark_completes_and_writes_its_results(tmp_path):
    output = tmp_path / "results.json"
    env = service_env()
    for name in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "DATA_DIR"):
        env.pop(name)  # the benchmark sets its own production-like values

    run = subprocess.run(
        [sys.executable, "scripts/dev.py", "bench", "--scale", "small", "--rounds", "1"]
        + ["--burst", "1", "--noop-tasks", "300", "--uncached", "--output", str(output)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    results = json.loads(output.read_text())
    assert results["scale"] == "small" and results["commit"] and results["date"]
    assert set(results["pages"]) == PAGES
    for name, page in results["pages"].items():
        assert page["rps"] > 0 and page["p95_ms"] >= page["p50_ms"] > 0, name
        assert page["queries_small"] is not None, name
    fanout = results["fanout"]
    assert fanout["messages"] == 1000 and fanout["duplicates"] == 0, fanout
    assert fanout["rate"] > 0 and fanout["noop_rate"] > 0
    assert results["memory_mb"]["web"] > 0 and results["memory_mb"]["worker"] > 0
    assert output.with_suffix(".png").stat().st_size > 0
