"""Resuming a draft by code on another device; guessing is throttled."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from limits import parse_many
from sqlalchemy import select

from app.database import utcnow
from app.extensions import db
from app.intake import drafts
from app.limits import LIMITS
from app.models import Draft
from tests.support.journey import VALID_STEPS, Journey

pytestmark = pytest.mark.usefixtures("teams")


def started_draft(client: FlaskClient) -> str:
    journey = Journey(client)
    journey.start()
    journey.step("contact-details")
    journey.step("situation")
    journey.get("/saate/health")
    return journey.resume_code()


@pytest.mark.parametrize("second_factor", ["1980", "1234", "Testi.Asiakas@example.test"])
def test_resume_on_another_device(app: Flask, second_factor: str) -> None:
    code = started_draft(app.test_client())
    other = Journey(app.test_client(), "sv")
    response = other.post("/resume", {"code": code.lower().replace("-", " "),
                                      "second_factor": second_factor})
    assert response.location == "/sv/saate/check"
    html = other.get("/saate/check").text
    assert "Testi Asiakas" in html
    # The resumed session carries on saving into the same draft.
    other.step("health")
    db.session.expire_all()
    assert db.session.scalars(select(Draft)).one().answers["work_ability_score"] == "4"


def test_wrong_second_factor_is_refused(app: Flask) -> None:
    code = started_draft(app.test_client())
    response = Journey(app.test_client()).post("/resume", {"code": code, "second_factor": "1981"})
    assert response.status_code == 200
    assert "error-summary" in response.text
    assert "Testi Asiakas" not in response.text


def test_wrong_code_is_refused(app: Flask) -> None:
    started_draft(app.test_client())
    response = Journey(app.test_client()).post("/resume", {"code": "AAAAA-AAAAA",
                                                           "second_factor": "1980"})
    assert "error-summary" in response.text


def test_too_many_failures_for_a_code_locks_it_even_with_the_right_answer(app: Flask) -> None:
    code = started_draft(app.test_client())
    journey = Journey(app.test_client())
    for year in range(1990, 1990 + app.config["RESUME_MAX_FAILURES_PER_CODE"]):
        journey.post("/resume", {"code": code, "second_factor": str(year)})
    response = journey.post("/resume", {"code": code, "second_factor": "1980"})
    assert response.status_code == 429
    assert "error-summary" in response.text


def test_too_many_failures_from_one_address(app: Flask) -> None:
    journey = Journey(app.test_client())
    for attempt in range(min(rate.amount for rate in parse_many(LIMITS["resume"].rates))):
        journey.post("/resume", {"code": f"AAAAA-AAA{attempt:02d}", "second_factor": "1980"})
    code = started_draft(app.test_client())
    assert journey.post("/resume", {"code": code, "second_factor": "1980"}).status_code == 429


def test_expired_draft_cannot_be_resumed_or_used(app: Flask) -> None:
    client = app.test_client()
    code = started_draft(client)
    draft = db.session.scalars(select(Draft)).one()
    draft.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = Journey(app.test_client()).post("/resume", {"code": code, "second_factor": "1980"})
    assert "error-summary" in response.text
    # The old session no longer finds it either.
    assert client.get("/fi/saate/check").location == "/fi/resume"
    assert drafts.purge_expired() == 1


def test_drafts_expire_after_the_configured_days(app: Flask) -> None:
    started_draft(app.test_client())
    draft = db.session.scalars(select(Draft)).one()
    left = draft.expires_at - utcnow()
    assert timedelta(days=29, hours=23) < left <= timedelta(days=30)


def test_lost_session_resumes_by_code(app: Flask) -> None:
    client = app.test_client()
    code = started_draft(client)
    client.delete_cookie("saate_session")
    journey = Journey(client)
    assert journey.post("/resume", {"code": code, "second_factor": "1234"}).status_code == 302
    journey.step("health", VALID_STEPS["health"])
    db.session.expire_all()
    assert db.session.scalars(select(Draft)).one().answers["doctor_assessed"] == "dont_know"
