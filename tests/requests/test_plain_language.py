"""Plain Finnish as glossary.md asks: short sentences on every client page."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.casework import cases
from app.extensions import db
from app.models import CaseStatus
from app.saate.schema import CONTACT_REQUEST
from tests.support.journey import CONTACT_REQUEST as CONTACT_ANSWERS
from tests.support.journey import VALID_STEPS, Journey
from tests.support.plain_language import average_sentence_length, longest_sentences

pytestmark = pytest.mark.usefixtures("teams")

MAX_AVERAGE_WORDS = 12


def client_pages(client: FlaskClient, lang: str) -> dict[str, str]:
    """Every page a client can meet, rendered, by a name that says which."""
    journey = Journey(client, lang)
    pages: dict[str, str] = {}

    def visit(name: str, path: str) -> None:
        response = journey.get(path)
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = response.text

    for name, path in [("landing", "/"), ("contact", "/contact"), ("saate start", "/saate/"),
                       ("resume", "/resume"), ("accessibility", "/accessibility"),
                       ("privacy", "/privacy")]:
        visit(name, path)
    pages["not found"] = client.get(f"/{lang}/no-such-page").text

    journey.start()
    pages["validation errors"] = journey.step("contact-details", {}).text
    for slug in VALID_STEPS:
        visit(f"step {slug}", f"/saate/{slug}")
        if slug == "right-now":
            journey.step(slug, {"acute_distress": "yes"})
            visit("crisis page", "/saate/help-now")
            visit("crisis help", "/saate/situation")
        journey.step(slug)
    visit("check answers", "/saate/check")
    visit("delete draft", "/saate/delete")
    journey.send()
    visit("saate sent", "/saate/sent")

    journey.post("/contact", dict(CONTACT_ANSWERS))
    visit("contact request sent", "/contact/sent")

    for status in CaseStatus:
        case = cases.create_case(CONTACT_REQUEST, "fi@selko", dict(CONTACT_ANSWERS),
                                 status.value.rjust(32, "0"))
        case.status = status
        db.session.commit()
        visit(f"status {status.value}", f"/status/{cases.status_token(case)}")
    return pages


def test_every_client_page_in_plain_finnish_has_short_sentences(app: Flask,
                                                               client: FlaskClient) -> None:
    too_long = {}
    pages = client_pages(client, "selko")
    assert len(pages) > 20
    for name, html in pages.items():
        average = average_sentence_length(html)
        if average > MAX_AVERAGE_WORDS:
            too_long[name] = (round(average, 1), longest_sentences(html, 3))
    assert not too_long, too_long
