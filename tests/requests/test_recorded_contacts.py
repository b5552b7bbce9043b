"""Every channel in one queue (issue 11, point 2): a worker records a contact that came by
phone, walk-in, e-contact or a professional's referral or consultation, or fills in the
saate with the client; the case joins the same queue, timeline and retention as the web's."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import func, select

from app.casework import cases, retention
from app.database import utcnow
from app.extensions import db
from app.models import AccessLogEntry, Case, CaseEvent, StaffUser, Team
from app.workdays import add_working_days
from tests.support.i18n import translated
from tests.support.journey import VALID_STEPS
from tests.support.pages import csrf_token, error_summary
from tests.support.staff import make_staff, sign_in

pytestmark = pytest.mark.usefixtures("teams")

KEY = "a" * 32
CONTACT = {
    "channel": "phone", "urgent": "no", "name": "Testi Asiakas", "phone": "040 000 1234",
    "email": "", "municipality": "179", "language": "fi",
    "about": "Soitti työkyvystä (keksitty esimerkki).",
}
REFERRER = {"referrer_organisation": "Keksityt TE-palvelut", "referrer_name": "Testi Ohjaaja"}
CHANNELS = ["phone", "walk_in", "e_contact", "referral"]




def post_form(client: FlaskClient, path: str, data: dict, key: str = KEY):  # type: ignore[no-untyped-def]
    """The page as a browser has it, then posted with its CSRF token and a one-time key."""
    page = client.get(path).text
    return client.post(path, data={**data, "form_key": key, "csrf_token": csrf_token(page)})


def count_cases() -> int:
    return db.session.scalar(select(func.count(Case.id))) or 0


def only_case() -> Case:
    db.session.expire_all()
    return db.session.scalars(select(Case)).one()


def team(slug: str) -> Team:
    return db.session.scalars(select(Team).where(Team.slug == slug)).one()


# --- Recording a contact ------------------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_each_channel_is_recorded_into_the_teams_queue(signed_in: FlaskClient, app: Flask,
                                                       worker: StaffUser, channel: str) -> None:
    response = post_form(signed_in, "/staff/cases/new", {**CONTACT, **REFERRER,
                                                         "channel": channel})
    case = only_case()
    assert response.status_code == 302
    assert response.location == f"/staff/cases/{case.id}"
    assert (case.kind, case.channel, case.language, case.status) == (
        "contact_request", channel, "fi", "new")
    assert case.team.slug == "jyvaskyla" and case.municipality_code == "179"
    assert case.answers == {"name": "Testi Asiakas", "phone": "040 000 1234",
                            "municipality": "179", "contact_language": "fi",
                            "about": CONTACT["about"]}
    # The same creation path as the web: a reference, a status link, the team's promise.
    assert re.fullmatch(r"[A-Z0-9]{8}", case.reference)
    assert cases.find_by_status_token(cases.status_token(case)).id == case.id  # type: ignore[union-attr]
    assert case.promised_contact_date == add_working_days(cases.local_today(),
                                                          case.team.contact_days)
    # The referrer is kept for a referral only.
    expected = tuple(REFERRER.values()) if channel == "referral" else (None, None)
    assert (case.referrer_organisation, case.referrer_name) == expected
    # The worker is the actor of the first event and is in the access log.
    [event] = case.events
    assert (event.kind, event.actor_id, event.data) == (
        "recorded", worker.id, {"kind": "contact_request", "channel": channel})
    log = db.session.scalars(select(AccessLogEntry).where(AccessLogEntry.case_id == case.id))
    assert [(entry.staff_id, entry.action, entry.detail) for entry in log] == [
        (worker.id, "change", "recorded")]
    # Shown with its channel on the case page and the printed case, and in the queue.
    label = translated(app, "fi", {"phone": "Phone call", "walk_in": "Walk-in visit",
                                   "e_contact": "E-contact",
                                   "referral": "Professional's referral or consultation"}
                       [channel], "case channel")
    page = signed_in.get(f"/staff/cases/{case.id}").text
    assert escape(label) in page and translated(app, "fi", "The contact is recorded and in "
                                                           "the queue.") in page
    assert escape(label) in signed_in.get(f"/staff/cases/{case.id}/print").text
    assert f'href="/staff/cases/{case.id}"' in signed_in.get("/staff/").text
    if channel == "referral":
        assert "<bdi>Keksityt TE-palvelut</bdi>, <bdi>Testi Ohjaaja</bdi>" in page


def test_a_web_case_says_it_came_by_the_web_form(signed_in: FlaskClient, app: Flask) -> None:
    from tests.requests.test_staff import new_case

    case = new_case()
    assert case.channel == "web"
    page = signed_in.get(f"/staff/cases/{case.id}").text
    assert translated(app, "fi", "Web form", "case channel") in page
    assert translated(app, "fi", "Sent by the client") in page


def test_a_referral_needs_its_referrer(signed_in: FlaskClient, app: Flask) -> None:
    response = post_form(signed_in, "/staff/cases/new", {**CONTACT, "channel": "referral"})
    assert response.status_code == 400
    assert error_summary(response.text) == [
        translated(app, "fi", "Write the referrer's organisation"),
        translated(app, "fi", "Write the referrer's name")]
    assert 'id="referrer_organisation-error"' in response.text
    assert count_cases() == 0
    # What was typed stays.
    assert 'value="Testi Asiakas"' in response.text and CONTACT["about"] in response.text


@pytest.mark.parametrize(("missing", "message"), [
    ({"channel": ""}, "Choose how the contact came in"),
    ({"urgent": ""}, "Choose whether it is urgent"),
    ({"name": ""}, "Write the client's name"),
    ({"phone": "", "email": ""}, "Give the client's phone number or e-mail address, or both"),
    ({"municipality": ""}, "Choose the client's municipality"),
    ({"language": ""}, "Choose the contact language"),
    ({"phone": "soita minulle"}, "Write the phone number with digits only, for example "
                                 "040 123 4567"),
])
def test_what_a_contact_needs_is_asked_for(signed_in: FlaskClient, app: Flask, missing: dict,
                                           message: str) -> None:
    response = post_form(signed_in, "/staff/cases/new", {**CONTACT, **missing})
    assert response.status_code == 400
    assert error_summary(response.text) == [translated(app, "fi", message)]
    assert count_cases() == 0


def test_a_municipality_of_another_team_is_refused_clearly(signed_in: FlaskClient,
                                                           app: Flask) -> None:
    """The list offers only the worker's own teams' municipalities; another team's (posted
    anyway) is refused in so many words, and no case is made."""
    page = signed_in.get("/staff/cases/new").text
    offered = re.findall(r'<option value="([^"]*)"', page)
    assert offered == ["", "179", "500", "892", "other"]  # Jyväskylä is the default team
    response = post_form(signed_in, "/staff/cases/new", {**CONTACT, "municipality": "931"})
    assert response.status_code == 400
    assert 'id="municipality-error"' in response.text
    assert error_summary(response.text) == [translated(
        app, "fi", "Another team serves this municipality. You can record contacts only for "
                   "your own teams' municipalities.")]
    assert count_cases() == 0
    # A code no team serves is simply not one of the options.
    response = post_form(signed_in, "/staff/cases/new", {**CONTACT, "municipality": "999"})
    assert error_summary(response.text) == [translated(app, "fi",
                                                       "Choose one of the options given")]


def test_the_service_refuses_another_teams_municipality(worker: StaffUser) -> None:
    recording = cases.Recording("phone")
    answers = {"name": "Testi", "phone": "040 000 1234", "municipality": "931",
               "contact_language": "fi"}
    with pytest.raises(cases.NotAllowed) as refused:
        cases.record_contact(worker, recording, answers, KEY)
    assert refused.value.refusal == cases.Refusal.OTHER_TEAM
    for wrong in ({"channel": "web"}, {"channel": "referral"}, {"channel": "fax"}):
        with pytest.raises(cases.NotAllowed):
            cases.record_contact(worker, cases.Recording(**wrong),
                                 {**answers, "municipality": "179"}, KEY)
    with pytest.raises(cases.NotAllowed):  # neither phone nor e-mail
        cases.record_contact(worker, recording, {**answers, "municipality": "179",
                                                 "phone": ""}, KEY)
    assert count_cases() == 0


def test_a_worker_of_no_team_is_told_so(client: FlaskClient, app: Flask) -> None:
    loner = make_staff("testi.yksin@example.test")
    loner.teams = []  # left every team
    db.session.commit()
    sign_in(client, loner)
    for path in ("/staff/cases/new", "/staff/cases/new/saate"):
        page = client.get(path).text
        assert translated(app, "fi", "You are not a member of any team, so you cannot record "
                                     "contacts. Ask an administrator to add you to your "
                                     "team.") in page
        assert "form_key" not in page


def test_sending_the_form_twice_makes_one_case(signed_in: FlaskClient) -> None:
    first = post_form(signed_in, "/staff/cases/new", CONTACT)
    second = post_form(signed_in, "/staff/cases/new", CONTACT)
    assert first.location == second.location
    assert count_cases() == 1
    # A key that is not one the page made is replaced: still a case, with a fresh key.
    post_form(signed_in, "/staff/cases/new", CONTACT, key="not-a-key")
    assert count_cases() == 2


def test_urgent_gets_the_teams_urgent_promise(signed_in: FlaskClient) -> None:
    post_form(signed_in, "/staff/cases/new", {**CONTACT, "urgent": "yes", "language": "sv"})
    case = only_case()
    assert case.urgent and case.language == "sv"
    assert case.promised_contact_date == add_working_days(cases.local_today(),
                                                          team("jyvaskyla").urgent_contact_days)
    html = signed_in.get("/staff/").text
    assert re.search(r'class="case-row[^"]* urgent"', html)


def test_csrf_is_required_and_the_typed_text_stays(signed_in: FlaskClient, app: Flask) -> None:
    signed_in.get("/staff/cases/new")
    response = signed_in.post("/staff/cases/new", data={**CONTACT, "form_key": KEY})
    assert response.status_code == 400
    assert count_cases() == 0
    assert 'value="Testi Asiakas"' in response.text
    assert translated(app, "fi", "The page had been open for a long time, so for your safety "
                                 "it was not sent. Your answers are still here. Check them "
                                 "and send again.") in response.text
    response = signed_in.post("/staff/cases/new/saate", data={"channel": "phone",
                                                               "name": "Testi Asiakas"})
    assert response.status_code == 400 and 'value="Testi Asiakas"' in response.text
    assert count_cases() == 0


def test_new_pages_need_sign_in(client: FlaskClient) -> None:
    for path in ("/staff/cases/new", "/staff/cases/new/saate"):
        assert client.get(path).location == "/staff/sign-in"
        assert client.post(path, data=CONTACT).location == "/staff/sign-in"
    assert count_cases() == 0


# --- The saate, filled in with the client ----------------------------------------------------


def saate_answers() -> dict:
    answers = {code: value for step in VALID_STEPS.values() for code, value in step.items()}
    return answers


def test_a_saate_filled_in_with_the_client_is_marked_and_logged(
        signed_in: FlaskClient, app: Flask, worker: StaffUser) -> None:
    page = signed_in.get("/staff/cases/new/saate").text
    # Every part of the saate, from the schema, on one page; the worker's language by default.
    for step_title in ("Contact details", "How you are right now", "Cooperation and consent"):
        assert translated(app, "fi", step_title) in page
    assert 'id="contact_language-0" name="contact_language" value="fi" checked' in page
    response = post_form(signed_in, "/staff/cases/new/saate",
                         {**saate_answers(), "channel": "walk_in", "urgent": "no"})
    assert response.status_code == 302, error_summary(response.text)
    case = only_case()
    assert (case.kind, case.channel, case.language) == ("saate", "walk_in", "fi")
    assert case.answers["work_history"] == "Varastotyötä"
    assert case.answers["share_with"] == ["kela", "employment_services"]
    assert {c.actor for c in case.consents if c.share} == {"kela", "employment_services"}
    assert case.events[0].kind == "recorded" and case.events[0].actor_id == worker.id
    assert db.session.scalar(select(AccessLogEntry.staff_id).where(
        AccessLogEntry.case_id == case.id)) == worker.id
    page = signed_in.get(f"/staff/cases/{case.id}").text
    assert translated(app, "fi", "Recorded by") in page
    assert "<dd><bdi>Testi Työntekijä</bdi></dd>" in page


def test_the_staff_saate_keeps_everything_typed_when_something_is_missing(
        signed_in: FlaskClient, app: Flask) -> None:
    answers = {**saate_answers(), "name": "", "channel": "referral", "urgent": "no"}
    response = post_form(signed_in, "/staff/cases/new/saate", answers)
    assert response.status_code == 400
    assert error_summary(response.text) == [
        translated(app, "fi", "Write the referrer's organisation"),
        translated(app, "fi", "Write the referrer's name"),
        translated(app, "fi", "Tell us what we should call you")]
    assert "Varastotyötä</textarea>" in response.text and "Täsmällisyys</textarea>" in response.text
    assert count_cases() == 0


def test_a_crisis_answer_makes_the_staff_saate_urgent(signed_in: FlaskClient) -> None:
    post_form(signed_in, "/staff/cases/new/saate",
              {**saate_answers(), "acute_distress": "yes", "channel": "phone", "urgent": "no"})
    case = only_case()
    assert case.urgent and "urgent" in case.flags["codes"]


def test_the_staff_saate_refuses_another_teams_municipality(signed_in: FlaskClient,
                                                            app: Flask) -> None:
    response = post_form(signed_in, "/staff/cases/new/saate",
                         {**saate_answers(), "municipality": "931", "channel": "phone",
                          "urgent": "no"})
    assert response.status_code == 400
    assert error_summary(response.text) == [translated(
        app, "fi", "Another team serves this municipality. You can record contacts only for "
                   "your own teams' municipalities.")]
    assert count_cases() == 0


# --- The same retention ------------------------------------------------------------------


def test_a_recorded_case_is_anonymised_like_any_other(worker: StaffUser) -> None:
    case = cases.record_contact(
        worker, cases.Recording("referral", referrer_organisation="Keksityt TE-palvelut",
                                referrer_name="Testi Ohjaaja"),
        {"name": "Testi Asiakas", "phone": "040 000 1234", "municipality": "179",
         "contact_language": "fi"}, KEY)
    cases.name_contact_person(case, worker, case.version, cases.ContactPerson(
        name="Testi Ohjaaja", title="työkykykoordinaattori", organisation="Keksityt",
        phone="040 000 9999", phone_shareable=True))
    cases.close(case, worker, case.version, "routed")
    case.closed_at = utcnow() - timedelta(days=400)
    db.session.commit()
    assert retention.run().cases_anonymised == 1
    db.session.expire_all()
    kept = db.session.get(Case, case.id)
    assert kept is not None and kept.channel == "referral" and kept.answers == {}
    assert (kept.referrer_organisation, kept.referrer_name, kept.contact_person_name,
            kept.contact_person_organisation, kept.contact_person_phone) == (None,) * 5
    events = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
    assert events[0].data == {"kind": "contact_request", "channel": "referral"}
    assert all("name" not in event.data and "phone" not in event.data for event in events)
