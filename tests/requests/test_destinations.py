"""Routing destinations per team without code (issue 13, point 1): an admin hides a built-in
one, adds and renames the team's own; the team's triage outcome form follows, other teams'
do not; outcomes are checked against the case's team; recorded codes keep their labels.
On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.casework import cases, destinations
from app.casework.case_terms import OUTCOMES, label
from app.extensions import db
from app.models import StaffUser, TeamDestination
from app.people.admin_audit import Action
from tests.requests.test_admin import audit, team
from tests.requests.test_staff import new_case
from tests.support.i18n import translated
from tests.support.pages import csrf_token, error_summary, main_text
from tests.support.staff import make_staff, sign_in, staff_post, stored

pytestmark = pytest.mark.usefixtures("teams")

OWN_FI, OWN_SV = "Nuorten talo (keksitty)", "Ungdomens hus (påhittat)"



def admin_post(client: FlaskClient, team_id: int, path: str, data: dict):  # type: ignore[no-untyped-def]
    """POST to the team page's destination forms, with the team page's CSRF token."""
    token = csrf_token(client.get(f"/staff/admin/teams/{team_id}").text)
    return client.post(f"/staff/admin/teams/{team_id}/destinations{path}",
                       data={**data, "csrf_token": token})


def offered(client: FlaskClient, case_id: int) -> list[str]:
    """The destination codes of the case page's triage outcome form."""
    html = client.get(f"/staff/cases/{case_id}").text
    start = html.index('/outcomes"')
    form = html[start: html.index("</form>", start)]
    return re.findall(r'name="outcomes" value="([^"]+)"', form)


def labels_in_form(client: FlaskClient, case_id: int) -> list[str]:
    html = client.get(f"/staff/cases/{case_id}").text
    start = html.index('/outcomes"')
    form = html[start: html.index("</form>", start)]
    return [unescape(re.sub(r"</?bdi>", "", text)) for text in re.findall(
        r'<label for="outcomes-outcomes-\d+">(.*?)</label>', form)]


def all_shown_but(team_id: int, *hidden: str) -> list[str]:
    return [found.code for found in destinations.of_team(team_id, "fi")
            if found.code != "other" and found.code not in hidden]


def test_built_in_destinations_in_order_with_other_last(app: Flask) -> None:
    found = destinations.of_team(team("jyvaskyla").id, "fi")
    assert [item.code for item in found][:3] == ["advice", "self_care", "health_check"]
    assert found[-1].code == "other" and len(found) == len(destinations.OUTCOMES)
    assert not any(item.hidden or item.own for item in found)


def test_an_admin_hides_adds_and_renames_for_their_team_only(
        app: Flask, admin_client: FlaskClient, admin: StaffUser) -> None:
    home = team("jyvaskyla")
    signed_in = app.test_client()
    sign_in(signed_in, make_staff("testi.tyontekija@example.test"))
    swedish = app.test_client()
    sign_in(swedish, make_staff("test.handlaggare@example.test", ui_locale="sv"))
    case, other_case = new_case(), new_case("410", key="2")  # Jyväskylä, Laukaa
    # Hide Kela, add an own destination: the team's form follows, the other team's does not.
    response = admin_post(admin_client, home.id, "", {"shown": all_shown_but(home.id, "kela")})
    assert response.status_code == 302
    assert response.location.endswith(f"/staff/admin/teams/{home.id}#destinations-title")
    response = admin_post(admin_client, home.id, "/new", {"name_fi": OWN_FI, "name_sv": OWN_SV})
    assert response.status_code == 302
    code = f"team-{home.id}-1"
    assert "kela" not in offered(signed_in, case.id)
    codes = offered(signed_in, case.id)
    assert codes[-2:] == [code, "other"]
    assert OWN_FI in labels_in_form(signed_in, case.id)
    assert f"<bdi>{OWN_FI}</bdi>" in signed_in.get(f"/staff/cases/{case.id}").text  # typed text
    assert OWN_SV in labels_in_form(swedish, case.id)
    theirs = app.test_client()
    sign_in(theirs, make_staff("testi.laukaa@example.test", teams=("laukaa-hankasalmi",)))
    assert "kela" in offered(theirs, other_case.id) and code not in offered(theirs, other_case.id)
    # Renamed, with the Swedish name left empty: Swedish-speaking workers see the Finnish one.
    response = admin_post(admin_client, home.id, "/rename",
                          {"code": code, "name_fi": "Nuorten talo", "name_sv": ""})
    assert response.status_code == 302
    assert "Nuorten talo" in labels_in_form(swedish, case.id)
    # The audit keeps each change, with the destinations named.
    [hidden] = audit(Action.DESTINATIONS_CHANGED)
    assert hidden.changes == {"hidden_destinations": ["kela"]} and hidden.actor_name == admin.name
    [added] = audit(Action.DESTINATION_ADDED)
    assert added.changes == {"destination_fi": OWN_FI, "destination_sv": OWN_SV}
    [renamed] = audit(Action.DESTINATION_RENAMED)
    assert renamed.changes == {"destination_fi": [OWN_FI, "Nuorten talo"],
                               "destination_sv": [OWN_SV, ""]}
    page = main_text(admin_client.get(f"/staff/admin/teams/{home.id}").text)
    fi = lambda msgid: translated(app, "fi", msgid)  # noqa: E731
    assert f'{fi("Hidden from workers")}: {fi("Kela (rehabilitation, benefits)")}' in page
    assert fi("Routing destination renamed") in page
    # Shown again: a built-in needs no row of its own then.
    assert admin_post(admin_client, home.id, "", {"shown": all_shown_but(home.id)}
                      ).status_code == 302
    assert "kela" in offered(signed_in, case.id)
    assert db.session.scalar(select(TeamDestination).where(
        TeamDestination.team_id == home.id, TeamDestination.code == "kela")) is None
    assert audit(Action.DESTINATIONS_CHANGED)[-1].changes == {"shown_destinations": ["kela"]}


def test_own_destinations_are_numbered_per_team(app: Flask, admin: StaffUser) -> None:
    home, elsewhere = team("jyvaskyla"), team("laukaa-hankasalmi")
    first = destinations.add_own(home, "Ensimmäinen", "", admin)
    second = destinations.add_own(home, "Toinen", "", admin)
    theirs = destinations.add_own(elsewhere, "Heidän oma", "Deras egen", admin)
    assert (first.code, second.code) == (f"team-{home.id}-1", f"team-{home.id}-2")
    assert theirs.code == f"team-{elsewhere.id}-1"
    # Labels of codes from any team, with no team given (statistics across teams): own ones
    # in the language asked for, built-in ones in the page's.
    assert destinations.labels_for([first.code, theirs.code, "kela", "gone"], "sv") == {
        first.code: "Ensimmäinen", theirs.code: "Deras egen",
        "kela": label(OUTCOMES, "kela"), "gone": "gone"}
    assert destinations.label_for(theirs.code, "fi") == "Heidän oma"


def test_outcomes_are_checked_against_the_cases_team(
        app: Flask, signed_in: FlaskClient, worker: StaffUser, admin: StaffUser) -> None:
    home, elsewhere = team("jyvaskyla"), team("laukaa-hankasalmi")
    admin_id = admin.id
    theirs = destinations.add_own(elsewhere, "Heidän oma", "", admin)
    destinations.set_shown(home, all_shown_but(home.id, "ohjaamo"), admin)
    case = new_case()
    for refused in (["ohjaamo"], [theirs.code], ["kela", theirs.code], ["not-a-destination"]):
        with pytest.raises(cases.NotAllowed):
            cases.record_outcomes(stored(case.id), worker, stored(case.id).version, refused, "",
                                  no_contact_person_needed=True)
        response = staff_post(signed_in, f"/staff/cases/{case.id}/outcomes",
                              {"version": stored(case.id).version, "outcomes": refused,
                               "no_contact_person_needed": "yes"})
        assert response.status_code == 400, refused
        assert 'id="outcomes-error"' in response.text
    assert stored(case.id).outcomes == {}
    ours = destinations.add_own(team("jyvaskyla"), "Oma (keksitty)", "",
                                db.session.get(StaffUser, admin_id))  # type: ignore[arg-type]
    response = staff_post(signed_in, f"/staff/cases/{case.id}/outcomes",
                          {"version": stored(case.id).version, "outcomes": ["kela", ours.code],
                           "no_contact_person_needed": "yes"})
    assert response.status_code == 302
    assert stored(case.id).outcomes["codes"] == ["kela", ours.code]


def test_old_cases_keep_the_labels_of_destinations_hidden_since(
        app: Flask, signed_in: FlaskClient, worker: StaffUser, admin: StaffUser) -> None:
    home = team("jyvaskyla")
    ours = destinations.add_own(home, OWN_FI, OWN_SV, admin)
    case = new_case()
    cases.record_outcomes(case, worker, case.version, ["ohjaamo", ours.code], "",
                          no_contact_person_needed=True)
    destinations.set_shown(home, all_shown_but(home.id, "ohjaamo", ours.code), admin)
    assert not {"ohjaamo", ours.code} & set(offered(signed_in, case.id))
    html = signed_in.get(f"/staff/cases/{case.id}").text
    outcome = html[html.index('id="outcomes-title"'):]
    ohjaamo = translated(app, "fi", "Ohjaamo (under 30)")
    assert f"<li>{ohjaamo}</li><li><bdi>{OWN_FI}</bdi></li>" in unescape(outcome)
    assert f"{ohjaamo}, {OWN_FI}" in main_text(html)  # the timeline's event
    print_page = main_text(signed_in.get(f"/staff/cases/{case.id}/print").text)
    assert OWN_FI in print_page


def test_bad_names_and_forged_codes_are_refused_with_the_text_kept(
        app: Flask, admin_client: FlaskClient, admin: StaffUser) -> None:
    home, elsewhere = team("jyvaskyla"), team("laukaa-hankasalmi")
    theirs = destinations.add_own(elsewhere, "Heidän oma", "", admin)
    response = admin_post(admin_client, home.id, "/new", {"name_fi": " ", "name_sv": "Namn"})
    assert response.status_code == 400
    assert error_summary(response.text) == [translated(app, "fi", "Write the name in Finnish")]
    assert 'id="new-dest-name_sv" name="name_sv" value="Namn"' in response.text
    response = admin_post(admin_client, home.id, "/new", {"name_fi": "x" * 121})
    assert response.status_code == 400 and 'id="name_fi-error"' in response.text
    # Another team's destination, or none at all, cannot be renamed or shown here.
    for code in (theirs.code, "kela", "team-x"):
        response = admin_post(admin_client, home.id, "/rename", {"code": code, "name_fi": "Uusi"})
        assert response.status_code == 400 and 'id="code-error"' in response.text, code
    response = admin_post(admin_client, home.id, "", {"shown": ["other", theirs.code]})
    assert response.status_code == 400 and 'id="shown-error"' in response.text
    db.session.expire_all()
    assert db.session.get(TeamDestination, theirs.id).name_fi == "Heidän oma"  # type: ignore[union-attr]
    assert destinations.offered_codes(home.id) == {item.code for item in destinations.OUTCOMES}
    assert audit(Action.DESTINATIONS_CHANGED) == []


def test_only_admins_change_destinations(app: Flask, worker: StaffUser) -> None:
    home = team("jyvaskyla")
    lead = make_staff("testi.esihenkilo@example.test", role="lead")
    for user in (worker, lead):
        client = app.test_client()
        sign_in(client, user)
        for path, data in (("", {"shown": []}), ("/new", {"name_fi": "Oma"}),
                           ("/rename", {"code": "kela", "name_fi": "Oma"})):
            response = staff_post(client, f"/staff/admin/teams/{home.id}/destinations{path}",
                                  data)
            assert response.status_code == 403, (user.role, path)
    assert destinations.offered_codes(home.id) == {item.code for item in destinations.OUTCOMES}
