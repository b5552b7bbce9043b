"""Staff sessions live on the server: a copied cookie stops working when the session ends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import StaffSession, StaffUser
from app.people import accounts, staff_sessions
from app.sessions import STAFF_COOKIE
from app.tokens import token_hash
from tests.support.i18n import translated, translated_plural
from tests.support.pages import csrf_token
from tests.support.staff import PASSWORD, sign_in

pytestmark = pytest.mark.usefixtures("teams")

NEW_PASSWORD = "another-long-test-password"



def saved_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie(STAFF_COOKIE, path="/staff")
    assert cookie is not None
    return cookie.value


def replayed(app: Flask, cookie: str) -> FlaskClient:
    """Another browser with a copy of the cookie."""
    copy = app.test_client()
    copy.set_cookie(STAFF_COOKIE, cookie, path="/staff")
    return copy


def sign_out(client: FlaskClient) -> None:
    token = csrf_token(client.get("/staff/").text)
    assert client.post("/staff/sign-out", data={"csrf_token": token}).status_code == 302


def test_a_session_is_a_row_holding_only_the_tokens_hash(client: FlaskClient,
                                                         worker: StaffUser) -> None:
    sign_in(client, worker)
    [record] = staff_sessions.live_sessions(worker)
    with client.session_transaction("/staff/") as session:
        token = session["staff_session"]
    assert record.token_hash == token_hash(token) != token
    assert record.staff_id == worker.id and record.ended_at is None


def test_a_cookie_saved_before_sign_out_gets_the_sign_in_page(
    client: FlaskClient, app: Flask, worker: StaffUser
) -> None:
    sign_in(client, worker)
    cookie = saved_cookie(client)
    assert replayed(app, cookie).get("/staff/").status_code == 200  # the copy works until then
    sign_out(client)
    for _ in range(2):
        response = replayed(app, cookie).get("/staff/")
        assert response.status_code == 302 and response.location == "/staff/sign-in"
    copy = replayed(app, cookie)
    copy.get("/staff/")
    page = copy.get("/staff/sign-in").text
    assert translated(app, "fi", "Your session has ended. Please sign in again.") in page
    [record] = db.session.scalars(select(StaffSession)).all()
    assert record.end_reason == "signed_out"


def test_signing_out_ends_only_that_browsers_session(app: Flask, worker: StaffUser) -> None:
    laptop, desktop = app.test_client(), app.test_client()
    sign_in(laptop, worker)
    sign_in(desktop, worker, steps_ahead=1)
    sign_out(laptop)
    assert laptop.get("/staff/").location == "/staff/sign-in"
    assert desktop.get("/staff/").status_code == 200


@pytest.mark.parametrize("change", [
    pytest.param(lambda user: accounts.disable(user.email), id="disable"),
    pytest.param(lambda user: accounts.reset_two_factor(user.email), id="reset-2fa"),
    pytest.param(lambda user: accounts.set_password(user.email, NEW_PASSWORD), id="password"),
])
def test_account_changes_end_every_session(
    app: Flask, worker: StaffUser, change: Callable[[StaffUser], object]
) -> None:
    browsers = [app.test_client(), app.test_client()]
    sign_in(browsers[0], worker)
    sign_in(browsers[1], worker, steps_ahead=1)
    cookies = [saved_cookie(browser) for browser in browsers]
    change(worker)
    for cookie in cookies:
        assert replayed(app, cookie).get("/staff/").location == "/staff/sign-in"
    assert staff_sessions.live_sessions(worker) == []


@pytest.mark.parametrize("command", [
    pytest.param(["disable"], id="disable"),
    pytest.param(["reset-2fa"], id="reset-2fa"),
    pytest.param(["set-password", "--password-stdin"], id="set-password"),
])
def test_staff_commands_end_every_session(
    client: FlaskClient, app: Flask, worker: StaffUser, command: list[str]
) -> None:
    sign_in(client, worker)
    cookie = saved_cookie(client)
    result = app.test_cli_runner().invoke(
        args=["staff", command[0], "--email", worker.email, *command[1:]],
        input=f"{NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert replayed(app, cookie).get("/staff/").location == "/staff/sign-in"


def test_set_password_command_changes_the_password(client: FlaskClient, app: Flask,
                                                   worker: StaffUser) -> None:
    runner = app.test_cli_runner()
    short = runner.invoke(args=["staff", "set-password", "--email", worker.email,
                                "--password-stdin"], input="short\n")
    assert short.exit_code == 1 and "at least 12" in short.output
    result = runner.invoke(args=["staff", "set-password", "--email", worker.email,
                                 "--password-stdin"], input=f"{NEW_PASSWORD}\n")
    assert result.exit_code == 0 and "Password changed" in result.output
    db.session.expire_all()
    user = db.session.get(StaffUser, worker.id)
    assert accounts.check_password(user, NEW_PASSWORD)
    assert not accounts.check_password(user, PASSWORD)
    unknown = runner.invoke(args=["staff", "set-password", "--email", "nobody@example.test",
                                  "--password-stdin"], input=f"{NEW_PASSWORD}\n")
    assert unknown.exit_code == 1


def test_a_session_ends_after_its_lifetime_even_when_busy(
    client: FlaskClient, app: Flask, worker: StaffUser
) -> None:
    sign_in(client, worker)
    cookie = saved_cookie(client)
    hours = app.config["STAFF_SESSION_HOURS"]
    assert hours == 10  # the documented default (SAATE_STAFF_SESSION_HOURS)
    for record in db.session.scalars(select(StaffSession)):
        # Used a moment ago, but begun longer ago than a session may last.
        record.created_at -= timedelta(hours=hours, seconds=1)
    db.session.commit()
    assert client.get("/staff/").location == "/staff/sign-in"
    page = client.get("/staff/sign-in").text
    assert translated_plural(app, "fi", "You were signed out because a sign-in lasts %(num)d "
                             "hour. Please sign in again.", "You were signed out because a "
                             "sign-in lasts %(num)d hours. Please sign in again.", 10) in page
    assert replayed(app, cookie).get("/staff/").location == "/staff/sign-in"
    [record] = db.session.scalars(select(StaffSession)).all()
    assert record.end_reason == "expired"


def test_the_lifetime_is_a_setting(app: Flask, worker: StaffUser) -> None:
    app.config["STAFF_SESSION_HOURS"] = 2
    client = app.test_client()
    sign_in(client, worker)
    for record in db.session.scalars(select(StaffSession)):
        record.created_at -= timedelta(hours=1)
    db.session.commit()
    assert client.get("/staff/").status_code == 200
    for record in db.session.scalars(select(StaffSession)):
        record.created_at -= timedelta(hours=1, seconds=1)
    db.session.commit()
    assert client.get("/staff/").location == "/staff/sign-in"


def test_use_keeps_the_session_alive_past_the_idle_limit(
    client: FlaskClient, app: Flask, worker: StaffUser
) -> None:
    sign_in(client, worker)
    idle = timedelta(minutes=app.config["STAFF_IDLE_MINUTES"])
    for record in db.session.scalars(select(StaffSession)):
        record.last_seen_at -= idle - timedelta(minutes=1)
    db.session.commit()
    assert client.get("/staff/").status_code == 200
    db.session.expire_all()
    [record] = db.session.scalars(select(StaffSession)).all()
    assert record.ended_at is None
    assert record.last_seen_at > record.created_at  # seen again just now


def test_the_password_step_alone_opens_nothing(client: FlaskClient, worker: StaffUser) -> None:
    page = client.get("/staff/sign-in").text
    client.post("/staff/sign-in", data={"email": worker.email, "password": PASSWORD,
                                        "csrf_token": csrf_token(page)})
    assert client.get("/staff/").location == "/staff/sign-in"
    assert db.session.scalars(select(StaffSession)).all() == []
