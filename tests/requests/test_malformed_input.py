"""Malformed staff input is a 400 or a 404, never a 500; secrets are checked before lookups.

The walks read app.url_map, so a new staff route is covered without remembering to.
"""

from __future__ import annotations

import base64
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule
from wtforms import StringField
from wtforms.fields.core import UnboundField

from app.casework import cases
from app.casework.queue import Cursor, InvalidCursor, MineCursor
from app.database import utcnow
from app.intake import drafts
from app.models import MAX_ID, StaffUser
from app.staff.forms import ACTION_FORMS
from tests.requests.test_auth import code_step, password_step
from tests.requests.test_staff import new_case
from tests.support.journey import VALID_STEPS, Journey
from tests.support.pages import csrf_token, error_summary
from tests.support.staff import PASSWORD, make_staff, sign_in
from tests.support.statements import recorded_statements

pytestmark = pytest.mark.usefixtures("teams")


def b64(text: bytes) -> str:
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


MALFORMED_NUMBERS = [
    "99999999999999999999",  # past every integer column
    str(MAX_ID + 1),  # just past PostgreSQL's integer
    "²",  # '²'.isdigit() is True; int('²') raises
    "١٢",  # Arabic-Indic digits: \d matches them
    "-1", "0", "1.5", "1e3", "0x1", " 1", "1 ",
]
MALFORMED_CURSORS = [
    "not-a-cursor", "²", "x" * 5000, "====",
    b64(b"1|2026-12-01|2026-11-30T10:00:00|1"),  # a naive time
    b64(b"1|2026-12-01|2026-11-30T10:00:00+00:00|99999999999999999999"),
    b64(b"1|2026-12-01|2026-11-30T10:00:00+00:00|-1"),
    b64(b"1|2026-12-01|2026-11-30T10:00:00+00:00|\xc2\xb2".decode("utf-8").encode()),
    b64(b"0|2026-12-01|0001-01-01T00:00:00+05:00|1"),  # overflows on the way to UTC
    b64(b"\xff\xfe|1"),  # not UTF-8
    b64(b"0|2026-12-01|yesterday|1"),
    b64(b"2026-11-30T10:00:00+00:00|1"),  # the old shape, without urgency or date
    b64(b"2|2026-12-01|2026-11-30T10:00:00+00:00|1"),  # urgency is 0 or 1
    b64(b"true|2026-12-01|2026-11-30T10:00:00+00:00|1"),
    b64(b"1|20261201|2026-11-30T10:00:00+00:00|1"),  # a date fromisoformat takes, not ours
    b64(b"1|2026-W49-1|2026-11-30T10:00:00+00:00|1"),
    b64(b"1|2026-13-01|2026-11-30T10:00:00+00:00|1"),
    b64("1|２０２６-１２-０１|2026-11-30T10:00:00+00:00|1".encode()),  # wide digits
    b64(b"1|2026-12-01|2026-11-30T10:00:00+00:00|1|1"),  # one part too many
    b64(b"1||2026-11-30T10:00:00+00:00|1"),
]
MALFORMED_REFERENCES = ["ABCD-EFG", "ABCD-EFGH1", "ÄÄÄÄ-ÄÄÄÄ", "ABCD-EFG0", "²²²²²²²²", "x" * 5000]
MALFORMED = MALFORMED_NUMBERS + MALFORMED_CURSORS + MALFORMED_REFERENCES

# The query arguments each staff page reads as numbers, cursors or codes: malformed is a 400.
STRICT_ARGUMENTS = {
    "staff.queue": {"after"},
    "staff.follow_ups": {"after"},
    "staff.access_log_page": {"staff", "before", "reference"},
    "staff.access_log_csv": {"staff", "reference"},
    "staff.stats": {"from", "to", "team"},
    "staff.stats_csv": {"from", "to", "team"},
}
# Filters that ignore a value they do not know: malformed is never a 500.
OTHER_ARGUMENTS = ["status", "kind", "assigned", "language", "municipality", "urgent", "mine"]


@pytest.fixture
def admin(app: Flask) -> StaffUser:
    return make_staff("testi.yllapito@example.test", role="admin", name="Testi Ylläpito")


@pytest.fixture
def signed_in(client: FlaskClient, admin: StaffUser) -> FlaskClient:
    sign_in(client, admin)
    return client


def staff_rules(app: Flask) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/staff") and rule.endpoint != "static"]


def test_every_numeric_path_argument_is_bounded(app: Flask) -> None:
    """Ids in staff paths use the bounded `id` converter, never werkzeug's `int`."""
    rules = [rule.rule for rule in staff_rules(app)]
    assert not [rule for rule in rules if "<int:" in rule or "<float:" in rule]
    assert [rule for rule in rules if "<id:case_id>" in rule]


def test_malformed_ids_in_paths_are_404(signed_in: FlaskClient, app: Flask) -> None:
    token = csrf_token(signed_in.get("/staff/").text)
    problems, checked = [], 0
    for value in [*MALFORMED_NUMBERS, "1" * 11]:
        for rule in staff_rules(app):
            if "case_id" not in rule.arguments:
                continue
            actions = list(ACTION_FORMS) if "action" in rule.arguments else [""]
            for action in actions:
                path = rule.rule.replace("<id:case_id>", value).replace("<action>", action)
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    response = signed_in.open(path, method=method,
                                              data={"csrf_token": token, "version": "1"})
                    checked += 1
                    if response.status_code != 404:
                        problems.append((method, path, response.status_code))
    assert problems == []
    assert checked >= 10 * len(MALFORMED_NUMBERS)


def test_the_largest_id_is_routed_and_simply_not_found(signed_in: FlaskClient) -> None:
    assert signed_in.get(f"/staff/cases/{MAX_ID}").status_code == 404
    assert signed_in.get(f"/staff/cases/{MAX_ID}/print").status_code == 404


def test_malformed_query_values_are_400_and_never_500(signed_in: FlaskClient,
                                                      app: Flask) -> None:
    case = new_case()
    problems = []
    for rule in staff_rules(app):
        if "GET" not in rule.methods:
            continue
        path = rule.rule.replace("<id:case_id>", str(case.id))
        strict = STRICT_ARGUMENTS.get(rule.endpoint, set())
        for name in sorted({*strict, *OTHER_ARGUMENTS, "before", "after", "staff", "from",
                            "to", "team"}):
            for value in MALFORMED:
                status = signed_in.get(path, query_string={name: value}).status_code
                if status != 400 if name in strict else status >= 500:
                    problems.append((path, name, value, status))
    assert problems == []


@pytest.mark.parametrize("invisible", ["\x00", "\u202e", "\u200b\x00"])
def test_a_query_value_of_only_invisible_characters_is_no_value(signed_in: FlaskClient,
                                                               invisible: str) -> None:
    """Query strings are clean text (app/incoming.py): nothing left means not given."""
    for path in ("/staff/", "/staff/access-log"):
        for name in ("after", "before", "staff", "reference"):
            assert signed_in.get(path, query_string={name: invisible}).status_code == 200


def test_a_malformed_reference_keeps_the_access_log_page_with_a_message(
    signed_in: FlaskClient,
) -> None:
    response = signed_in.get("/staff/access-log", query_string={"reference": "ABCD-EFG"})
    assert response.status_code == 400
    assert 'id="reference-error"' in response.text and 'value="ABCD-EFG"' in response.text


def test_malformed_numbers_in_case_actions_are_never_500(signed_in: FlaskClient) -> None:
    case = new_case()
    token = csrf_token(signed_in.get(f"/staff/cases/{case.id}").text)
    problems = []
    for action, form_class in ACTION_FORMS.items():
        # Every field but free text, where any characters are fine.
        fields = [name for name in dir(form_class)
                  if isinstance(getattr(form_class, name), UnboundField)
                  and not issubclass(getattr(form_class, name).field_class, StringField)]
        assert "version" in fields
        for field in fields:
            for value in ["99999999999999999999", "²", "١٢", "-1", "\x00"]:
                data = {"csrf_token": token, "version": "1", field: value}
                status = signed_in.post(f"/staff/cases/{case.id}/{action}",
                                        data=data).status_code
                if status not in {400, 409}:
                    problems.append((action, field, value, status))
    assert problems == []


def test_malformed_sign_in_codes_are_refused_not_500(client: FlaskClient) -> None:
    user = make_staff("testi.tyontekija@example.test")
    password_step(client, user.email, PASSWORD)
    for value in [*MALFORMED_NUMBERS, "²²²²²²", "١٢٣٤٥٦", "1" * 5000]:
        response = code_step(client, value)
        # Wrong, or past the limit of failures: a wait.
        assert response.status_code in {200, 429} and "error-summary" in response.text, value


def test_cursors_round_trip_and_refuse_what_encode_never_makes() -> None:
    for first in (True, False):
        cursor = Cursor(first, date(2026, 12, 1), utcnow(), 41)
        assert Cursor.decode(cursor.encode()) == cursor
    assert Cursor.decode("") is None and Cursor.decode(None) is None
    for text in MALFORMED_CURSORS:
        with pytest.raises(InvalidCursor):
            Cursor.decode(text)


MALFORMED_MINE_CURSORS = [
    b64(b"q|2026-12-01|2026-12-01|2026-11-30T10:00:00+00:00|1"),  # not the "My clients" mark
    b64(b"m|2026-12-01|2026-11-30T10:00:00+00:00|1"),  # one part short
    b64(b"m|2026-12-32|2026-12-01|2026-11-30T10:00:00+00:00|1"),
    b64(b"m|tomorrow|2026-12-01|2026-11-30T10:00:00+00:00|1"),
    b64(b"m||2026-12-01|2026-11-30T10:00:00|1"),  # no time zone
    b64(b"m||2026-12-01|2026-11-30T10:00:00+00:00|0"),
    b64(f"m||2026-12-01|2026-11-30T10:00:00+00:00|{MAX_ID + 1}".encode()),
]


def test_my_clients_cursors_round_trip_and_refuse_the_queues() -> None:
    for step_day in (None, date(2026, 12, 3)):
        cursor = MineCursor(step_day, date(2026, 12, 1), utcnow(), 41)
        assert MineCursor.decode(cursor.encode()) == cursor
        with pytest.raises(InvalidCursor):
            Cursor.decode(cursor.encode())
    with pytest.raises(InvalidCursor):
        MineCursor.decode(Cursor(True, date(2026, 12, 1), utcnow(), 41).encode())
    for text in [*MALFORMED_CURSORS, *MALFORMED_MINE_CURSORS]:
        with pytest.raises(InvalidCursor):
            MineCursor.decode(text)


def test_malformed_cursors_on_my_clients_are_400(signed_in: FlaskClient) -> None:
    for value in [*MALFORMED_NUMBERS, *MALFORMED_CURSORS, *MALFORMED_MINE_CURSORS]:
        response = signed_in.get("/staff/", query_string={"mine": "1", "after": value})
        assert response.status_code == 400, value


NOT_TOKENS = ["", "a" * 42, "a" * 44, "A" * 43, "g" * 43, "²" * 43, "x" * 10_000, "../" * 15]


def test_status_tokens_are_shape_checked_before_any_lookup(client: FlaskClient,
                                                           app: Flask) -> None:
    case = new_case()
    token = cases.status_token(case)
    assert cases.STATUS_TOKEN_SHAPE.fullmatch(token)
    with recorded_statements(app) as seen:
        for text in NOT_TOKENS:
            assert cases.find_by_status_token(text) is None
    assert seen == []
    for text in NOT_TOKENS[1:]:
        assert client.get(f"/fi/status/{text}").status_code == 404
    assert client.get(f"/fi/status/{token}").status_code == 200


def test_resume_codes_are_shape_checked_before_any_lookup(app: Flask) -> None:
    for text in ["ACDEF-GHJK", "ACDEF-GHJKM0", "ÄÄÄÄÄ-ÄÄÄÄÄ", "x" * 10_000, "²" * 10]:
        with recorded_statements(app) as seen, pytest.raises(drafts.ResumeRefused):
            drafts.resume(text, "1980")
        assert seen == [], text


@pytest.mark.parametrize("year", ["²²²²", "١٩٨٠", "19８0"])
def test_non_ascii_digits_in_a_year_are_an_error_message_not_500(app: Flask,
                                                                year: str) -> None:
    """'²'.isdigit() is True and int('²') raises: the year check must not trust isdigit."""
    journey = Journey(app.test_client())
    journey.start()
    response = journey.step("contact-details",
                            {**VALID_STEPS["contact-details"], "birth_year": year})
    assert response.status_code == 200
    assert error_summary(response.text) != []
