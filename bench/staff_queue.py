"""How the staff queue scales: the same queries on 1,000 cases and on a million.

Seeds a small SQLite database (1,000 cases, every run) and a large one (default
1,000,000 cases, kept between runs) through SQLAlchemy Core in batches, then
times the queue's service functions (app.casework.queue) on both in the same process.
The figure that matters is the ratio large / small: close to 1 means the query
walks an index and does not grow with the table. For contrast it also times a
deep page fetched with OFFSET, which is what keyset pagination avoids.

Cases are seeded as a real service would hold them: most old cases closed, the
newest ones open, and a few old ones left open; about one in a hundred urgent. The
queue's order is urgent first, then promised date, then age (app/casework/queue.py).

    .venv/bin/python bench/staff_queue.py [--cases 1000000] [--database PATH]
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

from flask import Flask
from sqlalchemy import func, insert, select

from app import create_app, demo, migrate
from app.casework.queue import FIRST, Cursor, QueueFilters, queue_page, status_counts
from app.database import make_engine
from app.extensions import db
from app.models import Case, Team
from app.people import accounts, teams
from config import TestingConfig

BATCH = 20_000
SMALL = 1_000
LEAD_EMAIL = "bench.lead@example.test"
BENCH_PASSWORD = "a-long-bench-password"  # noqa: S105  (a throwaway bench database)
PAGE = 50
REPEATS = 15


def seed(count: int) -> None:
    team_ids = [team.id for team in db.session.scalars(select(Team))]
    start = datetime(2020, 1, 1, tzinfo=UTC)
    rng = random.Random(7)
    open_statuses = ["new", "in_progress", "waiting_for_client", "routed"]
    recent = count - min(count // 10, 2_000)
    for offset in range(0, count, BATCH):
        rows = []
        for n in range(offset, min(offset + BATCH, count)):
            rows.append({
                "kind": "saate" if n % 3 else "contact_request",
                "status": (rng.choice(open_statuses) if n >= recent or rng.random() < 0.002
                           else "closed"),
                "language": "fi",
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


def prepared(path: Path, cases: int) -> Flask:
    fresh = not path.exists()
    url = f"sqlite:///{path}"
    if fresh:
        migrate.upgrade(make_engine(url))
    app = create_app(TestingConfig, {"DATABASE_URL": url})
    if fresh:
        with app.app_context():
            for team in demo.DEMO_TEAMS:
                teams.create_team(**team)  # type: ignore[arg-type]
            accounts.create_staff(
                email=LEAD_EMAIL,
                name="Bench Lead",
                title="tiimin esihenkilö",
                role="lead",
                team_slugs=[t["slug"] for t in demo.DEMO_TEAMS],  # type: ignore[misc]
                password=BENCH_PASSWORD,
            )
            print(f"Seeding {cases:,} cases into {path} …")
            seed(cases)
    return app


def measure(app: Flask) -> dict[str, float]:
    """Median seconds per operation, for a lead who sees every team."""
    with app.app_context():
        lead = accounts.find_by_email(LEAD_EMAIL)
        assert lead is not None
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
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    default_database = Path(tempfile.gettempdir()) / "saate-bench.sqlite3"
    parser.add_argument("--database", default=str(default_database))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        small_app = prepared(Path(workdir) / "small.sqlite3", SMALL)
        large_app = prepared(Path(args.database), args.cases)
        small = measure(small_app)
        large = measure(large_app)
    print(f"\n{'median of ' + str(REPEATS):<30}{SMALL:>10,} {args.cases:>12,}   ratio")
    for label, seconds in small.items():
        print(f"{label:<30}{seconds * 1000:>8.2f}ms {large[label] * 1000:>10.2f}ms"
              f"   {large[label] / seconds:6.1f}×")


if __name__ == "__main__":
    main()
