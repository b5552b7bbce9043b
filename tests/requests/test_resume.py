"""Resuming a draft by code on another device, into the first part not done; once the
saate is sent, the same code opens its status page. Guessing is throttled."""

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
from app.models import Case, Draft
from tests.support.i18n import translated
from tests.support.journey import VALID_STEPS, Journey

pytestmark = pytest.mark.usefixtures("teams")


def started_draft(client: FlaskClient) -> str:
    """Three parts continued from; the code as the client sees it on the fourth."""
    journey = Journey(client)
    journey.start()
    for slug in ("contact-details", "right-now", "situation"):
        assert journey.step(slug).status_code == 302, slug
    journey.get("/saate/health")
    return journey.resume_code()


@pytest.mark.parametrize("second_factor", ["1980", "1234", "Testi.Asiakas@example.test"])
def test_resume_on_another_device(app: Flask, second_factor: str) -> None:
    code = started_draft(app.test_client())
    other = Journey(app.test_client(), "sv")
    response = other.post("/resume", {"code": code.lower().replace("-", " "),
                                      "second_factor": second_factor})
    assert response.location == "/sv/saate/health"
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


# Where resuming opens (point 9) ------------------------------------------------------------

def resumed_at(app: Flask, code: str) -> str:
    response = Journey(app.test_client()).post("/resume", {"code": code, "second_factor": "1234"})
    assert response.status_code == 302, response.text[:2000]
    return response.location


def test_a_part_continued_with_optional_questions_empty_counts_as_done(app: Flask) -> None:
    journey = Journey(app.test_client())
    journey.start()
    journey.step("contact-details")
    assert journey.step("right-now", {}).status_code == 302  # nothing answered, all optional
    journey.get("/saate/situation")
    assert resumed_at(app, journey.resume_code()) == "/fi/saate/situation"


def test_saving_for_later_an_invalid_part_or_a_language_switch_is_not_done(app: Flask) -> None:
    journey = Journey(app.test_client())
    journey.start()
    journey.step("contact-details")
    journey.step("right-now")
    journey.step("situation", {**VALID_STEPS["situation"], "action": "save"})
    journey.step("situation", {**VALID_STEPS["situation"], "action": "language:sv"})
    # A part shown again with errors is not done either.
    assert journey.step("situation", {"situation": "forged"}).status_code == 200
    db.session.expire_all()
    assert db.session.scalars(select(Draft)).one().done_steps == ["contact-details", "right-now"]
    journey.get("/saate/situation")
    assert resumed_at(app, journey.resume_code()) == "/fi/saate/situation"


def test_parts_done_out_of_order_resume_at_the_first_one_missing(app: Flask) -> None:
    journey = Journey(app.test_client())
    journey.start()
    for slug in VALID_STEPS:
        if slug != "health":
            journey.step(slug)
    journey.get("/saate/check")
    assert resumed_at(app, journey.resume_code()) == "/fi/saate/health"


def test_check_answers_only_when_every_part_is_done(app: Flask) -> None:
    journey = Journey(app.test_client())
    journey.fill_all()
    journey.get("/saate/check")
    assert resumed_at(app, journey.resume_code()) == "/fi/saate/check"


def test_continue_from_the_start_page_the_front_page_and_the_saved_page(app: Flask) -> None:
    journey = Journey(app.test_client())
    journey.start()
    journey.step("contact-details")
    assert journey.start().location == "/fi/saate/right-now"
    assert 'href="/fi/saate/right-now"' in journey.get("/").text
    journey.step("right-now", {**VALID_STEPS["right-now"], "action": "save"})
    assert 'href="/fi/saate/right-now"' in journey.get("/saate/saved").text


# After sending, the same code opens the status page (point 10) -----------------------------

def sent_saate(app: Flask) -> tuple[str, str]:
    """A saate sent; its resume code and the path of its status link."""
    journey = Journey(app.test_client())
    journey.fill_all()
    journey.get("/saate/check")
    code = journey.resume_code()
    assert journey.send().location == "/fi/saate/sent"
    journey.get("/saate/sent")
    return code, journey.status_path()


@pytest.mark.parametrize("second_factor", ["", "1980", "not the answer"])
def test_the_resume_code_of_a_sent_saate_opens_its_status_page(app: Flask,
                                                              second_factor: str) -> None:
    code, status_path = sent_saate(app)
    other = Journey(app.test_client(), "sv")
    response = other.post("/resume", {"code": code, "second_factor": second_factor})
    assert response.location == status_path.replace("/fi/", "/sv/")
    html = other.get(response.location.removeprefix("/sv")).text
    case = db.session.scalars(select(Case)).one()
    assert case.display_reference in html
    assert "Testi Asiakas" not in html
    # The status link itself keeps working.
    assert app.test_client().get(status_path).status_code == 200


def test_the_sent_page_says_the_code_opens_the_status_page(app: Flask) -> None:
    journey = Journey(app.test_client())
    journey.fill_all()
    journey.get("/saate/check")
    code = journey.resume_code()
    journey.send()
    html = journey.get("/saate/sent").text
    assert f'<p class="reference">{code}</p>' in html
    assert 'href="/fi/resume"' in html
    resume_page = journey.get("/resume").text
    assert translated(app, "fi", "If you have already sent it, the code opens the page where "
                                 "you can follow your case.") in resume_page


def test_a_sent_saates_code_outlives_the_draft_expiry(app: Flask) -> None:
    code, status_path = sent_saate(app)
    draft = db.session.scalars(select(Draft)).one()
    draft.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert drafts.purge_expired() == 0  # kept as long as its case: it holds no answers
    response = Journey(app.test_client()).post("/resume", {"code": code, "second_factor": ""})
    assert response.location == status_path


def test_a_code_locked_by_wrong_guesses_stays_locked_after_sending(app: Flask) -> None:
    owner = Journey(app.test_client())
    owner.fill_all()
    owner.get("/saate/check")
    code = owner.resume_code()
    guesser = Journey(app.test_client())
    for year in range(1990, 1990 + app.config["RESUME_MAX_FAILURES_PER_CODE"]):
        guesser.post("/resume", {"code": code, "second_factor": str(year)})
    assert owner.send().location == "/fi/saate/sent"
    assert guesser.post("/resume", {"code": code, "second_factor": ""}).status_code == 429


def test_the_reference_code_does_not_open_anything(app: Flask) -> None:
    sent_saate(app)
    reference = db.session.scalars(select(Case)).one().display_reference
    response = Journey(app.test_client()).post("/resume", {"code": reference,
                                                           "second_factor": ""})
    assert response.status_code == 200
    assert "error-summary" in response.text
