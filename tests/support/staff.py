"""Staff members and signing in, through the same services the app uses."""

from __future__ import annotations

import time
from datetime import timedelta

import pyotp
from flask.testing import FlaskClient

from app.casework import cases
from app.database import utcnow
from app.extensions import db
from app.models import Case, StaffUser
from app.people import accounts
from app.saate.schema import SAATE
from tests.support.journey import VALID_STEPS
from tests.support.pages import csrf_token

PASSWORD = "a-long-test-password"
# What the close form asks beside the reason (app/staff/forms.py CloseForm): where the client
# moved on, whether they saw a doctor, the follow-up.
CLOSING = {"moved_on_to": "unknown", "saw_doctor": "unknown", "follow_up": "none"}


def make_staff(email: str, *, role: str = "worker", teams: tuple[str, ...] = ("jyvaskyla",),
               name: str = "Testi Työntekijä", title: str = "terveydenhoitaja",
               ui_locale: str = "fi") -> StaffUser:
    return accounts.create_staff(email=email, name=name, title=title, role=role,
                                 team_slugs=list(teams), password=PASSWORD, ui_locale=ui_locale)


def totp_code(user: StaffUser, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(user.totp_secret).at(time.time() + 30 * steps_ahead)


def sign_in(client: FlaskClient, user: StaffUser, steps_ahead: int = 0) -> None:
    page = client.get("/staff/sign-in").text
    response = client.post("/staff/sign-in", data={
        "email": user.email, "password": PASSWORD, "csrf_token": csrf_token(page)})
    assert response.location == "/staff/sign-in/code", response.status_code
    page = client.get("/staff/sign-in/code").text
    response = client.post("/staff/sign-in/code", data={
        "code": totp_code(user, steps_ahead), "csrf_token": csrf_token(page)})
    assert response.location == "/staff/", response.status_code


def staff_post(client: FlaskClient, path: str, data: dict):  # type: ignore[no-untyped-def]
    """POST with the CSRF token from the staff queue page."""
    token = csrf_token(client.get("/staff/").text)
    return client.post(path, data={**data, "csrf_token": token})


def stored(case_id: int) -> Case:
    """The case as the database holds it now (not as this session last saw it)."""
    db.session.expire_all()
    return db.session.get(Case, case_id)  # type: ignore[return-value]


def handled_and_closed(worker: StaffUser, days_ago: int, submission_key: str) -> Case:
    """A whole saate that `worker` noted, routed and closed `days_ago` days ago."""
    answers = {k: v for step in VALID_STEPS.values() for k, v in step.items()}
    case = cases.create_case(SAATE, "fi", answers, submission_key)
    cases.add_note(case, worker, case.version, "Muistiinpano")
    cases.record_outcomes(case, worker, case.version, ["kela"], "Lisätieto",
                          no_contact_person_needed=True)
    cases.set_next_step(case, worker, case.version, "Soita Kelan päätöksen jälkeen",
                        cases.local_today())
    cases.close(case, worker, case.version, "routed", no_contact_person_needed=True)
    case.closed_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return case
