"""Sessions and their readers kept in each web process, so that a signed-in request needs no
database round trip to know who asks: that round trip cost a signed-in page about a third of
its requests per second (README, "Benchmark").

PostgreSQL itself says what changed. Triggers (migration 0010) send a notification on commit
naming the sessions ("s:<keys>") or readers ("u:<ids>") that a statement changed, or "*" for
everyone. Each process listens on a connection of its own and reads what has arrived before it
uses anything it holds, so a sign-out, a role taken away or a new notice counts in every
process once the notification has arrived (mostly before the change's commit has returned:
README), and at once in the process that made it: a process forgets a session it writes, and
everything it holds after a request that may have changed data (a POST, say). Redis plays no
part: its outages change nothing here.

A process without its listening connection (the database restarting, say) holds nothing and
reads every session from the database, as without this cache, until it listens again; it
forgets everything when it starts listening, as it may have missed notifications meanwhile.
"""

import logging
import os
import select
import threading
import time
from collections import OrderedDict

import psycopg
from django.db import connections
from psycopg import pq

from . import auth

logger = logging.getLogger(__name__)

CHANNEL = "citizens_readers"
# A bound on anything changed without the triggers knowing (a restore with triggers disabled).
MAX_AGE_SECONDS = 300
# While the database cannot be listened to, ask it again this often.
RETRY_SECONDS = 5
# About 1 KB each.
SIZE = 10_000


class SessionCache:
    def __init__(self, size: int = SIZE):
        self.size = size
        self.lock = threading.Lock()
        # session key -> (monotonic time kept, what auth.read_session read)
        self.entries: OrderedDict[str, tuple[float, tuple]] = OrderedDict()
        self.keys_of: dict[str, set[str]] = {}  # reader id -> their kept session keys
        # Counts notifications read and forget_everything(): a read that overlapped either is
        # not kept.
        self.generation = 0
        self.listener: psycopg.Connection | None = None
        self.listener_pid = 0
        self.poller = None
        self.retry_at = 0.0
        self.ending = False

    def read(self, using: str, session_key: str, now):
        """auth.read_session(using, session_key, now), from this process's memory when it can."""
        if connections[using].in_atomic_block:
            # Only what is committed is kept, and notified: a transaction reads its own changes.
            return auth.read_session(using, session_key, now)
        with self.lock:
            listening = self._listen(using)
            if listening:
                held = self.entries.get(session_key)
                if held is not None:
                    kept_at, found = held
                    if found[1] > now and time.monotonic() - kept_at < MAX_AGE_SECONDS:
                        return found
                    self._drop(session_key)
            generation = self.generation
        found = auth.read_session(using, session_key, now)
        if found is not None and listening:
            with self.lock:
                # A change committed while the database was read is in what arrives now.
                if self._listen(using) and self.generation == generation:
                    self._keep(session_key, found)
        return found

    def forget(self, session_key: str) -> None:
        with self.lock:
            self._drop(session_key)

    def forget_everything(self) -> None:
        """After this process changed data: whatever it changed counts on its next request,
        without waiting to hear of it from PostgreSQL. A read under way is not kept."""
        with self.lock:
            self.generation += 1
            self._clear()

    def close(self) -> None:
        """Stop listening and forget everything (the next read listens again)."""
        with self.lock:
            if self.listener is not None and self.listener_pid == os.getpid():
                self._disconnect()
            self.listener = None
            self.retry_at = 0.0
            self._clear()

    # The rest is called with the lock held.

    def _listen(self, using: str) -> bool:
        """Whether this process listens, having read every notification that has arrived."""
        if self.listener is not None and self.listener_pid != os.getpid():
            # Forked: the connection is the parent's. Closing it here would end it there too.
            _inherited.append(self.listener)
            self.listener = None
        if self.listener is None:
            if time.monotonic() < self.retry_at:
                return False
            try:
                self._connect(using)
            except psycopg.Error:
                logger.warning("Not listening for session changes", exc_info=True)
                self.retry_at = time.monotonic() + RETRY_SECONDS
                return False
            self._clear()
        try:
            self._read_notifications()
        except psycopg.Error:
            logger.warning("Stopped listening for session changes", exc_info=True)
            self._disconnect()
            self._clear()
            self.retry_at = time.monotonic() + RETRY_SECONDS
            return False
        return True

    def _connect(self, using: str) -> None:
        params = connections[using].get_connection_params()
        for name in ("cursor_factory", "context", "prepare_threshold"):
            params.pop(name, None)
        params.setdefault("connect_timeout", 2)
        params["application_name"] = "portal session listener"  # as pg_stat_activity shows it
        listener = psycopg.connect(**params, autocommit=True)
        try:
            listener.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error:
            listener.close()
            raise
        # A server ending the connection says so (FATAL) before it closes it; libpq hands that
        # to the notice handler, which nothing else on this connection needs.
        listener.pgconn.notice_handler = self._on_notice
        self.ending = False
        self.listener, self.listener_pid = listener, os.getpid()
        self.poller = select.poll()
        self.poller.register(listener.fileno(), select.POLLIN)

    def _disconnect(self) -> None:
        listener, self.listener, self.poller = self.listener, None, None
        try:
            listener.close()
        except psycopg.Error:
            pass

    def _read_notifications(self) -> None:
        pgconn = self.listener.pgconn
        # Mostly nothing has arrived: one system call.
        while self.poller.poll(0):
            pgconn.consume_input()  # raises once the connection is closed
            while (notification := pgconn.notifies()) is not None:
                self.generation += 1
                self._forget(notification.extra.decode())
            # Reading the notifications also read any notice (_on_notice).
            if self.ending or pgconn.status != pq.ConnStatus.OK:
                raise psycopg.OperationalError("the listening connection is ending")

    def _on_notice(self, result) -> None:
        severity = result.error_field(pq.DiagnosticField.SEVERITY_NONLOCALIZED)
        if severity in (b"FATAL", b"PANIC"):
            self.ending = True

    def _forget(self, payload: str) -> None:
        scope, _, keys = payload.partition(":")
        if scope == "s":
            for session_key in keys.split(","):
                self._drop(session_key)
        elif scope == "u":
            for reader in keys.split(","):
                for session_key in list(self.keys_of.get(reader, ())):
                    self._drop(session_key)
        else:
            self._clear()

    def _keep(self, session_key: str, found: tuple) -> None:
        self._drop(session_key)
        while len(self.entries) >= self.size:
            self._drop(next(iter(self.entries)))
        self.entries[session_key] = (time.monotonic(), found)
        reader = _reader_id(found)
        if reader is not None:
            self.keys_of.setdefault(reader, set()).add(session_key)

    def _drop(self, session_key: str) -> None:
        held = self.entries.pop(session_key, None)
        if held is None:
            return
        reader = _reader_id(held[1])
        keys = self.keys_of.get(reader)
        if keys is not None:
            keys.discard(session_key)
            if not keys:
                del self.keys_of[reader]

    def _clear(self) -> None:
        self.entries.clear()
        self.keys_of.clear()


def _reader_id(found: tuple) -> str | None:
    row = found[2]
    return None if row is None else str(row[auth.pk_index()])


# Connections a parent process opened, kept open in its children (see SessionCache._listen).
_inherited: list = []

cache = SessionCache()
