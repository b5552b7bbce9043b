"""Retention: expired drafts go; closed cases keep only what statistics need."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.casework import retention
from app.database import utcnow
from app.extensions import db
from app.intake import drafts
from app.models import Case, CaseConsent, Draft
from app.people import staff_sessions
from tests.support.staff import handled_and_closed, make_staff

pytestmark = pytest.mark.usefixtures("teams")


def closed_saate(days_ago: int) -> Case:
    worker = make_staff(f"testi{days_ago}@example.test")
    return handled_and_closed(worker, days_ago, f"{days_ago:032d}")


def test_old_closed_cases_are_anonymised(app: Flask) -> None:
    old, recent = closed_saate(400), closed_saate(10)
    report = retention.run()
    assert report.cases_anonymised == 1
    db.session.expire_all()
    old, recent = db.session.get(Case, old.id), db.session.get(Case, recent.id)
    assert old.answers == {} and old.outcomes == {"codes": ["kela"]}
    assert old.municipality_code == "179" and old.close_reason == "routed"
    assert all("text" not in event.data and "detail" not in event.data for event in old.events)
    assert old.next_step is None and old.next_step_date is None
    assert all("next_step" not in event.data for event in old.events)
    assert recent.next_step == "Soita Kelan päätöksen jälkeen"
    assert db.session.scalars(select(CaseConsent).where(CaseConsent.case_id == old.id)).all() == []
    assert recent.answers["name"] == "Testi Asiakas"
    assert retention.run().cases_anonymised == 0


def test_expired_drafts_are_deleted(app: Flask) -> None:
    opened = drafts.start("fi")
    opened.draft.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert retention.run().drafts == 1
    assert db.session.scalars(select(Draft)).all() == []


def test_old_staff_sessions_are_deleted(app: Flask) -> None:
    worker = make_staff("testi.istunto@example.test")
    ended, abandoned, live = (staff_sessions.start(worker) for _ in range(3))
    staff_sessions.end(ended, staff_sessions.EndReason.SIGNED_OUT)
    long_ago = utcnow() - staff_sessions.KEEP_ENDED - timedelta(days=1)
    for token in (ended, abandoned):
        record = staff_sessions.find(token)
        record.last_seen_at = long_ago  # type: ignore[union-attr]
        if record.ended_at:  # type: ignore[union-attr]
            record.ended_at = long_ago  # type: ignore[union-attr]
    db.session.commit()
    assert retention.run().staff_sessions == 2
    assert staff_sessions.find(live) is not None
    assert staff_sessions.find(ended) is None and staff_sessions.find(abandoned) is None


def test_the_run_reports_its_progress_batch_by_batch(app: Flask) -> None:
    for days_ago in (400, 401, 402):
        closed_saate(days_ago)
    seen: list[tuple[int, int]] = []
    report = retention.run(batch_size=2, progress=lambda done, total: seen.append((done, total)))
    assert report.cases_anonymised == 3 and seen == [(0, 3), (2, 3), (3, 3)]


def test_the_command_shows_a_progress_bar_and_what_it_did(app: Flask) -> None:
    closed_saate(400)
    result = app.test_cli_runner().invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    assert "Anonymising closed cases" in result.output
    assert "closed cases anonymised: 1;" in result.output
