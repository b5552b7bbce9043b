"""Backups: taken from a live database while it serves, wiped, restored, every row intact.

SQLite through `flask db backup` / `db restore` (the online backup API) under
real gunicorn taking contact requests; PostgreSQL through the pg_dump /
pg_restore recipe in docs/SECURITY.md, with the test server's own binaries.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app import backup, demo, migrate
from app.casework import access_log, cases
from app.database import make_engine
from app.extensions import db
from app.people import teams
from app.saate.schema import CONTACT_REQUEST
from tests.conftest import make_app
from tests.support.gunicorn import ROOT, GunicornServer
from tests.support.journey import CONTACT_REQUEST as CONTACT_ANSWERS
from tests.support.postgres import PostgresServer
from tests.support.staff import make_staff

KEPT_TABLES = ("case", "case_event", "access_log")


def seed(url: str) -> None:
    """Teams, a worker, cases with events and access-log rows, through the services."""
    app = make_app(url)
    with app.app_context():
        for team in demo.DEMO_TEAMS:
            teams.create_team(**team)  # type: ignore[arg-type]
        worker = make_staff("testi.varmuuskopio@example.test")
        for number in range(30):
            case = cases.create_case(CONTACT_REQUEST, "fi", dict(CONTACT_ANSWERS),
                                     f"{number:032d}")
            cases.claim(case, worker, case.version)
            access_log.record(worker, access_log.Action.VIEW, case.id)
        db.session.remove()
        db.engine.dispose()


def rows(connection, table: str) -> set[tuple]:  # type: ignore[no-untyped-def]
    found = connection.execute(text(f'SELECT * FROM "{table}"'))  # noqa: S608
    return {tuple(comparable(value) for value in row) for row in found}


def comparable(value: object) -> object:
    """JSON columns come back as dicts on PostgreSQL: compare them as sorted JSON."""
    return json.dumps(value, sort_keys=True) if isinstance(value, dict | list) else value


def snapshot(url: str) -> dict[str, set[tuple]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = {table: rows(connection, table) for table in KEPT_TABLES}
    engine.dispose()
    return found


def flask_cli(url: str, *args: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "SAATE_ENV": "testing", "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120, check=False,
    )


class Writer:
    """Another process's worth of writing: new cases, one after another, until told to stop.

    (Over HTTP the contact form's rate limit would stop a single address after five.)
    """

    def __init__(self, url: str) -> None:
        self.app = make_app(url)
        self.stop = threading.Event()
        self.written = 0
        self.errors: list[Exception] = []
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with self.app.app_context():
            while not self.stop.is_set():
                try:
                    cases.create_case(CONTACT_REQUEST, "fi", dict(CONTACT_ANSWERS),
                                      f"w{self.written:031d}")
                except Exception as error:  # reported by the test
                    self.errors.append(error)
                    return
                self.written += 1
            db.session.remove()
            db.engine.dispose()

    def __enter__(self) -> Writer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=30)


@pytest.fixture
def live_sqlite(tmp_path: Path) -> Iterator[tuple[str, GunicornServer]]:
    path = tmp_path / "live.sqlite3"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    seed(url)
    with GunicornServer(tmp_path, {"SAATE_ENV": "testing", "DATABASE_URL": url}) as server:
        yield url, server


def test_sqlite_backup_while_serving_then_wipe_and_restore(
        live_sqlite: tuple[str, GunicornServer], tmp_path: Path) -> None:
    url, server = live_sqlite
    copy = tmp_path / "backups" / "saate-backup.sqlite3"
    with Writer(url) as writer:
        before = snapshot(url)
        written_before = writer.written
        result = flask_cli(url, "db", "backup", str(copy))
        serving = urllib.request.urlopen(f"{server.url}/fi/contact")  # noqa: S310  (loopback)
        assert serving.status == 200
        assert writer.written > written_before  # and writing, all through the backup
    assert not writer.errors
    assert result.returncode == 0, result.stderr
    assert "integrity check ok" in result.stdout
    assert copy.stat().st_mode & 0o077 == 0
    backed_up = snapshot(f"sqlite:///{copy}")
    for table in KEPT_TABLES:
        assert before[table] <= backed_up[table], table  # every row there at the start
    assert len(backed_up["case"]) >= 30 and len(backed_up["access_log"]) >= 30

    server.stop()
    database = Path(url.removeprefix("sqlite:///"))
    for leftover in database.parent.glob(database.name + "*"):
        leftover.unlink()  # the wipe: the file and its WAL are gone
    result = flask_cli(url, "db", "restore", str(copy), "--yes")
    assert result.returncode == 0, result.stderr
    assert snapshot(url) == backed_up
    with closing(sqlite3.connect(database)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_backup_refuses_to_overwrite_and_restore_needs_yes(
        live_sqlite: tuple[str, GunicornServer], tmp_path: Path) -> None:
    url, _ = live_sqlite
    existing = tmp_path / "existing.sqlite3"
    existing.write_text("keep me")
    result = flask_cli(url, "db", "backup", str(existing))
    assert result.returncode == 1 and "exists already" in result.stderr
    assert existing.read_text() == "keep me"
    result = flask_cli(url, "db", "restore", str(existing))
    assert result.returncode == 1 and "--yes" in result.stderr


def test_a_damaged_backup_is_never_restored(tmp_path: Path) -> None:
    target = tmp_path / "saate.sqlite3"
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database" * 100)
    with pytest.raises(backup.BackupError, match="not a SQLite database"):
        backup.restore(make_engine(f"sqlite:///{target}").url, damaged)
    assert not target.exists()


def test_backup_on_postgresql_points_to_pg_dump() -> None:
    with pytest.raises(backup.BackupError, match="pg_dump"):
        backup.sqlite_file(make_engine("postgresql+psycopg://saate@127.0.0.1/saate").url)


def test_postgresql_recipe_restores_every_row(postgres: PostgresServer, tmp_path: Path) -> None:
    url = postgres.create_database("saate_backup")
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    seed(url)
    before = snapshot(url)
    dsn = f"postgresql://saate@127.0.0.1:{postgres.port}/saate_backup"
    dump = tmp_path / "saate.dump"
    subprocess.run([str(postgres.bin_dir / "pg_dump"), "--format=custom", "--no-owner",
                    f"--file={dump}", dsn], check=True, capture_output=True)
    postgres.create_database("saate_backup")  # the wipe: dropped and made empty
    assert snapshot_is_empty(url)
    subprocess.run([str(postgres.bin_dir / "pg_restore"), "--clean", "--if-exists",
                    "--no-owner", f"--dbname={dsn}", str(dump)], check=True, capture_output=True)
    assert snapshot(url) == before


def snapshot_is_empty(url: str) -> bool:
    engine = create_engine(url)
    with engine.connect() as connection:
        tables = connection.execute(text(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"))
        empty = tables.scalar() == 0
    engine.dispose()
    return empty
