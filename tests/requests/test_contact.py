"""The contact request: one page, one case, never two."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.models import Case
from tests.support.i18n import translated
from tests.support.journey import CONTACT_REQUEST, Journey
from tests.support.pages import error_summary

pytestmark = pytest.mark.usefixtures("teams")

KEY = "0123456789abcdef0123456789abcdef"


def test_contact_page_lists_the_teams_municipalities(client: FlaskClient, app: Flask) -> None:
    html = Journey(client, "sv").get("/contact").text
    for name in ("Jyväskylä", "Laukas", "Viitasaari"):
        assert f">{name}</option>" in html
    assert translated(app, "sv", "Other municipality or not sure") in html
    # The page's language is the default language for contact.
    assert 'name="contact_language" value="sv" checked' in html


def test_contact_request_creates_a_case_for_the_municipalitys_team(client: FlaskClient) -> None:
    journey = Journey(client)
    response = journey.post("/contact", {**CONTACT_REQUEST, "municipality": "410"})
    assert response.location == "/fi/contact/sent"
    case = db.session.scalars(select(Case)).one()
    assert case.kind == "contact_request"
    assert case.team.slug == "laukaa-hankasalmi"
    assert case.answers["about"] == "Haluan jutella."
    assert case.consents == []


def test_other_municipality_goes_to_the_default_team(client: FlaskClient) -> None:
    Journey(client).post("/contact", {**CONTACT_REQUEST, "municipality": "other"})
    case = db.session.scalars(select(Case)).one()
    assert case.team.is_default


@pytest.mark.parametrize(("change", "msgid"), [
    ({"name": ""}, "Tell us what we should call you"),
    ({"phone": "", "email": ""}, "Give a phone number or an e-mail address, or both"),
    ({"municipality": ""}, "Choose your municipality"),
    ({"about": "x" * 2001}, None),
])
def test_contact_validation_keeps_every_answer(client: FlaskClient, app: Flask, change: dict,
                                               msgid: str | None) -> None:
    response = Journey(client).post("/contact", {**CONTACT_REQUEST, **change})
    assert response.status_code == 200
    problems = error_summary(response.text)
    assert len(problems) == 1
    if msgid:
        assert problems[0] == translated(app, "fi", msgid)
    for field, value in CONTACT_REQUEST.items():
        if field not in change and field in ("name", "phone", "email"):
            assert f'value="{value}"' in response.text
    assert db.session.scalar(select(func.count(Case.id))) == 0


def test_double_click_makes_one_case(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.get("/contact")
    page = journey.page
    for _ in range(3):
        journey.page = page
        response = journey.post("/contact", {**CONTACT_REQUEST, "submission_key": KEY},
                                fresh_page=False)
        assert response.location == "/fi/contact/sent"
    assert db.session.scalar(select(func.count(Case.id))) == 1


def test_expired_csrf_token_keeps_the_answers(client: FlaskClient) -> None:
    client.get("/fi/contact")
    response = client.post("/fi/contact", data={**CONTACT_REQUEST, "csrf_token": "stale",
                                                "submission_key": KEY})
    assert response.status_code == 400
    assert 'value="Testi Asiakas"' in response.text
    assert f'value="{KEY}"' in response.text
    assert db.session.scalar(select(func.count(Case.id))) == 0


def test_confirmation_shows_reference_date_status_link_and_feedback(client: FlaskClient,
                                                                    app: Flask) -> None:
    journey = Journey(client)
    journey.post("/contact", CONTACT_REQUEST)
    html = journey.get("/contact/sent").text
    case = db.session.scalars(select(Case)).one()
    assert case.display_reference in html
    assert len(case.reference) == 8 and case.display_reference[4] == "-"
    assert journey.status_path().startswith("/fi/status/")
    assert 'name="rating"' in html
    response = journey.post("/feedback/contact_request", {"rating": "4", "comment": "Helppo"},
                            fresh_page=False)
    assert response.status_code == 303
    html = journey.get("/contact/sent").text
    assert 'name="rating"' not in html


def test_confirmation_without_a_sent_case_goes_home(client: FlaskClient) -> None:
    assert client.get("/fi/contact/sent").location == "/fi/"
