"""Staff sign-in: password and TOTP, throttling, idle timeout, cookies, the url_map walk."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.auth import OPEN_ENDPOINTS
from app.extensions import db
from app.models import StaffSession, ThrottleEvent
from tests.support.i18n import translated, translated_plural
from tests.support.pages import csrf_token, error_summary
from tests.support.staff import PASSWORD, make_staff, sign_in, totp_code

pytestmark = pytest.mark.usefixtures("teams")


def password_step(client: FlaskClient, email: str, password: str):  # type: ignore[no-untyped-def]
    page = client.get("/staff/sign-in").text
    return client.post("/staff/sign-in", data={"email": email, "password": password,
                                               "csrf_token": csrf_token(page)})


def code_step(client: FlaskClient, code: str):  # type: ignore[no-untyped-def]
    page = client.get("/staff/sign-in/code").text
    return client.post("/staff/sign-in/code", data={"code": code, "csrf_token": csrf_token(page)})


def test_sign_in_with_password_and_code(client: FlaskClient) -> None:
    user = make_staff("testi.tyontekija@example.test")
    assert client.get("/staff/").location == "/staff/sign-in"
    sign_in(client, user)
    assert client.get("/staff/").status_code == 200


def test_wrong_password_and_unknown_address_look_the_same(client: FlaskClient) -> None:
    make_staff("testi.tyontekija@example.test")
    wrong = password_step(client, "testi.tyontekija@example.test", "wrong-password-here")
    unknown = password_step(client, "nobody@example.test", PASSWORD)
    assert wrong.status_code == unknown.status_code == 200
    assert error_summary(wrong.text) == error_summary(unknown.text) != []


def test_wrong_and_reused_codes_are_refused(client: FlaskClient, app: Flask) -> None:
    user = make_staff("testi.tyontekija@example.test")
    password_step(client, user.email, PASSWORD)
    assert code_step(client, "000000").status_code == 200
    code = totp_code(user)
    assert code_step(client, code).location == "/staff/"
    other = app.test_client()
    password_step(other, user.email, PASSWORD)
    response = code_step(other, code)
    assert response.status_code == 200
    assert "error-summary" in response.text


WAIT_SECONDS = "Too many failed sign-ins. Wait %(num)d seconds and try again."


def wait_message(app: Flask, locale: str, seconds: int) -> str:
    return translated_plural(app, locale, WAIT_SECONDS.replace("seconds", "second"),
                             WAIT_SECONDS, seconds)


def let_time_pass(seconds: float) -> None:
    """Move every sign-in failure into the past, as if the time had gone by."""
    for event in db.session.scalars(select(ThrottleEvent)):
        event.at -= timedelta(seconds=seconds)
    db.session.commit()


def test_past_the_limit_the_right_password_waits_a_little_then_works(
    client: FlaskClient, app: Flask
) -> None:
    """Not a lock-out: a short wait, shown in the user's language, then sign-in works."""
    user = make_staff("testi.tyontekija@example.test")
    for _ in range(app.config["SIGN_IN_MAX_FAILURES_PER_ACCOUNT"]):
        assert password_step(client, user.email, "wrong-password-here").status_code == 200
    swedish = app.test_client()
    swedish.environ_base["HTTP_ACCEPT_LANGUAGE"] = "sv"
    response = password_step(swedish, user.email, PASSWORD)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "30"
    assert wait_message(app, "sv", 30) in response.text
    assert 'value="testi.tyontekija@example.test"' in response.text  # the address is kept
    let_time_pass(30)
    assert password_step(swedish, user.email, PASSWORD).location == "/staff/sign-in/code"


def test_each_failure_past_the_limit_doubles_the_wait(client: FlaskClient, app: Flask) -> None:
    user = make_staff("testi.tyontekija@example.test")
    for _ in range(app.config["SIGN_IN_MAX_FAILURES_PER_ACCOUNT"]):
        password_step(client, user.email, "wrong-password-here")
    waits = []
    for _ in range(5):
        response = password_step(client, user.email, "wrong-password-here")
        assert response.status_code == 429
        waits.append(int(response.headers["Retry-After"]))
        let_time_pass(waits[-1])
        assert password_step(client, user.email, "wrong-password-here").status_code == 200
    assert waits == [30, 60, 120, 240, 300]
    response = password_step(client, user.email, PASSWORD)
    assert translated_plural(app, "fi", "Too many failed sign-ins. Wait %(num)d minute and try "
                             "again.", "Too many failed sign-ins. Wait %(num)d minutes and try "
                             "again.", 5) in response.text
    let_time_pass(300)
    assert password_step(client, user.email, PASSWORD).location == "/staff/sign-in/code"


def test_a_wrong_code_counts_and_the_wait_applies_to_codes_too(
    client: FlaskClient, app: Flask
) -> None:
    user = make_staff("testi.tyontekija@example.test")
    password_step(client, user.email, PASSWORD)
    for _ in range(app.config["SIGN_IN_MAX_FAILURES_PER_ACCOUNT"]):
        assert code_step(client, "000000").status_code == 200
    response = code_step(client, totp_code(user))
    assert response.status_code == 429
    assert wait_message(app, "fi", 30) in response.text
    let_time_pass(30)
    assert code_step(client, totp_code(user)).location == "/staff/"
    # A full sign-in forgets the failures.
    assert db.session.scalar(select(func.count(ThrottleEvent.id))) == 0


def test_a_right_password_is_not_counted_as_a_failure(client: FlaskClient, app: Flask) -> None:
    user = make_staff("testi.tyontekija@example.test")
    for _ in range(app.config["SIGN_IN_MAX_FAILURES_PER_ACCOUNT"] + 2):
        assert password_step(client, user.email, PASSWORD).location == "/staff/sign-in/code"
    assert db.session.scalar(select(func.count(ThrottleEvent.id))) == 0


def test_idle_timeout_signs_out(client: FlaskClient, app: Flask) -> None:
    user = make_staff("testi.tyontekija@example.test")
    sign_in(client, user)
    idle = timedelta(minutes=app.config["STAFF_IDLE_MINUTES"], seconds=1)
    for record in db.session.scalars(select(StaffSession)):
        record.last_seen_at -= idle
    db.session.commit()
    response = client.get("/staff/")
    assert response.location == "/staff/sign-in"
    page = client.get("/staff/sign-in").text
    assert translated(app, "fi", "You were signed out after a period of inactivity. Please "
                                 "sign in again.") in page
    assert client.get("/staff/").location == "/staff/sign-in"


def test_sign_out(client: FlaskClient) -> None:
    user = make_staff("testi.tyontekija@example.test")
    sign_in(client, user)
    token = csrf_token(client.get("/staff/").text)
    client.post("/staff/sign-out", data={"csrf_token": token})
    assert client.get("/staff/").location == "/staff/sign-in"


def test_session_is_renewed_at_sign_in(client: FlaskClient) -> None:
    user = make_staff("testi.tyontekija@example.test")
    with client.session_transaction("/staff/") as session:
        session["planted"] = "by someone else"
    sign_in(client, user)
    with client.session_transaction("/staff/") as session:
        assert "planted" not in session
        assert session["_user_id"] == str(user.id)


def test_staff_cookie_is_separate_and_strict(client: FlaskClient) -> None:
    make_staff("testi.tyontekija@example.test")
    response = password_step(client, "testi.tyontekija@example.test", PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("saate_staff=")
    assert "SameSite=Strict" in cookie and "Path=/staff" in cookie and "HttpOnly" in cookie
    public = client.get("/fi/saate/").headers.getlist("Set-Cookie")
    assert not any(c.startswith("saate_staff=") for c in public)


def test_disabled_account_cannot_sign_in(client: FlaskClient, app: Flask) -> None:
    from app.people import accounts

    user = make_staff("testi.tyontekija@example.test")
    accounts.disable(user.email)
    response = password_step(client, user.email, PASSWORD)
    assert response.status_code == 200 and "error-summary" in response.text


def example_url(rule) -> str:  # type: ignore[no-untyped-def]
    values = {"case_id": 1, "action": "claim"}
    url = rule.rule.replace("<id:case_id>", "1").replace("<action>", values["action"])
    return url.replace("<id:staff_id>", "1").replace("<id:team_id>", "1")


def test_every_staff_route_requires_sign_in(app: Flask, client: FlaskClient) -> None:
    """Walk the url_map: nothing under /staff opens without signing in, bar the allow-list."""
    token = csrf_token(client.get("/staff/sign-in").text)
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/staff") or rule.endpoint in OPEN_ENDPOINTS:
            continue
        url = example_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={"csrf_token": token})
            assert response.status_code == 302, (method, url, response.status_code)
            assert response.location == "/staff/sign-in", (method, url)
            checked += 1
    assert checked >= 7  # queue, case, print, action, access log, CSV, sign-out


def test_the_allow_list_is_only_the_sign_in_pages() -> None:
    """And the set-up link, whose secret token is the key (tests/requests/test_admin.py)."""
    assert {"auth.sign_in", "auth.sign_in_code", "staff.setup", "static"} == OPEN_ENDPOINTS


def test_staff_ui_speaks_the_users_language(client: FlaskClient, app: Flask) -> None:
    user = make_staff("test.handlaggare@example.test", ui_locale="sv")
    sign_in(client, user)
    html = client.get("/staff/").text
    assert '<html lang="sv">' in html
    assert translated(app, "sv", "Queue") in html
