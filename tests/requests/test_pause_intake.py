"""Pause intake (issue 11, point 8): while a team takes no new contacts, its clients see
the team's message and phone number instead of sending, in Finnish, Swedish and plain
Finnish, and nothing they typed is lost. A person in crisis always gets through: the
crisis page's "send now" is never blocked.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.intake import drafts
from app.models import Case
from app.people import teams
from tests.requests.test_crisis import HELP, answered_yes
from tests.support.i18n import translated
from tests.support.journey import CONTACT_REQUEST, FAKE_PERSON, VALID_STEPS, Journey
from tests.support.pages import csrf_token, main_text
from tests.support.staff import make_staff, sign_in

pytestmark = pytest.mark.usefixtures("teams")

LOCALES = {"fi": "fi", "sv": "sv", "selko": "fi@selko"}
MESSAGES = {"fi": "Tiimi on kesätauolla 31.7. asti.", "sv": "Teamet har sommaruppehåll till 31.7."}
PAUSE_PHONE = "014 266 1111"
HEADING = "We are not taking new contact requests right now"


@pytest.fixture(params=list(LOCALES))
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


def pause(slug: str = "jyvaskyla", **changes: str) -> None:
    settings = {"intake_paused": True, "pause_message_fi": MESSAGES["fi"],
                "pause_message_sv": MESSAGES["sv"], "pause_phone": PAUSE_PHONE, **changes}
    teams.update_team(slug, **settings)


def resume_intake(slug: str = "jyvaskyla") -> None:
    teams.update_team(slug, intake_paused=False)


def case_count() -> int:
    return db.session.scalar(select(func.count(Case.id)))  # type: ignore[return-value]


def assert_pause_notice(app: Flask, html: str, lang: str, *, message: str | None = None,
                        phone: str = PAUSE_PHONE) -> None:
    locale = LOCALES[lang]
    text = unescape(html)
    assert translated(app, locale, HEADING) in text, lang
    assert (message or MESSAGES["sv" if lang == "sv" else "fi"]) in text
    assert f'href="tel:{phone.replace(" ", "")}"' in html


def test_a_contact_request_is_not_sent_and_keeps_what_was_typed(client: FlaskClient,
                                                                 app: Flask, lang: str) -> None:
    pause()
    journey = Journey(client, lang)
    response = journey.post("/contact", CONTACT_REQUEST)
    assert response.status_code == 200
    assert case_count() == 0
    html = response.text
    assert_pause_notice(app, html, lang)
    assert translated(app, LOCALES[lang], "Nothing was sent. What you wrote is still on this "
                                          "page.") in unescape(html)
    assert re.search(r'id="pause-notice"[^>]*role="alert"[^>]*autofocus', html)
    for value in (FAKE_PERSON["name"], FAKE_PERSON["phone"], FAKE_PERSON["email"]):
        assert f'value="{value}"' in html, value
    assert CONTACT_REQUEST["about"] in html
    # When the team takes contacts again, the same page sends: nothing to type again.
    key = re.search(r'name="submission_key" value="([0-9a-f]{32})"', html).group(1)  # type: ignore[union-attr]
    resume_intake()
    response = client.post(f"/{lang}/contact", data={**CONTACT_REQUEST, "submission_key": key,
                                                     "csrf_token": csrf_token(html)})
    assert response.location == f"/{lang}/contact/sent"
    assert case_count() == 1


def test_with_missing_answers_the_pause_is_said_too(client: FlaskClient, app: Flask) -> None:
    pause()
    response = Journey(client).post("/contact", {**CONTACT_REQUEST, "name": ""})
    assert response.status_code == 200 and case_count() == 0
    assert_pause_notice(app, response.text, "fi")
    assert 'class="error-summary"' in response.text


def test_the_saate_says_it_after_the_contact_details_and_never_sends(
        client: FlaskClient, app: Flask, lang: str) -> None:
    pause()
    journey = Journey(client, lang)
    journey.start()
    first = journey.get("/saate/contact-details").text
    assert translated(app, LOCALES[lang], HEADING) not in unescape(first)  # not known yet
    for slug in VALID_STEPS:
        assert journey.step(slug).status_code == 302, slug
        if slug == "contact-details":
            assert_pause_notice(app, journey.get("/saate/right-now").text, lang)
    check = journey.get("/saate/check").text
    assert_pause_notice(app, check, lang)
    assert translated(app, LOCALES[lang], "Your answers are saved. You can send them when we "
                                          "take new contact requests again.") in unescape(check)
    assert 'action="/' + lang + '/saate/check"' not in check  # no send button while paused
    # A check page from before the pause, sent anyway.
    token = csrf_token(journey.get("/saate/hopes").text)
    response = client.post(f"/{lang}/saate/check", data={"csrf_token": token})
    assert response.status_code == 200 and case_count() == 0
    assert re.search(r'id="pause-notice"[^>]*autofocus', response.text)
    with client.session_transaction() as session:
        draft = drafts.find(session["draft_token"])
    assert draft is not None and draft.sent_case_id is None
    for slug, answers in VALID_STEPS.items():
        for code, value in answers.items():
            assert draft.answers.get(code) == value, (slug, code)
    resume_intake()
    assert journey.send().location == f"/{lang}/saate/sent"
    assert case_count() == 1


def test_the_crisis_pages_send_now_is_never_blocked(client: FlaskClient, app: Flask,
                                                    lang: str) -> None:
    pause()
    journey = answered_yes(client, lang)
    response = journey.post(HELP, {})
    assert response.location == f"/{lang}/saate/sent"
    [case] = db.session.scalars(select(Case)).all()
    assert case.urgent and case.team.slug == "jyvaskyla"


def test_other_teams_take_contacts_as_usual(client: FlaskClient) -> None:
    pause()
    response = Journey(client).post("/contact", {**CONTACT_REQUEST, "municipality": "410"})
    assert response.location == "/fi/contact/sent"


def test_the_message_and_phone_fall_back(client: FlaskClient, app: Flask) -> None:
    """No Swedish message: the Finnish one; no phone of its own: the team's phone."""
    pause(pause_message_sv="", pause_phone="")
    response = Journey(client, "sv").post("/contact", CONTACT_REQUEST)
    phone = teams.team_for_municipality("179").phone
    assert_pause_notice(app, response.text, "sv", message=MESSAGES["fi"], phone=phone)


def test_an_admin_pauses_intake_from_the_team_page(app: Flask, client: FlaskClient) -> None:
    admin = make_staff("testi.yllapitaja@example.test", role="admin")
    staff = app.test_client()
    sign_in(staff, admin)
    found = teams.team_for_municipality("179")
    path = f"/staff/admin/teams/{found.id}"
    page = staff.get(path).text
    data = {"name": found.name, "phone": found.phone, "contact_days": "3",
            "urgent_contact_days": "1", "opening_hours": found.opening_hours,
            "municipalities": "179\n500\n892", "intake_paused": "y",
            "pause_message_fi": MESSAGES["fi"], "pause_message_sv": MESSAGES["sv"],
            "pause_phone": PAUSE_PHONE, "csrf_token": csrf_token(page)}
    assert staff.post(path, data=data).status_code == 302
    assert translated(app, "fi", "Paused") in main_text(staff.get("/staff/admin/teams").text)
    response = Journey(client, "selko").post("/contact", CONTACT_REQUEST)
    assert_pause_notice(app, response.text, "selko")
    assert case_count() == 0
