"""Log records: no secrets, no values from the database, no forged lines.

app.logs makes every record in the process; these tests log through ordinary
loggers and read what a handler on the root logger wrote.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from flask import Flask
from gunicorn.glogging import SafeAtoms
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from app import logs
from app.database import make_engine
from tests.support.logs import all_logs
from tests.support.postgres import PostgresServer

NAME = "Testi Asiakas"
PHONE = "040 000 1234"
ANSWER = "Haluan jutella (lokitesti)"

log = logging.getLogger("tests.logs")


@pytest.fixture(autouse=True)
def safe_records() -> None:
    logs.install_safe_records()


def test_the_app_makes_every_record_safe(sqlite_app: Flask) -> None:
    logging.setLogRecordFactory(logging.LogRecord)
    logs.init_app(sqlite_app)
    assert logging.getLogRecordFactory() is logs.SafeLogRecord


def test_control_characters_are_escaped_in_message_arguments_and_tracebacks() -> None:
    with all_logs() as captured:
        log.warning("path %s", "/fi/\n127.0.0.1 forged\r\x1b[2J\x00\u202eevil\u2028")
        try:
            raise ValueError("first\nsecond")
        except ValueError:
            log.exception("failed\nhere")
    lines = captured.text.splitlines()
    assert lines[0] == ("WARNING tests.logs: path /fi/\\n127.0.0.1 forged\\r\\x1b[2J\\x00"
                        "\\u202eevil\\u2028")
    assert lines[1] == "ERROR tests.logs: failed\\nhere"
    assert lines[2].startswith("Traceback (most recent call last):\\n")
    assert lines[2].endswith("ValueError: first\\nsecond")
    assert len(lines) == 3


def test_status_secrets_and_query_strings_are_removed() -> None:
    with all_logs() as captured:
        log.info('"GET /fi/status/4f2a9c0d1e?code=ABCDE HTTP/1.1" 200 -')
        log.info("Exception on %s [%s]", "/sv/status/4f2a9c0d1e", "GET")
        log.info("redirect to https://saate.example.test/fi/resume?code=ABCDE")
        log.info("SELECT * FROM cases WHERE reference = ? LIMIT ?")
    assert captured.text.splitlines() == [
        'INFO tests.logs: "GET /fi/status/[redacted] HTTP/1.1" 200 -',
        "INFO tests.logs: Exception on /sv/status/[redacted] [GET]",
        "INFO tests.logs: redirect to https://saate.example.test/fi/resume",
        "INFO tests.logs: SELECT * FROM cases WHERE reference = ? LIMIT ?",
    ]


def test_mapping_arguments_still_format() -> None:
    # gunicorn's access log passes its atoms as one mapping (SafeAtoms gives "-" for unknown keys).
    atoms = SafeAtoms({"h": "127.0.0.1", "r": "GET /fi/status/abc123 HTTP/1.1", "U": "/x\ny"})
    with all_logs() as captured:
        logging.getLogger("gunicorn.access").info('%(h)s "%(r)s" %(U)s %({cookie}i)s', atoms)
    assert captured.text == ('INFO gunicorn.access: 127.0.0.1 "GET /fi/status/[redacted] '
                             'HTTP/1.1" /x\\ny -\n')


def test_a_broken_log_call_does_not_print_its_arguments(capsys: pytest.CaptureFixture) -> None:
    with all_logs() as captured:
        log.info("%(missing)s %d", {"cookie": "saate_session=secret-cookie-value"})
    assert "secret-cookie-value" not in captured.text + capsys.readouterr().err
    assert "arguments did not fit" in captured.text


@pytest.fixture(scope="module")
def postgres_engine(postgres: PostgresServer) -> Iterator[Engine]:
    engine = make_engine(postgres.create_database("saate_logs"))
    yield engine
    engine.dispose()


POSTGRES_FAILURES = {
    "unique": ("CREATE TEMP TABLE people (name text UNIQUE, phone text NOT NULL)",
               "INSERT INTO people VALUES (:name, :phone), (:name, :phone)"),
    "not null": ("CREATE TEMP TABLE people (name text, phone text NOT NULL)",
                 "INSERT INTO people VALUES (:name, NULL), (:phone, :answer)"),
    "check": ("CREATE TEMP TABLE people (name text CHECK (length(name) < 5), phone text)",
              "INSERT INTO people VALUES (:name, :phone)"),
    "bad integer": ("CREATE TEMP TABLE people (age integer)",
                    "INSERT INTO people VALUES (CAST(:name AS integer))"),
    "bad json": ("CREATE TEMP TABLE people (data jsonb)",
                 "INSERT INTO people VALUES (CAST(:answer AS jsonb))"),
}


@pytest.mark.parametrize("failure", list(POSTGRES_FAILURES))
def test_postgresql_errors_reach_the_log_without_values(postgres_engine: Engine,
                                                        failure: str) -> None:
    table, insert = POSTGRES_FAILURES[failure]
    with postgres_engine.connect() as connection, all_logs() as captured:
        connection.execute(text(table))
        try:
            connection.execute(text(insert), {"name": NAME, "phone": PHONE, "answer": ANSWER})
        except DBAPIError as error:
            said = str(error) + str(error.orig)
            log.exception("saving failed")
            log.error("saving failed: %s", error)
            log.error("saving failed: %s", error.orig)
        connection.rollback()
    assert any(value in said for value in ("Testi", PHONE, "Haluan"))  # the driver says it
    for value in (NAME, PHONE, ANSWER, "Testi", "Asiakas", "lokitesti"):
        assert value not in captured.text, value
    assert "[withheld]" in captured.text
    assert "INSERT INTO people" in captured.text  # the statement stays, without values
    assert captured.text.count("\n") == 4  # 3 records, one with a traceback


def test_constraint_and_column_names_stay() -> None:
    message = ('duplicate key value violates unique constraint "uq_cases_reference"\n'
               'DETAIL:  Key (reference)=(ABCD1234) already exists.\n'
               '[SQL: INSERT INTO cases (reference) VALUES (%(reference)s)]\n'
               '[SQL parameters hidden due to hide_parameters=True]')
    assert logs.database_message(message) == (
        'duplicate key value violates unique constraint "uq_cases_reference"\n'
        "DETAIL: [withheld]\n"
        "[SQL: INSERT INTO cases (reference) VALUES (%(reference)s)]\n"
        "[SQL parameters hidden due to hide_parameters=True]")
    assert logs.database_message('invalid input syntax for type integer: "Testi"') == (
        'invalid input syntax for type integer: "[withheld]"')


def test_sql_echo_logs_statements_without_values_or_rows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'echo.sqlite3'}", echo=True)
    with all_logs() as captured, engine.begin() as connection:
        connection.execute(text("CREATE TABLE people (name text)"))
        connection.execute(text("INSERT INTO people VALUES (:name)"), {"name": NAME})
        assert connection.execute(text("SELECT name FROM people")).scalar() == NAME
    engine.dispose()
    assert "INSERT INTO people VALUES (?)" in captured.text
    assert "[SQL parameters hidden due to hide_parameters=True]" in captured.text
    assert NAME not in captured.text
