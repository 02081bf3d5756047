"""Background work: the ceiling (no-op tasks through the broker and the worker pool) and the
fan-out of one meeting's invitations, from the coordinator's click to the last e-mail accepted
by an SMTP server on loopback."""

import threading
import time
from collections import Counter

from aiosmtpd.controller import Controller
from celery import Celery

from tests.processes import free_port, http


class _Counting:
    """Counts each recipient's messages; keeps nothing else (parsing 10,000 messages would take
    the CPU the workers are measured with)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.per_recipient: Counter[str] = Counter()
        self.messages = 0
        self.last_at = 0.0

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.per_recipient.update(address.lower() for address in envelope.rcpt_tos)
            self.messages += 1
            self.last_at = time.monotonic()
        return "250 Message accepted for delivery"


class CountingSMTPServer:
    def __init__(self):
        self.port = free_port()  # aiosmtpd's port=0 breaks its own start-up check
        self.handler = _Counting()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> "CountingSMTPServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def duplicates(self) -> int:
        with self.handler.lock:
            return sum(n - 1 for n in self.handler.per_recipient.values() if n > 1)


def _processed(app: Celery, worker: str, task: str) -> int:
    stats = app.control.inspect(destination=[worker], timeout=2).stats() or {}
    return stats.get(worker, {}).get("total", {}).get(task, 0)


def noop_rate(broker_url: str, queue: str, worker: str, tasks: int) -> dict:
    """Tasks a second through the broker and the pool: queue `tasks` no-op tasks while the
    worker does not consume, then let it and time it until the last is done."""
    name = "diplomacy_portal.tasks.ping"
    app = Celery(broker=broker_url, set_as_current=False)
    app.control.cancel_consumer(queue, destination=[worker], reply=True, timeout=5)
    before = _processed(app, worker, name)
    with app.producer_or_acquire() as producer:
        for _ in range(tasks):
            app.send_task(name, queue=queue, routing_key=queue, producer=producer)
    started = time.monotonic()
    app.control.add_consumer(queue, destination=[worker], reply=True, timeout=5)
    deadline = started + 300
    while _processed(app, worker, name) < before + tasks:
        if time.monotonic() > deadline:
            raise RuntimeError("The no-op tasks did not finish within 5 minutes")
        time.sleep(0.1)
    seconds = time.monotonic() - started
    return {"tasks": tasks, "seconds": round(seconds, 2), "rate": round(tasks / seconds, 1)}


def fanout(
    *,
    base_url: str,
    cookie: str,
    meeting: int,
    invitees: int,
    smtp: CountingSMTPServer,
    database,
    timeout: float = 600,
) -> dict:
    """POST the coordinator's "invite the members" and wait until every invitee's e-mail is
    accepted by `smtp` and every invitation is marked sent."""
    started = time.monotonic()
    status, headers, body = http(
        base_url, "POST", f"/meetings/{meeting}/invite/", cookie=cookie, data={"mode": "members"}
    )
    clicked = time.monotonic() - started
    if status != 302:
        raise RuntimeError(f"The invite button answered {status}: {body[:500]}")
    sent = 0
    while time.monotonic() - started < timeout:
        with database.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM initiatives_invitation WHERE meeting_id = %s "
                "AND sent_at IS NOT NULL",
                [meeting],
            )
            (sent,) = cursor.fetchone()
        if sent >= invitees and smtp.handler.messages >= invitees:
            break
        time.sleep(0.1)
    done = time.monotonic()
    seconds = done - started
    messages = smtp.handler.messages
    return {
        "messages": messages,
        "marked_sent": sent,
        "invitees": invitees,
        "complete": sent >= invitees and messages >= invitees,
        "seconds": round(seconds, 2),
        "click_seconds": round(clicked, 2),
        "last_message_seconds": round(smtp.handler.last_at - started, 2) if messages else None,
        "rate": round(messages / seconds, 1),
        "duplicates": smtp.duplicates,
    }
