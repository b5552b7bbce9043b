"""Bulk demo data in the staff pages (issue 12, point 3): a seeded case of every status and
channel opens in the case view and its print, and the queue, "My clients" and the
workload show them, for a worker and a lead; `flask demo seed --cases N` on a database
that already holds a real team."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app import demo, demo_bulk
from app.extensions import db
from app.models import Case, StaffUser, Team
from app.people import teams as team_service
from tests.requests.test_staff import case_ids_in
from tests.support.staff import make_staff, sign_in


@pytest.fixture
def lead(app: Flask) -> StaffUser:
    return make_staff("testi.esihenkilo@example.test", role="lead", name="Testi Esihenkilö",
                      teams=("jyvaskyla", "laukaa-hankasalmi"))


@pytest.mark.usefixtures("teams")
def test_seeded_cases_open_in_the_case_view_queue_my_clients_and_workload(
        signed_in: FlaskClient, worker: StaffUser, lead: StaffUser, app: Flask) -> None:
    demo_bulk.seed_cases(600, main_handler=worker.id)
    theirs = list(db.session.scalars(select(Case).where(Case.team_id == worker.teams[0].id)))
    samples = {}
    for case in theirs:  # one case of each status, channel, kind and language, stripped or not
        samples.setdefault((case.status, bool(case.answers)), case)
        samples.setdefault((case.channel, case.kind, case.language), case)
    assert len(samples) > 12
    for case in samples.values():
        page = signed_in.get(f"/staff/cases/{case.id}")
        assert page.status_code == 200, (case.status, case.channel)
        assert case.display_reference in page.text
        assert case.answers.get("name", case.display_reference) in page.text
        assert signed_in.get(f"/staff/cases/{case.id}/print").status_code == 200
    queue = signed_in.get("/staff/")
    assert queue.status_code == 200 and len(case_ids_in(queue.text)) > 10
    everything = signed_in.get("/staff/?status=")
    assert everything.status_code == 200 and case_ids_in(everything.text)
    mine = signed_in.get("/staff/?mine=1")
    own = {case.id for case in theirs if case.handler_id == worker.id and case.status != "closed"}
    assert mine.status_code == 200 and set(case_ids_in(mine.text)) <= own
    assert case_ids_in(mine.text)
    lead_client = app.test_client()
    sign_in(lead_client, lead)
    workload = lead_client.get("/staff/workload")
    assert workload.status_code == 200 and worker.name in workload.text


def test_demo_seed_with_cases_beside_a_real_team(app: Flask) -> None:
    real = team_service.create_team(slug="testi-oikea", name="Testi Oikea tiimi",
                                    phone="040 000 1234", municipalities=["179", "Keuruu"],
                                    is_default=True)
    runner = app.test_cli_runner()
    seeded = runner.invoke(args=["demo", "seed"])
    assert seeded.exit_code == 0, seeded.output
    assert demo.DEMO_STAFF[0]["email"] in seeded.output
    demo_teams = {team.slug: team for team in db.session.scalars(select(Team))}
    assert set(demo_teams) == {real.slug, *(team["slug"] for team in demo.DEMO_TEAMS)}
    # The real team keeps Jyväskylä and stays the default team; its cases are its own.
    assert [m.code for m in demo_teams["jyvaskyla"].municipalities] == ["500", "892"]
    assert not demo_teams["jyvaskyla"].is_default
    assert db.session.scalar(select(func.count()).where(Case.team_id == real.id)) == 0
    before = db.session.scalar(select(func.count()).select_from(Case))
    for _ in range(2):
        more = runner.invoke(args=["demo", "seed", "--cases", "500"])
        assert more.exit_code == 0, more.output
        assert "Added 500 cases" in more.output and "Seeding cases" in more.output
    assert db.session.scalar(select(func.count()).select_from(Case)) == before + 1000
    assert db.session.scalar(select(func.count()).where(Case.team_id == real.id)) > 0
    # Nobody works in the real team: its cases wait, unclaimed.
    assert "Testi Oikea tiimi has no active staff" in more.output
    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(Case)) == before + 1000


def test_demo_seed_is_refused_in_production(app: Flask) -> None:
    app.config["ENV_NAME"] = "production"
    result = app.test_cli_runner().invoke(args=["demo", "seed", "--cases", "10"])
    assert result.exit_code == 1 and "never created in production" in result.output
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0
