"""The client's status page: plain words for each status, never the answers."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.casework import cases
from app.extensions import db
from app.models import Case
from app.saate.schema import CONTACT_REQUEST
from tests.support.i18n import translated
from tests.support.journey import CONTACT_REQUEST as CONTACT_ANSWERS

pytestmark = pytest.mark.usefixtures("teams")

STATUS_TEXT = {
    "new": "Received",
    "in_progress": "In progress",
    "waiting_for_client": "We tried to reach you",
    "routed": "Routed onward",
    "closed": "Finished",
}


def make_case(language: str = "fi") -> tuple[Case, str]:
    case = cases.create_case(CONTACT_REQUEST, language, dict(CONTACT_ANSWERS), "f" * 32)
    return case, cases.status_token(case)


@pytest.mark.parametrize("status", list(STATUS_TEXT))
def test_status_page_for_each_status(client: FlaskClient, app: Flask, status: str) -> None:
    case, token = make_case()
    case.status = status
    db.session.commit()
    reference, phone = case.display_reference, case.team.phone
    html = client.get(f"/fi/status/{token}").text
    assert translated(app, "fi", STATUS_TEXT[status], context="client status") in html
    assert reference in html
    assert "Haluan jutella." not in html
    assert "040 000 1234" not in html
    if status != "closed":
        assert phone in html


def test_status_page_in_swedish(client: FlaskClient) -> None:
    _case, token = make_case()
    assert '<html lang="sv">' in client.get(f"/sv/status/{token}").text


def test_unknown_token_is_not_found(client: FlaskClient) -> None:
    make_case()
    assert client.get("/fi/status/not-a-real-token").status_code == 404
    assert client.get("/fi/status/" + "x" * 500).status_code == 404


def test_only_the_hash_of_the_token_is_stored(client: FlaskClient) -> None:
    _case, token = make_case()
    stored = db.session.scalars(select(Case)).one()
    assert token not in (stored.status_token_hash, stored.submission_key)
