"""The status link by e-mail (issue 10, point 10): to the client's own address, on one
press, the link and nothing else, in the client's language, through a real SMTP server on
loopback. A failure says so kindly and loses nothing; a case may ask a few times a day."""

from __future__ import annotations

from email import message_from_string, policy
from email.message import EmailMessage

import pytest
from flask import Flask
from markupsafe import escape
from sqlalchemy import select

from app.casework import status_mail
from app.extensions import db
from app.models import Case
from tests.support.i18n import translated
from tests.support.journey import CONTACT_REQUEST, FAKE_PERSON, VALID_STEPS, Journey
from tests.support.logs import all_logs
from tests.support.mail import Inbox
from tests.support.postgres import free_port

pytestmark = pytest.mark.usefixtures("teams")

LOCALES = {"fi": "fi", "sv": "sv", "selko": "fi@selko"}
BASE_URL = "https://saate.example.test"



@pytest.fixture
def app_overrides(inbox: tuple[Inbox, int]) -> dict:
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": inbox[1], "SMTP_STARTTLS": False,
            "BASE_URL": BASE_URL}


def received(inbox: tuple[Inbox, int]) -> list[EmailMessage]:
    return [message_from_string(m, policy=policy.default)  # type: ignore[misc]
            for m in inbox[0].messages]


def body_lines(message: EmailMessage) -> list[str]:
    return message.get_body().get_content().splitlines()  # type: ignore[union-attr]


def contact_sent(app: Flask, lang: str = "fi", **answers: str) -> Journey:
    journey = Journey(app.test_client(), lang)
    assert journey.post("/contact", {**CONTACT_REQUEST, **answers}).status_code == 302
    journey.get("/contact/sent")
    return journey


def press(journey: Journey, kind: str = "contact_request"):  # type: ignore[no-untyped-def]
    return journey.post(f"/status-link/{kind}", {}, fresh_page=False)


@pytest.mark.parametrize("lang", list(LOCALES))
def test_the_message_holds_the_link_and_nothing_else(app: Flask, inbox: tuple[Inbox, int],
                                                     lang: str) -> None:
    journey = contact_sent(app, lang)
    address = FAKE_PERSON["email"]
    assert str(escape(address)) in journey.page
    status_url = BASE_URL + journey.status_path()
    with all_logs() as logs:
        response = press(journey)
    assert response.status_code == 303
    assert response.location == f"/{lang}/contact/sent#status-mail"
    [message] = received(inbox)
    assert message["To"] == address
    assert message["Subject"] == translated(app, LOCALES[lang], "The link you asked for")
    assert body_lines(message) == [status_url]
    assert not message.is_multipart() and not message.get("Cc") and not message.get("Bcc")
    case = db.session.scalars(select(Case)).one()
    whole = message.as_string()
    for value in (FAKE_PERSON["name"], "Testi", FAKE_PERSON["phone"], "0400001234",
                  CONTACT_REQUEST["about"], case.display_reference, case.reference):
        assert value not in whole, value
    assert set(message.keys()) == {"Subject", "From", "To", "Content-Type",
                                   "Content-Transfer-Encoding", "MIME-Version"}
    # What the app logged (the test's own SMTP server logs what it receives).
    ours = "\n".join(line for line in logs.text.splitlines() if " mail.log: " not in line)
    assert "status-link e-mail sent" in ours
    for secret in (address, status_url.rsplit("/", 1)[1]):
        assert secret not in ours
    page = journey.get("/contact/sent").text
    assert str(escape(translated(app, LOCALES[lang], "We sent the link to %(address)s. The "
                                 "message has only the link.", address="X"))).split("X")[0] in page


def test_a_sent_saate_offers_it_too(app: Flask, inbox: tuple[Inbox, int]) -> None:
    journey = Journey(app.test_client(), "sv")
    journey.fill_all()
    journey.send()
    journey.get("/saate/sent")
    assert 'action="/sv/status-link/saate"' in journey.page
    assert press(journey, "saate").location == "/sv/saate/sent#status-mail"
    [message] = received(inbox)
    assert body_lines(message) == [BASE_URL + journey.status_path()]
    assert VALID_STEPS["hopes"]["six_months"] not in message.as_string()


def test_a_failure_says_so_and_loses_nothing(app: Flask, inbox: tuple[Inbox, int]) -> None:
    journey = contact_sent(app)
    status_path = journey.status_path()
    app.config["SMTP_PORT"] = free_port()  # nobody listens there
    response = press(journey)
    assert response.status_code == 200
    said = translated(app, "fi", "We could not send the e-mail just now. The link above "
                                 "works: save it, or try again in a while.")
    assert str(escape(said)) in response.text
    assert status_path in response.text
    assert 'name="rating"' in response.text
    assert not received(inbox)
    app.config["SMTP_PORT"] = inbox[1]
    assert press(journey).status_code == 303  # the failure did not count against the case
    assert len(received(inbox)) == 1


def test_a_case_may_ask_a_few_times_a_day(app: Flask, inbox: tuple[Inbox, int]) -> None:
    journey = contact_sent(app)
    for _ in range(status_mail.SENDS_PER_CASE):
        assert press(journey).status_code == 303
    response = press(journey)
    assert response.status_code == 200
    assert str(escape(translated(app, "fi", "We have already sent the link several times "
                                 "today. Save the link above, or try again tomorrow."))) \
        in response.text
    assert len(received(inbox)) == status_mail.SENDS_PER_CASE


def test_no_address_no_offer(app: Flask, inbox: tuple[Inbox, int]) -> None:
    journey = contact_sent(app, email="")
    assert "/status-link/" not in journey.page
    assert press(journey).status_code == 200
    assert not received(inbox)


def test_no_smtp_server_no_offer(app: Flask, inbox: tuple[Inbox, int]) -> None:
    app.config["SMTP_HOST"] = ""
    journey = contact_sent(app)
    assert "/status-link/" not in journey.page


def test_without_a_sent_case_nothing_is_sent(app: Flask, inbox: tuple[Inbox, int]) -> None:
    journey = Journey(app.test_client())
    journey.get("/contact")
    assert press(journey).location == "/fi/"
    assert not received(inbox)


@pytest.mark.parametrize("odd", ["a,b@example.test", "testi<x>@example.test",
                                 "(kommentti)testi@example.test", "tësti@example.test"])
def test_an_address_that_is_not_one_plain_address_gets_no_offer(app: Flask,
                                                               inbox: tuple[Inbox, int],
                                                               odd: str) -> None:
    journey = contact_sent(app, email=odd)
    assert db.session.scalars(select(Case)).one().answers["email"] == odd  # the form took it
    assert "/status-link/" not in journey.page
    assert press(journey).status_code == 200
    assert not received(inbox)
