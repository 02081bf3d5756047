"""The load: locust as a library, in a process of its own, reading one page at a time.

    python -m bench.load PLAN.json OUT.json

PLAN: {"host", "users", "rounds", "burst", "warmup", "pages": [{"name", "path", "cookie"}]}.
A fixed number of simulated readers ask without pause for the current page. Each round gives
every page a burst in turn (the order rotates from round to round), so whatever drifts on a
shared machine (another job, a cache warming) falls on all pages alike. Between bursts the
readers drain, so each request is counted in its own page's time.
"""

import json
import sys
import time

import gevent
from locust import FastHttpUser, constant, events, task
from locust.env import Environment

STATE = {"page": None, "recording": False, "in_flight": 0}
SAMPLES: dict[str, list[float]] = {}
FAILURES: dict[str, list[str]] = {}


class Reader(FastHttpUser):
    wait_time = constant(0)

    @task
    def read(self):
        page = STATE["page"]
        if page is None:
            gevent.sleep(0.005)
            return
        STATE["in_flight"] += 1
        try:
            with self.client.get(
                page["path"],
                name=page["name"],
                headers=page["headers"],
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")
        finally:
            STATE["in_flight"] -= 1


@events.request.add_listener
def _record(name, response_time, exception=None, **kwargs):
    if not STATE["recording"]:
        return
    if exception is not None:
        FAILURES.setdefault(name, []).append(str(exception)[:200])
    else:
        SAMPLES.setdefault(name, []).append(response_time)


def _burst(page: dict, seconds: float) -> float:
    """Readers on `page` for `seconds`, then drained; returns the time the page had."""
    started = time.perf_counter()
    STATE["page"] = page
    gevent.sleep(seconds)
    STATE["page"] = None
    while STATE["in_flight"]:
        gevent.sleep(0.001)
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(int(share * len(ordered)), len(ordered) - 1)]


def run(plan: dict) -> dict:
    pages = plan["pages"]
    for page in pages:
        page["headers"] = {"Cookie": page["cookie"]} if page.get("cookie") else {}
    env = Environment(user_classes=[Reader], events=events, host=plan["host"])
    runner = env.create_local_runner()
    runner.start(plan["users"], spawn_rate=plan["users"])
    gevent.sleep(0.5)
    for page in pages:  # warm every worker's caches and connections; not counted
        _burst(page, plan["warmup"])
    seconds = dict.fromkeys((p["name"] for p in pages), 0.0)
    STATE["recording"] = True
    for round_ in range(plan["rounds"]):
        shift = round_ % len(pages)
        for page in pages[shift:] + pages[:shift]:
            seconds[page["name"]] += _burst(page, plan["burst"])
    STATE["recording"] = False
    runner.quit()
    results = {}
    for name, spent in seconds.items():
        samples = SAMPLES.get(name, [])
        results[name] = {
            "requests": len(samples),
            "failures": len(FAILURES.get(name, [])),
            "failure_examples": FAILURES.get(name, [])[:3],
            "seconds": round(spent, 2),
            "rps": round(len(samples) / spent, 1) if spent else None,
            "p50_ms": _ms(percentile(samples, 0.50)),
            "p95_ms": _ms(percentile(samples, 0.95)),
        }
    return results


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def main(argv: list[str]) -> int:
    plan = json.load(open(argv[0]))
    json.dump(run(plan), open(argv[1], "w"), indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
