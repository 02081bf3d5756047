"""Queries run on nearly every request, prepared once on each database connection that runs
them, so PostgreSQL parses and plans them once, not on each run. Django's psycopg cursors bind
parameters on the client, so nothing is prepared for them otherwise. (PgBouncer, if used, must
pool by session: docs/operations.md.)"""

import itertools
import weakref
from collections.abc import Callable

_names = itertools.count()


class PreparedQuery:
    """`sql` writes the query with $1, $2... for its parameters, whose PostgreSQL types are
    `types` (e.g. "bigint, integer"). It is a function of the connection, called once, when
    the query is first run: the models it names may not be ready when this is made."""

    def __init__(self, name: str, types: str, sql: Callable[[object], str]):
        self.name, self.types, self.sql = name, types, sql
        self.arguments = ", ".join(["%s"] * len(types.split(",")))
        self.text: str | None = None
        # The name the query is prepared under on each open DB-API connection.
        self.prepared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def execute(self, cursor, connection, parameters) -> None:
        """Runs the query on `cursor`, a cursor of Django's `connection`; read its rows from
        the cursor."""
        # Asked only now: making the cursor may replace a connection the server ended.
        name = self.prepared.get(connection.connection)
        if name is not None:
            cursor.execute(f"EXECUTE {name}({self.arguments})", parameters)
            return
        if self.text is None:
            # Its % signs are the query's own, not placeholders for psycopg to fill.
            self.text = self.sql(connection).replace("%", "%%")
        # A fresh name each time: a PREPARE whose EXECUTE failed still stands.
        name = f"{self.name}_{next(_names)}"
        cursor.execute(
            f"PREPARE {name}({self.types}) AS {self.text}; EXECUTE {name}({self.arguments})",
            parameters,
        )
        cursor.nextset()
        self.prepared[connection.connection] = name
