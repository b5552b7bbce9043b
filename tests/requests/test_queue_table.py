"""The queue as a table, "My clients" with next steps, and the leads' workload (issue 11,
points 1 and 6): columns, one link per row, every filter across pages, the next-step
action, team isolation and roles."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.casework import cases
from app.casework.queue import OPEN_STATUSES
from app.database import utcnow
from app.extensions import db
from app.models import Case, CaseEvent, StaffUser
from tests.requests.test_staff import case_ids_in, new_case, queue_order
from tests.support.i18n import translated, translated_plural
from tests.support.pages import csrf_token
from tests.support.staff import make_staff, sign_in, staff_post, stored

pytestmark = pytest.mark.usefixtures("teams")

FOCUSABLE = re.compile(r"<(a|button|input|select|textarea|summary|details)\b|tabindex=")



@pytest.fixture
def colleague(app: Flask) -> StaffUser:
    return make_staff("testi.kollega@example.test", name="Testi Kollega", title="sosiaaliohjaaja")



def rows_of(html: str) -> list[str]:
    body = html[html.index("<tbody>"): html.index("</tbody>")]
    return re.findall(r"<tr\b.*?</tr>", body, re.S)


def set_step(case: Case, text: str, days_from_today: int) -> None:
    """A next step straight in the database: the service refuses past days, tests need them."""
    case.next_step = text
    case.next_step_date = cases.local_today() + timedelta(days=days_from_today)
    db.session.commit()



# --- The table ---------------------------------------------------------------------------


def test_queue_is_a_table_with_headers_and_one_link_per_row(signed_in: FlaskClient,
                                                            worker: StaffUser, app: Flask) -> None:
    made = [new_case(key=str(n), kind="saate" if n % 2 else "contact_request",
                     language="sv" if n == 1 else "fi") for n in range(3)]
    cases.claim(made[0], worker, made[0].version)
    set_step(stored(made[0].id), "Soita uudelleen", 2)
    late = stored(made[2].id)
    late.promised_contact_date = cases.local_today() - timedelta(days=3)
    db.session.commit()
    ids = [case.id for case in made]
    html = signed_in.get("/staff/").text
    assert '<table class="queue-table">' in html
    assert re.search(r"<caption id=\"queue-caption\">[^<]+</caption>", html)
    headers = re.findall(r'<th scope="col">([^<]+)</th>', html)
    expected = ["Reference", "Urgency", "Kind and channel", "Municipality", "Language", "Status",
                "Handler", "Contact by", "Next step on"]
    assert headers == [translated(app, "fi", text) for text in expected]
    rows = rows_of(html)
    assert len(rows) == 3
    for row in rows:
        # One tab stop per row: the reference, the row's header.
        assert [m.group(1) for m in FOCUSABLE.finditer(row)] == ["a"], row
        assert re.search(r'<th scope="row" class="case-ref"><a href="/staff/cases/\d+">'
                         r"[A-Z0-9]{4}-[A-Z0-9]{4}</a></th>", row)
    by_id = dict(zip(case_ids_in(html), rows, strict=True))
    claimed = by_id[ids[0]]
    assert "<bdi>Testi Työntekijä</bdi>" in claimed
    assert "Jyväskylä" in claimed and "Suomi" in claimed
    assert translated(app, "fi", "In progress", context="case status") in claimed
    step_day = cases.local_today() + timedelta(days=2)
    with app.test_request_context("/"):
        from flask_babel import force_locale, format_date
        with force_locale("fi"):
            assert format_date(step_day, "short") in claimed
    assert "Svenska" in by_id[ids[1]]
    assert translated(app, "fi", "Saate", context="case kind") in by_id[ids[1]]
    three_days = translated_plural(app, "fi", "%(num)d day overdue", "%(num)d days overdue", 3)
    assert f'<strong class="overdue-text">{three_days % {"num": 3}}</strong>' in by_id[ids[2]]
    assert 'class="case-row overdue"' in by_id[ids[2]]
    assert "overdue-text" not in claimed


def test_a_case_reached_in_time_is_not_overdue(signed_in: FlaskClient, worker: StaffUser) -> None:
    case_id = new_case().id
    staff_post(signed_in, f"/staff/cases/{case_id}/contact-attempt",
               {"version": 1, "channel": "phone", "reached": "yes"})
    late = stored(case_id)
    late.promised_contact_date = cases.local_today() - timedelta(days=3)
    db.session.commit()
    assert "overdue-text" not in signed_in.get("/staff/").text


# --- Every filter across a page boundary ---------------------------------------------------


def mine_order(case: Case) -> tuple:
    """My clients: by the next step's day (overdue first by itself), cases without one last,
    then by promised date and age."""
    return (case.next_step_date is None, case.next_step_date or case.promised_contact_date,
            case.promised_contact_date, case.created_at, case.id)


def walk(client: FlaskClient, url: str, kept: dict[str, list[str]]) -> list[int]:
    """Every page from the url; each next link keeps the filters and nothing else changes."""
    seen: list[int] = []
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        seen += case_ids_in(response.text)
        pages += 1
        found = re.search(r'href="(/staff/\?[^"]*after=[^"]+)"', response.text)
        url = unescape(found.group(1)) if found else ""
        if url:
            query = parse_qs(urlsplit(url).query, keep_blank_values=True)
            query.pop("after")
            assert query == kept, (url, kept)
    assert pages <= len(seen) // 2 + 1
    return seen


@pytest.fixture
def mixed_cases(app: Flask, worker: StaffUser, colleague: StaffUser) -> list[Case]:
    """Fourteen cases of two kinds, three languages, two municipalities, urgent or not, every
    status, handled by the worker, a colleague or nobody, with next steps or without."""
    today = cases.local_today()
    made = []
    for n in range(14):
        case = new_case("179" if n % 3 else "500", key=str(n),
                        kind="saate" if n % 2 else "contact_request",
                        language=("fi", "sv", "selko")[n % 3], urgent=n % 5 == 1)
        case.promised_contact_date = today + timedelta(days=(n * 5) % 7 - 3)
        case.created_at = utcnow() - timedelta(hours=(n * 3) % 5)
        made.append(case)
    db.session.commit()
    for n, case in enumerate(made):
        if n % 4 == 0:
            continue  # nobody handles it
        cases.claim(case, colleague if n % 4 == 3 else worker, case.version)
        if n % 3 == 0:
            cases.set_status(case, worker, case.version, "waiting_for_client")
    for n, case in enumerate(made):
        if n % 3 == 1 and case.handler_id:
            set_step(case, f"Askel {n}", (n * 2) % 9 - 4)  # overdue, today or ahead
    cases.close(made[5], worker, made[5].version, "other", no_contact_person_needed=True)
    return made


FILTERS = [
    ({}, lambda c, me: c.status != "closed"),
    ({"status": [""]}, lambda c, me: True),
    ({"status": ["new"]}, lambda c, me: c.status == "new"),
    ({"status": ["in_progress"]}, lambda c, me: c.status == "in_progress"),
    ({"status": ["closed"]}, lambda c, me: c.status == "closed"),
    ({"kind": ["saate"]}, lambda c, me: c.status != "closed" and c.kind == "saate"),
    ({"urgent": ["1"]}, lambda c, me: c.status != "closed" and c.urgent),
    ({"assigned": ["me"]}, lambda c, me: c.status != "closed" and c.handler_id == me),
    ({"assigned": ["unassigned"]}, lambda c, me: c.status != "closed" and c.handler_id is None),
    ({"language": ["sv"]}, lambda c, me: c.status != "closed" and c.language == "sv"),
    ({"municipality": ["179"]}, lambda c, me: c.status != "closed"
     and c.municipality_code == "179"),
    ({"status": [""], "kind": ["contact_request"], "municipality": ["179"]},
     lambda c, me: c.kind == "contact_request" and c.municipality_code == "179"),
]
MINE_FILTERS = [
    ({"mine": ["1"]}, lambda c: True),
    ({"mine": ["1"], "kind": ["saate"]}, lambda c: c.kind == "saate"),
    ({"mine": ["1"], "status": ["waiting_for_client"]}, lambda c: c.status == "waiting_for_client"),
    ({"mine": ["1"], "language": ["fi"]}, lambda c: c.language == "fi"),
    ({"mine": ["1"], "municipality": ["179"]}, lambda c: c.municipality_code == "179"),
    ({"mine": ["1"], "urgent": ["1"]}, lambda c: c.urgent),
]


def query_of(kept: dict[str, list[str]]) -> str:
    return "&".join(f"{name}={value}" for name, values in kept.items() for value in values)


def test_every_filter_survives_paging(signed_in: FlaskClient, app: Flask, worker: StaffUser,
                                      mixed_cases: list[Case]) -> None:
    app.config["QUEUE_PAGE_SIZE"] = 2
    db.session.expire_all()
    every = db.session.scalars(select(Case)).all()
    for kept, keep in FILTERS:
        expected = [c.id for c in sorted(every, key=queue_order) if keep(c, worker.id)]
        assert len(expected) > 2 or kept in ({"status": ["closed"]}, {"urgent": ["1"]}), kept
        assert walk(signed_in, "/staff/?" + query_of(kept), kept) == expected, kept
    mine = [c for c in every if c.handler_id == worker.id and c.status in OPEN_STATUSES]
    assert any(c.next_step_date and c.next_step_date < cases.local_today() for c in mine)
    assert any(c.next_step_date is None for c in mine)
    for kept, keep in MINE_FILTERS:
        expected = [c.id for c in sorted(mine, key=mine_order) if keep(c)]
        assert expected, kept
        assert walk(signed_in, "/staff/?" + query_of(kept), kept) == expected, kept


def test_status_counts_keep_the_other_filters(signed_in: FlaskClient) -> None:
    new_case(key="1", kind="saate")

    def count_links(url: str) -> dict[str, dict[str, list[str]]]:
        html = signed_in.get(url).text
        block = html[html.index('class="status-counts"'): html.index("</ul>",
                                                                     html.index("status-counts"))]
        links = [parse_qs(urlsplit(unescape(href)).query, keep_blank_values=True)
                 for href in re.findall(r'href="([^"]+)"', block)]
        return {link["status"][0]: link for link in links}

    links = count_links("/staff/?kind=saate&language=fi&status=")
    assert links["new"] == {"status": ["new"], "kind": ["saate"], "language": ["fi"]}
    assert set(links) == set(OPEN_STATUSES) | {"closed"}
    links = count_links("/staff/?mine=1")
    assert links["in_progress"] == {"status": ["in_progress"], "mine": ["1"]}
    assert set(links) == set(OPEN_STATUSES)  # "My clients" holds open cases only


def test_a_queue_cursor_is_not_a_my_clients_cursor(signed_in: FlaskClient, app: Flask,
                                                   worker: StaffUser) -> None:
    app.config["QUEUE_PAGE_SIZE"] = 1
    for n in range(2):
        case = new_case(key=str(n))
        cases.claim(case, worker, case.version)
    queue_next = re.search(r"after=([^\"&]+)", signed_in.get("/staff/").text)
    mine_next = re.search(r"after=([^\"&]+)", signed_in.get("/staff/?mine=1").text)
    assert queue_next and mine_next
    assert signed_in.get(f"/staff/?mine=1&after={queue_next.group(1)}").status_code == 400
    assert signed_in.get(f"/staff/?after={mine_next.group(1)}").status_code == 400


# --- The next planned step -----------------------------------------------------------------


def step_post(client: FlaskClient, case_id: int, version: int, text: str, day: str):  # type: ignore[no-untyped-def]
    return staff_post(client, f"/staff/cases/{case_id}/next-step",
                      {"version": version, "next_step": text, "next_step_date": day})


def test_setting_changing_and_clearing_the_next_step(signed_in: FlaskClient, app: Flask) -> None:
    case_id = new_case().id
    day = cases.local_today() + timedelta(days=5)
    assert step_post(signed_in, case_id, 1, "  Soita Kelan päätöksen jälkeen ", day.isoformat()
                     ).status_code == 302
    found = stored(case_id)
    assert (found.next_step, found.next_step_date) == ("Soita Kelan päätöksen jälkeen", day)
    html = signed_in.get(f"/staff/cases/{case_id}").text
    assert '<span dir="auto">Soita Kelan päätöksen jälkeen</span>' in html
    assert f'value="{day.isoformat()}"' in html  # the form holds the step to change it
    assert translated(app, "fi", "Next step set") in html
    # A Finn typing the date by hand is understood too.
    later = day + timedelta(days=1)
    assert step_post(signed_in, case_id, 2, "Varaa aika",
                     f"{later.day}.{later.month}.{later.year}").status_code == 302
    assert stored(case_id).next_step_date == later
    assert step_post(signed_in, case_id, 3, "", "").status_code == 302
    found = stored(case_id)
    assert found.next_step is None and found.next_step_date is None
    events = db.session.scalars(select(CaseEvent).where(
        CaseEvent.case_id == case_id, CaseEvent.kind == "next_step_set").order_by(CaseEvent.id))
    assert [e.data for e in events] == [
        {"next_step": "Soita Kelan päätöksen jälkeen", "next_step_date": day.isoformat()},
        {"next_step": "Varaa aika", "next_step_date": later.isoformat()},
        {"next_step": "", "next_step_date": ""},
    ]
    assert translated(app, "fi", "Cleared") in signed_in.get(f"/staff/cases/{case_id}").text


@pytest.mark.parametrize(("text", "day", "field"), [
    ("Soita", "", "next_step_date"),
    ("", "+3", "next_step"),
    ("Soita", "-1", "next_step_date"),
    ("Soita", "+731", "next_step_date"),
    ("Soita", "2026-02-30", "next_step_date"),
    ("Soita", "31.13.2026", "next_step_date"),
    ("Soita", "２０２６-１２-０１", "next_step_date"),
    ("Soita", "tomorrow", "next_step_date"),
    ("x" * 201, "+3", "next_step"),
])
def test_a_wrong_next_step_is_refused_and_kept(signed_in: FlaskClient, text: str, day: str,
                                               field: str) -> None:
    case_id = new_case().id
    if day and day[0] in "+-":
        day = (cases.local_today() + timedelta(days=int(day))).isoformat()
    response = step_post(signed_in, case_id, 1, text, day)
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.text
    assert f'aria-describedby="{field}-error"' in response.text
    assert "<details open><summary>" in response.text
    if text:
        assert f'value="{text}"' in response.text  # what was typed stays
    found = stored(case_id)
    assert found.next_step is None and found.version == 1


def test_the_next_step_is_version_checked(app: Flask, worker: StaffUser,
                                          colleague: StaffUser) -> None:
    case_id = new_case().id
    first, second = app.test_client(), app.test_client()
    sign_in(first, worker)
    sign_in(second, colleague)
    day = (cases.local_today() + timedelta(days=2)).isoformat()
    assert step_post(first, case_id, 1, "Soita maanantaina", day).status_code == 302
    response = step_post(second, case_id, 1, "Lähetä kirje", day)
    assert response.status_code == 409
    assert 'value="Lähetä kirje"' in response.text
    assert stored(case_id).next_step == "Soita maanantaina"


def test_the_next_step_needs_the_csrf_token(signed_in: FlaskClient) -> None:
    case_id = new_case().id
    day = (cases.local_today() + timedelta(days=2)).isoformat()
    response = signed_in.post(f"/staff/cases/{case_id}/next-step",
                              data={"version": 1, "next_step": "Soita", "next_step_date": day})
    assert response.status_code == 400
    assert stored(case_id).next_step is None
    assert step_post(signed_in, case_id, 1, "Soita", day).status_code == 302


def test_another_teams_case_gets_no_next_step(signed_in: FlaskClient) -> None:
    other_id = new_case("931", key="9").id
    day = (cases.local_today() + timedelta(days=2)).isoformat()
    assert step_post(signed_in, other_id, 1, "Soita", day).status_code == 404
    assert stored(other_id).next_step is None


def test_a_closed_case_gets_no_next_step(signed_in: FlaskClient, worker: StaffUser) -> None:
    case = new_case()
    cases.close(case, worker, case.version, "other", no_contact_person_needed=True)
    case_id = case.id
    day = (cases.local_today() + timedelta(days=2)).isoformat()
    response = step_post(signed_in, case_id, 2, "Soita", day)
    assert response.status_code == 400
    assert stored(case_id).next_step is None
    assert f'action="/staff/cases/{case_id}/next-step"' in response.text  # kept, to read


def test_the_service_keeps_the_rules_without_the_form(app: Flask, worker: StaffUser) -> None:
    case = new_case()
    today = cases.local_today()
    for text, day in (("Soita", None), ("", today), ("Soita", today - timedelta(days=1)),
                      ("Soita", today + timedelta(days=731))):
        with pytest.raises(cases.NotAllowed):
            cases.set_next_step(case, worker, case.version, text, day)
    with pytest.raises(cases.Conflict):
        cases.set_next_step(case, worker, case.version + 1, "Soita", today)
    cases.set_next_step(case, worker, case.version, "Soita " + "x" * 300, today)
    assert len(stored(case.id).next_step or "") == cases.NEXT_STEP_LIMIT


# --- My clients ----------------------------------------------------------------------------


def test_my_clients_lists_my_open_cases_overdue_steps_first(
    signed_in: FlaskClient, app: Flask, worker: StaffUser, colleague: StaffUser
) -> None:
    made = [new_case(key=str(n)) for n in range(6)]
    other_team = new_case("931", key="9")
    for case in made[:5]:
        cases.claim(case, worker, case.version)
    cases.claim(made[5], colleague, made[5].version)
    set_step(made[0], "Tulevaisuudessa", 4)
    set_step(made[1], "Myöhässä eniten", -6)
    set_step(made[2], "Myöhässä", -1)
    # made[3]: no next step; made[4] closed with a next step left on it.
    set_step(made[4], "Suljettu", -9)
    cases.close(made[4], worker, made[4].version, "other", no_contact_person_needed=True)
    set_step(made[5], "Kollegan", -3)
    ids, other_id = [case.id for case in made], other_team.id
    html = signed_in.get("/staff/?mine=1").text
    assert case_ids_in(html) == [ids[1], ids[2], ids[0], ids[3]]
    assert other_id not in case_ids_in(html)
    assert "<h1>" + translated(app, "fi", "My clients") + "</h1>" in html
    rows = rows_of(html)
    assert '<td dir="auto">Myöhässä eniten</td>' in rows[0]
    six_days = translated_plural(app, "fi", "%(num)d day overdue", "%(num)d days overdue", 6)
    assert six_days % {"num": 6} in rows[0]
    assert 'class="case-row overdue"' in rows[0]
    assert "overdue-text" not in rows[2]
    for row in rows:
        assert [m.group(1) for m in FOCUSABLE.finditer(row)] == ["a"], row
    # Linked from the staff menu (marked as the page you are on) and from the queue.
    assert '<a href="/staff/?mine=1" aria-current="page">' in html
    assert 'href="/staff/?mine=1"' in signed_in.get("/staff/").text


def test_my_clients_with_none(signed_in: FlaskClient, app: Flask) -> None:
    new_case()
    html = signed_in.get("/staff/?mine=1").text
    assert case_ids_in(html) == []
    assert translated(app, "fi", "You have no open cases that match these filters.") in html


# --- Workload --------------------------------------------------------------------------------


def workload_rows(html: str) -> dict[str, list[str]]:
    """{row header text: [cell texts]} of the workload table."""
    rows = {}
    for row in rows_of(html):
        header = re.sub(r"<[^>]+>", "", re.search(r"<th[^>]*>(.*?)</th>", row, re.S).group(1))
        cells = [re.sub(r"<[^>]+>", "", c).strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        rows[" ".join(header.split())] = cells
    return rows


def test_workload_for_leads_counts_per_worker(client: FlaskClient, app: Flask, worker: StaffUser,
                                              colleague: StaffUser) -> None:
    lead = make_staff("testi.vetaja@example.test", role="lead", name="Testi Vetäjä",
                      title="tiimin esihenkilö")
    sign_in(client, lead)
    today = cases.local_today()
    made = [new_case(key=str(n)) for n in range(7)]
    for case in made[:4]:
        cases.claim(case, worker, case.version)
    cases.claim(made[4], colleague, made[4].version)
    late = [stored(made[0].id), stored(made[1].id), stored(made[5].id)]
    for case in late:
        case.promised_contact_date = today - timedelta(days=2)
    db.session.commit()
    cases.log_contact_attempt(stored(made[1].id), worker, stored(made[1].id).version, "phone",
                              True, "")  # reached: the promise is kept
    set_step(stored(made[2].id), "Myöhässä", -1)
    set_step(stored(made[3].id), "Tänään", 0)
    set_step(stored(made[4].id), "Myöhässä", -3)
    cases.close(stored(made[0].id), worker, stored(made[0].id).version, "other",
                no_contact_person_needed=True)
    other_team = new_case("931", key="9")
    outsider = make_staff("testi.pohjoinen@example.test", name="Testi Pohjoinen",
                          teams=("pohjoinen",))
    cases.claim(other_team, outsider, other_team.version)
    response = client.get("/staff/workload")
    assert response.status_code == 200
    rows = workload_rows(response.text)
    nobody = translated(app, "fi", "Nobody yet (unassigned)")
    assert rows == {
        nobody: ["2", "1", "0"],
        "Testi Kollega, sosiaaliohjaaja": ["1", "0", "1"],
        "Testi Työntekijä, terveydenhoitaja": ["3", "0", "1"],
        "Testi Vetäjä, tiimin esihenkilö": ["0", "0", "0"],
    }
    assert next(iter(rows)) == nobody
    assert 'href="/staff/workload"' in client.get("/staff/").text


def test_workload_is_for_leads_and_admins_only(client: FlaskClient, app: Flask,
                                               worker: StaffUser) -> None:
    assert client.get("/staff/workload").location == "/staff/sign-in"
    sign_in(client, worker)
    assert client.get("/staff/workload").status_code == 403
    assert 'href="/staff/workload"' not in client.get("/staff/").text
    admin = make_staff("testi.yllapito@example.test", role="admin", name="Testi Ylläpito")
    other = app.test_client()
    sign_in(other, admin)
    assert other.get("/staff/workload").status_code == 200


def test_a_deactivated_worker_with_open_cases_stays_on_the_workload(
    client: FlaskClient, app: Flask, worker: StaffUser, colleague: StaffUser
) -> None:
    lead = make_staff("testi.vetaja@example.test", role="lead", name="Testi Vetäjä")
    case = new_case()
    cases.claim(case, colleague, case.version)
    for person in (worker, colleague):
        db.session.get(StaffUser, person.id).active = False  # type: ignore[union-attr]
    db.session.commit()
    sign_in(client, lead)
    rows = workload_rows(client.get("/staff/workload").text)
    inactive = translated(app, "fi", "(no longer active)")
    assert rows[f"Testi Kollega, sosiaaliohjaaja {inactive}"] == ["1", "0", "0"]
    assert not any(name.startswith("Testi Työntekijä") for name in rows)
    assert csrf_token(client.get("/staff/").text)
