"""The saate, step by step: drafts, validation, notices, check answers, sending."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.models import Case, CaseConsent, Draft
from app.saate.schema import SAATE
from tests.support.i18n import translated
from tests.support.journey import VALID_STEPS, Journey
from tests.support.pages import error_summary, main_text

pytestmark = pytest.mark.usefixtures("teams")


def saved_answers() -> dict:
    db.session.expire_all()
    draft = db.session.scalars(select(Draft)).one()
    return draft.answers


def test_start_page_lists_the_parts(client: FlaskClient) -> None:
    html = Journey(client).get("/saate/").text
    parts = re.search(r'<ol class="parts">(.*?)</ol>', html, re.S)
    assert parts is not None
    assert parts.group(1).count("<li>") == len(SAATE.steps)


@pytest.mark.parametrize("slug", list(VALID_STEPS))
def test_every_step_renders_and_moves_on(client: FlaskClient, slug: str) -> None:
    journey = Journey(client)
    journey.start()
    page = journey.get(f"/saate/{slug}")
    assert page.status_code == 200
    number = SAATE.step_number(slug)
    response = journey.step(slug)
    following = SAATE.next_step(slug)
    expected = f"/fi/saate/{following.slug}" if following else "/fi/saate/check"
    assert response.status_code == 302 and response.location == expected, number


def test_progress_and_back_link(client: FlaskClient, app: Flask) -> None:
    journey = Journey(client)
    journey.start()
    html = journey.get("/saate/health").text
    assert translated(app, "fi", "Part %(number)d of %(total)d", number=4, total=7) in html
    assert 'class="back-link" href="/fi/saate/situation"' in html


def test_unknown_step_is_not_found(client: FlaskClient) -> None:
    assert client.get("/fi/saate/no-such-step").status_code == 404


def test_every_group_is_a_fieldset_and_every_input_labelled(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.start()
    for step in SAATE.steps:
        html = journey.get(f"/saate/{step.slug}").text
        for question in step.questions:
            if question.kind in ("radio", "checkboxes", "scale"):
                assert f'id="{question.code}-0"' in html
                block = html[: html.find(f'id="{question.code}-0"')]
                assert block.rfind("<fieldset") > block.rfind("</fieldset>"), question.code
            else:
                assert f'<label for="{question.code}">' in html, question.code


def test_hints_are_linked_with_aria_describedby(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.start()
    html = journey.get("/saate/contact-details").text
    assert 'aria-describedby="birth_year-hint birth_year-why"' in html
    assert 'id="birth_year-why"' in html
    html = journey.get("/saate/hopes").text
    assert 'aria-describedby="six_months-limit"' in html


def test_answers_are_saved_even_when_the_step_is_invalid(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.start()
    data = {**VALID_STEPS["contact-details"], "email": "not-an-address", "birth_year": "19x0"}
    response = journey.step("contact-details", data)
    assert response.status_code == 200
    answers = saved_answers()
    assert answers["email"] == "not-an-address"
    assert answers["birth_year"] == "19x0"
    assert answers["name"] == "Testi Asiakas"
    # Every typed answer is back in the form.
    assert 'value="not-an-address"' in response.text
    assert 'value="19x0"' in response.text


def test_a_step_posted_without_a_draft_starts_one(client: FlaskClient) -> None:
    journey = Journey(client)
    response = journey.step("contact-details")
    assert response.status_code == 302
    assert saved_answers()["name"] == "Testi Asiakas"


VALIDATION_CASES = [
    ("contact-details", {"name": ""}, "name", "Tell us what we should call you"),
    ("contact-details", {"phone": "", "email": ""}, "phone",
     "Give a phone number or an e-mail address, or both"),
    ("contact-details", {"email": "testi@"}, "email",
     "Write the e-mail address in the form name@example.com"),
    ("contact-details", {"phone": "soita minulle"}, "phone",
     "Write the phone number with digits only, for example 040 123 4567"),
    ("contact-details", {"phone": "12"}, "phone",
     "Write the phone number with digits only, for example 040 123 4567"),
    ("contact-details", {"municipality": ""}, "municipality", "Choose your municipality"),
    ("contact-details", {"municipality": "999"}, "municipality", "Choose one of the options given"),
    ("contact-details", {"best_time": "midnight"}, "best_time", "Choose one of the options given"),
    ("contact-details", {"birth_year": "1850"}, "birth_year", None),
    ("contact-details", {"name": "x" * 101}, "name", None),
    ("situation", {"current_services": ["employment_services", "bogus"]}, "current_services",
     "Choose one of the options given"),
    ("health", {"work_ability_score": "11"}, "work_ability_score",
     "Choose one of the options given"),
    ("education-and-work", {"last_worked_year": "2999"}, "last_worked_year", None),
    ("hopes", {"six_months": "x" * 2001}, "six_months", None),
    ("situation", {"current_services": ["none", "social_services"]}, "current_services",
     "Choose either “None of these” or the services you use"),
    ("health", {"kela_pending": ["rehabilitation", "none"]}, "kela_pending",
     "Choose either “No applications waiting” or your applications"),
    ("consent", {"share_with": ["none", "kela"], "share_health_with": []}, "share_with",
     "Choose either “None of these” or the ones you agree to"),
    ("consent", {"share_with": ["kela"], "share_health_with": ["kela", "none"]},
     "share_health_with", "Choose either “None of these” or the ones you agree to"),
    ("consent", {"share_with": ["kela"], "share_health_with": ["kela", "social_services"]},
     "share_health_with",
     "You can share health information only with those you chose in the previous question"),
]


@pytest.mark.parametrize(("slug", "change", "code", "msgid"), VALIDATION_CASES)
def test_validation_rule(client: FlaskClient, app: Flask, slug: str, change: dict, code: str,
                         msgid: str | None) -> None:
    journey = Journey(client)
    journey.start()
    response = journey.step(slug, {**VALID_STEPS[slug], **change})
    assert response.status_code == 200
    html = response.text
    problems = error_summary(html)
    assert len(problems) == 1
    anchor = f"{code}-0" if SAATE.question(code).kind in ("radio", "checkboxes", "scale") else code
    assert f'href="#{anchor}"' in html
    assert f'id="{code}-error"' in html
    if msgid:
        assert problems[0] == translated(app, "fi", msgid)
    assert html.count('autofocus') == 1
    assert "<title>" + translated(app, "fi", "Error:") in html


@pytest.mark.parametrize("lang,locale", [("fi", "fi"), ("sv", "sv"), ("selko", "fi@selko")])
def test_error_messages_speak_the_page_language(client: FlaskClient, app: Flask, lang: str,
                                                locale: str) -> None:
    journey = Journey(client, lang)
    journey.start()
    response = journey.step("contact-details",
                            {**VALID_STEPS["contact-details"], "name": "", "email": "x"})
    problems = error_summary(response.text)
    assert problems == [
        translated(app, locale, "Tell us what we should call you"),
        translated(app, locale, "Write the e-mail address in the form name@example.com"),
    ]


def test_follow_up_that_does_not_apply_is_not_kept(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.start()
    data = {**VALID_STEPS["situation"], "situation": "working", "not_working_for": "over_2_years"}
    assert journey.step("situation", data).status_code == 302
    journey.fill_all()
    journey.step("situation", data)
    journey.send()
    case = db.session.scalars(select(Case)).one()
    assert "not_working_for" not in case.answers


def test_crisis_help_shows_at_once_on_the_next_page(client: FlaskClient, app: Flask) -> None:
    journey = Journey(client)
    journey.start()
    response = journey.step("right-now", {"acute_distress": "yes"})
    assert response.location == "/fi/saate/help-now"  # the crisis page (test_crisis.py)
    html = journey.get("/saate/situation").text  # and again on the part after, if they go on
    assert 'class="crisis"' in html
    assert "112" in main_text(html)
    assert "09 2525 0111" in main_text(html)


def test_occupational_health_note_follows_its_question_on_the_same_page(
        client: FlaskClient) -> None:
    journey = Journey(client)
    journey.start()
    html = journey.get("/saate/situation").text
    question = html.index('id="occupational_health-0"')
    note = html.index('id="occupational-health-note"')
    assert question < note < html.index('id="current_services-0"')
    # Only the "yes" answer opens it (CSS :has, static/saate.css).
    assert 'id="occupational_health-0" name="occupational_health" value="yes" class="opens"' in html
    assert 'value="no" class="opens"' not in html
    journey.step("situation", {**VALID_STEPS["situation"], "occupational_health": "yes"})
    assert 'id="occupational-health-note"' not in journey.get("/saate/health").text


def test_check_page_lists_every_answer_with_change_links(client: FlaskClient, app: Flask) -> None:
    journey = Journey(client)
    journey.fill_all()
    html = journey.get("/saate/check").text
    for slug, answers in VALID_STEPS.items():
        for code in answers:
            question = SAATE.question(code)
            assert (f'href="/fi/saate/{slug}?from=check&amp;row={code}#{question.anchor}"'
                    in html), code
    assert "Testi Asiakas" in html
    assert "Jyväskylä" in html
    assert translated(app, "fi", "Unemployed jobseeker") in html
    assert "Varastotyötä" in html


def test_change_from_check_returns_to_check(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.fill_all()
    response = journey.step("hopes", {**VALID_STEPS["hopes"], "six_months": "Opiskelu"},
                            **{"from": "check"})
    assert response.location == "/fi/saate/check#check-hopes"
    assert saved_answers()["six_months"] == "Opiskelu"


def test_missing_required_answers_block_sending(client: FlaskClient, app: Flask) -> None:
    journey = Journey(client)
    journey.start()
    journey.step("contact-details", {**VALID_STEPS["contact-details"], "name": "",
                                     "municipality": ""})
    response = journey.send()
    assert response.status_code == 200
    problems = error_summary(response.text)
    assert any(translated(app, "fi", "Tell us what we should call you") in p for p in problems)
    assert any(translated(app, "fi", "Choose your municipality") in p for p in problems)
    assert db.session.scalar(select(func.count(Case.id))) == 0


def test_sending_creates_one_case_with_codes_flags_and_consents(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.fill_all()
    response = journey.send()
    assert response.location == "/fi/saate/sent"
    case = db.session.scalars(select(Case)).one()
    assert case.kind == "saate" and case.status == "new" and case.language == "fi"
    assert case.team.slug == "jyvaskyla"
    assert case.answers["situation"] == "unemployed"
    assert case.answers["affecting"] == ["mood", "other"]
    assert set(case.flags["codes"]) == {"health_check_may_fit"}
    assert not case.urgent
    consents = {c.actor: (c.share, c.share_health) for c in
                db.session.scalars(select(CaseConsent).where(CaseConsent.case_id == case.id))}
    assert consents["kela"] == (True, True)
    assert consents["employment_services"] == (True, False)
    assert consents["social_services"] == (False, False)
    # The draft no longer holds the answers.
    assert saved_answers() == {}


def test_urgent_flag_from_acute_distress(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.fill_all()
    journey.step("right-now", {"acute_distress": "yes"})
    journey.step("health", {**VALID_STEPS["health"], "work_ability_score": "2"})
    journey.send()
    case = db.session.scalars(select(Case)).one()
    assert case.urgent
    assert {"urgent", "low_work_ability"} <= set(case.flags["codes"])
    assert 'class="crisis"' in journey.get("/saate/sent").text


def test_sending_twice_makes_one_case(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.fill_all()
    journey.get("/saate/check")
    token = journey.page
    first = journey.post("/saate/check", {}, fresh_page=False)
    journey.page = token
    second = journey.post("/saate/check", {}, fresh_page=False)
    assert first.location == second.location == "/fi/saate/sent"
    assert db.session.scalar(select(func.count(Case.id))) == 1
    # Back and resend a step: still the sent page, no new draft content.
    assert journey.step("consent").location == "/fi/saate/sent"
    assert db.session.scalar(select(func.count(Case.id))) == 1


def test_expired_csrf_token_keeps_the_answers_and_saves_nothing(client: FlaskClient,
                                                                app: Flask) -> None:
    journey = Journey(client)
    journey.start()
    data = {**VALID_STEPS["contact-details"], "name": "Testi Uusinimi", "csrf_token": "expired"}
    response = client.post("/fi/saate/contact-details", data=data)
    assert response.status_code == 400
    assert 'value="Testi Uusinimi"' in response.text
    assert "error-summary" in response.text
    assert saved_answers() == {}
    # Sending again with the fresh token on that page works.
    journey.page = response.text
    assert journey.post("/saate/contact-details", {**data, "csrf_token": None},
                        fresh_page=False).status_code == 302
    assert saved_answers()["name"] == "Testi Uusinimi"


def test_save_and_continue_later_shows_the_code(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.start()
    response = journey.step("situation", {**VALID_STEPS["situation"], "action": "save"})
    assert response.location == "/fi/saate/saved"
    journey.get("/saate/saved")
    assert journey.resume_code()


def test_resume_code_is_shown_on_every_step(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.start()
    codes = {journey.get(f"/saate/{step.slug}") and journey.resume_code() for step in SAATE.steps}
    assert len(codes) == 1


def test_deleting_a_draft(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.fill_all()
    response = journey.post("/saate/delete", {})
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Draft.id))) == 0
    assert journey.get("/saate/check").location == "/fi/resume"
