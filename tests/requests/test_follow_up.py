"""The six-month follow-up, closed loop (issue 13, points 2 and 3): the client's consent to one
e-mail, the team's due list, `flask followup send` through a real SMTP server, the client's
follow-up page in each language, a worker's answers from a phone call, the end-of-service
feedback on the status page, and what retention keeps. On SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import re
from datetime import timedelta
from email import message_from_string, policy
from email.message import EmailMessage

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select

from app.casework import cases, followup_mail, retention
from app.casework.cases import local_today
from app.casework.followup import DueCursor
from app.casework.queue import InvalidCursor
from app.database import utcnow
from app.extensions import db
from app.intake.feedback import Moment
from app.models import AccessLogEntry, Case, CaseCode, Feedback, FollowUp, StaffUser
from app.saate.follow_up import FOLLOW_UP, STEP
from app.saate.schema import CONTACT_REQUEST, SAATE
from tests.requests.test_saate_questions import msgid
from tests.support.follow_up import close_with_follow_up
from tests.support.i18n import translated
from tests.support.journey import CONTACT_REQUEST as CONTACT_ANSWERS
from tests.support.journey import FAKE_PERSON, VALID_STEPS, Journey
from tests.support.logs import all_logs
from tests.support.mail import Inbox
from tests.support.pages import csrf_token, error_summary, main_text
from tests.support.postgres import free_port
from tests.support.staff import make_staff, sign_in, stored

pytestmark = pytest.mark.usefixtures("teams")

BASE_URL = "https://saate.example.test"
LOCALES = {"fi": "fi", "sv": "sv", "selko": "fi@selko"}
PAGE_SIZE = 3
COMMENT = "Työkokeilu sujuu hyvin (keksitty seurantakommentti)"
ANSWERS = {"got_help": "partly", "work_ability_score": "7",
           "doing_now": ["work_trial", "employment_services"], "would_recommend": "yes",
           "comment": COMMENT}


@pytest.fixture
def app_overrides(inbox: tuple[Inbox, int]) -> dict:
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": inbox[1], "SMTP_STARTTLS": False,
            "BASE_URL": BASE_URL, "QUEUE_PAGE_SIZE": PAGE_SIZE}


@pytest.fixture
def lead(app: Flask) -> StaffUser:
    return make_staff("testi.esihenkilo@example.test", role="lead", name="Testi Esihenkilö")


def contact_case(key: str, language: str = "fi", municipality: str = "179",
                 **answers: str) -> Case:
    given = {**CONTACT_ANSWERS, "municipality": municipality, "follow_up_mail": "yes",
             **answers}
    return cases.create_case(CONTACT_REQUEST, language, given, key.rjust(32, "0"))


def due_case(worker: StaffUser, key: str, days_ago: int = 0, language: str = "fi",
             **answers: str) -> Case:
    """A contact request whose client agreed to the e-mail, closed, its follow-up due."""
    case = contact_case(key, language, **answers)
    close_with_follow_up(case, worker, local_today() - timedelta(days=days_ago))
    return stored(case.id)


def status_path(case: Case, lang: str = "fi") -> str:
    return f"/{lang}/status/{cases.status_token(case)}"


def received(inbox: tuple[Inbox, int]) -> list[EmailMessage]:
    return [message_from_string(m, policy=policy.default)  # type: ignore[misc]
            for m in inbox[0].messages]


def send(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["followup", "send"])
    assert result.exit_code == 0, result.output
    return result.output


def answer(client: FlaskClient, case: Case, data: dict, lang: str = "fi"):  # type: ignore[no-untyped-def]
    path = f"{status_path(case, lang)}/follow-up"
    page = client.get(path).text
    return client.post(path, data={**data, "csrf_token": csrf_token(page)})


# --- Point 2: consent to one e-mail, asked where the e-mail address is ----------------------


@pytest.mark.parametrize("form", [CONTACT_REQUEST, SAATE])
def test_the_consent_is_asked_right_under_the_e_mail_address(form) -> None:  # type: ignore[no-untyped-def]
    step = form.steps[0]
    codes = [question.code for question in step.questions]
    assert codes[codes.index("email") + 1] == "follow_up_mail"
    assert step.is_optional(step.question("follow_up_mail"))


@pytest.mark.parametrize("lang", list(LOCALES))
def test_yes_without_an_e_mail_address_asks_for_one_and_keeps_what_was_typed(
        app: Flask, client: FlaskClient, lang: str) -> None:
    journey = Journey(client, lang)
    typed = {**CONTACT_ANSWERS, "email": "", "follow_up_mail": "yes"}
    response = journey.post("/contact", typed)
    assert response.status_code == 200
    message = translated(app, LOCALES[lang], "Give your e-mail address, or answer “No” to the "
                                             "question about an e-mail later")
    assert error_summary(response.text) == [message]
    assert 'id="email-error"' in response.text
    assert 'name="follow_up_mail" value="yes" checked' in response.text
    assert CONTACT_ANSWERS["about"] in response.text
    assert db.session.scalars(select(Case)).all() == []
    assert journey.post("/contact", {**typed, "email": FAKE_PERSON["email"]}).status_code == 302
    assert db.session.scalars(select(Case)).one().answers["follow_up_mail"] == "yes"


def test_the_saate_keeps_the_consent_and_the_worker_sees_it(app: Flask, signed_in: FlaskClient
                                                             ) -> None:
    journey = Journey(app.test_client())
    journey.start()
    for slug, answers in VALID_STEPS.items():
        extra = {"follow_up_mail": "yes"} if slug == "contact-details" else {}
        assert journey.step(slug, {**answers, **extra}).status_code == 302, slug
    question = translated(app, "fi", "May we e-mail you in about six months to ask how you "
                                     "are?")
    assert question in journey.get("/saate/check").text
    assert journey.send().status_code == 302
    case = db.session.scalars(select(Case)).one()
    assert case.answers["follow_up_mail"] == "yes"
    html = signed_in.get(f"/staff/cases/{case.id}").text
    assert translated(app, "fi", "Follow-up e-mail allowed", context="staff label") in html


# --- The team's due list -----------------------------------------------------------------


def listed(client: FlaskClient, path: str = "/staff/follow-ups") -> tuple[list[int], str | None]:
    html = client.get(path).text
    ids = [int(i) for i in re.findall(r'<a href="/staff/cases/(\d+)"', html)]
    found = re.search(r'<a href="(/staff/follow-ups\?after=[^"]+)"', html)
    return ids, found.group(1).replace("&amp;", "&") if found else None


def test_the_due_list_holds_the_teams_due_unanswered_follow_ups_earliest_first(
        app: Flask, signed_in: FlaskClient, worker: StaffUser, lead: StaffUser) -> None:
    due = [due_case(worker, str(n), days_ago=days) for n, days in
           enumerate((0, 40, 3, 3, 200), start=1)]
    later = contact_case("10")
    close_with_follow_up(later, worker, local_today() + timedelta(days=1))
    answered = due_case(worker, "11")
    cases.answer_follow_up(answered, cases.FollowUpAnswers(got_help="yes"))
    closed_without = contact_case("12")
    cases.close(closed_without, worker, closed_without.version, "duplicate",
                no_contact_person_needed=True)
    other_worker = make_staff("testi.laukaa@example.test", teams=("laukaa-hankasalmi",))
    elsewhere = contact_case("13", municipality="410")
    close_with_follow_up(elsewhere, other_worker)

    order = [case.id for case in sorted(due, key=lambda c: (c.follow_up.due_on,  # type: ignore[union-attr]
                                                           c.follow_up.id))]  # type: ignore[union-attr]
    first, next_path = listed(signed_in)
    assert first == order[:PAGE_SIZE] and next_path is not None
    second, after_that = listed(signed_in, next_path)
    assert second == order[PAGE_SIZE:] and after_that is None
    assert order[0] == due[4].id and order[-1] == due[0].id  # 200 days ago first, today last

    html = signed_in.get("/staff/follow-ups").text
    assert due[4].display_reference in html
    assert translated(app, "fi", "Routed to service(s)") in html
    assert translated(app, "fi", "Not sent") in html
    for name in ("Testi Asiakas", FAKE_PERSON["phone"], FAKE_PERSON["email"]):
        assert name not in html
    # The other team's worker sees only theirs.
    other = app.test_client()
    sign_in(other, other_worker)
    assert listed(other) == ([elsewhere.id], None)


def b64(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize("text", [
    "not-a-cursor", b64("f|2026-13-01|1"), b64("f|2026-12-01|0"), b64("f|2026-12-01|1|1"),
    b64("1|2026-12-01|2026-11-30T10:00:00+00:00|1"), b64("x|2026-12-01|1"), "x" * 41,
    b64("f|２０２６-１２-０１|1")])
def test_only_cursors_the_list_made_are_taken(text: str) -> None:
    with pytest.raises(InvalidCursor):
        DueCursor.decode(text)
    cursor = DueCursor(local_today(), 12)
    assert DueCursor.decode(cursor.encode()) == cursor


def test_the_staff_menu_links_the_list_and_a_malformed_cursor_is_400(
        app: Flask, signed_in: FlaskClient) -> None:
    html = signed_in.get("/staff/").text
    assert f'href="/staff/follow-ups">{translated(app, "fi", "Follow-ups")}</a>' in html
    assert signed_in.get("/staff/follow-ups?after=not-a-cursor").status_code == 400
    assert "aria-current" in signed_in.get("/staff/follow-ups").text


# --- `flask followup send` ---------------------------------------------------------------


@pytest.mark.parametrize("lang", list(LOCALES))
def test_the_e_mail_holds_a_greeting_the_link_and_the_team_and_nothing_else(
        app: Flask, inbox: tuple[Inbox, int], worker: StaffUser, lang: str) -> None:
    case = due_case(worker, "1", language=lang)
    cases.add_note(case, worker, case.version, "Soitettu (keksitty muistiinpano)")
    with all_logs() as logs:
        output = send(app)
    assert "Follow-up e-mails sent: 1;" in output
    [message] = received(inbox)
    assert message["To"] == FAKE_PERSON["email"]
    locale = LOCALES[lang]
    assert message["Subject"] == translated(app, locale, "How are you?")
    link = f"{BASE_URL}/{lang}/status/{cases.status_token(case)}/follow-up"
    team = case.team
    assert message.get_body().get_content().splitlines() == [  # type: ignore[union-attr]
        translated(app, locale, "Hello,"), "",
        translated(app, locale, "Some time ago you were in contact with us. We would like to "
                                "know how you are now. You can answer a few questions here:"),
        link, "", team.name, translated(app, locale, "Phone: %(phone)s", phone=team.phone)]
    assert not message.is_multipart() and not message.get("Cc") and not message.get("Bcc")
    whole = message.as_string()
    for secret in ("Testi", FAKE_PERSON["phone"], CONTACT_ANSWERS["about"], "keksitty",
                   worker.name, case.reference, case.display_reference):
        assert secret not in whole, secret
    # What the app logged (the test's own SMTP server logs what it receives).
    ours = "\n".join(line for line in logs.text.splitlines() if " mail.log: " not in line)
    assert "follow-up e-mail sent for case" in ours
    for secret in (FAKE_PERSON["email"], cases.status_token(case)):
        assert secret not in ours


def test_only_consenting_clients_with_an_address_get_one_and_only_once(
        app: Flask, inbox: tuple[Inbox, int], worker: StaffUser, signed_in: FlaskClient) -> None:
    wanted = due_case(worker, "1", days_ago=2)
    due_case(worker, "2", follow_up_mail="no")
    due_case(worker, "3", email="")
    due_case(worker, "4", email="kaksi@example.test, kolme@example.test")
    due_case(worker, "5", days_ago=31)  # too long ago for an e-mail: a phone call
    not_yet = contact_case("6")
    close_with_follow_up(not_yet, worker, local_today() + timedelta(days=1))
    answered = due_case(worker, "7")
    cases.answer_follow_up(answered, cases.FollowUpAnswers(got_help="no"))
    output = send(app)
    assert "sent: 1;" in output and "for a phone call): 3." in output
    assert [m["To"] for m in received(inbox)] == [FAKE_PERSON["email"]]
    assert stored(wanted.id).follow_up.sent_at is not None  # type: ignore[union-attr]
    # Run again (or on another host): nothing more goes.
    assert "sent: 0;" in send(app)
    assert len(inbox[0].messages) == 1
    sent_word = translated(app, "fi", "Sent %(date)s", date="§").split("§")[0]
    assert sent_word in signed_in.get("/staff/follow-ups").text


def test_a_message_the_server_did_not_take_goes_on_the_next_run(
        app: Flask, inbox: tuple[Inbox, int], worker: StaffUser) -> None:
    case = due_case(worker, "1")
    port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = free_port()  # nobody listens there
    assert "failed (tried again on the next run): 1;" in send(app)
    assert stored(case.id).follow_up.sent_at is None  # type: ignore[union-attr]
    app.config["SMTP_PORT"] = port
    assert "sent: 1;" in send(app)
    assert len(inbox[0].messages) == 1


def test_two_runs_never_send_the_same_follow_up(app: Flask, inbox: tuple[Inbox, int],
                                                worker: StaffUser) -> None:
    """A run that finds a follow-up already claimed by another (a host running the job at
    the same time) leaves it: claiming is one conditional UPDATE."""
    case = due_case(worker, "1")
    follow_up_id = stored(case.id).follow_up.id  # type: ignore[union-attr]
    assert followup_mail.claim(follow_up_id, utcnow()) is True
    assert followup_mail.claim(follow_up_id, utcnow()) is False
    assert followup_mail.send_due().sent == 0
    assert inbox[0].messages == []


def test_without_smtp_the_command_says_so(app: Flask, worker: StaffUser) -> None:
    due_case(worker, "1")
    app.config["SMTP_HOST"] = ""
    result = app.test_cli_runner().invoke(args=["followup", "send"])
    assert result.exit_code == 1 and "SAATE_SMTP_HOST" in result.output
    assert stored(db.session.scalars(select(Case)).one().id).follow_up.sent_at is None  # type: ignore[union-attr]


# --- The client's follow-up page ---------------------------------------------------------


def follow_up_codes(case: Case) -> list[str]:
    return list(db.session.scalars(select(CaseCode.code).where(
        CaseCode.case_id == case.id, CaseCode.kind == "follow_up").order_by(CaseCode.code)))


@pytest.mark.parametrize("lang", list(LOCALES))
def test_the_client_answers_in_their_language_and_the_answers_are_counted(
        app: Flask, client: FlaskClient, worker: StaffUser, lang: str) -> None:
    case = due_case(worker, "1")
    locale = LOCALES[lang]
    page = client.get(f"{status_path(case, lang)}/follow-up")
    assert page.status_code == 200
    html = page.text
    assert f'<html lang="{"sv" if lang == "sv" else "fi"}">' in html
    assert translated(app, locale, "How are you now?") in html
    for question in STEP.questions:
        assert f'name="{question.code}"' in html, question.code
    # The saate's own work-ability question and its 0–10 scale.
    work_ability = SAATE.question("work_ability_score")
    assert STEP.question("work_ability_score") is work_ability
    assert str(escape(translated(app, locale, msgid(work_ability.label)))) in html
    assert html.count('name="work_ability_score"') == 11
    response = answer(client, case, ANSWERS, lang)
    assert response.status_code == 303
    assert response.location == f"{status_path(case, lang)}/follow-up/thanks"
    thanks = client.get(response.location).text
    assert translated(app, locale, "Thank you for your answers") in thanks
    follow_up = stored(case.id).follow_up
    assert follow_up is not None and follow_up.answered_by_channel == "web"
    assert (follow_up.got_help, follow_up.work_ability_score, follow_up.would_recommend,
            follow_up.comment) == ("partly", 7, True, COMMENT)
    assert follow_up.recorded_by_id is None
    assert follow_up_codes(case) == ["employment_services", "work_trial"]


def test_mistakes_keep_everything_typed(app: Flask, client: FlaskClient,
                                        worker: StaffUser) -> None:
    case = due_case(worker, "1")
    response = answer(client, case, {**ANSWERS, "doing_now": ["nothing_yet", "studies"]})
    assert response.status_code == 200
    assert error_summary(response.text) == [translated(
        app, "fi", "Choose either “None of these yet” or what you are doing now")]
    html = response.text
    assert COMMENT in html
    for checked in ('name="got_help" value="partly" checked',
                    'name="work_ability_score" value="7" checked',
                    'name="doing_now" value="studies" checked',
                    'name="would_recommend" value="yes" checked'):
        assert checked in html, checked
    response = answer(client, case, {"comment": ""})
    assert response.status_code == 200
    assert error_summary(response.text) == [translated(app, "fi",
                                                       "Answer at least one question")]
    too_long = "x" * 1001
    response = answer(client, case, {"comment": too_long})
    assert response.status_code == 200 and too_long in response.text
    assert stored(case.id).follow_up.answered_at is None  # type: ignore[union-attr]


def test_switching_language_keeps_what_was_typed(app: Flask, client: FlaskClient,
                                                 worker: StaffUser) -> None:
    case = due_case(worker, "1")
    response = answer(client, case, {**ANSWERS, "action": "language:sv"})
    assert response.status_code == 200
    assert '<html lang="sv">' in response.text
    assert translated(app, "sv", "How are you now?") in response.text
    assert COMMENT in response.text and 'name="got_help" value="partly" checked' in response.text
    assert error_summary(response.text) == []
    assert stored(case.id).follow_up.answered_at is None  # type: ignore[union-attr]


def test_answering_twice_says_kindly_that_the_answers_came(app: Flask, client: FlaskClient,
                                                          worker: StaffUser) -> None:
    case = due_case(worker, "1")
    path = f"{status_path(case)}/follow-up"
    first_page = client.get(path).text
    assert answer(client, case, ANSWERS).status_code == 303
    # The same page sent again (another tab): nothing changes, and the page says why.
    again = client.post(path, data={**ANSWERS, "got_help": "no",
                                    "csrf_token": csrf_token(first_page)})
    assert again.status_code == 200
    assert translated(app, "fi", "You have already answered") in again.text
    assert stored(case.id).follow_up.got_help == "partly"  # type: ignore[union-attr]
    assert translated(app, "fi", "You have already answered") in client.get(path).text


def test_before_its_day_or_without_a_follow_up_the_page_says_so(
        app: Flask, client: FlaskClient, worker: StaffUser) -> None:
    waiting = contact_case("1")
    day = local_today() + timedelta(days=30)
    close_with_follow_up(waiting, worker, day)
    response = client.get(f"{status_path(waiting)}/follow-up")
    assert response.status_code == 200
    assert translated(app, "fi", "The questions are not open yet") in response.text
    assert 'name="got_help"' not in response.text
    open_case = contact_case("2")
    for path in (f"{status_path(open_case)}/follow-up",
                 f"{status_path(open_case)}/follow-up/thanks"):
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200
        assert translated(app, "fi", "No questions for you now") in response.text
    page = client.get(status_path(waiting)).text  # a finished case's page has a form
    posted = client.post(f"{status_path(waiting)}/follow-up",
                         data={**ANSWERS, "csrf_token": csrf_token(page)})
    assert posted.status_code == 200 and stored(waiting.id).follow_up.answered_at is None  # type: ignore[union-attr]
    assert client.get(f"/fi/status/{'0' * 43}/follow-up").status_code == 404


def test_the_status_page_leads_to_the_questions_also_by_the_clients_code(
        app: Flask, worker: StaffUser) -> None:
    """A saate's client reaches the status page with the code that resumed the form; on a
    finished case whose follow-up is due, it links to the questions."""
    journey = Journey(app.test_client())
    journey.fill_all()
    code = journey.resume_code()
    assert journey.send().status_code == 302
    case = db.session.scalars(select(Case)).one()
    close_with_follow_up(case, worker)
    visitor = Journey(app.test_client())
    response = visitor.post("/resume", {"code": code,
                                        "second_factor": FAKE_PERSON["birth_year"]})
    assert response.location == status_path(case)
    html = visitor.client.get(response.location).text
    assert f'href="{status_path(case)}/follow-up"' in html
    assert translated(app, "fi", "Answer the questions") in html


# --- A worker enters the answers from a phone call ---------------------------------------


def test_a_worker_enters_the_answers_from_a_call_logged(
        app: Flask, signed_in: FlaskClient, worker: StaffUser, lead: StaffUser) -> None:
    lead_client = app.test_client()
    sign_in(lead_client, lead)
    case = due_case(worker, "1", follow_up_mail="no")
    case_html = signed_in.get(f"/staff/cases/{case.id}").text
    path = f"/staff/cases/{case.id}/follow-up"
    assert f'href="{path}"' in case_html
    page = signed_in.get(path)
    assert page.status_code == 200
    assert FAKE_PERSON["phone"] in page.text  # the number to call
    for question in FOLLOW_UP.questions():
        assert f'name="{question.code}"' in page.text
    response = signed_in.post(path, data={**ANSWERS, "csrf_token": csrf_token(page.text)})
    assert response.status_code == 302 and response.location == f"/staff/cases/{case.id}"
    follow_up = stored(case.id).follow_up
    assert follow_up is not None
    assert (follow_up.answered_by_channel, follow_up.recorded_by_id) == ("phone", worker.id)
    assert follow_up_codes(case) == ["employment_services", "work_trial"]
    actions = list(db.session.execute(select(AccessLogEntry.action, AccessLogEntry.detail).where(
        AccessLogEntry.case_id == case.id).order_by(AccessLogEntry.id)))
    assert ("view", "") in actions and ("change", "follow_up_answered") in actions
    # The answers on the case page; the comment for team leads only.
    html = signed_in.get(f"/staff/cases/{case.id}").text
    assert translated(app, "fi", "Partly", context="got help") in html
    assert COMMENT not in html
    assert COMMENT in lead_client.get(f"/staff/cases/{case.id}").text
    # The client's page now says the answers came.
    assert translated(app, "fi", "You have already answered") in app.test_client().get(
        f"{status_path(case)}/follow-up").text
    # Once only: a second save is refused, and the page says why.
    again = signed_in.post(path, data={**ANSWERS, "got_help": "no",
                                       "csrf_token": csrf_token(page.text)})
    assert again.status_code == 400
    assert translated(app, "fi", "The follow-up has already been answered. The answers are on "
                                 "the case page.") in again.text
    assert stored(case.id).follow_up.got_help == "partly"  # type: ignore[union-attr]


def test_a_worker_keeps_what_was_typed_and_other_teams_see_nothing(
        app: Flask, signed_in: FlaskClient, worker: StaffUser) -> None:
    case = due_case(worker, "1")
    path = f"/staff/cases/{case.id}/follow-up"
    token = csrf_token(signed_in.get(path).text)
    response = signed_in.post(path, data={"work_ability_score": "11", "comment": COMMENT,
                                          "csrf_token": token})
    assert response.status_code == 400 and COMMENT in response.text
    assert stored(case.id).follow_up.answered_at is None  # type: ignore[union-attr]
    other = app.test_client()
    sign_in(other, make_staff("testi.laukaa@example.test", teams=("laukaa-hankasalmi",)))
    assert other.get(path).status_code == 404
    open_case = contact_case("2")
    html = signed_in.get(f"/staff/cases/{open_case.id}/follow-up").text
    assert translated(app, "fi", "This case has no follow-up to answer.") in html


# --- Point 3: end-of-service feedback on the status page ---------------------------------


def test_the_status_page_of_a_finished_case_asks_for_feedback_once(
        app: Flask, client: FlaskClient, worker: StaffUser) -> None:
    case = contact_case("1")
    open_html = client.get(status_path(case)).text
    question = translated(app, "fi", "Would you recommend this service to others?")
    assert question not in open_html
    cases.close(case, worker, case.version, "advice_enough", no_contact_person_needed=True)
    html = client.get(status_path(case)).text
    assert question in html
    assert translated(app, "fi", "How easy was it to get help?") in html
    response = client.post(f"{status_path(case)}/feedback", data={
        "rating": "4", "would_recommend": "yes", "comment": "Hyvä palvelu (keksitty)",
        "csrf_token": csrf_token(html)})
    assert response.status_code == 303
    assert response.location == f"{status_path(case)}#end-feedback"
    [given] = db.session.scalars(select(Feedback)).all()
    assert (given.moment, given.rating, given.would_recommend, given.kind, given.language) == (
        Moment.END_OF_SERVICE, 4, True, "contact_request", "fi")
    after = client.get(status_path(case)).text
    assert question not in after
    assert translated(app, "fi", "Thank you for your feedback.") in after
    client.post(f"{status_path(case)}/feedback", data={
        "rating": "1", "would_recommend": "no", "csrf_token": csrf_token(html)})
    assert len(db.session.scalars(select(Feedback)).all()) == 1


def test_feedback_on_an_open_case_is_not_kept(app: Flask, client: FlaskClient) -> None:
    case = contact_case("1")
    html = client.get("/fi/contact").text  # an open case's status page has no form
    response = client.post(f"{status_path(case)}/feedback", data={
        "rating": "5", "would_recommend": "yes", "csrf_token": csrf_token(html)})
    assert response.status_code == 303
    assert db.session.scalars(select(Feedback)).all() == []


# --- Retention ---------------------------------------------------------------------------


def test_follow_up_answers_stay_for_statistics_and_the_comment_goes_with_the_case(
        app: Flask, client: FlaskClient, worker: StaffUser) -> None:
    old, late = due_case(worker, "1"), due_case(worker, "2")
    assert answer(client, old, ANSWERS).status_code == 303
    db.session.expire_all()
    for case in (old, late):
        db.session.get(Case, case.id).closed_at = utcnow() - timedelta(days=400)  # type: ignore[union-attr]
    db.session.commit()
    assert retention.run().cases_anonymised == 2
    kept = stored(old.id).follow_up
    assert kept is not None and kept.comment == ""
    assert (kept.got_help, kept.work_ability_score, kept.would_recommend) == ("partly", 7, True)
    assert follow_up_codes(old) == ["employment_services", "work_trial"]
    # The page stays open to the client after the case is anonymised; a comment given then
    # goes on the next run.
    assert answer(client, late, ANSWERS).status_code == 303
    assert stored(late.id).follow_up.comment == COMMENT  # type: ignore[union-attr]
    report = retention.run()
    assert (report.cases_anonymised, report.late_comments) == (0, 1)
    assert stored(late.id).follow_up.comment == ""  # type: ignore[union-attr]
    assert db.session.scalars(select(FollowUp).where(FollowUp.comment != "")).all() == []
    assert main_text(client.get(status_path(late)).text)
