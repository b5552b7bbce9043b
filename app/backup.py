"""Backups of a SQLite database, taken while Saate serves.

SQLite's online backup API copies the database page by page into a new
file; writers may go on meanwhile (the copy starts over if a page it already
copied changes, so it is always one consistent moment). The copy is checked
with PRAGMA integrity_check before it is called good. PostgreSQL is backed
up with its own tools (pg_dump; docs/SECURITY.md has the recipe).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

PAGES_PER_STEP = 1024
PG_DUMP_RECIPE = (
    "pg_dump --format=custom --no-owner --file=saate.dump DATABASE  "
    "(restore: pg_restore --clean --if-exists --no-owner --dbname=DATABASE saate.dump)"
)

Progress = Callable[[int, int], None]  # (pages copied so far, pages in all)


class BackupError(RuntimeError):
    """The backup or restore cannot be made; the message says why in one line."""


@dataclass
class BackupReport:
    path: Path
    pages: int
    rows: dict[str, int]


def sqlite_file(url: URL) -> Path:
    """The database file of a SQLite URL; refuses other databases and memory."""
    if url.get_backend_name() != "sqlite":
        raise BackupError(f"the database is {url.get_backend_name()}: use {PG_DUMP_RECIPE}")
    if not url.database or url.database == ":memory:":
        raise BackupError("the database is in memory: there is nothing to back up")
    return Path(url.database)


def copy_database(source: Path, target: Path, progress: Progress | None = None) -> int:
    """Copy one SQLite database file into another with the online backup API; pages copied."""
    copied = 0

    def report(status: int, remaining: int, total: int) -> None:
        nonlocal copied
        copied = total - remaining
        if progress:
            progress(copied, total)

    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.execute("PRAGMA busy_timeout=5000")
        src.backup(dst, pages=PAGES_PER_STEP, progress=report)
    return copied


def check_integrity(path: Path) -> dict[str, int]:
    """Rows per table of a good database file; BackupError if SQLite finds damage."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        try:
            result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} is not a SQLite database: {error}") from None
        if result != ["ok"]:
            raise BackupError(f"{path} failed the integrity check: {result[0]}")
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        return {table: count_rows(connection, table) for table in tables}


def count_rows(connection: sqlite3.Connection, table: str) -> int:
    # The table name comes from sqlite_master, never from outside.
    return connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608


def backup(url: URL, target: Path, progress: Progress | None = None) -> BackupReport:
    """Back the live database up into a new file, and check the copy."""
    source = sqlite_file(url)
    if target.exists():
        raise BackupError(f"{target} exists already: give a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    pages = copy_database(source, target, progress)
    target.chmod(0o600)  # it holds personal data
    return BackupReport(target, pages, check_integrity(target))


def restore(url: URL, backup_file: Path, progress: Progress | None = None) -> BackupReport:
    """Replace the database's contents with a checked backup (stop serving first)."""
    target = sqlite_file(url)
    if not backup_file.is_file():
        raise BackupError(f"{backup_file} is not a file")
    check_integrity(backup_file)
    pages = copy_database(backup_file, target, progress)
    return BackupReport(target, pages, check_integrity(target))
