"""Access to the workbench's new routes (issue 11, points 2–5), on SQLite and PostgreSQL:
anonymous → sign-in, another team's case → 404 with nothing changed, and no post without
its CSRF token. The posts carry valid data, shown to work with the token, so that what
refuses them is the rule under test and not a missing field.

The CSRF walk reads app.url_map: a new staff POST route joins it by itself (its example
post is asked for here, or the walk says so)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.casework.cases import local_today
from app.extensions import db
from app.models import Case, CaseEvent, StaffUser
from app.staff.forms import ACTION_FORMS
from tests.requests.test_staff import new_case
from tests.support.journey import VALID_STEPS
from tests.support.pages import csrf_token
from tests.support.staff import CLOSING, make_staff, sign_in, stored

pytestmark = pytest.mark.usefixtures("teams")

CONTACT = {"channel": "referral", "urgent": "no", "name": "Testi Asiakas",
           "phone": "040 000 1234", "email": "", "municipality": "179", "language": "fi",
           "about": "Keksitty esimerkki.", "referrer_organisation": "Keksityt TE-palvelut",
           "referrer_name": "Testi Ohjaaja"}
SAATE = {**{code: value for step in VALID_STEPS.values() for code, value in step.items()},
         "channel": "phone", "urgent": "no"}
OUTSIDE = {"staff_member": "outside", "name": "Testi Ohjaaja", "title": "sosiaaliohjaaja",
           "organisation": "Keksityt sosiaalipalvelut", "phone": "040 000 9876",
           "phone_shareable": "y"}
# A valid post for each case action (a lead may assign and reopen; nobody named is waived).
ACTION_POSTS: dict[str, Callable[[StaffUser], dict]] = {
    "claim": lambda lead: {},
    "assign": lambda lead: {"assignee": str(lead.id)},
    "status": lambda lead: {"status": "in_progress", "no_contact_person_needed": "y"},
    "contact-attempt": lambda lead: {"channel": "phone", "reached": "yes", "note": "Soitettu."},
    "note": lambda lead: {"text": "Keksitty muistiinpano."},
    "next-step": lambda lead: {"next_step": "Soita uudelleen.",
                               "next_step_date": local_today().isoformat()},
    "outcomes": lambda lead: {"outcomes": ["health_check"], "no_contact_person_needed": "y"},
    "contact-person": lambda lead: OUTSIDE,
    "close": lambda lead: {"reason": "duplicate", "confirmed": "y",
                           "no_contact_person_needed": "y", **CLOSING},
    "reopen": lambda lead: {"status": "in_progress"},
}
NEW_PAGES = ("/staff/cases/new", "/staff/cases/new/saate")


@dataclass
class Post:
    path: str
    data: dict
    answered: int  # the status code when posted with the token


@pytest.fixture
def lead(app: Flask) -> StaffUser:
    return make_staff("testi.vetaja@example.test", role="lead")


@pytest.fixture
def signed_in(client: FlaskClient, lead: StaffUser) -> FlaskClient:
    sign_in(client, lead)
    return client



def state() -> tuple[int, int, list[tuple[int, str, int | None]]]:
    """Cases, events, and each case's version, status and handler: what a post may change."""
    db.session.expire_all()
    return (db.session.scalar(select(func.count(Case.id))) or 0,
            db.session.scalar(select(func.count(CaseEvent.id))) or 0,
            [(c.version, c.status, c.handler_id) for c in
             db.session.scalars(select(Case).order_by(Case.id))])


def key_for(path: str) -> str:
    return {"/staff/cases/new": "c" * 32, "/staff/cases/new/saate": "d" * 32}[path]


def case_posts(case: Case, lead: StaffUser) -> list[Post]:
    """Every post on a case, valid: each action, and closing's confirmation page."""
    assert set(ACTION_POSTS) == set(ACTION_FORMS), "give each new action a valid post here"
    posts = [Post(f"/staff/cases/{case.id}/close/confirm",
                  {"version": case.version, "reason": "duplicate", **CLOSING}, 200)]
    for action, data in ACTION_POSTS.items():
        if action == "reopen":
            continue  # valid on a closed case only: see the walk
        posts.append(Post(f"/staff/cases/{case.id}/{action}",
                          {**data(lead), "version": case.version}, 302))
    return posts


def with_token(client: FlaskClient, post: Post) -> int:
    token = csrf_token(client.get("/staff/").text)
    return client.post(post.path, data={**post.data, "csrf_token": token}).status_code


# --- Anonymous → sign-in --------------------------------------------------------------------


def test_the_new_pages_and_posts_send_the_anonymous_to_sign_in(app: Flask, client: FlaskClient,
                                                                lead: StaffUser) -> None:
    case = new_case()
    token = csrf_token(client.get("/staff/sign-in").text)
    before = state()
    for path in NEW_PAGES:
        assert client.get(path).location == "/staff/sign-in", path
        data = {**(CONTACT if path.endswith("new") else SAATE), "form_key": key_for(path)}
        assert client.post(path, data={**data, "csrf_token": token}).location \
            == "/staff/sign-in", path
    for post in case_posts(case, lead):
        response = client.post(post.path, data={**post.data, "csrf_token": token})
        assert response.location == "/staff/sign-in", post.path
    assert state() == before


# --- Another team's case → 404 ----------------------------------------------------------------


def test_another_teams_case_is_a_404_on_every_case_route(signed_in: FlaskClient,
                                                         lead: StaffUser) -> None:
    other = new_case("931", key="9")  # Jämsä: the northern team's
    for path in (f"/staff/cases/{other.id}", f"/staff/cases/{other.id}/print"):
        assert signed_in.get(path).status_code == 404, path
    before = state()
    for post in case_posts(other, lead):
        assert with_token(signed_in, post) == 404, post.path
    assert state() == before
    # The same posts on the team's own case do what they say.
    own = new_case()
    for post in case_posts(own, lead):
        post.data["version"] = stored(own.id).version
        assert with_token(signed_in, post) == post.answered, post.path
    assert stored(own.id).status == "closed"


@pytest.mark.parametrize("path", NEW_PAGES)
def test_a_form_key_of_another_teams_case_shows_nothing_of_it(
        client: FlaskClient, app: Flask, lead: StaffUser, path: str) -> None:
    """A worker of another team who sends a page with a key already used for a case of the
    Jyväskylä team is refused, not led to that case."""
    stranger = make_staff("testi.jamsa@example.test", teams=("pohjoinen",))
    sign_in(client, lead)
    data = {**(CONTACT if path.endswith("new") else SAATE), "form_key": key_for(path)}
    page = client.get(path).text
    response = client.post(path, data={**data, "csrf_token": csrf_token(page)})
    assert response.status_code == 302
    first_case = response.location
    theirs = app.test_client()
    sign_in(theirs, stranger)
    before = state()
    page = theirs.get(path).text
    response = theirs.post(path, data={**data, "municipality": "931",
                                       "csrf_token": csrf_token(page)})
    assert response.status_code == 400
    assert response.location is None and f'"{first_case}"' not in response.text
    assert state() == before


# --- CSRF required on every staff post -------------------------------------------------------


def test_the_new_posts_need_their_csrf_token(signed_in: FlaskClient, lead: StaffUser) -> None:
    case = new_case()
    for path in NEW_PAGES:
        data = {**(CONTACT if path.endswith("new") else SAATE), "form_key": key_for(path)}
        before = state()
        signed_in.get(path)
        assert signed_in.post(path, data=data).status_code == 400, path
        assert signed_in.post(path, data={**data, "csrf_token": "forged"}).status_code == 400
        assert state() == before
        assert with_token(signed_in, Post(path, data, 302)) == 302, path
    for post in case_posts(case, lead):
        post.data["version"] = stored(case.id).version
        before = state()
        assert signed_in.post(post.path, data=post.data).status_code == 400, post.path
        assert state() == before
        assert with_token(signed_in, post) == post.answered, post.path


def test_every_staff_post_in_the_url_map_needs_its_csrf_token(
        app: Flask, signed_in: FlaskClient, lead: StaffUser) -> None:
    """Walk the url_map: each POST under /staff, signed in, without a token: 400, nothing
    changed, still signed in."""
    open_case, closed_case = new_case(), new_case(key="2")
    db.session.add(closed_case)
    closed_case.status = "closed"
    db.session.commit()
    examples: dict[str, list[tuple[str, dict]]] = {
        "staff.case_action": [
            (f"/staff/cases/{(closed_case if a == 'reopen' else open_case).id}/{a}",
             {**data(lead), "version": 1}) for a, data in ACTION_POSTS.items()],
        "staff.close_confirm": [(f"/staff/cases/{open_case.id}/close/confirm",
                                 {"version": 1, "reason": "duplicate", **CLOSING})],
        "staff.new_case": [("/staff/cases/new", {**CONTACT, "form_key": "e" * 32})],
        "staff.new_saate": [("/staff/cases/new/saate", {**SAATE, "form_key": "f" * 32})],
        "auth.sign_out": [("/staff/sign-out", {})],
        "staff.follow_up_answers": [(f"/staff/cases/{closed_case.id}/follow-up",
                                     {"got_help": "yes", "comment": "Testi"})],
    }
    walked = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/staff") or "POST" not in (rule.methods or ()) \
                or rule.endpoint in {"auth.sign_in", "auth.sign_in_code"}:
            continue
        if rule.rule.startswith("/staff/admin/") or rule.endpoint == "staff.setup":
            continue  # walked as an admin, and the set-up link: test_admin.py's CSRF walk
        assert rule.endpoint in examples, f"give {rule.endpoint} an example post here"
        for path, data in examples[rule.endpoint]:
            before = state()
            response = signed_in.post(path, data=data)
            assert response.status_code == 400, (path, response.status_code)
            assert state() == before, path
            walked.add(rule.endpoint)
    assert walked == set(examples)
    assert signed_in.get("/staff/").status_code == 200  # sign-out needed its token too
