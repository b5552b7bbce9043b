"""A client in crisis (issue 10): help at once, send at once, and urgent means sooner.

The crisis page after a yes to the crisis question, "send now" with only what a
call needs, nothing saying "urgent" before anything is sent, the urgent promise
(working days from the `holidays` package) on the sent and status pages, and the
urgent notice to the team with no personal data. The queue's order is tested in
test_staff.py.
"""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, format_date, format_time
from sqlalchemy import func, select

from app.casework import cases
from app.extensions import db
from app.intake import drafts
from app.models import Case, Team
from app.people import teams
from app.saate.schema import SAATE
from tests.support.i18n import translated
from tests.support.journey import FAKE_PERSON, VALID_STEPS, Journey
from tests.support.mail import smtp_inbox
from tests.support.pages import error_summary, main_text

pytestmark = pytest.mark.usefixtures("teams")

LOCALES = {"fi": "fi", "sv": "sv", "selko": "fi@selko"}
HELP = "/saate/help-now"
SEND_NOW = "Send now – call me as soon as possible"
# Words that say something was sent, or is urgent: never before the client sends.
URGENT_WORDS = {"fi": ["kiireelli"], "sv": ["brådsk"], "fi@selko": ["kiireelli", "apua pian"]}
AFTER_SENDING = ["We handle your message as urgent.", "We will call you at the latest on this day:",
                 "We will contact you at the latest on this day:",
                 "Thank you, your message was sent"]


def freeze_clock(monkeypatch: pytest.MonkeyPatch, at: datetime) -> None:
    """Cases are made as if sent at `at` (the case service's clock only)."""
    monkeypatch.setattr(cases, "utcnow", lambda: at)


def answered_yes(client: FlaskClient, lang: str = "fi", contact: dict | None = None) -> Journey:
    """A client who gave their contact details and said yes to the crisis question."""
    journey = Journey(client, lang)
    journey.start()
    assert journey.step("contact-details", contact).status_code == 302
    response = journey.step("right-now", {"acute_distress": "yes"})
    assert response.status_code == 302
    assert response.location == f"/{lang}{HELP}"
    return journey


def full_date(app: Flask, locale: str, day: date) -> str:
    with app.test_request_context("/"), force_locale(locale):
        return format_date(day, "full")


def sent_case() -> Case:
    found = db.session.scalars(select(Case)).all()
    assert len(found) == 1
    return found[0]


# --- Yes leads straight to help --------------------------------------------------------------


@pytest.mark.parametrize("lang", LOCALES)
def test_yes_leads_straight_to_the_crisis_page(client: FlaskClient, app: Flask,
                                               lang: str) -> None:
    journey = answered_yes(client, lang)
    html = journey.get(HELP).text
    locale = LOCALES[lang]
    crisis = html[html.index('id="crisis"'):html.index("</section>", html.index('id="crisis"'))]
    line = app.config["CRISIS_LINE_SV" if lang == "sv" else "CRISIS_LINE_FI"]
    assert 'href="tel:112"' in crisis
    assert f'href="tel:{re.sub(r"[^0-9+]", "", line)}"' in crisis
    assert 'href="tel:0142660000"' in crisis  # the team of Jyväskylä (179)
    assert translated(app, locale, SEND_NOW) in html
    # Name and phone were given: only the button, and the number we will call.
    assert 'name="phone"' not in html and 'name="name"' not in html
    assert FAKE_PERSON["phone"] in main_text(html)
    assert f'href="/{lang}/saate/situation"' in html  # continue with the form instead
    assert db.session.scalar(select(func.count(Case.id))) == 0


def test_no_goes_on_with_the_form(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.start()
    journey.step("contact-details")
    assert journey.step("right-now").location == "/fi/saate/situation"


def test_yes_and_save_for_later_still_shows_help_first(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.start()
    journey.step("contact-details")
    response = journey.step("right-now", {"acute_distress": "yes", "action": "save"})
    assert response.location == f"/fi{HELP}"
    assert 'class="reference"' in journey.get(HELP).text  # the resume code is on it too


def test_yes_from_the_check_page_comes_back_to_it(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.fill_all()
    response = journey.step("right-now", {"acute_distress": "yes"}, **{"from": "check"})
    assert response.location == f"/fi{HELP}?from=check"
    assert 'href="/fi/saate/check"' in journey.get(f"{HELP}?from=check").text


@pytest.mark.parametrize("answers", [None, {"acute_distress": "no"}])
def test_the_crisis_page_without_a_yes_asks_the_question(client: FlaskClient,
                                                         answers: dict | None) -> None:
    journey = Journey(client)
    if answers is not None:
        journey.start()
        journey.step("right-now", answers)
    assert client.get(f"/fi{HELP}").location == "/fi/saate/right-now"


def test_team_phone_and_hours_of_the_clients_municipality(client: FlaskClient, app: Flask,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    result = app.test_cli_runner().invoke(args=[
        "teams", "update", "--slug", "pohjoinen", "--opening-hours",
        "mon-thu 08:00-16:00, fri 09:00-14:30"])
    assert result.exit_code == 0, result.output
    journey = answered_yes(client, contact={**VALID_STEPS["contact-details"],
                                            "municipality": "931"})
    freeze_clock(monkeypatch, datetime(2026, 11, 27, 8, 0, tzinfo=UTC))  # a Friday
    html = journey.get(HELP).text
    assert 'href="tel:0142660002"' in html  # pohjoinen's phone
    with app.test_request_context("/"), force_locale("fi"):
        opens, closes = (format_time(datetime(2026, 1, 1, h, m).time(), "short")
                         for h, m in ((9, 0), (14, 30)))
    assert translated(app, "fi", "Open today %(opens)s–%(closes)s.",
                      opens=opens, closes=closes) in html


@pytest.mark.parametrize("day", [date(2026, 11, 28), date(2026, 6, 19), date(2026, 12, 24),
                                 date(2026, 4, 3)], ids=["saturday", "midsummer-eve",
                                                        "christmas-eve", "good-friday"])
def test_closed_today_on_weekends_and_holidays(client: FlaskClient, app: Flask,
                                               monkeypatch: pytest.MonkeyPatch,
                                               day: date) -> None:
    journey = answered_yes(client)
    freeze_clock(monkeypatch, datetime(day.year, day.month, day.day, 9, tzinfo=UTC))
    assert translated(app, "fi", "Closed today.") in journey.get(HELP).text


def test_a_municipality_not_given_gets_the_default_team(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.start()
    journey.step("right-now", {"acute_distress": "yes"})
    html = journey.get(HELP).text
    assert 'href="tel:0142660000"' in html  # jyvaskyla is the default team
    assert 'name="name"' in html and 'name="phone"' in html


# --- Send now ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LOCALES)
def test_send_now_sends_what_was_answered_as_urgent(client: FlaskClient, app: Flask,
                                                    lang: str) -> None:
    journey = answered_yes(client, lang)
    draft_id = drafts.find(_draft_token(client)).id  # type: ignore[union-attr]
    response = journey.post(HELP, {})
    assert response.location == f"/{lang}/saate/sent"
    case = sent_case()
    assert case.urgent and case.submission_key == draft_id
    assert case.answers["name"] == FAKE_PERSON["name"]
    assert case.answers["acute_distress"] == "yes"
    assert case.team.slug == "jyvaskyla"
    # The draft is sent: the form's parts and the crisis page lead to the sent page now.
    assert drafts.find(_draft_token(client)).sent_case_id == case.id  # type: ignore[union-attr]
    assert journey.get("/saate/situation").location == f"/{lang}/saate/sent"
    assert journey.post(HELP, {}).location == f"/{lang}/saate/sent"  # a second press
    assert db.session.scalar(select(func.count(Case.id))) == 1
    sent = journey.get("/saate/sent").text
    locale = LOCALES[lang]
    assert translated(app, locale, "We handle your message as urgent.") in sent
    assert translated(app, locale, "We will call you at the latest on this day:") in sent
    assert full_date(app, locale, case.promised_contact_date) in sent
    assert 'href="tel:112"' in sent[sent.index('id="urgent-promise"'):]


def _draft_token(client: FlaskClient) -> str:
    with client.session_transaction() as session:
        return session["draft_token"]


def test_send_now_asks_only_for_what_a_call_needs(client: FlaskClient, app: Flask) -> None:
    journey = Journey(client)
    journey.start()
    journey.step("right-now", {"acute_distress": "yes"})
    response = journey.post(HELP, {"name": "", "phone": "soita minulle"})
    assert response.status_code == 200
    assert error_summary(response.text) == [
        translated(app, "fi", "Tell us what we should call you"),
        translated(app, "fi", "Write the phone number with digits only, for example 040 123 4567"),
    ]
    assert 'value="soita minulle"' in response.text  # what was typed stays
    assert db.session.scalar(select(func.count(Case.id))) == 0
    response = journey.post(HELP, {"name": "Testi", "phone": ""})
    assert error_summary(response.text) == [
        translated(app, "fi", "Give a phone number so that we can call you")]
    assert 'value="Testi"' in response.text
    response = journey.post(HELP, {"name": "Testi", "phone": "040 000 1234",
                                   "municipality": "931"})
    assert response.location == "/fi/saate/sent"
    case = sent_case()
    assert case.answers == {"name": "Testi", "phone": "040 000 1234", "acute_distress": "yes"}
    assert case.urgent and case.municipality_code == "other"
    assert case.team.slug == "jyvaskyla"


def test_an_e_mail_only_client_is_asked_for_a_phone(client: FlaskClient) -> None:
    contact = {**VALID_STEPS["contact-details"], "phone": ""}
    journey = answered_yes(client, contact=contact)
    html = journey.get(HELP).text
    assert 'name="phone"' in html and 'name="name"' not in html
    assert journey.post(HELP, {"phone": "040 000 1234"}).status_code == 302
    assert sent_case().answers["email"] == FAKE_PERSON["email"]


def test_an_expired_page_keeps_what_was_typed(client: FlaskClient) -> None:
    journey = Journey(client)
    journey.start()
    journey.step("right-now", {"acute_distress": "yes"})
    journey.get(HELP)
    response = client.post(f"/fi{HELP}", data={"name": "Testi", "phone": "040 000 1234",
                                               "csrf_token": "expired"})
    assert response.status_code == 400
    assert 'value="Testi"' in response.text and 'value="040 000 1234"' in response.text
    assert db.session.scalar(select(func.count(Case.id))) == 0


def test_going_on_with_the_form_keeps_the_case_urgent(client: FlaskClient, app: Flask) -> None:
    journey = Journey(client)
    journey.start()
    for slug in VALID_STEPS:
        data = {"acute_distress": "yes"} if slug == "right-now" else None
        assert journey.step(slug, data).status_code == 302
    assert journey.send().location == "/fi/saate/sent"
    assert sent_case().urgent
    assert translated(app, "fi", "We handle your message as urgent.") in \
        journey.get("/saate/sent").text


# --- Never "urgent" before sending ----------------------------------------------------------


@pytest.mark.parametrize("lang", LOCALES)
def test_nothing_says_urgent_or_sent_before_the_client_sends(client: FlaskClient, app: Flask,
                                                             lang: str) -> None:
    """Walk every client page after a yes, up to the send: no urgent or sent wording."""
    locale = LOCALES[lang]
    forbidden = [translated(app, locale, text) for text in AFTER_SENDING]
    journey = answered_yes(client, lang)
    pages = {"crisis page": journey.get(HELP).text}
    for slug in list(VALID_STEPS)[2:]:
        pages[slug] = journey.get(f"/saate/{slug}").text
        assert journey.step(slug).status_code == 302
    pages["check"] = journey.get("/saate/check").text
    pages["saved"] = journey.get("/saate/saved").text
    for name, html in pages.items():
        text = main_text(html).lower()
        for words in [*URGENT_WORDS[locale], *(f.lower() for f in forbidden)]:
            assert words not in text, (name, words)
    notice = translated(app, locale, "Your form has not been sent yet.")
    assert notice in pages["situation"] and notice in pages["crisis page"]
    assert f'href="/{lang}{HELP}"' in pages["situation"]  # send now, from the notice too
    journey.send()
    assert any(w in main_text(journey.get("/saate/sent").text).lower()
               for w in URGENT_WORDS[locale])


# --- The urgent promise -----------------------------------------------------------------------

# (sent at, in UTC) -> the urgent promise with the default next working day.
URGENT_PROMISES = [
    pytest.param(datetime(2026, 11, 25, 10, tzinfo=UTC), date(2026, 11, 26), id="wednesday"),
    pytest.param(datetime(2026, 11, 27, 10, tzinfo=UTC), date(2026, 11, 30), id="friday"),
    pytest.param(datetime(2026, 11, 26, 22, 30, tzinfo=UTC), date(2026, 11, 30),
                 id="thursday-night-utc-is-friday-in-helsinki"),
    pytest.param(datetime(2026, 6, 18, 10, tzinfo=UTC), date(2026, 6, 22),
                 id="day-before-midsummer-eve"),
    pytest.param(datetime(2026, 6, 19, 10, tzinfo=UTC), date(2026, 6, 22), id="midsummer-eve"),
    pytest.param(datetime(2026, 12, 23, 10, tzinfo=UTC), date(2026, 12, 28),
                 id="before-christmas-eve"),
    pytest.param(datetime(2027, 12, 24, 10, tzinfo=UTC), date(2027, 12, 27),
                 id="christmas-eve-on-a-friday"),
    pytest.param(datetime(2026, 4, 2, 10, tzinfo=UTC), date(2026, 4, 7), id="before-easter"),
    pytest.param(datetime(2026, 12, 31, 10, tzinfo=UTC), date(2027, 1, 4),
                 id="new-years-eve"),
]


@pytest.mark.parametrize(("sent_at", "promised"), URGENT_PROMISES)
def test_urgent_promise_is_the_next_working_day(client: FlaskClient, app: Flask,
                                                monkeypatch: pytest.MonkeyPatch,
                                                sent_at: datetime, promised: date) -> None:
    freeze_clock(monkeypatch, sent_at)
    journey = answered_yes(client)
    journey.post(HELP, {})
    case = sent_case()
    assert case.promised_contact_date == promised
    assert full_date(app, "fi", promised) in journey.get("/saate/sent").text
    status = client.get(journey.status_path()).text
    assert full_date(app, "fi", promised) in status
    assert translated(app, "fi", "We will call you at the latest on this day:") in status
    # The status page may be seen by others: it says when, not why.
    assert translated(app, "fi", "We handle your message as urgent.") not in status


@pytest.mark.parametrize(("urgent", "promised"), [(False, date(2026, 12, 2)),
                                                  (True, date(2026, 12, 1))])
def test_the_team_sets_its_urgent_promise(app: Flask, monkeypatch: pytest.MonkeyPatch,
                                          urgent: bool, promised: date) -> None:
    result = app.test_cli_runner().invoke(args=[
        "teams", "update", "--slug", "jyvaskyla", "--urgent-days", "2"])
    assert result.exit_code == 0, result.output
    freeze_clock(monkeypatch, datetime(2026, 11, 27, 10, tzinfo=UTC))  # a Friday
    answers = {**VALID_STEPS["contact-details"], "acute_distress": "yes" if urgent else "no"}
    case = cases.create_case(SAATE, "fi", answers, "a" * 32)
    assert case.urgent is urgent
    assert case.promised_contact_date == promised


@pytest.mark.parametrize("arguments", [["--urgent-days", "0"], ["--urgent-days", "4"],
                                       ["--contact-days", "31"],
                                       ["--opening-hours", "weekdays 8-16"],
                                       ["--opening-hours", "mon-fri 16:00-08:00"],
                                       ["--opening-hours", "mon-fri 08:00-16:00, fri 8:00-12:00"],
                                       ["--opening-hours", "mon-fri 08:00-24:00"]])
def test_team_settings_out_of_bounds_are_refused(app: Flask, arguments: list[str]) -> None:
    result = app.test_cli_runner().invoke(args=["teams", "update", "--slug", "jyvaskyla",
                                                *arguments])
    assert result.exit_code == 1
    team = db.session.scalar(select(Team).where(Team.slug == "jyvaskyla"))
    assert (team.contact_days, team.urgent_contact_days) == (3, 1)
    assert team.opening_hours == "mon-fri 08:00-16:00"


def test_teams_create_takes_the_urgent_promise_and_hours(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=[
        "teams", "create", "--slug", "vaasa", "--name", "Vaasan tiimi", "--municipality",
        "Vaasa", "--contact-days", "5", "--urgent-days", "2", "--phone", "06 000 0000",
        "--opening-hours", "mon-fri 08.00-15.45"])
    assert result.exit_code == 0, result.output
    team = db.session.scalar(select(Team).where(Team.slug == "vaasa"))
    assert (team.contact_days, team.urgent_contact_days) == (5, 2)
    assert teams.hours_on(team, date(2026, 11, 27)) == (datetime(1, 1, 1, 8).time(),
                                                       datetime(1, 1, 1, 15, 45).time())
    assert teams.hours_on(team, date(2026, 11, 28)) is None  # Saturday


# --- The team's notice --------------------------------------------------------------------------


@pytest.mark.parametrize("notify", [True, False], ids=["every-case", "urgent-only"])
def test_urgent_notice_at_once_marked_urgent_without_personal_data(
        client: FlaskClient, app: Flask, notify: bool) -> None:
    team = db.session.scalar(select(Team).where(Team.slug == "jyvaskyla"))
    team.email, team.notify_new_cases = "tiimi@example.test", notify
    db.session.commit()
    with smtp_inbox() as (inbox, port):
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_STARTTLS=False,
                          BASE_URL="https://saate.example.test")
        journey = answered_yes(client)
        journey.post(HELP, {})
        ordinary = Journey(app.test_client())
        ordinary.fill_all()
        ordinary.send()
    urgent_case = db.session.scalar(select(Case).where(Case.urgent.is_(True)))
    messages = [email.message_from_string(text, policy=email.policy.default)
                for text in inbox.messages]
    assert len(messages) == (2 if notify else 1)
    urgent = messages[0]
    assert urgent["Subject"].startswith("Saate: KIIREELLINEN / BRÅDSKANDE")
    assert urgent_case.display_reference in urgent["Subject"]
    body = urgent.get_content()
    promised = urgent_case.promised_contact_date
    assert f"{promised.day}.{promised.month}.{promised.year}" in body
    assert f"https://saate.example.test/staff/cases/{urgent_case.id}" in body
    if notify:
        assert "KIIREELLINEN" not in messages[1]["Subject"]
    for message in messages:
        text = message.as_string() + message["Subject"] + message.get_content()
        for personal in ("Testi", "Asiakas", "040 000 1234", "0000 1234", "testi.asiakas@",
                         "1980", "kriisi", "kris", "Varastotyötä"):
            assert personal.lower() not in text.lower(), personal
