"""Who may do what with a case (docs/SERVICE.md): taking over, reassigning, reopening."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.casework import cases
from app.extensions import db
from app.models import CaseEvent, StaffUser
from tests.requests.test_staff import new_case
from tests.support.i18n import translated
from tests.support.staff import make_staff, sign_in, staff_post, stored

pytestmark = pytest.mark.usefixtures("teams")



@pytest.fixture
def colleague(app: Flask) -> StaffUser:
    return make_staff("testi.kollega@example.test", name="Testi Kollega")


@pytest.fixture
def lead(app: Flask) -> StaffUser:
    return make_staff("testi.esihenkilo@example.test", role="lead", name="Testi Esihenkilö")



def refusal_of(action) -> cases.Refusal:  # type: ignore[no-untyped-def]
    with pytest.raises(cases.NotAllowed) as refused:
        action()
    return refused.value.refusal


def test_a_worker_may_not_take_over_a_case_a_lead_assigned_to_someone_else(
    worker: StaffUser, colleague: StaffUser, lead: StaffUser
) -> None:
    case = new_case()
    cases.assign(case, lead, case.version, colleague.id)
    assert not cases.may_claim(case, worker)
    assert refusal_of(lambda: cases.claim(case, worker, case.version)) == "assigned_by_lead"
    assert stored(case.id).handler_id == colleague.id
    # The assignee keeps it; a lead may reassign, or take it.
    assert cases.may_claim(case, colleague) and cases.may_claim(case, lead)
    cases.assign(case, lead, case.version, worker.id)
    assert stored(case.id).handler_id == worker.id
    cases.claim(case, lead, case.version)
    assert stored(case.id).handler_id == lead.id


def test_a_worker_may_take_over_a_case_a_colleague_claimed(
    worker: StaffUser, colleague: StaffUser, lead: StaffUser
) -> None:
    case = new_case()
    cases.assign(case, lead, case.version, colleague.id)
    cases.claim(case, colleague, case.version)  # now held by claiming, not by assignment
    assert cases.may_claim(case, worker)
    cases.claim(case, worker, case.version)
    assert stored(case.id).handler_id == worker.id


def test_only_leads_assign_and_reopen(worker: StaffUser, colleague: StaffUser) -> None:
    case = new_case()
    assert refusal_of(lambda: cases.assign(case, worker, case.version, colleague.id)) \
        == "leads_only"
    cases.close(case, worker, case.version, "advice_enough", no_contact_person_needed=True)
    assert not cases.may_reopen(case, worker)
    assert refusal_of(lambda: cases.reopen(case, worker, case.version, "in_progress")) \
        == "leads_only"
    assert stored(case.id).status == "closed"


def test_reopening_is_an_event_and_clears_the_close_reason(
    worker: StaffUser, lead: StaffUser
) -> None:
    case = new_case()
    cases.claim(case, worker, case.version)
    cases.close(case, worker, case.version, "not_reached", "Ei vastannut kolmesti.",
                no_contact_person_needed=True)
    closed = stored(case.id)
    assert closed.close_reason == "not_reached" and closed.closed_at is not None
    assert cases.may_reopen(closed, lead)
    cases.reopen(closed, lead, closed.version, "in_progress")
    reopened = stored(case.id)
    assert reopened.status == "in_progress"
    assert reopened.close_reason is None and reopened.closed_at is None
    assert reopened.handler_id == worker.id  # the handler stays
    event = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                               .order_by(CaseEvent.id.desc())).first()
    assert (event.kind, event.actor_id) == ("reopened", lead.id)
    assert event.data == {"reason": "not_reached", "to": "in_progress"}


def test_a_closed_case_changes_hands_or_status_only_after_reopening(
    worker: StaffUser, colleague: StaffUser, lead: StaffUser
) -> None:
    case = new_case()
    cases.close(case, worker, case.version, "duplicate", no_contact_person_needed=True)
    version = case.version
    for action in (
        lambda: cases.claim(case, colleague, version),
        lambda: cases.assign(case, lead, version, colleague.id),
        lambda: cases.set_status(case, worker, version, "in_progress"),
        lambda: cases.close(case, worker, version, "other", no_contact_person_needed=True),
    ):
        assert refusal_of(action) == "closed"
    assert refusal_of(lambda: cases.reopen(new_case(key="2"), lead, 1, "new")) == "not_closed"
    # Notes may still be written on a closed case.
    cases.add_note(case, worker, version, "Asiakas soitti vielä.")
    assert stored(case.id).status == "closed"


def test_a_stale_version_is_a_conflict_before_any_rule(worker: StaffUser,
                                                       lead: StaffUser) -> None:
    case = new_case()
    cases.close(case, lead, case.version, "duplicate", no_contact_person_needed=True)
    with pytest.raises(cases.Conflict):
        cases.set_status(case, worker, 1, "in_progress")


def test_the_case_page_explains_a_refused_take_over(
    client: FlaskClient, app: Flask, worker: StaffUser, colleague: StaffUser, lead: StaffUser
) -> None:
    case = new_case()
    cases.assign(case, lead, case.version, colleague.id)
    sign_in(client, worker)
    page = client.get(f"/staff/cases/{case.id}").text
    assert f'/staff/cases/{case.id}/claim"' not in page  # not offered
    response = staff_post(client, f"/staff/cases/{case.id}/claim", {"version": case.version})
    assert response.status_code == 400
    assert 'id="refusal-title"' in response.text
    assert translated(app, "fi", "A team lead has assigned this case to %(name)s. Only a team "
                                 "lead can give it to someone else.",
                      name="Testi Kollega") in response.text


def test_reopening_is_offered_to_leads_only(
    client: FlaskClient, app: Flask, worker: StaffUser, lead: StaffUser
) -> None:
    case = new_case()
    cases.close(case, worker, case.version, "advice_enough", no_contact_person_needed=True)
    sign_in(client, worker)
    page = client.get(f"/staff/cases/{case.id}").text
    assert "/reopen" not in page and f"/cases/{case.id}/status" not in page
    assert translated(app, "fi", "A team lead can reopen it.") in page
    response = staff_post(client, f"/staff/cases/{case.id}/reopen",
                          {"version": case.version, "status": "in_progress"})
    assert response.status_code == 400
    assert translated(app, "fi", "Only a team lead can do that.") in response.text
    response = staff_post(client, f"/staff/cases/{case.id}/status",
                          {"version": case.version, "status": "in_progress"})
    assert response.status_code == 400
    assert translated(app, "fi", "This case is closed. A team lead can reopen it.") \
        in response.text

    lead_client = app.test_client()
    sign_in(lead_client, lead)
    page = lead_client.get(f"/staff/cases/{case.id}").text
    assert f'action="/staff/cases/{case.id}/reopen"' in page
    response = staff_post(lead_client, f"/staff/cases/{case.id}/reopen",
                          {"version": case.version, "status": "in_progress"})
    assert response.status_code == 302
    page = lead_client.get(f"/staff/cases/{case.id}").text
    assert translated(app, "fi", "Reopened") in page
    assert translated(app, "fi", "Advice was enough") in page
    assert stored(case.id).status == "in_progress"


def test_a_note_that_lost_to_closing_is_kept_on_the_closed_case_page(
    client: FlaskClient, worker: StaffUser, lead: StaffUser
) -> None:
    case = new_case()
    sign_in(client, worker)
    version = case.version
    # While the worker was writing:
    cases.close(case, lead, version, "duplicate", no_contact_person_needed=True)
    response = staff_post(client, f"/staff/cases/{case.id}/note",
                          {"version": version, "text": "Asiakas soitti, kirjaan tämän."})
    assert response.status_code == 409
    assert "Asiakas soitti, kirjaan tämän.</textarea>" in response.text
