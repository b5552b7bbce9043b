"""The SQL statements a request runs, for tests that hold pages to a fixed number of them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event

# Transaction bookkeeping the tests' nested transactions add; not the page's own work.
BOOKKEEPING = ("SAVEPOINT", "RELEASE", "ROLLBACK")


@contextmanager
def recorded_statements(app: Flask) -> Iterator[list[str]]:
    """Every statement run inside the block, in order."""
    engine = app.extensions["saate_db"].engine
    connection = app.extensions["saate_db"].session_factory.kw.get("bind")
    target = connection.engine if hasattr(connection, "engine") else engine
    statements: list[str] = []

    def record(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if not statement.startswith(BOOKKEEPING):
            statements.append(statement)

    event.listen(target, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(target, "before_cursor_execute", record)
