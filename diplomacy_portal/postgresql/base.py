"""Django's PostgreSQL backend with a health check that costs no round trip while the
connection is quiet.

Django checks a kept connection at the start of each request with a SELECT 1 (CONN_HEALTH_CHECKS):
a round trip on every request. A server that restarts or ends a session writes to the
connection and closes it, so a socket with nothing to read, on a connection outside any
transaction, is still good; only one with something to read is asked Django's SELECT 1."""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed:
            return False
        if connection.info.transaction_status == pq.TransactionStatus.IDLE:
            poller = select.poll()
            poller.register(connection.fileno(), select.POLLIN)
            if not poller.poll(0):
                return True
        return super().is_usable()
