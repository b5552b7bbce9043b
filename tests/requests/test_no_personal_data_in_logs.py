"""A whole client journey and a whole triage: no personal data in any log or e-mail.

Everything logged in the process (a handler on the root logger at DEBUG, every
logger propagating, and pytest's caplog) and every e-mail a real SMTP server on
loopback receives is searched for the clients' names, phones, e-mail addresses
and free-text answers, the status secrets, the resume code and every value of
every cookie the app set.
"""

from __future__ import annotations

import logging
import re
from email import message_from_string, policy

import pytest
from flask import Flask
from flask.signals import request_finished
from flask.testing import FlaskClient
from sqlalchemy import select

from app import demo
from app.casework import cases
from app.extensions import db
from app.models import Case
from app.people import accounts
from app.people.teams import create_team
from tests.support.follow_up import close_with_follow_up
from tests.support.journey import VALID_STEPS, Journey
from tests.support.logs import all_logs
from tests.support.mail import Inbox
from tests.support.pages import csrf_token
from tests.support.staff import CLOSING, make_staff, sign_in, staff_post

SAATE_PERSON = {"name": "Testi Lokiasiakas", "phone": "040 000 7531",
                "email": "loki.asiakas@example.test", "municipality": "179",
                "contact_language": "fi", "birth_year": "1980"}
CONTACT_PERSON = {"name": "Testi Loggklient", "phone": "040 000 8642",
                  "email": "logg.klient@example.test", "municipality": "179",
                  "contact_language": "sv", "birth_year": "1979"}
# Free text, each with a word found nowhere else.
SAATE_TEXTS = {
    "health": {"affecting_other": "Unettomuus ja selkäkipu (lokitesti-terveys)"},
    "education-and-work": {"work_history": "Varastotyötä Jyväskylässä (lokitesti-historia)",
                           "strengths": "Täsmällisyys (lokitesti-vahvuus)"},
    "hopes": {"six_months": "Työkokeilu kirjastossa (lokitesti-toive)",
              "gives_strength": "Koira ja metsä (lokitesti-voima)"},
}
CONTACT_ABOUT = "Jag vill prata om min ork (lokitesti-kontakt)"
FEEDBACK = "Helppo täyttää (lokitesti-palaute)"
STAFF_NOTE = "Sovittu tapaaminen ensi viikolle (lokitesti-muistiinpano)"
# A referral a worker records (issue 11), and a contact person outside the team.
RECORDED_PERSON = {"name": "Testi Puhelinasiakas", "phone": "040 000 9753",
                   "email": "puhelin.asiakas@example.test", "municipality": "179",
                   "language": "fi", "about": "Soitti jaksamisesta (lokitesti-puhelu)"}
REFERRER = {"referrer_organisation": "Keksitty Lokiklinikka (lokitesti-ohjaaja)",
            "referrer_name": "Testi Lokiohjaaja"}
OUTSIDE_PERSON = {"name": "Testi Lokivastaava", "title": "Keksitty sosiaaliohjaaja",
                  "organisation": "Keksityt Lokipalvelut (lokitesti-vastaava)",
                  "phone": "040 000 2468"}
# The follow-up (issue 13): the client's comment, a worker's from a call, end-of-service feedback.
FOLLOW_UP_COMMENT = "Työkokeilu alkoi (lokitesti-seuranta)"
PHONED_COMMENT = "Kertoi puhelimessa voivansa paremmin (lokitesti-soitto)"
END_FEEDBACK = "Sain apua nopeasti (lokitesti-loppupalaute)"
STATUS_PATH = re.compile(r'href="https?://[^/"]+(/(?:fi|sv)/status/([^"]+))"')
SESSION_COOKIES = ("saate_session", "saate_staff")



@pytest.fixture
def app_overrides(inbox: tuple[Inbox, int]) -> dict:
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": inbox[1], "SMTP_STARTTLS": False,
            "BASE_URL": "https://saate.example.test"}


@pytest.fixture
def notifying_teams(app: Flask) -> None:
    for team in demo.DEMO_TEAMS:
        extra = ({"email": "tiimi@example.test", "notify_new_cases": True}
                 if team["slug"] == "jyvaskyla" else {})
        create_team(**team, **extra)  # type: ignore[arg-type]


class CookieJar:
    """Every cookie value the app set, and what the session cookies carry inside."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.values: set[str] = set()
        self.inside: set[str] = set()

    def __call__(self, sender: Flask, response, **extra: object) -> None:  # type: ignore[no-untyped-def]
        serializer = self.app.session_interface.get_signing_serializer(self.app)  # type: ignore[attr-defined]
        for header in response.headers.getlist("Set-Cookie"):
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if not value:
                continue
            self.values.add(value)
            if name in SESSION_COOKIES:
                session = serializer.loads(value)
                self.inside.update(v for v in session.values() if isinstance(v, str))


def client_journey(app: Flask) -> list[str]:
    """A saate in Finnish, resumed on a second device and sent; a contact request in
    Swedish; status pages and feedback. Returns the secrets the clients were given."""
    first = Journey(app.test_client())
    first.start()
    first.step("contact-details", {**VALID_STEPS["contact-details"], **SAATE_PERSON,
                                   "follow_up_mail": "yes"})
    first.step("right-now")
    first.step("situation")
    first.get("/saate/health")
    resume_code = first.resume_code()

    second = Journey(app.test_client())
    response = second.post("/resume", {"code": resume_code,
                                       "second_factor": SAATE_PERSON["birth_year"]})
    assert response.location == "/fi/saate/health"  # the first part not done
    for slug in ("health", "education-and-work", "hopes", "consent"):
        response = second.step(slug, {**VALID_STEPS[slug], **SAATE_TEXTS.get(slug, {})})
        assert response.status_code == 302, slug
    assert second.send().location == "/fi/saate/sent"
    saate_status = STATUS_PATH.search(second.get("/saate/sent").text)
    assert saate_status, "no status link"
    response = second.post("/feedback/saate", {"rating": "5", "comment": FEEDBACK},
                           fresh_page=False)
    assert response.status_code == 303
    assert second.client.get(saate_status.group(1)).status_code == 200

    swedish = Journey(app.test_client(), "sv")
    response = swedish.post("/contact", {**CONTACT_PERSON, "best_time": "any",
                                         "about": CONTACT_ABOUT})
    assert response.location == "/sv/contact/sent"
    contact_status = STATUS_PATH.search(swedish.get("/contact/sent").text)
    assert contact_status, "no status link"
    assert swedish.client.get(contact_status.group(1)).status_code == 200
    return [resume_code, resume_code.replace("-", ""), saate_status.group(2),
            contact_status.group(2)]


def record_referral(client: FlaskClient) -> None:
    """A worker records a professional's referral made by phone (issue 11)."""
    page = client.get("/staff/cases/new").text
    response = client.post("/staff/cases/new", data={
        **RECORDED_PERSON, **REFERRER, "channel": "referral", "urgent": "no",
        "form_key": "b" * 32, "csrf_token": csrf_token(page)})
    assert response.status_code == 302, response.status_code


def triage(app: Flask, client: FlaskClient) -> None:
    """A worker signs in with TOTP, records a referral, takes each case from the queue
    to closed (the first with a contact person outside the team) and downloads each saate
    as FHIR; an admin reads the access log and exports it."""
    worker = make_staff("testi.tyontekija@example.test")
    sign_in(client, worker)
    record_referral(client)
    assert client.get("/staff/").status_code == 200
    for number, case in enumerate(db.session.scalars(select(Case).order_by(Case.id)).all()):
        assert client.get(f"/staff/cases/{case.id}").status_code == 200
        contact_person = ({"staff_member": "outside", **OUTSIDE_PERSON, "phone_shareable": "y"}
                          if number == 0 else {"staff_member": str(worker.id)})
        steps = [
            ("claim", {}),
            ("contact-attempt", {"channel": "phone", "reached": "yes", "note": STAFF_NOTE}),
            ("note", {"text": STAFF_NOTE}),
            ("contact-person", contact_person),
            ("outcomes", {"outcomes": ["health_check", "kela"], "detail": STAFF_NOTE}),
            ("close", {"reason": "routed", "confirmed": "yes", **CLOSING}),  # confirmation page
        ]
        for version, (action, data) in enumerate(steps, start=case.version):
            response = staff_post(client, f"/staff/cases/{case.id}/{action}",
                                  {**data, "version": version})
            assert response.status_code == 302, (action, response.status_code)
        assert client.get(f"/staff/cases/{case.id}/print").status_code == 200
        if case.kind == "saate":  # handed over as FHIR: the file holds them, no log does
            assert client.get(f"/staff/cases/{case.id}/fhir").status_code == 200
    assert client.get("/fhir/Questionnaire/saate").status_code == 200
    admin = make_staff("testi.yllapito@example.test", role="admin", name="Testi Ylläpito")
    admin_client = app.test_client()
    sign_in(admin_client, admin)
    assert admin_client.get("/staff/access-log").status_code == 200
    assert admin_client.get("/staff/access-log.csv").mimetype == "text/csv"


def follow_up(app: Flask, staff: FlaskClient, given: list[str]) -> None:
    """Each case reopened and closed again with a follow-up whose day has come: the e-mail
    job runs, the saate's client answers on the follow-up page and gives end-of-service
    feedback, a worker enters the other clients' answers from a call, a lead reads them."""
    worker = accounts.find_by_email("testi.tyontekija@example.test")
    admin = accounts.find_by_email("testi.yllapito@example.test")
    assert worker is not None and admin is not None
    all_cases = db.session.scalars(select(Case).order_by(Case.id)).all()
    for case in all_cases:
        cases.reopen(case, admin, case.version, "in_progress")
        close_with_follow_up(case, worker)
    result = app.test_cli_runner().invoke(args=["followup", "send"])
    assert "Follow-up e-mails sent: 1;" in result.output, result.output
    saate_status = next(path for path in given if len(path) == 43)
    client = Journey(app.test_client())
    path = f"/status/{saate_status}/follow-up"
    response = client.post(path, {"got_help": "yes", "work_ability_score": "6",
                                  "doing_now": ["work_trial"], "would_recommend": "yes",
                                  "comment": FOLLOW_UP_COMMENT})
    assert response.status_code == 303
    response = client.post(f"/status/{saate_status}/feedback",
                           {"rating": "5", "would_recommend": "yes", "comment": END_FEEDBACK},
                           fresh_page=False)
    assert response.status_code == 303
    assert staff.get("/staff/follow-ups").status_code == 200
    for case in all_cases[1:]:
        page = staff.get(f"/staff/cases/{case.id}/follow-up").text
        response = staff.post(f"/staff/cases/{case.id}/follow-up", data={
            "got_help": "partly", "comment": PHONED_COMMENT, "csrf_token": csrf_token(page)})
        assert response.status_code == 302
    admin_client = app.test_client()
    sign_in(admin_client, admin, steps_ahead=1)  # a code is taken once: the next one
    for case in all_cases:
        assert admin_client.get(f"/staff/cases/{case.id}").status_code == 200


def personal_values() -> list[str]:
    values = []
    for person in (SAATE_PERSON, CONTACT_PERSON, RECORDED_PERSON):
        values += [person["name"], person["name"].split()[1], person["phone"],
                   person["phone"].replace(" ", ""), person["email"],
                   person["email"].split("@")[0]]
    values += [*REFERRER.values(), *OUTSIDE_PERSON.values(), RECORDED_PERSON["about"],
               OUTSIDE_PERSON["phone"].replace(" ", "")]
    for texts in SAATE_TEXTS.values():
        values += texts.values()
    return [*values, CONTACT_ABOUT, FEEDBACK, STAFF_NOTE, FOLLOW_UP_COMMENT, PHONED_COMMENT,
            END_FEEDBACK, "lokitesti"]


@pytest.mark.usefixtures("notifying_teams")
def test_no_personal_data_in_logs_or_mail(app: Flask, client: FlaskClient,
                                          inbox: tuple[Inbox, int],
                                          caplog: pytest.LogCaptureFixture) -> None:
    cookies = CookieJar(app)
    caplog.set_level(logging.DEBUG)
    with request_finished.connected_to(cookies, app), all_logs() as captured:
        given = client_journey(app)
        triage(app, client)
        follow_up(app, client, given)

    db.session.expire_all()
    stored = db.session.scalars(select(Case).order_by(Case.id)).all()
    assert [case.answers["name"] for case in stored] == [SAATE_PERSON["name"],
                                                         CONTACT_PERSON["name"],
                                                         RECORDED_PERSON["name"]]
    assert all(case.status == "closed" for case in stored)
    # What the app logged; the test's own SMTP server (mail.log) logs the addresses it takes.
    logged = "\n".join(line for line in (captured.text + caplog.text).splitlines()
                       if "mail.log" not in line)
    mail = [message_from_string(m, policy=policy.default) for m in inbox[0].messages]
    # The teams' notices whole; of the follow-up e-mail to the saate's client, everything
    # but its address and its one link (the client's own status secret).
    [to_client] = [m for m in mail if m["To"] == SAATE_PERSON["email"]]
    link = next(line for line in to_client.get_body().get_content().splitlines()  # type: ignore[union-attr]
                if line.startswith("https://"))
    assert link.endswith("/follow-up") and link.split("/")[-2] in given
    mail_text = "\n".join(
        "\n".join(f"{name}: {value}" for name, value in m.items()
                  if not (m is to_client and name == "To"))
        + m.get_body().get_content().replace(link, "") for m in mail)  # type: ignore[union-attr]
    # Three new-case notices (all three were watched) and the saate client's follow-up e-mail.
    assert len(mail) == 4 and "new-case notice sent" in logged
    assert "follow-up e-mail sent" in logged
    assert len(cookies.values) >= 4 and cookies.inside

    secrets = personal_values() + given + sorted(cookies.values) + sorted(
        value for value in cookies.inside if len(value) >= 10)
    for secret in secrets:
        assert secret not in logged, f"in the logs: {secret}"
        assert secret not in mail_text, f"in an e-mail: {secret}"
