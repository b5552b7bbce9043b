"""The staff side: queue, team isolation, case view, every action, conflicts, access log."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.casework import cases
from app.database import utcnow
from app.extensions import db
from app.models import AccessLogEntry, Case, CaseEvent
from app.saate.schema import CONTACT_REQUEST, SAATE
from tests.support.i18n import translated, translated_plural
from tests.support.journey import CONTACT_REQUEST as CONTACT_ANSWERS
from tests.support.journey import VALID_STEPS
from tests.support.staff import CLOSING, make_staff, sign_in, staff_post
from tests.support.statements import recorded_statements

pytestmark = pytest.mark.usefixtures("teams")


def new_case(municipality: str = "179", key: str = "1", kind: str = "contact_request",
             language: str = "fi", urgent: bool = False) -> Case:
    if kind == "saate" or urgent:
        answers = {k: v for step in VALID_STEPS.values() for k, v in step.items()}
        answers["acute_distress"] = "yes" if urgent else "no"
        form = SAATE
    else:
        answers, form = dict(CONTACT_ANSWERS), CONTACT_REQUEST
    answers["municipality"] = municipality
    return cases.create_case(form, language, answers, key.rjust(32, "0"))




def case_ids_in(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/staff/cases/(\d+)"', html)]


def test_queue_lists_own_teams_cases_oldest_first(signed_in: FlaskClient) -> None:
    first, second = new_case(key="1"), new_case(key="2")
    other_team = new_case("931", key="3")
    first.created_at = utcnow() - timedelta(days=2)
    db.session.commit()
    ids = case_ids_in(signed_in.get("/staff/").text)
    assert ids == [first.id, second.id]
    assert other_team.id not in ids


def test_queue_merges_several_teams_by_promised_date_then_age(client: FlaskClient) -> None:
    lead = make_staff("testi.vetaja@example.test", role="lead",
                      teams=("jyvaskyla", "pohjoinen"))
    made = [new_case("931" if n % 2 else "179", key=str(n)) for n in range(5)]
    today = cases.local_today()
    # Promised dates interleave the teams; the last two share a date, so age decides.
    for n, case in enumerate(made):
        case.promised_contact_date = today + timedelta(days=min(n, 3))
        case.created_at = utcnow() - timedelta(hours=n)
    db.session.commit()
    cases.claim(made[1], lead, made[1].version)  # in progress: a second status in the merge
    sign_in(client, lead)
    assert case_ids_in(client.get("/staff/").text) == [case.id for case in made[:3]] + [
        made[4].id, made[3].id]


def test_urgent_cases_come_first_then_by_promised_date(signed_in: FlaskClient,
                                                       app: Flask) -> None:
    ordinary, urgent = new_case(key="1"), new_case(key="2", urgent=True)
    overdue = new_case(key="3")
    overdue.promised_contact_date -= timedelta(days=10)  # sooner than the urgent promise
    db.session.commit()
    assert urgent.urgent and urgent.promised_contact_date < ordinary.promised_contact_date
    html = signed_in.get("/staff/").text
    assert case_ids_in(html) == [urgent.id, overdue.id, ordinary.id]
    start = html.index('<tr class="case-row')
    first_row = html[start:html.index("</tr>", start)]
    assert re.match(r'<tr class="case-row urgent[ "]', first_row)
    assert translated(app, "fi", "Urgent") in first_row
    assert case_ids_in(signed_in.get("/staff/?urgent=1").text) == [urgent.id]


def test_status_counts_stop_at_the_cap(signed_in: FlaskClient, app: Flask) -> None:
    app.config["QUEUE_COUNT_CAP"] = 2
    for n in range(3):
        new_case(key=str(n))
    html = signed_in.get("/staff/").text
    over = translated(app, "fi", "over %(count)s", count="2")
    assert re.search(rf'status=new">[^<]*: <strong>\s*{over}</strong>', html)


def test_worker_cannot_open_another_teams_case_by_url(signed_in: FlaskClient) -> None:
    other = new_case("931", key="9")
    assert signed_in.get(f"/staff/cases/{other.id}").status_code == 404
    response = staff_post(signed_in, f"/staff/cases/{other.id}/claim", {"version": 1})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Case, other.id).handler_id is None


def test_queue_filters_and_counts(signed_in: FlaskClient, worker) -> None:  # type: ignore[no-untyped-def]
    contact = new_case(key="1")
    saate = new_case(key="2", kind="saate", language="sv")
    cases.claim(saate, worker, saate.version)
    assert case_ids_in(signed_in.get("/staff/?kind=saate").text) == [saate.id]
    assert case_ids_in(signed_in.get("/staff/?assigned=me").text) == [saate.id]
    assert case_ids_in(signed_in.get("/staff/?assigned=unassigned").text) == [contact.id]
    assert case_ids_in(signed_in.get("/staff/?language=sv").text) == [saate.id]
    assert case_ids_in(signed_in.get("/staff/?status=new").text) == [contact.id]
    assert case_ids_in(signed_in.get("/staff/?municipality=500").text) == []
    html = signed_in.get("/staff/").text
    assert re.search(r'status=new">[^<]*: <strong>1</strong>', html)
    assert re.search(r'status=in_progress">[^<]*: <strong>1</strong>', html)


def test_overdue_cases_are_marked_in_text(signed_in: FlaskClient, app: Flask) -> None:
    case = new_case()
    case.promised_contact_date = cases.local_today() - timedelta(days=30)
    db.session.commit()
    html = signed_in.get("/staff/").text
    assert '<strong class="overdue-text">' in html
    assert translated_plural(app, "fi", "%(num)d day overdue", "%(num)d days overdue",
                             30) % {"num": 30} in html


def queue_order(case: Case) -> tuple:
    """The queue's promise: open urgent cases first, then by promised date, then age."""
    return (not (case.urgent and case.status != "closed"), case.promised_contact_date,
            case.created_at, case.id)


def walk_pages(client: FlaskClient, url: str) -> list[int]:
    seen: list[int] = []
    while url:
        html = client.get(url).text
        seen += case_ids_in(html)
        found = re.search(r'href="(/staff/\?[^"]*after=[^"]+)"', html)
        url = found.group(1).replace("&amp;", "&") if found else ""
    return seen


def test_queue_keyset_pagination(signed_in: FlaskClient, app: Flask) -> None:
    app.config["QUEUE_PAGE_SIZE"] = 3
    made = [new_case(key=str(n)).id for n in range(7)]
    assert walk_pages(signed_in, "/staff/") == made


def test_queue_order_holds_across_pages(client: FlaskClient, app: Flask) -> None:
    """Urgent and not, two teams, every status, dates that cross: page by page, in order."""
    app.config["QUEUE_PAGE_SIZE"] = 3
    lead = make_staff("testi.vetaja@example.test", role="lead",
                      teams=("jyvaskyla", "pohjoinen"))
    today = cases.local_today()
    made = []
    for n in range(14):
        case = new_case("931" if n % 3 else "179", key=str(n), urgent=n % 4 == 1)
        case.promised_contact_date = today + timedelta(days=(n * 5) % 7 - 2)
        case.created_at = utcnow() - timedelta(hours=(n * 3) % 5)
        made.append(case)
    db.session.commit()
    for case in made[10:]:
        cases.claim(case, lead, case.version)
    cases.close(made[1], lead, made[1].version, "other",  # urgent, but closed
                no_contact_person_needed=True)
    sign_in(client, lead)
    db.session.expire_all()
    stored = db.session.scalars(select(Case)).all()
    open_cases = sorted((c for c in stored if c.status != "closed"), key=queue_order)
    assert walk_pages(client, "/staff/") == [c.id for c in open_cases]
    assert walk_pages(client, "/staff/?status=") == [c.id for c in sorted(stored, key=queue_order)]
    urgent_open = [c.id for c in open_cases if c.urgent]
    assert len(urgent_open) == 3
    assert walk_pages(client, "/staff/?urgent=1") == urgent_open
    in_progress = [c.id for c in open_cases if c.status == "in_progress"]
    assert walk_pages(client, "/staff/?status=in_progress") == in_progress


def count_statements(app: Flask, client: FlaskClient, url: str) -> int:
    with recorded_statements(app) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_queue_runs_a_fixed_number_of_statements(signed_in: FlaskClient, app: Flask,
                                                 worker) -> None:  # type: ignore[no-untyped-def]
    """The queue table (handlers, next steps), "My clients" and the workload: as many
    statements for 40 cases and four workers as for 3 cases and one."""
    lead = make_staff("testi.vetaja@example.test", role="lead", name="Testi Vetäjä")
    lead_client = app.test_client()
    sign_in(lead_client, lead)
    pages = [(signed_in, "/staff/"), (signed_in, "/staff/?status="),
             (signed_in, "/staff/?mine=1"), (lead_client, "/staff/workload")]

    def add_cases(numbers: range, handlers: list) -> None:  # type: ignore[type-arg]
        today = cases.local_today()
        for n in numbers:
            case = new_case(key=str(n), urgent=n % 7 == 0)
            cases.claim(case, handlers[n % len(handlers)], case.version)
            if n % 2:
                cases.set_next_step(case, worker, case.version, f"Askel {n}",
                                    today + timedelta(days=n % 5))

    add_cases(range(3), [worker])
    few = [count_statements(app, client, url) for client, url in pages]
    colleagues = [make_staff(f"testi.kollega{n}@example.test", name=f"Testi Kollega {n}")
                  for n in range(3)]
    add_cases(range(3, 40), [worker, *colleagues])
    many = [count_statements(app, client, url) for client, url in pages]
    assert few == many
    assert max(many) <= 8


def test_case_view_shows_answers_in_the_workers_language_and_logs_the_view(
    client: FlaskClient, app: Flask
) -> None:
    worker = make_staff("test.handlaggare@example.test", ui_locale="sv")
    sign_in(client, worker)
    case = new_case(key="5", kind="saate", language="fi")
    html = client.get(f"/staff/cases/{case.id}").text
    assert '<html lang="sv">' in html
    assert translated(app, "sv", "Unemployed jobseeker") in html
    # The case page names the answers by their short staff labels; the print, in full.
    assert translated(app, "sv", "Situation now", "staff label") in html
    assert translated(app, "sv", "What is your situation now?") not in html
    assert "Suomi" in html  # the client's language, named in itself
    assert translated(app, "sv", "Not working and no health check in 12 months: "
                                 "the working-age health check may fit") in html
    printed = client.get(f"/staff/cases/{case.id}/print").text
    assert translated(app, "sv", "What is your situation now?") in printed
    entries = db.session.scalars(select(AccessLogEntry).where(AccessLogEntry.case_id == case.id))
    assert [(e.staff_id, e.action) for e in entries] == [(worker.id, "view"), (worker.id, "print")]


def event_kinds(case_id: int) -> list[str]:
    db.session.expire_all()
    return [e.kind for e in db.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id))]


def test_every_action_appends_its_event(signed_in: FlaskClient, worker, app: Flask) -> None:  # type: ignore[no-untyped-def]
    lead = make_staff("testi.esihenkilo@example.test", role="lead", name="Testi Esihenkilö")
    case = new_case()
    steps = [
        ("claim", {}),
        ("contact-attempt", {"channel": "phone", "reached": "no", "note": "Ei vastannut"}),
        ("status", {"status": "waiting_for_client"}),
        ("contact-attempt", {"channel": "phone", "reached": "yes"}),
        ("note", {"text": "<script>alert(1)</script> Sovittu tapaaminen"}),
        ("contact-person", {"staff_member": str(worker.id)}),
        ("outcomes", {"outcomes": ["health_check", "kela"], "detail": "Kelan kuntoutus"}),
        ("close", {"reason": "routed", "confirmed": "yes", **CLOSING}),  # the confirmation's post
    ]
    for version, (action, data) in enumerate(steps, start=1):
        response = staff_post(signed_in, f"/staff/cases/{case.id}/{action}",
                              {**data, "version": version})
        assert response.status_code == 302, (action, response.status_code)
    assert event_kinds(case.id) == ["sent", "claimed", "contact_attempt", "status_changed",
                                    "contact_attempt", "note", "contact_person_named",
                                    "outcomes_recorded", "closed"]
    stored = db.session.get(Case, case.id)
    assert stored.status == "closed" and stored.close_reason == "routed"
    assert stored.handler_id == worker.id and stored.contact_person_id == worker.id
    assert stored.outcomes["codes"] == ["health_check", "kela"]
    assert stored.contacted_at is not None
    html = signed_in.get(f"/staff/cases/{case.id}").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Sovittu tapaaminen" in html
    changes = db.session.scalar(select(func.count(AccessLogEntry.id)).where(
        AccessLogEntry.case_id == case.id, AccessLogEntry.action == "change"))
    assert changes == len(steps)
    # Assigning is for leads.
    assert lead.role == "lead"


def test_only_leads_assign(client: FlaskClient, app: Flask, worker) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    sign_in(client, worker)
    response = staff_post(client, f"/staff/cases/{case.id}/assign",
                          {"version": 1, "assignee": worker.id})
    assert response.status_code == 400
    lead = make_staff("testi.esihenkilo@example.test", role="lead", name="Testi Esihenkilö")
    other = app.test_client()
    sign_in(other, lead)
    response = staff_post(other, f"/staff/cases/{case.id}/assign",
                          {"version": 1, "assignee": worker.id})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).handler_id == worker.id
    assert event_kinds(case.id)[-1] == "assigned"


def test_two_workers_at_once_one_wins_the_other_keeps_their_text(
    app: Flask, worker  # type: ignore[no-untyped-def]
) -> None:
    colleague = make_staff("testi.kollega@example.test", name="Testi Kollega")
    case = new_case()
    first, second = app.test_client(), app.test_client()
    sign_in(first, worker)
    sign_in(second, colleague)
    assert staff_post(first, f"/staff/cases/{case.id}/claim", {"version": 1}).status_code == 302
    response = staff_post(second, f"/staff/cases/{case.id}/note",
                          {"version": 1, "text": "Soitin asiakkaalle, sovimme ajan."})
    assert response.status_code == 409
    assert "Soitin asiakkaalle, sovimme ajan.</textarea>" in response.text
    assert 'id="conflict-title"' in response.text
    assert event_kinds(case.id) == ["sent", "claimed"]
    # Sending again on the current version works.
    assert staff_post(second, f"/staff/cases/{case.id}/note",
                      {"version": 2, "text": "Soitin asiakkaalle."}).status_code == 302


def test_invalid_action_input_keeps_what_was_typed(signed_in: FlaskClient) -> None:
    case = new_case()
    response = staff_post(signed_in, f"/staff/cases/{case.id}/note",
                          {"version": 1, "text": "x" * 4001})
    assert response.status_code == 400
    assert "x" * 4001 in response.text


def test_print_is_logged(signed_in: FlaskClient, worker) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    assert signed_in.get(f"/staff/cases/{case.id}/print").status_code == 200
    actions = db.session.scalars(select(AccessLogEntry.action).where(
        AccessLogEntry.case_id == case.id)).all()
    assert actions == ["print"]


def test_status_page_shows_contact_person_and_access_list(
    client: FlaskClient, app: Flask, worker  # type: ignore[no-untyped-def]
) -> None:
    case = new_case()
    token = cases.status_token(case)
    sign_in(client, worker)
    client.get(f"/staff/cases/{case.id}")
    staff_post(client, f"/staff/cases/{case.id}/claim", {"version": 1})
    staff_post(client, f"/staff/cases/{case.id}/contact-person",
               {"version": 2, "staff_member": str(worker.id)})
    html = app.test_client().get(f"/fi/status/{token}").text
    assert "Testi, terveydenhoitaja" in html
    assert "Työntekijä" not in html  # first name only
    assert html.count("Testi, terveydenhoitaja:") >= 3  # viewed, claimed, named
    assert translated(app, "fi", "viewed your information") in html


def test_outside_contact_person(signed_in: FlaskClient, app: Flask) -> None:
    case = new_case()
    token = cases.status_token(case)
    staff_post(signed_in, f"/staff/cases/{case.id}/contact-person",
               {"version": 1, "staff_member": "outside", "name": "Maija Malli",
                "title": "sosiaaliohjaaja", "organisation": "Testikunnan sosiaalipalvelut"})
    assert "Maija, sosiaaliohjaaja, Testikunnan sosiaalipalvelut" in app.test_client().get(
        f"/fi/status/{token}").text


def test_access_log_for_admins_with_csv(client: FlaskClient, app: Flask, worker) -> None:  # type: ignore[no-untyped-def]
    case = new_case()
    worker_client = app.test_client()
    sign_in(worker_client, worker)
    worker_client.get(f"/staff/cases/{case.id}")
    assert worker_client.get("/staff/access-log").status_code == 403
    admin = make_staff("testi.yllapito@example.test", role="admin", name="Testi Ylläpito")
    sign_in(client, admin)
    html = client.get(f"/staff/access-log?reference={case.reference}").text
    assert case.display_reference in html and "Testi Työntekijä" in html
    html = client.get(f"/staff/access-log?staff={worker.id}").text
    assert "Testi Työntekijä" in html
    csv_response = client.get(f"/staff/access-log.csv?reference={case.reference}")
    assert csv_response.mimetype == "text/csv"
    lines = csv_response.text.strip().splitlines()
    assert lines[0].startswith("time_utc,staff_id")
    assert any(",view," in line for line in lines[1:])
    exports = db.session.scalars(select(AccessLogEntry).where(
        AccessLogEntry.action == "export")).all()
    assert len(exports) == 1 and exports[0].staff_id == admin.id
