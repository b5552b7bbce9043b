"""Every CSV download neutralises cells a spreadsheet would run as formulas."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.casework import cases
from app.saate.schema import CONTACT_REQUEST
from tests.support.journey import CONTACT_REQUEST as CONTACT_ANSWERS
from tests.support.staff import make_staff, sign_in

pytestmark = pytest.mark.usefixtures("teams")

FORMULA = "=HYPERLINK(\"http://evil.example.test\",\"click\")"


def test_access_log_csv_cannot_carry_a_formula(client: FlaskClient, app: Flask) -> None:
    case = cases.create_case(CONTACT_REQUEST, "fi", dict(CONTACT_ANSWERS), "c" * 32)
    # A staff member's name and title are typed by people: the CSV repeats them.
    worker = make_staff("testi.kaava@example.test", name=FORMULA, title="@SUM(1+1)")
    worker_client = app.test_client()
    sign_in(worker_client, worker)
    worker_client.get(f"/staff/cases/{case.id}")
    admin = make_staff("testi.yllapito@example.test", role="admin", name="Testi Ylläpito")
    sign_in(client, admin)
    response = client.get(f"/staff/access-log.csv?reference={case.reference}")
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.text)))
    viewed = next(row for row in rows if row[4] == "view")
    assert viewed[2] == "'" + FORMULA and viewed[3] == "'@SUM(1+1)"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
