"""The database: one engine per app, a session per app context.

Plain SQLAlchemy 2 rather than Flask-SQLAlchemy, so that services, the CLI, the
migrations and the tests all use the same engine and session in the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask.globals import app_ctx
from sqlalchemy import JSON, DateTime, MetaData, create_engine, event, make_url
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so migrations name the same things on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, on every database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use datetime.now(UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSONType}


def utcnow() -> datetime:
    return datetime.now(UTC)


DEFAULT_BUSY_TIMEOUT_MS = 5000
CONNECT_TIMEOUT_SECONDS = 5


def sqlite_configurer(busy_timeout_ms: int) -> Callable[[Any, Any], None]:
    def configure(dbapi_connection: Any, connection_record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    return configure


def make_engine(url: str, echo: bool = False,
                busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Engine:
    """An engine for the URL; SQLite gets foreign keys, WAL and a busy timeout.

    Bound values never appear in errors or in SQL_ECHO output: they are the
    client's answers (hide_parameters).
    """
    if url.startswith("sqlite"):
        database = url.split("///", 1)[1] if "///" in url else ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, hide_parameters=True)
        event.listen(engine, "connect", sqlite_configurer(busy_timeout_ms))
        return engine
    # An unreachable server is a quick "try again" page, not a worker stuck for minutes.
    timeout = {} if "connect_timeout" in make_url(url).query else {
        "connect_timeout": CONNECT_TIMEOUT_SECONDS}
    return create_engine(url, echo=echo, hide_parameters=True, pool_pre_ping=True,
                         connect_args=timeout)


def _app_context_id() -> int:
    return id(app_ctx._get_current_object())


@dataclass
class DatabaseState:
    """One app's engine and sessions."""

    engine: Engine
    session_factory: sessionmaker[Session]
    session: scoped_session[Session]


class Database:
    """Gives the current app's engine and app-context-scoped session."""

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"], app.config.get("SQL_ECHO", False),
                             app.config.get("SQLITE_BUSY_TIMEOUT_MS", DEFAULT_BUSY_TIMEOUT_MS))
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        session = scoped_session(factory, scopefunc=_app_context_id)
        app.extensions["saate_db"] = DatabaseState(engine, factory, session)
        app.teardown_appcontext(lambda exc: session.remove())

    @staticmethod
    def _state() -> DatabaseState:
        return current_app.extensions["saate_db"]

    @property
    def engine(self) -> Engine:
        return self._state().engine

    @property
    def session(self) -> scoped_session[Session]:
        return self._state().session

    def bind_to_connection(self, connection: Connection) -> None:
        """Run every session inside an outer transaction (tests roll it back)."""
        state = self._state()
        state.session.remove()
        state.session_factory.configure(bind=connection, join_transaction_mode="create_savepoint")
