"""The close dialog (issue 13, point 1): besides the reason, where the client moved on,
whether they saw a doctor about their work ability, and the follow-up day, kept through the
confirmation page, errors and conflicts, and shown on the closed case. On SQLite and
PostgreSQL."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, format_date
from sqlalchemy import select

from app.casework import cases
from app.casework.cases import local_today
from app.casework.followup import default_follow_up_day, follow_up_days
from app.extensions import db
from app.models import CaseCode, FollowUp, StaffUser
from tests.requests.test_staff import new_case
from tests.support.i18n import translated
from tests.support.pages import error_summary, main_text
from tests.support.staff import staff_post, stored

pytestmark = pytest.mark.usefixtures("teams")

CHOSEN = {"reason": "routed", "note": "Ohjattu opintoihin (keksitty).",
          "moved_on_to": ["studies", "work_trial"], "saw_doctor": "yes"}
CONFIRMED = {"confirmed": "yes", "no_contact_person_needed": "yes"}


def short_date(app: Flask, day: date) -> str:
    with app.test_request_context("/"), force_locale("fi"):
        return format_date(day, "short")


def fi(app: Flask, msgid: str, context: str | None = None, **variables: object) -> str:
    return translated(app, "fi", msgid, context, **variables)


def close_form(html: str) -> str:
    """The case page's close form (it posts to the confirmation page)."""
    start = html.index('/close/confirm"')
    return html[html.rfind("<form", 0, start): html.index("</form>", start)]


def hidden(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">', html)


def confirm(client: FlaskClient, case_id: int, data: dict):  # type: ignore[no-untyped-def]
    return staff_post(client, f"/staff/cases/{case_id}/close/confirm",
                      {"version": stored(case_id).version, **data})


def codes_of(case_id: int) -> list[str]:
    return list(db.session.scalars(select(CaseCode.code).where(
        CaseCode.case_id == case_id, CaseCode.kind == "moved_on").order_by(CaseCode.code)))


def test_the_close_form_asks_where_to_a_doctor_and_the_follow_up(
        signed_in: FlaskClient, app: Flask) -> None:
    case = new_case()
    form = close_form(signed_in.get(f"/staff/cases/{case.id}").text)
    default = default_follow_up_day(local_today())
    first, last = follow_up_days(local_today())
    for question in ("Where did the client move on?",
                     "Did the client see a doctor about their work ability during the service?",
                     "Follow-up"):
        assert f"<legend>{fi(app, question)}</legend>" in form, question
    assert form.count('type="checkbox" id="close-moved_on_to-') == 13
    assert unescape(fi(app, "Not known", "moved on")) in unescape(form)
    # The default follow-up is six months on (a working day), named by its date, and chosen.
    option = re.search(r'<input type="radio" id="close-follow_up-0" name="follow_up" '
                       r'value="default"([^>]*)>\s*<label[^>]*>([^<]*)</label>', form)
    assert option is not None and " checked" in option.group(1)
    assert unescape(option.group(2)) == fi(app, "In six months, on %(date)s",
                                           date=short_date(app, default))
    assert (f'<input type="date" id="close-follow_up_on" name="follow_up_on" value="" '
            f'min="{first.isoformat()}" max="{last.isoformat()}"') in form
    # Nothing else is preselected: where the client moved on, a doctor.
    assert " checked" not in form.replace(option.group(0), "")


def test_where_to_and_a_doctor_are_required_and_nothing_typed_is_lost(
        signed_in: FlaskClient, app: Flask) -> None:
    case = new_case()
    response = confirm(signed_in, case.id, {"reason": "routed", "note": "Muistiin (keksitty).",
                                            "follow_up": "none"})
    assert response.status_code == 400
    assert error_summary(response.text) == [
        fi(app, "Choose at least one. If you do not know, choose “Not known”."),
        fi(app, "Choose whether the client saw a doctor")]
    for error in ("moved_on_to-error", "saw_doctor-error"):
        assert f'id="{error}"' in response.text
    form = close_form(response.text)
    assert '<option value="routed" selected' in form and "Muistiin (keksitty).</textarea>" in form
    assert re.search(r'value="none" checked', form)
    assert fi(app, "Error:") in response.text.split("</title>")[0]
    # "Not known" goes alone.
    response = confirm(signed_in, case.id, {**CHOSEN, "moved_on_to": ["unknown", "studies"],
                                            "follow_up": "none"})
    assert response.status_code == 400
    assert error_summary(response.text) == [
        fi(app, "“Not known” cannot be chosen with other options")]
    assert stored(case.id).status == "new"


@pytest.mark.parametrize(("day", "message"), [
    ("", "Choose the day of the follow-up"),
    ("huomenna", "Give a date, for example 31.12.2026"),
    (local_today().isoformat(), "The follow-up day must be after today"),
    ((local_today() + timedelta(days=731)).isoformat(), "Choose a date within two years"),
])
def test_another_day_must_be_a_day_within_two_years(signed_in: FlaskClient, app: Flask,
                                                   day: str, message: str) -> None:
    case = new_case()
    response = confirm(signed_in, case.id, {**CHOSEN, "follow_up": "other_day",
                                            "follow_up_on": day})
    assert response.status_code == 400
    assert error_summary(response.text) == [fi(app, message)]
    form = close_form(response.text)
    assert f'name="follow_up_on" value="{day}"' in form
    assert 'value="studies" checked' in form
    assert stored(case.id).status == "new"


def test_the_confirmation_page_shows_what_will_be_saved_and_keeps_it(
        signed_in: FlaskClient, app: Flask) -> None:
    case = new_case()
    day = local_today() + timedelta(days=100)
    response = confirm(signed_in, case.id, {**CHOSEN, "follow_up": "other_day",
                                            "follow_up_on": day.isoformat()})
    assert response.status_code == 200
    text = main_text(response.text)
    for shown in (fi(app, "Routed to service(s)"), fi(app, "Studies", "moved on"),
                  fi(app, "Work trial", "moved on"), fi(app, "Yes", "saw doctor"),
                  short_date(app, day), CHOSEN["note"]):
        assert shown in text, shown
    form = response.text[response.text.index('action="/staff/cases/'):]
    assert hidden(form)[:9] == [
        ("csrf_token", hidden(form)[0][1]), ("version", "1"), ("reason", "routed"),
        ("note", CHOSEN["note"]), ("moved_on_to", "studies"), ("moved_on_to", "work_trial"),
        ("saw_doctor", "yes"), ("follow_up", "other_day"), ("follow_up_on", day.isoformat())]
    assert stored(case.id).status == "new"
    # "Change the answers" goes back to the case page's form with everything chosen.
    answers = dict(hidden(form)[1:9])
    response = confirm(signed_in, case.id, {**answers, "moved_on_to": ["studies", "work_trial"],
                                            "change": "yes"})
    assert response.status_code == 200
    back = close_form(response.text)
    assert "<details open>" in response.text
    for chosen in ('value="routed" selected', 'value="studies" checked',
                   'value="work_trial" checked', 'value="yes" checked',
                   'value="other_day" class="opens" checked', f'value="{day.isoformat()}"'):
        assert chosen in back, chosen
    assert stored(case.id).status == "new"


def test_the_default_follow_up_is_shown_by_its_date(signed_in: FlaskClient, app: Flask) -> None:
    case = new_case()
    response = confirm(signed_in, case.id, {**CHOSEN, "follow_up": "default"})
    assert short_date(app, default_follow_up_day(local_today())) in main_text(response.text)
    response = confirm(signed_in, case.id, {**CHOSEN, "follow_up": "none"})
    assert fi(app, "No follow-up") in main_text(response.text)


def test_closing_saves_the_answers_and_the_case_shows_them(
        signed_in: FlaskClient, app: Flask) -> None:
    case = new_case()
    response = staff_post(signed_in, f"/staff/cases/{case.id}/close",
                          {**CHOSEN, "follow_up": "default", **CONFIRMED, "version": 1})
    assert response.status_code == 302
    closed = stored(case.id)
    default = default_follow_up_day(local_today())
    assert (closed.status, closed.close_reason, closed.saw_doctor) == ("closed", "routed", True)
    assert codes_of(case.id) == ["studies", "work_trial"]
    assert closed.follow_up is not None and closed.follow_up.due_on == default
    assert closed.events[-1].data["follow_up_on"] == default.isoformat()
    page = main_text(signed_in.get(f"/staff/cases/{case.id}").text)
    where = f'{fi(app, "Studies", "moved on")}, {fi(app, "Work trial", "moved on")}'
    yes = fi(app, "Yes", "saw doctor")
    for shown in (f'{fi(app, "Where the client moved on")} {where}',
                  f'{fi(app, "Saw a doctor about their work ability")} {yes}',
                  f'{fi(app, "Follow-up")} {short_date(app, default)}',
                  fi(app, "Moved on: %(places)s", places=where),
                  fi(app, "Saw a doctor about their work ability: %(answer)s", answer=yes),
                  fi(app, "Follow-up on %(date)s", date=short_date(app, default))):
        assert shown in page, shown


def test_no_follow_up_and_a_doctor_not_known(signed_in: FlaskClient, app: Flask) -> None:
    case = new_case()
    response = staff_post(signed_in, f"/staff/cases/{case.id}/close",
                          {"reason": "client_withdrew", "moved_on_to": "unknown",
                           "saw_doctor": "unknown", "follow_up": "none", **CONFIRMED,
                           "version": 1})
    assert response.status_code == 302
    closed = stored(case.id)
    assert closed.saw_doctor is None and codes_of(case.id) == ["unknown"]
    assert db.session.scalar(select(FollowUp).where(FollowUp.case_id == case.id)) is None
    page = main_text(signed_in.get(f"/staff/cases/{case.id}").text)
    assert f'{fi(app, "Follow-up")} {fi(app, "No follow-up")}' in page
    assert (f'{fi(app, "Saw a doctor about their work ability")} '
            f'{fi(app, "Not known", "saw doctor")}') in page


def test_a_conflict_keeps_every_answer(signed_in: FlaskClient, worker: StaffUser) -> None:
    case = new_case()
    cases.add_note(case, worker, case.version, "Kollegan muistiinpano (keksitty).")
    day = local_today() + timedelta(days=30)
    response = staff_post(signed_in, f"/staff/cases/{case.id}/close",
                          {**CHOSEN, "follow_up": "other_day", "follow_up_on": day.isoformat(),
                           **CONFIRMED, "version": 1})
    assert response.status_code == 409
    form = close_form(response.text)
    for chosen in ('value="routed" selected', 'value="studies" checked',
                   'value="work_trial" checked', 'value="other_day" class="opens" checked',
                   f'value="{day.isoformat()}"', f'{CHOSEN["note"]}</textarea>'):
        assert chosen in form, chosen
    assert stored(case.id).status == "new"
