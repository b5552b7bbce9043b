"""A busy or unreachable database: a friendly page that keeps the answers, no values in logs.

Another connection holds the write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL:
an exclusive lock on the case table) past the app's wait while a client sends
a contact request; then the lock goes and the client presses "Send again".
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import Case
from tests.conftest import make_app
from tests.support.i18n import translated
from tests.support.journey import CONTACT_REQUEST, Journey
from tests.support.logs import all_logs
from tests.support.pages import csrf_token
from tests.support.postgres import free_port

# Obviously fake, and easy to spot anywhere in a log.
ANSWERS = {**CONTACT_REQUEST, "name": "Testi Lukkoasiakas", "phone": "040 000 5678",
           "email": "lukko.asiakas@example.test",
           "about": "Selkä on kipeä ja <työ> & \"jaksaminen\" mietityttää."}
SEND_AGAIN_FORM = re.compile(r'<form method="post" action="([^"]+)" novalidate>(.*?)</form>',
                             re.DOTALL)
HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
WAIT_MS = 200


@pytest.fixture
def app_overrides() -> dict:
    return {"SQLITE_BUSY_TIMEOUT_MS": WAIT_MS}


@contextmanager
def write_lock_held_elsewhere(app: Flask) -> Iterator[None]:
    """A second connection holds the lock a contact request needs, past the app's wait."""
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite"):
        locker = sqlite3.connect(url.split("///", 1)[1], isolation_level=None)
        locker.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        return
    # The app's requests run on the test's connection: make it stop waiting, as SQLite does.
    app.extensions["saate_db"].session_factory.kw["bind"].exec_driver_sql(
        f"SET lock_timeout = '{WAIT_MS}ms'")
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as locker:
        locker.execute("SET lock_timeout = '10s'")
        locker.execute('LOCK TABLE "case" IN ACCESS EXCLUSIVE MODE')
        yield
        locker.rollback()


def kept_fields(html: str) -> tuple[str, list[tuple[str, str]]]:
    """The send-again form of an error page: its action and hidden fields."""
    form = SEND_AGAIN_FORM.search(html)
    assert form, "no send-again form on the page"
    fields = [(name, unescape(value)) for name, value in HIDDEN_INPUT.findall(form.group(2))]
    return unescape(form.group(1)), fields


@pytest.mark.usefixtures("teams")
def test_a_locked_database_keeps_the_answers_and_logs_no_value(
    client: FlaskClient, app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    journey = Journey(client)
    page = journey.get("/contact").text
    key = re.search(r'name="submission_key" value="([0-9a-f]{32})"', page).group(1)  # type: ignore[union-attr]
    posted = {**ANSWERS, "submission_key": key}
    caplog.set_level(logging.DEBUG)
    with all_logs() as captured, write_lock_held_elsewhere(app):
        response = client.post("/fi/contact", data={**posted, "csrf_token": csrf_token(page)})

    assert response.status_code == 503
    assert '<html lang="fi">' in response.text
    assert translated(app, "fi", "We could not save just now") in response.text
    action, fields = kept_fields(response.text)
    assert action == "/fi/contact"
    assert sorted(name for name, _ in fields) == sorted(["csrf_token", *posted])
    assert {name: value for name, value in fields if name != "csrf_token"} == posted
    assert escape(ANSWERS["about"]) in response.text  # kept, and escaped
    assert db.session.scalar(select(func.count(Case.id))) == 0

    logged = captured.text + caplog.text
    assert "database unavailable on POST public.contact" in logged
    for value in ("Lukkoasiakas", "040 000 5678", "0400005678", "lukko.asiakas", "Selkä",
                  "jaksaminen", key):
        assert value not in logged, value

    # The lock is gone: one press sends the kept answers, with the page's fresh token.
    response = client.post(action, data=MultiDict(fields))
    assert response.status_code == 302 and response.location == "/fi/contact/sent"
    response = client.post(action, data=MultiDict(fields))  # pressed twice: still one case
    assert response.status_code == 302
    case = db.session.scalars(select(Case)).one()
    assert case.answers["name"] == ANSWERS["name"] and case.answers["about"] == ANSWERS["about"]


@pytest.mark.parametrize("lang", ["fi", "sv", "selko"])
def test_an_unreachable_database_gets_a_friendly_page_in_the_pages_language(lang: str) -> None:
    nowhere = make_app(f"postgresql+psycopg://saate@127.0.0.1:{free_port()}/saate")
    with all_logs() as captured:
        response = nowhere.test_client().get(f"/{lang}/status/{'0' * 43}")
    assert response.status_code == 503
    locale = {"selko": "fi@selko"}.get(lang, lang)
    assert translated(nowhere, locale, "We could not open this page just now") in response.text
    assert 'name="csrf_token"' not in response.text  # nothing to send again
    assert "database unavailable on GET public.status" in captured.text
    assert "0" * 43 not in captured.text
