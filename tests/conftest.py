"""Fixtures: the app on real databases (SQLite files and PostgreSQL), clients, teams.

Every test that takes `app` runs twice: on a SQLite file copied from a migrated
template, and on PostgreSQL inside a transaction that is rolled back.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import text

from app import catalogues, create_app, demo, migrate
from app.database import make_engine
from app.extensions import db
from app.i18n import load_languages
from config import TestingConfig
from tests.support.postgres import PostgresServer

BACKENDS = ["sqlite", "postgresql"]


def pytest_configure(config: pytest.Config) -> None:
    # The app reads compiled catalogues: build them from the .po files once.
    locales = [language.locale for language in load_languages(TestingConfig.LANGUAGES).values()]
    catalogues.compile_all(locales)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated from nothing, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "saate.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url(postgres: PostgresServer) -> str:
    url = postgres.create_database("saate_test")
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


def sqlite_copy(template: Path, directory: Path) -> str:
    path = directory / "saate.sqlite3"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


class RequestIsolatingClient(FlaskClient):
    """Runs each request in its own app context, as in production.

    Flask reuses an app context that is already pushed (our fixtures push one so
    tests can use the database), which would share `g` and the database session
    between requests and between clients.
    """

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        outer = _cv_app.get(None)
        if outer is None:
            return super().open(*args, **kwargs)
        outer.pop()
        try:
            return super().open(*args, **kwargs)
        finally:
            outer.push()


def make_app(url: str, overrides: dict | None = None) -> Flask:
    app = create_app(TestingConfig, {"DATABASE_URL": url, **(overrides or {})})
    app.test_client_class = RequestIsolatingClient
    return app


@pytest.fixture
def app_overrides() -> dict:
    """Settings a test module wants changed (override this fixture)."""
    return {}


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path,
        app_overrides: dict) -> Iterator[Flask]:
    if request.param == "sqlite":
        flask_app = make_app(sqlite_copy(sqlite_template, tmp_path), app_overrides)
        with flask_app.app_context():
            yield flask_app
        return
    url = request.getfixturevalue("postgres_url")
    flask_app = make_app(url, app_overrides)
    engine = make_engine(url)
    connection = engine.connect()
    transaction = connection.begin()
    with flask_app.app_context():
        db.bind_to_connection(connection)
        yield flask_app
        db.session.remove()
    transaction.rollback()
    connection.close()
    engine.dispose()


@pytest.fixture
def sqlite_app(tmp_path: Path, sqlite_template: Path, app_overrides: dict) -> Iterator[Flask]:
    """For tests about pages and languages rather than storage: SQLite only."""
    flask_app = make_app(sqlite_copy(sqlite_template, tmp_path), app_overrides)
    with flask_app.app_context():
        yield flask_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def teams(app: Flask) -> list:
    """The demo teams of Central Finland, made through the teams service."""
    from app.people import teams as team_service

    return [team_service.create_team(**team) for team in demo.DEMO_TEAMS]  # type: ignore[arg-type]
