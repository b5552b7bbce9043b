"""How fast the statistics are at a million cases: one team, one year (issue 13, point 7).
(Not bench/statistics.py: a script there would hide the standard library's statistics from the
other scripts in bench/.)

Keeps a PostgreSQL cluster between runs (seeding a million cases takes a while on two
cores) in --data-dir, with two databases: a small one (1,000 cases) as the baseline and a
large one (default 1,000,000), both seeded as `flask demo seed --cases N` does
(app/demo_bulk.py: profiles, routing, outcomes, follow-ups, feedback) over the three demo
teams, then VACUUM ANALYZE as a running server's autovacuum would leave them. A database
is reused while it holds its cases and the schema's current revision (migrations are
applied to it first).

Times, in the same process, the statistics of the first demo team: the figures alone
(app.reporting.statistics.compute: every SQL statement) for the last twelve months, for
twelve months that begin and end mid-month (the most day rows: app/reporting/rollup.py
adds whole months from their monthly rows) and for the last month; the whole page (its
view function in a request context: the figures, the comments, the tables, the charts
and the template); and what keeping the counts adds to a change of a case (its team's day
counted again and the month summed again, app/reporting/rollup.py refresh). Each REPEATS
times after a warm-up; prints p50 and p95 and the ratio large / small. The target is a
p95 under 300 ms at a million cases.

    .venv/bin/python bench/stats_scale.py [--cases 1000000] [--data-dir DIR] [--repeats 40]
"""

from __future__ import annotations

import argparse
import os
import statistics as stats
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
from flask import Flask
from flask_login import login_user
from sqlalchemy import func, select, text

from app import create_app, demo_bulk, migrate
from app.casework.cases import local_today
from app.casework.followup import months_after
from app.cli import with_progress
from app.database import make_engine
from app.extensions import db
from app.models import Case, Team
from app.people import accounts
from app.reporting import rollup, statistics
from app.reporting.statistics import Period
from bench.staff_queue import LEAD_EMAIL, demo_teams_and_staff
from config import TestingConfig
from tests.support.postgres import PostgresServer

SMALL = 1_000
REPEATS = 40
TARGET_MS = 300


class KeptPostgres(PostgresServer):
    """The throwaway server of the tests, in a directory that outlives the run."""

    def __init__(self, base: Path) -> None:
        super().__init__()
        os.rmdir(self.base)  # made by the parent; this one lives in `base`
        self.base = base
        self.data = base / "data"

    def start(self) -> None:
        if (self.data / "PG_VERSION").exists():
            options = (f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 "
                       "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
            self._run("pg_ctl", "start", "-w", "-D", str(self.data), "-l",
                      str(self.base / "server.log"), "-o", options)
            return
        self.base.mkdir(parents=True, exist_ok=True)
        super().start()

    def stop(self) -> None:
        self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "fast")

    def database(self, name: str) -> str:
        with psycopg.connect(self.admin_dsn, autocommit=True) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                        (name,)).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://saate@127.0.0.1:{self.port}/{name}"


def prepared(url: str, cases: int) -> Flask:
    """The app on the database, migrated, seeded with `cases` cases unless it has them."""
    engine = make_engine(url)
    began = time.perf_counter()
    migrate.upgrade(engine)  # counts the statistics again when their counting changed
    print(f"Migrated in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    app = create_app(TestingConfig, {"DATABASE_URL": url})
    with app.app_context():
        if db.session.scalar(select(Team.id).limit(1)) is None:
            demo_teams_and_staff()
        have = db.session.scalar(select(func.count()).select_from(Case)) or 0
        if have < cases:
            with_progress(f"Seeding {cases - have:,} cases", lambda progress:
                          demo_bulk.seed_cases(cases - have, progress=progress), unit="cases")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return app


def timed(function: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(p50, p95) in milliseconds, after two warm-up calls."""
    for _ in range(2):
        function()
    samples = []
    for _ in range(repeats):
        began = time.perf_counter()
        function()
        samples.append((time.perf_counter() - began) * 1000)
    # The 19th of 20-quantiles, interpolated as percentile_cont is.
    return stats.median(samples), stats.quantiles(samples, n=20, method="inclusive")[18]


def measure(app: Flask, repeats: int) -> dict[str, tuple[float, float]]:
    with app.app_context():
        lead = accounts.find_by_email(LEAD_EMAIL)
        assert lead is not None
        team = min(lead.teams, key=lambda team: team.id)
        today = local_today()
        period = Period(months_after(today, -12) + timedelta(days=1), today)
        mid_month = today.replace(day=15)
        ragged = Period(months_after(mid_month, -12) + timedelta(days=1), mid_month)
        month = Period(months_after(today, -1) + timedelta(days=1), today)
        path = (f"/staff/stats?team={team.id}&from={period.first.isoformat()}"
                f"&to={period.last.isoformat()}")
        in_scope = {name: db.session.scalar(select(func.count()).select_from(Case).where(
            *statistics.came_in(chosen, (team.id,)))) for name, chosen in (
            ("year", period), ("month", month))}
        print(f"One team's cases that came in: {in_scope['year']:,} in a year, "
              f"{in_scope['month']:,} in a month", file=sys.stderr)

        def page() -> None:
            with app.test_request_context(path):
                login_user(lead)
                html = app.view_functions["staff.stats"]()
                assert "<svg" in html

        def figures(chosen: Period) -> None:
            statistics.compute(chosen, (team.id,), today)
            db.session.rollback()  # as a request ends: its SET LOCAL settings go with it

        def keeping() -> None:
            rollup.refresh(db.session.connection(), {
                rollup.Population.CAME_IN: {(team.id, today)},
                rollup.Population.CLOSED: {(team.id, today)}})
            db.session.rollback()

        return {
            "statistics, one team, one year": timed(lambda: figures(period), repeats),
            "  the same, 16th to 15th": timed(lambda: figures(ragged), repeats),
            "statistics, one team, one month": timed(lambda: figures(month), repeats),
            "statistics page, rendered": timed(page, repeats),
            "a change's counts kept": timed(keeping, repeats),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--data-dir", default=str(Path(tempfile.gettempdir())
                                                  / "saate-bench-statistics-pg"))
    parser.add_argument("--repeats", type=int, default=REPEATS)
    options = parser.parse_args()
    server = KeptPostgres(Path(options.data_dir))
    server.start()
    try:
        small = measure(prepared(server.database("saate_small"), SMALL), options.repeats)
        large = measure(prepared(server.database(f"saate_{options.cases}"), options.cases),
                        options.repeats)
    finally:
        server.stop()
    print(f"\nPostgreSQL, p50 / p95 ms of {options.repeats} after a warm-up")
    print(f"{'':<34}{SMALL:>16,} {options.cases:>18,}   p95 ratio")
    for name, (p50, p95) in large.items():
        small_p50, small_p95 = small[name]
        print(f"{name:<34}{small_p50:>7.1f} / {small_p95:<7.1f}{p50:>9.1f} / {p95:<8.1f}"
              f"{p95 / small_p95:>8.1f}")
    worst = large["statistics, one team, one year"][1]
    verdict = "within" if worst < TARGET_MS else "OVER"
    print(f"\nThe figures' p95 at {options.cases:,} cases: {worst:.0f} ms, {verdict} the "
          f"target of {TARGET_MS} ms.")


if __name__ == "__main__":
    main()
