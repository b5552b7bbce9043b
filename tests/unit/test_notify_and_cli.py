"""New-case notices and the staff and team commands."""

from __future__ import annotations

import logging

import pytest
from flask import Flask

from app.casework import cases
from app.people import accounts
from app.people.teams import create_team
from app.saate.schema import CONTACT_REQUEST
from tests.support.journey import CONTACT_REQUEST as CONTACT_ANSWERS
from tests.support.mail import smtp_inbox


@pytest.fixture
def notifying_team(app: Flask):  # type: ignore[no-untyped-def]
    return create_team(slug="ilmoittava", name="Ilmoittava tiimi", phone="014 000 0000",
                       municipalities=["182"], email="tiimi@example.test",
                       notify_new_cases=True)


def make_case() -> None:
    cases.create_case(CONTACT_REQUEST, "fi", {**CONTACT_ANSWERS, "municipality": "182"},
                      "e" * 32)


def test_notice_holds_only_the_reference_and_a_link(app: Flask, notifying_team) -> None:  # type: ignore[no-untyped-def]
    with smtp_inbox() as (inbox, port):
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_STARTTLS=False,
                          BASE_URL="https://saate.example.test")
        make_case()
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert "https://saate.example.test/staff/cases/" in message
    for personal in ("Testi", "Asiakas", "040 000 1234", "testi.asiakas@", "Haluan"):
        assert personal not in message


def test_notice_is_skipped_and_logged_without_smtp(app: Flask, notifying_team,  # type: ignore[no-untyped-def]
                                                   caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="app.casework.notify"):
        make_case()
    assert "skipped" in caplog.text
    assert "Testi" not in caplog.text


def test_staff_create_prints_the_authenticator_uri(app: Flask, teams) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    result = runner.invoke(args=[
        "staff", "create", "--email", "uusi.tyontekija@example.test", "--name", "Uusi Työntekijä",
        "--title", "sosiaaliohjaaja", "--role", "worker", "--team", "jyvaskyla",
        "--password-stdin"], input="a-long-enough-password\n")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("otpauth://totp/Saate:")
    user = accounts.find_by_email("uusi.tyontekija@example.test")
    assert user is not None and [t.slug for t in user.teams] == ["jyvaskyla"]
    old_secret = user.totp_secret
    result = runner.invoke(args=["staff", "reset-2fa", "--email", user.email])
    assert result.exit_code == 0 and "otpauth://" in result.output
    assert accounts.find_by_email(user.email).totp_secret != old_secret
    assert runner.invoke(args=["staff", "disable", "--email", user.email]).exit_code == 0
    assert not accounts.find_by_email(user.email).active


def test_staff_create_refuses_a_short_password(app: Flask, teams) -> None:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=[
        "staff", "create", "--email", "x@example.test", "--name", "X", "--title", "T",
        "--role", "worker", "--team", "jyvaskyla", "--password-stdin"], input="short\n")
    assert result.exit_code == 1 and "at least" in result.output


def test_teams_create(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=[
        "teams", "create", "--slug", "vaasa", "--name", "Vaasan tiimi",
        "--municipality", "Vaasa", "--municipality", "Mustasaari:499:Korsholm",
        "--contact-days", "3", "--phone", "06 000 0000"])
    assert result.exit_code == 1  # the malformed CODE:FI:SV is refused
    result = app.test_cli_runner().invoke(args=[
        "teams", "create", "--slug", "vaasa", "--name", "Vaasan tiimi",
        "--municipality", "Vaasa", "--municipality", "499:Mustasaari:Korsholm",
        "--contact-days", "3", "--phone", "06 000 0000"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("name", "title"), [("x" * 201, "terveydenhoitaja"),
                                             ("Testi Pitkä", "x" * 121), ("  ", "x")])
def test_staff_names_beyond_their_columns_are_refused(app: Flask, name: str, title: str) -> None:
    create_team(slug="nimet", name="Nimitiimi", phone="014 000 0000", municipalities=["182"])
    with pytest.raises(ValueError, match="at most 200"):
        accounts.create_staff(email="testi.pitka@example.test", name=name, title=title,
                              role="worker", team_slugs=["nimet"], password="p" * 12)
