"""`make run`'s demo (issue 10, point 15): every demo team's queue shows a real day, urgent,
overdue and waiting cases among others, built through the case workflow; the printed
sign-in names the port actually served."""

from __future__ import annotations

import subprocess
from collections import defaultdict
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from app import demo
from app.casework.cases import local_today
from app.casework.queue import is_overdue
from app.extensions import db
from app.models import Case, Team

ROOT = Path(__file__).resolve().parents[2]


def test_every_demo_team_has_urgent_overdue_and_waiting_cases(app: Flask) -> None:
    demo.seed()
    today = local_today()
    by_team: dict[str, list[Case]] = defaultdict(list)
    for case in db.session.scalars(select(Case)):
        by_team[case.team.slug].append(case)
    assert set(by_team) == {team["slug"] for team in demo.DEMO_TEAMS}
    for slug, team_cases in by_team.items():
        assert any(case.urgent for case in team_cases), slug
        assert any(is_overdue(case, today) for case in team_cases), slug
        assert any(case.status == "waiting_for_client" for case in team_cases), slug
        assert any(case.status == "new" for case in team_cases), slug
        claimed = [case for case in team_cases if case.handler_id]
        assert claimed and all(len(case.events) > 1 for case in claimed), slug
    statuses = {case.status for cases in by_team.values() for case in cases}
    assert statuses == {"new", "in_progress", "waiting_for_client", "routed", "closed"}
    # Sent weeks ago: the promised date on the weekday it was given for, before today.
    late = [case for cases in by_team.values() for case in cases if is_overdue(case, today)]
    assert all(case.promised_contact_date.weekday() < 5 for case in late)


def test_seeding_twice_changes_nothing(app: Flask) -> None:
    demo.seed()
    count = len(db.session.scalars(select(Case)).all())
    demo.seed()
    assert len(db.session.scalars(select(Case)).all()) == count
    assert len(db.session.scalars(select(Team)).all()) == len(demo.DEMO_TEAMS)


def test_the_printed_sign_in_names_the_address_served(app: Flask) -> None:
    app.config["BASE_URL"] = "http://127.0.0.1:8000"
    login = demo.seed()
    assert "http://127.0.0.1:8000/staff/" in demo.describe_login(login)
    assert ":5000" not in demo.describe_login(login)


def test_make_run_serves_and_prints_the_same_port() -> None:
    commands = subprocess.run(["make", "-n", "run", "PORT=8000"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout
    seed = next(line for line in commands.splitlines() if "demo seed" in line)
    serve = next(line for line in commands.splitlines() if " run --host" in line)
    assert "SAATE_BASE_URL=http://127.0.0.1:8000" in seed
    assert "--port 8000" in serve and "SAATE_BASE_URL=http://127.0.0.1:8000" in serve
