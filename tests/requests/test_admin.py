"""Staff and teams from the browser, set-up links, reassigning and deactivating, the admin
audit (issue 11, points 7-8). On SQLite and PostgreSQL.

Who may: anonymous -> sign-in, workers -> 403 everywhere here, leads -> reassigning only,
admins -> everything; another team's cases stay a 404 (or, posted, untouched).
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from html import unescape

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, ngettext
from sqlalchemy import func, select

from app.casework import cases
from app.extensions import db
from app.logs import clean
from app.models import AdminAuditEntry, Case, StaffSetupLink, StaffUser, Team
from app.people import accounts, setup_links
from app.people.admin_audit import Action
from tests.requests.test_staff import new_case
from tests.support.i18n import translated
from tests.support.pages import csrf_token, main_text
from tests.support.routes import IGNORED_METHODS, Route, example_values
from tests.support.staff import PASSWORD, make_staff, sign_in, staff_post
from tests.support.statements import recorded_statements

pytestmark = pytest.mark.usefixtures("teams")

NEW_EMAIL = "testi.uusi@example.test"
NEW_PASSWORD = "kolme satunnaista sanaa"
LINK = re.compile(r'id="setup-link" value="[^"]*?(/staff/setup/[A-Za-z0-9_-]{43})"')
SECRET = re.compile(r'<code class="reference" id="totp-secret">([A-Z2-7 ]+)</code>')




def signed_in_as(app: Flask, user: StaffUser) -> FlaskClient:
    client = app.test_client()
    sign_in(client, user)
    return client


def post_form(client: FlaskClient, path: str, data: dict):  # type: ignore[no-untyped-def]
    """POST with the CSRF token of the page itself (GET first), as a browser would."""
    page = client.get(path).text
    return client.post(path, data={**data, "csrf_token": csrf_token(page)})


def audit(action: Action) -> list[AdminAuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AdminAuditEntry)
                                   .where(AdminAuditEntry.action == action)
                                   .order_by(AdminAuditEntry.id)))


def plural(app: Flask, singular: str, plural_text: str, num: int, **variables: object) -> str:
    with app.test_request_context("/"), force_locale("fi"):
        return ngettext(singular, plural_text, num, **variables)


def plain(html: str) -> str:
    """The page's text with its tags taken out (names sit in <bdi> inside sentences)."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def fresh(user: StaffUser) -> StaffUser:
    db.session.expire_all()
    return db.session.get(StaffUser, user.id)  # type: ignore[return-value]


def team(slug: str) -> Team:
    return db.session.scalar(select(Team).where(Team.slug == slug))  # type: ignore[return-value]


# --- Who may open what ----------------------------------------------------------------------


# Lead-or-admin pages under /staff/admin/; every other route there is for admins alone, so a
# new admin route is refused to leads and workers unless it is added here on purpose.
LEAD_ENDPOINTS = {"staff.reassign_index", "staff.reassign_cases"}


def admin_routes(app: Flask, staff_id: int, team_id: int) -> dict[str, Route]:
    """Every rule under /staff/admin/ walked from the url_map, by endpoint: a new admin route
    joins these tests by itself (one with an argument without an example fails clearly)."""
    adapter = app.url_map.bind("localhost")
    examples = {"staff_id": staff_id, "team_id": team_id}
    walked = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/staff/admin/"):
            methods = tuple(sorted(rule.methods - IGNORED_METHODS))
            url = adapter.build(rule.endpoint, example_values(rule, examples), method=methods[0])
            walked[rule.endpoint] = Route(rule, url, methods)
    return walked


def requests_of(walked: dict[str, Route]) -> list[tuple[str, str]]:
    """(method, url) of every route walked."""
    return [(method, route.url) for route in walked.values() for method in route.methods]


def test_the_walk_finds_the_admin_and_reassign_routes(app: Flask, worker: StaffUser) -> None:
    walked = admin_routes(app, worker.id, team("jyvaskyla").id)
    assert set(walked) > LEAD_ENDPOINTS
    assert {"staff.admin_staff", "staff.admin_staff_new", "staff.admin_staff_member",
            "staff.admin_staff_setup_link", "staff.admin_staff_deactivate", "staff.admin_teams",
            "staff.admin_team_new", "staff.admin_team"} <= set(walked)
    assert sum(len(route.methods) for route in walked.values()) >= 14


def test_anonymous_visitors_are_sent_to_sign_in(app: Flask, client: FlaskClient,
                                                worker: StaffUser) -> None:
    token = csrf_token(client.get("/staff/sign-in").text)
    for method, url in requests_of(admin_routes(app, worker.id, team("jyvaskyla").id)):
        response = client.open(url, method=method, data={"csrf_token": token})
        assert response.location == "/staff/sign-in", (method, url)


def test_workers_get_403_on_every_admin_and_reassign_page(app: Flask, worker: StaffUser) -> None:
    other = make_staff("testi.toinen@example.test")
    client = signed_in_as(app, worker)
    token = csrf_token(client.get("/staff/").text)
    for method, url in requests_of(admin_routes(app, other.id, team("jyvaskyla").id)):
        response = client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code == 403, (method, url, response.status_code)
    assert fresh(other).active
    assert "/staff/admin" not in client.get("/staff/").text  # no menu links either


def test_leads_reassign_but_do_not_run_staff_or_teams(app: Flask, worker: StaffUser) -> None:
    lead = make_staff("testi.esihenkilo@example.test", role="lead", name="Testi Esihenkilö")
    client = signed_in_as(app, lead)
    token = csrf_token(client.get("/staff/").text)
    walked = admin_routes(app, worker.id, team("jyvaskyla").id)
    admins_only = {endpoint: route for endpoint, route in walked.items()
                   if endpoint not in LEAD_ENDPOINTS}
    for method, url in requests_of(admins_only):
        response = client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code == 403, (method, url)
    for endpoint in LEAD_ENDPOINTS:
        assert client.get(walked[endpoint].url).status_code == 200, endpoint
    menu = client.get("/staff/").text
    assert 'href="/staff/admin/reassign"' in menu and 'href="/staff/admin/staff"' not in menu


def test_a_lead_sees_only_their_own_teams_people_and_cases(app: Flask) -> None:
    """Another team's member is a 404; another team's case posted to the form stays put."""
    lead = make_staff("testi.esihenkilo@example.test", role="lead", teams=("jyvaskyla",))
    elsewhere = make_staff("testi.pohjoinen@example.test", teams=("pohjoinen",))
    both = make_staff("testi.molemmat@example.test", teams=("jyvaskyla", "pohjoinen"))
    colleague = make_staff("testi.kollega@example.test", teams=("jyvaskyla", "pohjoinen"))
    north = new_case("931", key="n1")
    cases.claim(north, both, north.version)
    client = signed_in_as(app, lead)
    assert client.get(f"/staff/admin/staff/{elsewhere.id}/reassign").status_code == 404
    page = client.get(f"/staff/admin/staff/{both.id}/reassign")
    assert page.status_code == 200 and north.display_reference not in page.text
    assert f"/staff/admin/staff/{elsewhere.id}/reassign" not in client.get(
        "/staff/admin/reassign").text
    response = client.post(f"/staff/admin/staff/{both.id}/reassign", data={
        "csrf_token": csrf_token(page.text), "cases": f"{north.id}.{north.version}",
        "assignee": colleague.id, "reason": "Loma"})
    assert response.status_code == 302
    assert plural(app, "%(num)d case was not found.", "%(num)d cases were not found.", 1) \
        in unescape(client.get(response.location).text)
    db.session.expire_all()
    assert db.session.get(Case, north.id).handler_id == both.id  # type: ignore[union-attr]


def test_every_new_post_needs_the_csrf_token(app: Flask, admin_client: FlaskClient,
                                             worker: StaffUser) -> None:
    """Every POST under /staff/admin/ (walked) and the set-up link: refused without the token,
    nothing changed."""
    walked = admin_routes(app, worker.id, team("jyvaskyla").id)
    posts = [url for method, url in requests_of(walked) if method == "POST"]
    assert len(posts) >= 6
    links = db.session.scalar(select(func.count(StaffSetupLink.id)))
    audited = db.session.scalar(select(func.count(AdminAuditEntry.id)))
    for path in posts:
        response = admin_client.post(path, data={"role": "admin", "teams": "1",
                                                 "leave_unassigned": "y", "name": "X"})
        assert response.status_code == 400, path
    token = setup_links.issue(worker, None, setup_links.Reason.RESET).token
    response = app.test_client().post(f"/staff/setup/{token}", data={
        "password": NEW_PASSWORD, "password_again": NEW_PASSWORD,
        "code": pyotp.TOTP(fresh(worker).totp_secret).now()})
    assert response.status_code == 400
    worker = fresh(worker)
    assert worker.active and worker.role == "worker" and accounts.check_password(worker, PASSWORD)
    assert db.session.scalar(select(func.count(StaffSetupLink.id))) == links + 1
    assert db.session.scalar(select(func.count(AdminAuditEntry.id))) == audited + 1  # the link


# --- A new staff member and the set-up link ---------------------------------------------------


def add_staff_member(client: FlaskClient, **changes: str) -> str:
    """Add a staff member on the admin page; returns the set-up link's path."""
    data = {"email": NEW_EMAIL, "name": "Testi Uusi", "title": "sosiaaliohjaaja",
            "role": "worker", "teams": str(team("jyvaskyla").id), "ui_locale": "fi", **changes}
    response = post_form(client, "/staff/admin/staff/new", data)
    assert response.status_code == 200, main_text(response.text)[:500]
    found = LINK.search(response.text)
    assert found, "no set-up link on the page"
    return found.group(1)


def set_up(client: FlaskClient, path: str, code: str, password: str = NEW_PASSWORD,
           again: str | None = None):  # type: ignore[no-untyped-def]
    return post_form(client, path, {"password": password, "code": code,
                                    "password_again": password if again is None else again})


def secret_on(html: str) -> str:
    found = SECRET.search(html)
    assert found, "no secret on the set-up page"
    return found.group(1).replace(" ", "")


def test_a_new_staff_member_sets_up_their_own_password_and_authenticator(
        app: Flask, admin_client: FlaskClient, admin: StaffUser) -> None:
    path = add_staff_member(admin_client)
    user = accounts.find_by_email(NEW_EMAIL)
    assert user is not None and not accounts.has_password(user)
    # Only the hash is kept; the admin's page showed the link once.
    assert path.rsplit("/", 1)[1] not in str(db.session.scalars(select(StaffSetupLink.token_hash)
                                                                 ).all())
    assert path not in admin_client.get(f"/staff/admin/staff/{user.id}").text
    # Nobody can sign in before the set-up, whatever they try.
    assert not accounts.check_password(user, "")
    newcomer = app.test_client()
    page = newcomer.get(path)
    assert page.status_code == 200
    assert re.search(r'<svg role="img" aria-label="[^"]+"[^>]*class="qr-code"', page.text)
    assert "data:" not in page.text
    secret = secret_on(page.text)
    assert secret == fresh(user).totp_secret
    totp = pyotp.TOTP(secret)

    wrong = set_up(newcomer, path, "000000" if totp.now() != "000000" else "111111")
    assert wrong.status_code == 400
    assert translated(app, "fi", "The code is not right. Check that you added the account from "
                                 "this page, and type the newest code.") in unescape(wrong.text)
    assert NEW_PASSWORD not in wrong.text  # a password is never shown back
    short = set_up(newcomer, path, totp.now(), password="lyhyt")
    assert short.status_code == 400
    assert "12" in unescape(short.text)
    different = set_up(newcomer, path, totp.now(), again=NEW_PASSWORD + "!")
    assert different.status_code == 400
    assert translated(app, "fi", "The passwords are not the same") in unescape(different.text)
    assert not accounts.has_password(fresh(user))

    done = set_up(newcomer, path, totp.now())
    assert done.location == "/staff/sign-in"
    assert translated(app, "fi", "Your account is ready. Sign in with your e-mail address, your "
                                 "new password and a code from your app.") in unescape(
        newcomer.get("/staff/sign-in").text)
    user = fresh(user)
    assert accounts.check_password(user, NEW_PASSWORD)
    sign_in_client = app.test_client()
    page = sign_in_client.get("/staff/sign-in").text
    sign_in_client.post("/staff/sign-in", data={"email": NEW_EMAIL, "password": NEW_PASSWORD,
                                                "csrf_token": csrf_token(page)})
    page = sign_in_client.get("/staff/sign-in/code").text
    # The code just used for the set-up is spent: the next one signs in (no waiting).
    response = sign_in_client.post("/staff/sign-in/code", data={
        "code": totp.at(time.time() + 30), "csrf_token": csrf_token(page)})
    assert response.location == "/staff/"
    # Used once: the link is dead now.
    again = app.test_client().get(path)
    assert again.status_code == 404
    assert translated(app, "fi", "This set-up link does not work") in unescape(again.text)
    assert [entry.actor_name for entry in audit(Action.STAFF_CREATED)][-1] == admin.name
    assert audit(Action.SETUP_COMPLETED)[-1].actor_id == user.id


def age_link(by: timedelta) -> None:
    """Move the set-up link's creation back, as if the time had gone by."""
    db.session.expire_all()
    link = db.session.scalars(select(StaffSetupLink)).one()
    link.created_at -= by
    db.session.commit()


def post_elsewhere_token(app: Flask, path: str, data: dict):  # type: ignore[no-untyped-def]
    """POST with a valid CSRF token of the sign-in page (the link's own page is refused)."""
    client = app.test_client()
    token = csrf_token(client.get("/staff/sign-in").text)
    return client.post(path, data={**data, "csrf_token": token})


def test_a_used_link_is_refused_and_changes_nothing(app: Flask,
                                                    admin_client: FlaskClient) -> None:
    path = add_staff_member(admin_client)
    newcomer = app.test_client()
    totp = pyotp.TOTP(secret_on(newcomer.get(path).text))
    assert set_up(newcomer, path, totp.now()).location == "/staff/sign-in"
    assert newcomer.get(path).status_code == 404
    other = "toinen salasana joka ei kelpaa"
    again = post_elsewhere_token(app, path, {"password": other, "password_again": other,
                                             "code": totp.at(time.time() + 30)})
    assert again.status_code == 404
    user = fresh(accounts.find_by_email(NEW_EMAIL))  # type: ignore[arg-type]
    assert accounts.check_password(user, NEW_PASSWORD)
    assert not accounts.check_password(user, other)
    assert len(audit(Action.SETUP_COMPLETED)) == 1


def test_the_link_expires_after_48_hours(app: Flask, admin_client: FlaskClient) -> None:
    path = add_staff_member(admin_client)
    age_link(timedelta(hours=47, minutes=59))
    assert app.test_client().get(path).status_code == 200
    age_link(timedelta(minutes=1, seconds=1))
    response = app.test_client().get(path)
    assert response.status_code == 404
    assert translated(app, "fi", "This set-up link does not work") in unescape(response.text)
    secret = fresh(accounts.find_by_email(NEW_EMAIL)).totp_secret  # type: ignore[arg-type]
    page = post_elsewhere_token(app, path, {"password": NEW_PASSWORD,
                                            "password_again": NEW_PASSWORD,
                                            "code": pyotp.TOTP(secret).now()})
    assert page.status_code == 404
    assert not accounts.has_password(accounts.find_by_email(NEW_EMAIL))  # type: ignore[arg-type]
    # The staff list says so, and a new link can be made.
    assert translated(app, "fi", "Not set up: make a new set-up link") in unescape(
        admin_client.get("/staff/admin/staff").text)


def test_a_new_link_resets_the_sign_in_and_ends_sessions(app: Flask, admin_client: FlaskClient,
                                                         worker: StaffUser) -> None:
    worker_client = signed_in_as(app, worker)
    old_secret = worker.totp_secret
    first = staff_post(admin_client, f"/staff/admin/staff/{worker.id}/setup-link", {})
    old_path = LINK.search(first.text).group(1)  # type: ignore[union-attr]
    response = staff_post(admin_client, f"/staff/admin/staff/{worker.id}/setup-link", {})
    assert response.status_code == 200
    path = LINK.search(response.text).group(1)  # type: ignore[union-attr]
    assert worker_client.get("/staff/").location == "/staff/sign-in"  # session ended
    worker = fresh(worker)
    assert worker.totp_secret != old_secret
    assert app.test_client().get(old_path).status_code == 404  # replaced
    # The old password alone no longer gets anyone in: the old authenticator is gone.
    assert accounts.check_password(worker, PASSWORD)
    assert not accounts.check_totp(worker, pyotp.TOTP(old_secret).now())
    page = app.test_client().get(path)
    assert page.status_code == 200
    reasons = [entry.changes["reason"] for entry in audit(Action.SETUP_LINK_ISSUED)]
    assert reasons[-2:] == ["reset", "reset"]


def test_the_set_up_page_speaks_the_new_persons_language(app: Flask,
                                                         admin_client: FlaskClient) -> None:
    path = add_staff_member(admin_client, ui_locale="sv")
    html = app.test_client().get(path).text
    assert '<html lang="sv">' in html
    assert translated(app, "sv", "Set up your account") in html


def test_set_up_tokens_are_shape_checked_and_masked_in_logs(app: Flask,
                                                            worker: StaffUser) -> None:
    with recorded_statements(app) as seen:
        for text in ["", "a" * 42, "a" * 44, "²" * 43, "../" * 15]:
            assert setup_links.find_live(text) is None
    assert seen == []
    token = setup_links.issue(worker, None, setup_links.Reason.RESET).token
    assert token not in clean(f"GET /staff/setup/{token} HTTP/1.1")
    assert app.test_client().get("/staff/setup/" + "a" * 43).status_code == 404


def test_wrong_codes_on_a_set_up_link_are_rate_limited(app: Flask, worker: StaffUser) -> None:
    token = setup_links.issue(worker, None, setup_links.Reason.RESET).token
    client = app.test_client()
    statuses = [set_up(client, f"/staff/setup/{token}", "000000").status_code
                for _ in range(31)]
    assert 429 not in statuses[:30] and statuses[-1] == 429


def test_an_existing_address_is_refused(app: Flask, admin_client: FlaskClient,
                                        worker: StaffUser) -> None:
    response = post_form(admin_client, "/staff/admin/staff/new", {
        "email": worker.email.upper(), "name": "Testi Kaksoiskappale", "title": "ohjaaja",
        "role": "worker", "teams": str(team("jyvaskyla").id), "ui_locale": "fi"})
    assert response.status_code == 400
    assert translated(app, "fi", "A staff member with this e-mail address already exists") \
        in unescape(response.text)
    assert 'value="Testi Kaksoiskappale"' in response.text  # what was typed stays


# --- Role, teams and the admin audit ----------------------------------------------------------


def test_role_and_teams_change_and_the_audit_says_who_and_when(
        app: Flask, admin_client: FlaskClient, admin: StaffUser, worker: StaffUser) -> None:
    north = team("pohjoinen")
    response = post_form(admin_client, f"/staff/admin/staff/{worker.id}", {
        "role": "lead", "teams": [str(team("jyvaskyla").id), str(north.id)]})
    assert response.status_code == 302
    worker = fresh(worker)
    assert worker.role == "lead" and {t.slug for t in worker.teams} == {"jyvaskyla", "pohjoinen"}
    [entry] = audit(Action.STAFF_CHANGED)
    assert entry.actor_id == admin.id and entry.actor_name == admin.name
    assert entry.changes == {"role": ["worker", "lead"],
                             "teams": [["jyvaskyla"], ["jyvaskyla", "pohjoinen"]]}
    page = unescape(admin_client.get(f"/staff/admin/staff/{worker.id}").text)
    assert translated(app, "fi", "Staff member changed") in page
    assert f"{translated(app, 'fi', 'Worker')} → {translated(app, 'fi', 'Team lead')}" in page
    assert admin.name in page
    assert translated(app, "fi", "Staff member changed") in unescape(
        admin_client.get("/staff/admin/staff").text)


def test_the_last_admin_stays_an_admin(app: Flask, admin_client: FlaskClient,
                                       admin: StaffUser) -> None:
    response = post_form(admin_client, f"/staff/admin/staff/{admin.id}", {
        "role": "worker", "teams": str(team("jyvaskyla").id)})
    assert response.status_code == 400
    message = translated(app, "fi", "At least one active admin must remain. Make someone else an "
                                    "admin first.")
    assert message in unescape(response.text)
    response = post_form(admin_client, f"/staff/admin/staff/{admin.id}/deactivate", {})
    assert response.status_code == 400 and message in unescape(response.text)
    assert fresh(admin).active and fresh(admin).role == "admin"
    assert audit(Action.STAFF_CHANGED) == [] and audit(Action.STAFF_DEACTIVATED) == []


# --- Reassigning ------------------------------------------------------------------------------


def claimed_cases(worker: StaffUser, count: int) -> list[Case]:
    made = []
    for number in range(count):
        case = new_case(key=f"r{number}")
        cases.claim(case, worker, case.version)
        made.append(case)
    return made


def test_a_lead_assigns_one_case_with_a_reason(app: Flask, worker: StaffUser) -> None:
    lead = make_staff("testi.esihenkilo@example.test", role="lead", name="Testi Esihenkilö")
    [case] = claimed_cases(worker, 1)
    client = signed_in_as(app, lead)
    response = staff_post(client, f"/staff/cases/{case.id}/assign", {
        "version": case.version, "assignee": lead.id, "reason": "Työntekijä lomalla"})
    assert response.status_code == 302
    event = db.session.scalars(select(Case).where(Case.id == case.id)).one().events[-1]
    assert event.data["reason"] == "Työntekijä lomalla"
    assert event.data["from"] == worker.name and event.data["assignee"] == lead.name
    text = main_text(client.get(f"/staff/cases/{case.id}").text)
    assert "Työntekijä lomalla" in text and f"{worker.name} → {lead.name}" in text


def test_another_teams_case_cannot_be_given_away_by_its_id(app: Flask) -> None:
    lead = make_staff("testi.esihenkilo@example.test", role="lead", teams=("jyvaskyla",))
    north_worker = make_staff("testi.pohjoinen@example.test", teams=("pohjoinen",))
    north = new_case("931", key="n1")
    cases.claim(north, north_worker, north.version)
    client = signed_in_as(app, lead)
    response = staff_post(client, f"/staff/cases/{north.id}/assign", {
        "version": north.version, "assignee": lead.id, "reason": "Loma"})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Case, north.id).handler_id == north_worker.id  # type: ignore[union-attr]


def test_a_lead_reassigns_many_cases_with_a_reason_in_each_timeline(
        app: Flask, worker: StaffUser) -> None:
    lead = make_staff("testi.esihenkilo@example.test", role="lead", name="Testi Esihenkilö")
    colleague = make_staff("testi.kollega@example.test", name="Testi Kollega")
    made = claimed_cases(worker, 3)
    client = signed_in_as(app, lead)
    path = f"/staff/admin/staff/{worker.id}/reassign"
    page = client.get(path).text
    for case in made:
        assert f'value="{case.id}.{case.version}" checked' in page  # all picked at first
    response = client.post(path, data={
        "csrf_token": csrf_token(page), "assignee": colleague.id, "reason": "Vuorotteluvapaa",
        "cases": [f"{case.id}.{case.version}" for case in made[:2]]})
    assert response.status_code == 302
    done = plural(app, "%(num)d case was given to %(name)s.",
                  "%(num)d cases were given to %(name)s.", 2, name=colleague.name)
    assert done in plain(client.get(path).text)
    db.session.expire_all()
    for case in made[:2]:
        stored = db.session.get(Case, case.id)
        assert stored.handler_id == colleague.id  # type: ignore[union-attr]
        event = stored.events[-1]  # type: ignore[union-attr]
        assert (event.kind, event.actor_id, event.data["reason"]) == (
            "assigned", lead.id, "Vuorotteluvapaa")
        assert "Vuorotteluvapaa" in client.get(f"/staff/cases/{case.id}").text
    assert db.session.get(Case, made[2].id).handler_id == worker.id  # type: ignore[union-attr]


def test_reassigning_many_reports_what_changed_meanwhile(app: Flask, worker: StaffUser) -> None:
    lead = make_staff("testi.esihenkilo@example.test", role="lead")
    colleague = make_staff("testi.kollega@example.test", name="Testi Kollega")
    outsider = make_staff("testi.laukaa@example.test", teams=("laukaa-hankasalmi",))
    made = claimed_cases(worker, 3)
    client = signed_in_as(app, lead)
    path = f"/staff/admin/staff/{worker.id}/reassign"
    page = client.get(path).text
    db.session.expire_all()
    first = db.session.get(Case, made[0].id)
    cases.add_note(first, fresh(worker), first.version,  # type: ignore[arg-type, union-attr]
                   "Soitin asiakkaalle.")  # meanwhile
    picked = [f"{case.id}.{case.version}" for case in made]
    response = client.post(path, data={"csrf_token": csrf_token(page), "assignee": colleague.id,
                                       "reason": "Loma", "cases": picked})
    html = plain(client.get(response.location).text)
    assert translated(app, "fi", "Someone else changed these cases meanwhile, so they were not "
                      "reassigned: %(references)s. Check them and try again.",
                      references=made[0].display_reference) in html
    assert plural(app, "%(num)d case was given to %(name)s.",
                  "%(num)d cases were given to %(name)s.", 2, name=colleague.name) in html
    db.session.expire_all()
    assert db.session.get(Case, made[0].id).handler_id == worker.id  # type: ignore[union-attr]
    assert db.session.get(Case, made[1].id).handler_id == colleague.id  # type: ignore[union-attr]
    # Someone outside the cases' team is not offered, and not taken when forged.
    page = client.get(path).text
    assert f'value="{outsider.id}"' not in page
    version = db.session.get(Case, made[0].id).version  # type: ignore[union-attr]
    response = client.post(path, data={"csrf_token": csrf_token(page), "assignee": outsider.id,
                                       "reason": "Loma", "cases": f"{made[0].id}.{version}"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Case, made[0].id).handler_id == worker.id  # type: ignore[union-attr]


def test_an_assignee_outside_a_cases_team_is_refused_case_by_case(worker: StaffUser) -> None:
    """The service's own rule, under the form: each case is checked on its own."""
    lead = make_staff("testi.esihenkilo@example.test", role="lead",
                      teams=("jyvaskyla", "laukaa-hankasalmi"))
    outsider = make_staff("testi.laukaa@example.test", teams=("laukaa-hankasalmi",))
    made = claimed_cases(worker, 2)
    result = cases.reassign_many(lead, [(c.id, c.version) for c in made], outsider.id, "Loma")
    assert result.refused == made and result.done == [] and result.conflicts == []


def test_reassigning_needs_cases_a_colleague_and_a_reason(app: Flask, worker: StaffUser) -> None:
    lead = make_staff("testi.esihenkilo@example.test", role="lead")
    claimed_cases(worker, 1)
    client = signed_in_as(app, lead)
    path = f"/staff/admin/staff/{worker.id}/reassign"
    response = post_form(client, path, {"assignee": "", "reason": " ", "cases": "x.1"})
    assert response.status_code == 400
    html = unescape(response.text)
    for message in ("Choose a colleague", "Write the reason", "Choose one of the options given"):
        assert translated(app, "fi", message) in html, message


# --- Deactivating -----------------------------------------------------------------------------


def test_deactivating_shows_open_cases_and_needs_an_explicit_choice(
        app: Flask, admin_client: FlaskClient, admin: StaffUser, worker: StaffUser) -> None:
    made = claimed_cases(worker, 2)
    worker_client = signed_in_as(app, worker)
    path = f"/staff/admin/staff/{worker.id}/deactivate"
    page = unescape(admin_client.get(path).text)
    assert plural(app, "They still handle %(num)d open case",
                  "They still handle %(num)d open cases", 2) in page
    refused = post_form(admin_client, path, {})
    assert refused.status_code == 400
    assert translated(app, "fi", "Reassign their open cases first, or choose to deactivate "
                                 "anyway.") in unescape(refused.text)
    assert fresh(worker).active
    response = post_form(admin_client, path, {"leave_unassigned": "y"})
    assert response.status_code == 302
    assert not fresh(worker).active
    assert worker_client.get("/staff/").location == "/staff/sign-in"
    db.session.expire_all()
    for case in made:
        stored = db.session.get(Case, case.id)
        assert stored.handler_id is None and stored.status == "in_progress"  # type: ignore[union-attr]
        event = stored.events[-1]  # type: ignore[union-attr]
        assert (event.kind, event.data["from"], event.actor_id) == (
            "unassigned", worker.name, admin.id)
    [entry] = audit(Action.STAFF_DEACTIVATED)
    assert entry.changes == {"active": [True, False], "open_cases": 2}
    text = main_text(admin_client.get(f"/staff/cases/{made[0].id}").text)
    assert translated(app, "fi", "%(name)s was deactivated.", name=worker.name) in text


def test_reassign_first_then_deactivate_without_the_choice(
        app: Flask, admin_client: FlaskClient, worker: StaffUser) -> None:
    made = claimed_cases(worker, 2)
    colleague = make_staff("testi.kollega@example.test", name="Testi Kollega")
    path = f"/staff/admin/staff/{worker.id}/reassign"
    response = post_form(admin_client, path, {
        "assignee": colleague.id, "reason": "Lähtee talosta",
        "cases": [f"{case.id}.{case.version}" for case in made]})
    assert response.status_code == 302
    page = admin_client.get(f"/staff/admin/staff/{worker.id}/deactivate").text
    assert 'name="leave_unassigned"' not in page
    response = post_form(admin_client, f"/staff/admin/staff/{worker.id}/deactivate", {})
    assert response.status_code == 302 and not fresh(worker).active


def test_a_deactivated_person_keeps_their_name_in_the_history(
        app: Flask, admin_client: FlaskClient, worker: StaffUser) -> None:
    case = new_case(key="h1")
    cases.claim(case, worker, case.version)
    cases.add_note(case, worker, case.version, "Sovittu tapaaminen.")
    worker_client = signed_in_as(app, worker)
    assert worker_client.get(f"/staff/cases/{case.id}").status_code == 200
    post_form(admin_client, f"/staff/admin/staff/{worker.id}/deactivate",
              {"leave_unassigned": "y"})
    timeline = admin_client.get(f"/staff/cases/{case.id}").text
    assert timeline.count(worker.name) >= 3  # claimed, note, back in the queue
    log = admin_client.get(f"/staff/access-log?staff={worker.id}").text
    assert worker.name in log
    assert worker.name in admin_client.get("/staff/access-log.csv").text
    assert worker.name in admin_client.get("/staff/admin/staff").text
    assert db.session.get(StaffUser, worker.id) is not None  # never deleted


# --- Teams ------------------------------------------------------------------------------------


def team_data(found: Team, **changes: object) -> dict:
    data = {"name": found.name, "phone": found.phone, "email": found.email or "",
            "contact_days": str(found.contact_days),
            "urgent_contact_days": str(found.urgent_contact_days),
            "opening_hours": found.opening_hours,
            "municipalities": "\n".join(m.name_fi for m in found.municipalities),
            "pause_message_fi": "", "pause_message_sv": "", "pause_phone": ""}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not False}


def test_an_admin_changes_a_teams_settings_and_the_audit_keeps_each_change(
        app: Flask, admin_client: FlaskClient, admin: StaffUser) -> None:
    found = team("jyvaskyla")
    response = post_form(admin_client, f"/staff/admin/teams/{found.id}", team_data(
        found, contact_days="5", urgent_contact_days="2", phone="014 266 9999",
        opening_hours="mon-thu 08:00-16:00, fri 08:00-14:00", email="tiimi@example.test",
        notify_new_cases="y"))
    assert response.status_code == 302, main_text(response.text)[:800]
    found = team("jyvaskyla")
    db.session.refresh(found)
    assert (found.contact_days, found.urgent_contact_days, found.phone, found.email,
            found.notify_new_cases) == (5, 2, "014 266 9999", "tiimi@example.test", True)
    [entry] = audit(Action.TEAM_CHANGED)
    assert entry.actor_name == admin.name
    assert entry.changes["contact_days"] == [3, 5]
    assert entry.changes["opening_hours"][1] == "mon-thu 08:00-16:00, fri 08:00-14:00"
    page = unescape(admin_client.get(f"/staff/admin/teams/{found.id}").text)
    assert "3 → 5" in page and translated(app, "fi", "Team changed") in page


def test_bad_team_settings_are_refused_with_messages_and_nothing_saved(
        app: Flask, admin_client: FlaskClient) -> None:
    found = team("jyvaskyla")
    response = post_form(admin_client, f"/staff/admin/teams/{found.id}", team_data(
        found, contact_days="31", urgent_contact_days="2", opening_hours="maanantaisin",
        municipalities="Atlantis", phone="soita"))
    assert response.status_code == 400
    html = unescape(response.text)
    for message in ("Write the hours like this: mon-thu 08:00-16:00, fri 08:00-15:00",
                    "Write the phone number with digits only, for example 040 123 4567"):
        assert translated(app, "fi", message) in html, message
    assert "Atlantis" in html and 'value="maanantaisin"' in html
    response = post_form(admin_client, f"/staff/admin/teams/{found.id}", team_data(
        found, contact_days="2", urgent_contact_days="3"))
    assert translated(app, "fi", "The urgent promise cannot be longer than the promised contact "
                                 "time") in unescape(response.text)
    assert audit(Action.TEAM_CHANGED) == []


def test_municipalities_move_between_teams_and_none_is_left_without(
        app: Flask, admin_client: FlaskClient) -> None:
    home = team("jyvaskyla")
    left_out = post_form(admin_client, f"/staff/admin/teams/{home.id}", team_data(
        home, municipalities="Jyväskylä\nMuurame"))
    assert left_out.status_code == 400 and "Uurainen" in unescape(left_out.text)
    db.session.expire_all()
    home, north = team("jyvaskyla"), team("pohjoinen")
    moved = post_form(admin_client, f"/staff/admin/teams/{north.id}", team_data(
        north, municipalities="Viitasaari, Pihtipudas, Äänekoski, Uurainen"))
    assert moved.status_code == 302
    message = translated(app, "fi", "%(name)s moved here from %(team)s.", name="Uurainen",
                         team=home.name)
    assert message in plain(admin_client.get(moved.location).text)
    db.session.expire_all()
    assert "892" in {m.code for m in team("pohjoinen").municipalities}
    assert "892" not in {m.code for m in team("jyvaskyla").municipalities}


def test_an_admin_adds_a_team(app: Flask, admin_client: FlaskClient) -> None:
    response = post_form(admin_client, "/staff/admin/teams/new", {
        "slug": "vaasa", "name": "Vaasan tiimi", "phone": "06 000 0000",
        "municipalities": "Vaasa\n905", "contact_days": "3", "urgent_contact_days": "1",
        "opening_hours": "mon-fri 08:00-15:00", "email": "", "pause_message_fi": "",
        "pause_message_sv": "", "pause_phone": ""})
    assert response.status_code == 302, main_text(response.text)[:600]
    found = team("vaasa")
    assert [m.code for m in found.municipalities] == ["905"]
    assert audit(Action.TEAM_CREATED)[-1].target_name == "Vaasan tiimi"
    again = post_form(admin_client, "/staff/admin/teams/new", {
        "slug": "vaasa", "name": "Toinen", "phone": "06 000 0000", "municipalities": "Oulu",
        "contact_days": "3", "urgent_contact_days": "1", "opening_hours": "mon 08:00-15:00"})
    assert again.status_code == 400
    assert translated(app, "fi", "A team with this short name already exists") in unescape(
        again.text)


# --- The command line -------------------------------------------------------------------------


def test_teams_list_and_staff_list_print_what_exists(app: Flask, admin: StaffUser,
                                                     worker: StaffUser) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["teams", "list"])
    assert result.exit_code == 0
    lines = [line.split("\t") for line in result.output.splitlines()]
    assert lines[0][:3] == ["slug", "name", "municipalities"]
    rows = {line[0]: line for line in lines[1:]}
    assert set(rows) == {"jyvaskyla", "laukaa-hankasalmi", "pohjoinen"}
    assert "179 Jyväskylä" in rows["jyvaskyla"][2] and rows["jyvaskyla"][-1] == "open"
    accounts.disable(worker.email)
    result = runner.invoke(args=["staff", "list"])
    assert result.exit_code == 0
    lines = [line.split("\t") for line in result.output.splitlines()]
    assert lines[0] == ["email", "name", "role", "teams", "active", "set_up"]
    rows = {line[0]: line for line in lines[1:]}
    assert rows[admin.email] == [admin.email, admin.name, "admin",
                                 "jyvaskyla,laukaa-hankasalmi", "yes", "yes"]
    assert rows[worker.email][4] == "no"


def test_the_first_admin_is_made_without_a_password_travelling(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=[
        "staff", "create", "--email", "testi.ensimmainen@example.test", "--name", "Testi Eka",
        "--title", "pääkäyttäjä", "--role", "admin", "--team", "jyvaskyla"])
    assert result.exit_code == 0, result.output
    first_link = result.stdout.strip().splitlines()[0]
    assert "/staff/setup/" in first_link
    result = runner.invoke(args=["staff", "setup-link", "--email",
                                 "testi.ensimmainen@example.test"])
    assert result.exit_code == 0
    path = "/staff/setup/" + result.stdout.strip().splitlines()[0].rsplit("/", 1)[1]
    assert app.test_client().get("/staff/setup/" + first_link.rsplit("/", 1)[1]
                                 ).status_code == 404  # replaced
    client = app.test_client()
    secret = secret_on(client.get(path).text)
    assert set_up(client, path, pyotp.TOTP(secret).now()).location == "/staff/sign-in"
    user = accounts.find_by_email("testi.ensimmainen@example.test")
    assert user is not None and accounts.check_password(user, NEW_PASSWORD)
    assert [entry.actor_id for entry in audit(Action.SETUP_LINK_ISSUED)] == [None, None]
    result = runner.invoke(args=["staff", "setup-link", "--email", "nobody@example.test"])
    assert result.exit_code == 1
