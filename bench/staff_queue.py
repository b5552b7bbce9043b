"""How the staff queue scales: the same queries on 1,000 cases and on a million.

Seeds a small SQLite database (1,000 cases, every run) and a large one (default
1,000,000 cases, kept between runs under a name with the schema's revision)
with the app's bulk demo data (app/demo_bulk.py: SQLAlchemy Core in batches, the same
cases as `flask demo seed --cases N`), then times the queue's service functions
(app.casework.queue) and the staff pages that show them (the queue table, "My
clients", the workload; rendered by their view functions) on both in the same
process. The figure that matters is the ratio large / small: close to 1 means the
query walks an index and does not grow with the table. For contrast it also times a
deep page fetched with OFFSET, which is what keyset pagination avoids.

Cases are seeded as a real service would hold them, over the last two years (see
app/demo_bulk.py for the whole distribution): most old cases closed, the newest
ones open (a tenth of them, at most 2,000), and one in 500 old ones left open;
one in a hundred urgent. Every case past "new" has a handler (half of them the
bench lead, the rest the teams' workers), closed ones too, so a worker's own list
sits among years of closed cases; two in three open handled cases have a next
step, a third of those overdue; each case has its timeline. The queue's order is
urgent first, then promised date, then age; "My clients" goes by next step
(app/casework/queue.py).

The workload summary counts every open case of the lead's teams, so it grows with
the number of open cases (about 100 in the small database, about 4,000 in the
large one), not with the closed ones; its per-open-case cost is printed too.

    .venv/bin/python bench/staff_queue.py [--cases 1000000] [--database PATH]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alembic.script import ScriptDirectory
from flask import Flask
from flask_login import login_user
from sqlalchemy import func, select

from app import create_app, demo, demo_bulk, migrate
from app.casework.cases import local_today
from app.casework.queue import (
    FIRST,
    NO_STEP,
    OPEN_STATUSES,
    Cursor,
    MineCursor,
    QueueFilters,
    mine_page,
    queue_page,
    status_counts,
    workload,
)
from app.cli import with_progress
from app.database import make_engine
from app.extensions import db
from app.models import Case, StaffUser
from app.people import accounts, teams
from config import TestingConfig

SMALL = 1_000
LEAD_EMAIL = "bench.lead@example.test"
WORKERS_PER_TEAM = 6
BENCH_PASSWORD = "a-long-bench-password"  # noqa: S105  (a throwaway bench database)
PAGE = 50
# "My clients" pages are timed at this size: the small database's lead holds about 35
# open cases, and a full page at both sizes keeps the ratio about the table, not the rows.
MINE_PAGE = 25
REPEATS = 15


def timed(function) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        function()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def prepared(path: Path, cases: int) -> Flask:
    fresh = not path.exists()
    url = f"sqlite:///{path}"
    if fresh:
        migrate.upgrade(make_engine(url))
    app = create_app(TestingConfig, {"DATABASE_URL": url})
    if fresh:
        with app.app_context():
            lead = demo_teams_and_staff()
            with_progress(f"Seeding {cases:,} cases into {path}", lambda progress:
                          demo_bulk.seed_cases(cases, main_handler=lead.id, progress=progress),
                          unit="cases")
    return app


def demo_teams_and_staff() -> StaffUser:
    """The demo teams, WORKERS_PER_TEAM workers in each and a lead of them all (returned)."""
    for team in demo.DEMO_TEAMS:
        teams.create_team(**team)  # type: ignore[arg-type]
    lead = accounts.create_staff(
        email=LEAD_EMAIL,
        name="Bench Lead",
        title="tiimin esihenkilö",
        role="lead",
        team_slugs=[t["slug"] for t in demo.DEMO_TEAMS],  # type: ignore[misc]
        password=BENCH_PASSWORD,
    )
    for team in demo.DEMO_TEAMS:
        for number in range(WORKERS_PER_TEAM):
            accounts.create_staff(
                email=f"bench.{team['slug']}.{number}@example.test",
                name=f"Bench Worker {team['slug']} {number}", title="sosiaaliohjaaja",
                role="worker", team_slugs=[team["slug"]],  # type: ignore[list-item]
                password=BENCH_PASSWORD)
    return lead


def rendered(app: Flask, user: StaffUser, path: str, endpoint: str) -> float:
    """Median seconds to make a staff page (its queries and its template) for the user,
    by its view function in a request context (the sign-in check is left out)."""
    def page() -> None:
        with app.test_request_context(path):
            login_user(user)
            html = app.view_functions[endpoint]()
            assert "<table" in html
    return timed(page)


def measure(app: Flask) -> tuple[dict[str, float], dict[str, int]]:
    """Median seconds per operation, for a lead who sees every team (and holds half of the
    handled cases: "My clients"); and how many open cases there are."""
    with app.app_context():
        lead = accounts.find_by_email(LEAD_EMAIL)
        assert lead is not None
        today = local_today()
        mine = QueueFilters(mine=True)
        by_step = (NO_STEP, Case.next_step_date, Case.promised_contact_date, Case.created_at,
                   Case.id)
        own_open = select(Case).where(Case.handler_id == lead.id,
                                      Case.status.in_(OPEN_STATUSES)).order_by(*by_step)
        # A "My clients" page that starts among the steps due and ends among the cases
        # without one.
        own_count = db.session.scalar(select(func.count()).select_from(own_open.subquery()))
        with_step = db.session.scalar(select(func.count()).where(
            Case.handler_id == lead.id, Case.status.in_(OPEN_STATUSES),
            Case.next_step_date.is_not(None))) or 0
        middle = db.session.scalars(own_open.offset(max(with_step - MINE_PAGE // 2, 0))
                                    .limit(1)).one()
        mine_cursor = MineCursor.after(middle)
        open_cases = db.session.scalar(select(func.count()).where(
            Case.status.in_(OPEN_STATUSES))) or 1
        everything = QueueFilters(status="")
        total = db.session.scalar(select(func.count()).select_from(Case)) or 0
        near_end = total - PAGE * 2
        in_order = (FIRST.desc(), Case.promised_contact_date, Case.created_at, Case.id)
        deep = db.session.scalars(select(Case).order_by(*in_order).offset(near_end).limit(1)).one()
        cursor = Cursor.after(deep)
        urgent_open = db.session.scalars(
            select(Case).where(FIRST == 1).order_by(*in_order).limit(1)).one()
        across = Cursor.after(urgent_open)  # the next page still has urgent cases, then others
        only_urgent = QueueFilters(urgent=True)
        return {
            "first page, open cases": timed(lambda: queue_page(lead, QueueFilters(), None, PAGE)),
            "first page, every status": timed(lambda: queue_page(lead, everything, None, PAGE)),
            "first page, only urgent": timed(lambda: queue_page(lead, only_urgent, None, PAGE)),
            "page after an urgent case": timed(
                lambda: queue_page(lead, QueueFilters(), across, PAGE)),
            "page near the end, keyset": timed(lambda: queue_page(lead, everything, cursor, PAGE)),
            "page near the end, OFFSET": timed(lambda: db.session.scalars(
                select(Case).order_by(*in_order).offset(near_end).limit(PAGE)
            ).all()),
            "counts per status": timed(lambda: status_counts(lead, QueueFilters(), 9_999)),
            "queue table page, rendered": rendered(app, lead, "/staff/", "staff.queue"),
            "all cases page, rendered": rendered(app, lead, "/staff/?status=", "staff.queue"),
            f"my clients, first {MINE_PAGE}": timed(
                lambda: mine_page(lead, mine, None, MINE_PAGE)),
            f"my clients, {MINE_PAGE} across no step": timed(
                lambda: mine_page(lead, mine, mine_cursor, MINE_PAGE)),
            "my clients page, rendered": rendered(app, lead, "/staff/?mine=1", "staff.queue"),
            "workload summary": timed(lambda: workload(lead, today)),
            "workload page, rendered": rendered(app, lead, "/staff/workload",
                                                "staff.workload_page"),
            "workload per open case": timed(lambda: workload(lead, today)) / open_cases,
        }, {"cases open": open_cases, "the lead's own open cases": own_count or 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    # Named by the schema's revision: a database seeded by an older schema is not reused.
    head = ScriptDirectory(str(migrate.MIGRATIONS_DIR)).get_current_head()
    default_database = Path(tempfile.gettempdir()) / f"saate-bench-{head}.sqlite3"
    parser.add_argument("--database", default=str(default_database))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        small_app = prepared(Path(workdir) / "small.sqlite3", SMALL)
        large_app = prepared(Path(args.database), args.cases)
        small, small_facts = measure(small_app)
        large, large_facts = measure(large_app)
    print(f"\n{'median of ' + str(REPEATS):<34}{SMALL:>10,} {args.cases:>12,}   ratio")
    for label, count in small_facts.items():
        print(f"{label:<34}{count:>10,} {large_facts[label]:>12,}")
    for label, seconds in small.items():
        print(f"{label:<34}{seconds * 1000:>8.3f}ms {large[label] * 1000:>10.3f}ms"
              f"   {large[label] / seconds:6.1f}×")


if __name__ == "__main__":
    main()
