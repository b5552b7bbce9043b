"""The case view built for the call, safe actions and the asiakasvastaava (issue 11,
points 3–5): what a caller needs first, short staff labels, no preselected close reason or
contact person, closing in two steps, routing or closing with nobody named only on the
worker's word, and an outside asiakasvastaava on the client's status page."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select

from app.casework import cases
from app.extensions import db
from app.models import Case, CaseEvent, StaffUser
from app.saate.schema import FORMS
from tests.requests.test_staff import new_case
from tests.support.i18n import translated
from tests.support.pages import csrf_token, error_summary
from tests.support.staff import CLOSING, staff_post, stored

pytestmark = pytest.mark.usefixtures("teams")

# What a "closed" event keeps of the close form's CLOSING answers.
CLOSED_AS_UNKNOWN = {"codes": ["unknown"], "saw_doctor": None, "follow_up_on": ""}
NO_CONTACT_PERSON = ("No contact person has been named for this client. Name one first, or "
                     "tick the box to confirm that none is needed.")





def last_event(case_id: int) -> CaseEvent:
    db.session.expire_all()
    return db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id)
                              .order_by(CaseEvent.id.desc())).first()  # type: ignore[return-value]


def block(html: str, action: str) -> str:
    """The case page's form that posts to the action."""
    start = html.index(f'/{action}"')
    return html[html.rfind("<form", 0, start): html.index("</form>", start)]


# --- Point 3: the case view ---------------------------------------------------------------


def test_every_question_has_a_short_staff_label() -> None:
    for form in FORMS.values():
        for question in form.questions():
            assert question.staff_label is not None, question.code
            short = str(question.staff_label._args[-1])  # type: ignore[attr-defined]
            assert len(short.split()) <= 5, question.code
            assert len(short) <= len(str(question.label._args[-1])), question.code  # type: ignore[attr-defined]


def test_the_call_card_comes_first(signed_in: FlaskClient, app: Flask) -> None:
    case = new_case(kind="saate", urgent=True)
    html = signed_in.get(f"/staff/cases/{case.id}").text
    card = html[html.index('class="call-card"'): html.index("</section>",
                                                           html.index('class="call-card"'))]
    assert '<a class="phone-link" href="tel:0400001234" dir="auto">040 000 1234</a>' in card
    assert ('<a href="mailto:testi.asiakas@example.test" dir="auto">'
            'testi.asiakas@example.test</a>') in card
    assert "<bdi>Testi Asiakas</bdi>" in card
    for text in ("We may contact them by", "Best time to call", "Contact language",
                 "Client's language", "Urgent: the client said they are in a crisis"):
        assert escape(translated(app, "fi", text)) in card, text
    # Then the actions beside the timeline; the answers after them.
    order = [html.index(marker) for marker in ('class="call-card"', 'class="case-work"',
                                               'id="actions-title"', 'id="timeline-title"',
                                               'id="answers-title"')]
    assert order == sorted(order)
    # The channel is a fact of the case.
    assert escape(translated(app, "fi", "Web form", "case channel")) in html


def test_answers_carry_short_labels_and_the_print_the_questions(signed_in: FlaskClient,
                                                                 app: Flask) -> None:
    case = new_case(kind="saate")
    page = signed_in.get(f"/staff/cases/{case.id}").text
    printed = signed_in.get(f"/staff/cases/{case.id}/print").text
    for question in FORMS["saate"].questions():
        if question.code not in case.answers:
            continue
        short = str(escape(translated(app, "fi", str(question.staff_label._args[-1]),  # type: ignore[union-attr]
                                      "staff label")))
        full = str(escape(translated(app, "fi", str(question.label._args[-1]))))  # type: ignore[attr-defined]
        assert f"<dt>{short}</dt>" in page, question.code
        assert f"<dt>{full}</dt>" in printed, question.code


# --- Point 4: safe actions -------------------------------------------------------------------


def test_no_close_reason_and_no_contact_person_is_preselected(signed_in: FlaskClient) -> None:
    case = new_case()
    html = signed_in.get(f"/staff/cases/{case.id}").text
    close = block(html, "close/confirm")
    assert re.search(r'<select id="close-reason" name="reason">\s*<option value=""[ >]', close)
    assert " selected" not in close
    person = block(html, "contact-person")
    assert re.search(r'<select id="person-staff_member"[^>]*>\s*<option value=""[ >]', person)
    assert " selected" not in person


def test_closing_without_a_reason_keeps_the_case_open(signed_in: FlaskClient,
                                                      app: Flask) -> None:
    case = new_case()
    response = staff_post(signed_in, f"/staff/cases/{case.id}/close/confirm",
                          {"version": 1, "reason": "", "note": "Ei syytä"})
    assert response.status_code == 400
    assert 'id="reason-error"' in response.text
    assert translated(app, "fi", "Choose a reason for closing") in response.text
    assert "Ei syytä</textarea>" in response.text
    # Straight to the closing post, with no reason: refused the same way.
    response = staff_post(signed_in, f"/staff/cases/{case.id}/close",
                          {"version": 1, "reason": "", "confirmed": "yes",
                           "no_contact_person_needed": "yes", **CLOSING})
    assert response.status_code == 400 and 'id="reason-error"' in response.text
    assert stored(case.id).status == "new"


def test_closing_takes_a_confirmation_and_keeps_the_reason(signed_in: FlaskClient,
                                                           app: Flask) -> None:
    case = new_case()
    response = staff_post(signed_in, f"/staff/cases/{case.id}/close/confirm",
                          {"version": 1, "reason": "advice_enough", "note": "Neuvonta riitti.",
                           **CLOSING})
    assert response.status_code == 200
    page = response.text
    assert translated(app, "fi", "Close case %(reference)s?",
                      reference=case.display_reference) in page
    assert translated(app, "fi", "Advice was enough") in page
    form = block(page, "close")
    for hidden in ('name="reason" value="advice_enough"', 'name="note" value="Neuvonta riitti."',
                   'name="confirmed" value="yes"', 'name="version" value="1"'):
        assert hidden in form
    assert stored(case.id).status == "new"  # nothing closed yet
    # The closing post without the confirmation page's word: asked again, still open.
    response = staff_post(signed_in, f"/staff/cases/{case.id}/close",
                          {"version": 1, "reason": "advice_enough",
                           "no_contact_person_needed": "yes", **CLOSING})
    assert response.status_code == 400
    assert translated(app, "fi", "The case is still open. Check the reason below and confirm "
                                 "closing with the button.") in response.text
    assert stored(case.id).status == "new"
    # With nobody named, the worker's word that none is needed is asked for at the checkbox.
    response = staff_post(signed_in, f"/staff/cases/{case.id}/close",
                          {"version": 1, "reason": "advice_enough", "confirmed": "yes",
                           **CLOSING})
    assert response.status_code == 400
    assert 'id="no_contact_person_needed-error"' in response.text
    assert error_summary(response.text) == [translated(app, "fi", NO_CONTACT_PERSON)]
    assert stored(case.id).status == "new"
    response = staff_post(signed_in, f"/staff/cases/{case.id}/close",
                          {"version": 1, "reason": "advice_enough", "note": "Neuvonta riitti.",
                           "confirmed": "yes", "no_contact_person_needed": "yes", **CLOSING})
    assert response.status_code == 302
    closed = stored(case.id)
    assert (closed.status, closed.close_reason) == ("closed", "advice_enough")
    assert last_event(case.id).data == {"reason": "advice_enough", "note": "Neuvonta riitti.",
                                        **CLOSED_AS_UNKNOWN, "no_contact_person_needed": True}
    assert translated(app, "fi", "No contact person needed (confirmed)") in signed_in.get(
        f"/staff/cases/{case.id}").text


def test_a_named_contact_person_needs_no_extra_word(signed_in: FlaskClient,
                                                   worker: StaffUser) -> None:
    case = new_case()
    cases.name_contact_person(case, worker, case.version, cases.ContactPerson(staff_id=worker.id))
    page = staff_post(signed_in, f"/staff/cases/{case.id}/close/confirm",
                      {"version": case.version, "reason": "routed", **CLOSING}).text
    assert "no_contact_person_needed" not in page
    assert staff_post(signed_in, f"/staff/cases/{case.id}/close",
                      {"version": case.version, "reason": "routed",
                       "confirmed": "yes", **CLOSING}).status_code == 302
    assert last_event(case.id).data == {"reason": "routed", "note": "", **CLOSED_AS_UNKNOWN}


def test_routing_with_nobody_named_asks_for_the_workers_word(signed_in: FlaskClient,
                                                            app: Flask) -> None:
    case = new_case()
    html = signed_in.get(f"/staff/cases/{case.id}").text
    assert 'name="no_contact_person_needed"' in block(html, "status")
    assert 'name="no_contact_person_needed"' in block(html, "outcomes")
    for action, data in (("status", {"status": "routed"}),
                         ("outcomes", {"outcomes": ["kela"], "detail": "Kela"})):
        response = staff_post(signed_in, f"/staff/cases/{case.id}/{action}",
                              {"version": stored(case.id).version, **data})
        assert response.status_code == 400, action
        assert 'id="no_contact_person_needed-error"' in response.text
        assert translated(app, "fi", NO_CONTACT_PERSON) in response.text
        response = staff_post(signed_in, f"/staff/cases/{case.id}/{action}",
                              {"version": stored(case.id).version, **data,
                               "no_contact_person_needed": "yes"})
        assert response.status_code == 302, action
        assert last_event(case.id).data["no_contact_person_needed"] is True
    assert stored(case.id).status == "routed"
    # Other statuses need no word about the contact person.
    assert staff_post(signed_in, f"/staff/cases/{case.id}/status",
                      {"version": stored(case.id).version,
                       "status": "in_progress"}).status_code == 302


def test_the_confirmation_page_is_for_the_own_teams_cases_only(signed_in: FlaskClient) -> None:
    other = new_case("931", key="9")
    response = staff_post(signed_in, f"/staff/cases/{other.id}/close/confirm",
                          {"version": 1, "reason": "duplicate", **CLOSING})
    assert response.status_code == 404
    response = staff_post(signed_in, f"/staff/cases/{other.id}/close",
                          {"version": 1, "reason": "duplicate", "confirmed": "yes",
                           "no_contact_person_needed": "yes", **CLOSING})
    assert response.status_code == 404
    assert stored(other.id).status == "new"


def test_the_confirmation_page_needs_csrf_and_sign_in(signed_in: FlaskClient,
                                                      app: Flask) -> None:
    case = new_case()
    response = signed_in.post(f"/staff/cases/{case.id}/close/confirm",
                              data={"version": 1, "reason": "duplicate", **CLOSING})
    assert response.status_code == 400
    assert translated(app, "fi", "Close case %(reference)s?",
                      reference=case.display_reference) not in response.text
    anonymous = app.test_client()
    token = csrf_token(anonymous.get("/staff/sign-in").text)
    assert anonymous.post(f"/staff/cases/{case.id}/close/confirm",
                          data={"version": 1, "csrf_token": token}).location == "/staff/sign-in"


# --- Point 5: the asiakasvastaava ----------------------------------------------------------


def name_outside(client: FlaskClient, case: Case, shareable: bool) -> None:
    data = {"version": stored(case.id).version, "staff_member": "outside",
            "name": "Testi Ohjaaja", "title": "työkykykoordinaattori",
            "organisation": "Keksityt TE-palvelut", "phone": "040 000 9876"}
    if shareable:
        data["phone_shareable"] = "yes"
    assert staff_post(client, f"/staff/cases/{case.id}/contact-person", data).status_code == 302


def test_an_outside_contact_person_on_the_status_page(signed_in: FlaskClient,
                                                      app: Flask) -> None:
    case = new_case()
    name_outside(signed_in, case, shareable=False)
    status = app.test_client().get(f"/fi/status/{cases.status_token(case)}").text
    assert "Testi, työkykykoordinaattori, Keksityt TE-palvelut" in status
    assert "Ohjaaja" not in status  # the first name only
    assert "040 000 9876" not in status and "0400009876" not in status  # a private number
    page = signed_in.get(f"/staff/cases/{case.id}").text
    assert "<bdi>Keksityt TE-palvelut</bdi>" in page and "040 000 9876" in page
    assert translated(app, "fi", "(not shown to the client)") in page
    name_outside(signed_in, case, shareable=True)
    status = app.test_client().get(f"/sv/status/{cases.status_token(case)}").text
    assert '<a href="tel:0400009876">040 000 9876</a>' in status
    stored_case = stored(case.id)
    assert (stored_case.contact_person_organisation, stored_case.contact_person_phone,
            stored_case.contact_person_phone_shareable) == (
        "Keksityt TE-palvelut", "040 000 9876", True)


def test_a_team_member_as_contact_person_works_in_the_team(signed_in: FlaskClient, app: Flask,
                                                          worker: StaffUser) -> None:
    case = new_case()
    staff_post(signed_in, f"/staff/cases/{case.id}/contact-person",
               {"version": 1, "staff_member": str(worker.id)})
    status = app.test_client().get(f"/fi/status/{cases.status_token(case)}").text
    assert f"Testi, terveydenhoitaja, {case.team.name}" in status
    assert "tel:" not in status.split('id="contact-person-title"')[1].split("</section>")[0]


def test_an_outside_contact_person_needs_a_title_and_an_organisation(
        signed_in: FlaskClient, app: Flask) -> None:
    case = new_case()
    response = staff_post(signed_in, f"/staff/cases/{case.id}/contact-person",
                          {"version": 1, "staff_member": "outside", "name": "Testi Ohjaaja"})
    assert response.status_code == 400
    assert 'id="title-error"' in response.text and 'id="organisation-error"' in response.text
    response = staff_post(signed_in, f"/staff/cases/{case.id}/contact-person",
                          {"version": 1, "staff_member": ""})
    assert response.status_code == 400 and 'id="staff_member-error"' in response.text
    assert not stored(case.id).has_contact_person


def test_the_clients_own_worker_is_shown_beside_the_contact_person(signed_in: FlaskClient,
                                                                   app: Flask) -> None:
    case = new_case(kind="saate")
    html = signed_in.get(f"/staff/cases/{case.id}").text
    form_at = html.index(f'action="/staff/cases/{case.id}/contact-person"')
    details = html[html.rfind("<details", 0, form_at):form_at]
    assert "Testi Ohjaaja, sosiaaliohjaaja" in details
    assert translated(app, "fi", "The client's own worker elsewhere:") in details
