"""How the staff queue scales: a deep keyset page against the first page.

Seeds N cases (default 1,000,000) into a SQLite file through SQLAlchemy Core in
batches, then times queue pages through the same service the queue route uses
(app.queue.queue_page). Figures are ratios against the first page measured in
the same process, so the machine's speed cancels out. For contrast it also
times the same deep page fetched with OFFSET, which is what keyset avoids.

    .venv/bin/python bench/queue.py [--cases 1000000] [--database /tmp/saate-bench.sqlite3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select

from app import accounts, create_app, demo, migrate, teams
from app.database import make_engine
from app.extensions import db
from app.models import Case, Team
from app.queue import Cursor, QueueFilters, queue_page
from config import TestingConfig

BATCH = 20_000
BENCH_PASSWORD = "a-long-bench-password"  # noqa: S105  (a throwaway bench database)
PAGE = 50
REPEATS = 15


def seed(count: int) -> None:
    team_ids = [team.id for team in db.session.scalars(select(Team))]
    start = datetime(2020, 1, 1, tzinfo=UTC)
    rng = random.Random(7)
    statuses = ["new", "in_progress", "waiting_for_client", "routed", "closed"]
    for offset in range(0, count, BATCH):
        rows = []
        for n in range(offset, min(offset + BATCH, count)):
            rows.append({
                "kind": "saate" if n % 3 else "contact_request",
                "status": rng.choice(statuses), "language": "fi",
                "municipality_code": "179", "team_id": team_ids[n % len(team_ids)],
                "urgent": n % 97 == 0, "flags": {"codes": []}, "answers": {},
                "reference": f"{n:08d}", "status_token_hash": f"{n:064d}",
                "submission_key": f"{n:032d}",
                "promised_contact_date": date(2020, 1, 1) + timedelta(days=n // 500),
                "outcomes": {}, "version": 1,
                "created_at": start + timedelta(minutes=n), "updated_at": start,
            })
        db.session.execute(insert(Case), rows)
        db.session.commit()
        print(f"  seeded {min(offset + BATCH, count):,}", end="\r", flush=True)
    print()


def timed(function) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        function()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def report(label: str, seconds: float, baseline: float) -> None:
    print(f"{label + ':':<30}{seconds * 1000:8.2f} ms   {seconds / baseline:6.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    default_database = Path(tempfile.gettempdir()) / "saate-bench.sqlite3"
    parser.add_argument("--database", default=str(default_database))
    args = parser.parse_args()
    path = Path(args.database)
    fresh = not path.exists()
    url = f"sqlite:///{path}"
    if fresh:
        migrate.upgrade(make_engine(url))
    app = create_app(TestingConfig, {"DATABASE_URL": url})
    with app.app_context():
        if fresh:
            for team in demo.DEMO_TEAMS:
                teams.create_team(**team)  # type: ignore[arg-type]
            accounts.create_staff(
                email="bench.lead@example.test",
                name="Bench Lead",
                title="tiimin esihenkilö",
                role="lead",
                team_slugs=[t["slug"] for t in demo.DEMO_TEAMS],  # type: ignore[misc]
                password=BENCH_PASSWORD,
            )
            print(f"Seeding {args.cases:,} cases into {path} …")
            seed(args.cases)
        lead = accounts.find_by_email("bench.lead@example.test")
        total = db.session.query(Case).count()
        filters = QueueFilters(status="")
        deep = db.session.execute(
            select(Case.created_at, Case.id).order_by(Case.created_at, Case.id)
            .offset(total - PAGE * 2).limit(1)).one()
        cursor = Cursor(deep.created_at, deep.id)

        first = timed(lambda: queue_page(lead, filters, None, PAGE))
        deep_keyset = timed(lambda: queue_page(lead, filters, cursor, PAGE))
        deep_offset = timed(lambda: db.session.scalars(
            select(Case).order_by(Case.created_at, Case.id).offset(total - PAGE * 2)
            .limit(PAGE)).all())
        open_first = timed(lambda: queue_page(lead, QueueFilters(), None, PAGE))

        print(f"cases in database:            {total:,}")
        report("first page (baseline)", first, first)
        report("first page of open cases", open_first, first)
        report("page near the end, keyset", deep_keyset, first)
        report("page near the end, OFFSET", deep_offset, first)


if __name__ == "__main__":
    main()
