"""The bad-input battery: every field of every form, sent everything a hostile visitor might.

Fields are found by themselves: the saate and the contact request from the schema
(app/saate/schema.py), every other form from its class (the staff action forms in
ACTION_FORMS, the staff's forms for recording a contact, sign-in, resume, feedback).
`test_every_form_is_reached` fails for a form class or a POST route that no target here
reaches, so a new form is either covered or noticed.

Each payload (tests/support/hostile.py) goes to every field of every target, in one
request per form where the body limit allows. For each: no 500; where a field is
refused, a message in the page's language at the field or in the error summary;
where it is accepted, exactly the clean text is stored (read back through the
drafts and cases services); and nothing raw or run in the client pages (step, check
answers, status), the staff case view, the print view or the access-log CSV; the FHIR
download of a saate holds each text exactly, in a valid QuestionnaireResponse. Staff
names come in through the CLI with the payload in them; the staff side's GET filter
forms are read off their pages and get every payload too.

Below the battery: requests over the body or field limits (a friendly 413), forged
choice codes kept out of drafts, the cut-text note, bodies that are not UTF-8.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_string, policy

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, format_number, gettext
from flask_wtf import FlaskForm
from markupsafe import escape
from sqlalchemy import func, select
from werkzeug.test import TestResponse
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    SelectFieldBase,
    StringField,
    TextAreaField,
)
from wtforms.fields.core import UnboundField
from wtforms.validators import Length

from app.auth.routes import CodeForm, SignInForm
from app.casework import cases, destinations
from app.casework.cases import local_today
from app.extensions import db
from app.forms import BaseForm
from app.intake import drafts
from app.models import (
    Case,
    Feedback,
    FollowUp,
    StaffSetupLink,
    StaffUser,
    Team,
    TeamDestination,
)
from app.people import accounts, setup_links
from app.people import teams as team_service
from app.public.confirmation import FeedbackForm, StatusMailForm
from app.public.crisis import CrisisForm
from app.public.saate import ActionForm, ResumeForm
from app.public.status import EndOfServiceForm
from app.saate.bounds import TEXT_KINDS
from app.saate.follow_up import FOLLOW_UP, STEP
from app.saate.forms import SaateForm, form_class
from app.saate.forms import email as email_format
from app.saate.forms import phone as phone_format
from app.saate.schema import CONTACT_REQUEST, FORMS, NONE, SAATE, Kind, Question
from app.staff.admin_forms import (
    DeactivateForm,
    DestinationsForm,
    NewDestinationForm,
    NewTeamForm,
    ReassignForm,
    RenameDestinationForm,
    SetupForm,
    StaffChangeForm,
    StaffForm,
    TeamForm,
)
from app.staff.forms import ACTION_FORMS, CloseForm, DayField, NewContactForm, StaffSaateForm
from app.text import clean_text
from tests.support.fhir import check_response, response_answers
from tests.support.follow_up import close_with_follow_up
from tests.support.hostile import (
    OUT_OF_CHOICES,
    PAYLOADS,
    SECOND_VALUE,
    Payload,
    body,
    check_page,
    forbidden_in,
    isolated_everywhere,
    page_forms,
    refused,
    shown_escaped,
)
from tests.support.journey import CONTACT_REQUEST as VALID_CONTACT_REQUEST
from tests.support.journey import FAKE_PERSON
from tests.support.mail import Inbox
from tests.support.pages import csrf_token
from tests.support.staff import PASSWORD, make_staff, sign_in

pytestmark = pytest.mark.usefixtures("teams")

# URL segment -> (Babel locale, <html lang>, the staff side's locale)
LANGUAGES = {"fi": ("fi", "fi", "fi"), "sv": ("sv", "sv", "sv"), "selko": ("fi@selko", "fi", "fi")}
CUT_NOTE = ("Your answer to “%(question)s” is longer than %(limit)s characters. Only the "
            "first %(limit)s characters were saved. Shorten the answer and continue.")
FORM_BODY = "application/x-www-form-urlencoded"
STAFF_EMAIL = "testi.yllapitaja@example.test"



@pytest.fixture
def app_overrides(inbox: tuple[Inbox, int]) -> dict:
    # The battery sends many posts from one address: rate limits are tested elsewhere.
    # A real SMTP server takes the status-link e-mails the battery asks for.
    return {"RATELIMIT_ENABLED": False, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": inbox[1],
            "SMTP_STARTTLS": False}


# --- Fields, found from the schema and from the form classes ------------------------------


def class_fields(form: type[FlaskForm]) -> dict[str, UnboundField]:
    """A form class's own fields (the CSRF token is added when a form is made)."""
    return dict(inspect.getmembers(form, lambda value: isinstance(value, UnboundField)))


def field_kind(unbound: UnboundField) -> str:
    """How the battery fills a field; an unknown field type fails here, to be taught."""
    cls = unbound.field_class
    for base, kind in ((SelectFieldBase, "choice"), (PasswordField, "secret"),
                       (TextAreaField, "lines"), (StringField, "line"),
                       (IntegerField, "number"), (BooleanField, "tick"), (DayField, "day")):
        if issubclass(cls, base):
            return kind
    raise AssertionError(f"the battery does not know how to fill a {cls.__name__}")


def field_limit(unbound: UnboundField) -> int | None:
    return next((v.max for v in unbound.kwargs.get("validators", ())
                 if isinstance(v, Length) and v.max != -1), None)


def kept_text(text: str, multiline: bool, limit: int | None = None) -> str:
    """Typed text as it must be stored: clean, trimmed, cut to the limit."""
    kept = clean_text(text, multiline=multiline).strip()
    return kept[:limit].rstrip() if limit is not None and len(kept) > limit else kept


def follow_up_triggers() -> dict[str, str]:
    """For each question that others follow up, a code that makes the follow-ups apply."""
    triggers: dict[str, str] = {}
    for form in FORMS.values():
        for question in form.questions():
            if question.show_if:
                triggers.setdefault(question.show_if.question, sorted(question.show_if.codes)[0])
    return triggers


VALID_TEXT = {Kind.PHONE: FAKE_PERSON["phone"], Kind.EMAIL: FAKE_PERSON["email"],
              Kind.YEAR: FAKE_PERSON["birth_year"]}
# A day every day field takes: a week ahead (the next step's day is today to two years on).
VALID_DAY = local_today() + timedelta(days=7)


def valid_values(question: Question) -> list[str]:
    """A valid answer that also opens every follow-up question ("none of these", where a
    question offers it, is valid whatever the other answers are)."""
    if question.kind in TEXT_KINDS:
        return [VALID_TEXT.get(question.kind, "Testi")]
    if question.choices_from:
        return [FAKE_PERSON["municipality"]]
    codes = [choice.code for choice in question.choices]
    fallback = NONE if NONE in codes else codes[0]
    return [follow_up_triggers().get(question.code, fallback)]


def hostile_values(question: Question, payload: Payload) -> list[str]:
    if question.kind in TEXT_KINDS:
        return [payload.text, SECOND_VALUE] if payload.repeated else [payload.text]
    return [payload.choice_value] * (3 if payload.repeated else 1)


def kept_answer(question: Question, payload: Payload) -> str:
    return kept_text(payload.text, question.kind == Kind.TEXTAREA, question.max_length)


# --- A visitor and a staff member ------------------------------------------------------------


@dataclass
class Battery:
    """One payload against the app: a visitor's browser, the language, a staff member."""

    app: Flask
    payload: Payload
    inbox: Inbox | None = None
    client: FlaskClient = field(init=False)
    page: str = ""
    staff: tuple[FlaskClient, StaffUser] | None = None

    def __post_init__(self) -> None:
        self.client = self.app.test_client()
        self.segment = self.payload.language
        self.locale, self.html_lang, self.staff_locale = LANGUAGES[self.segment]

    def new_visitor(self) -> None:
        self.client, self.page = self.app.test_client(), ""

    def get(self, path: str, client: FlaskClient | None = None) -> TestResponse:
        return self.checked(path, (client or self.client).get(path))

    def post(self, path: str, fields: list[tuple[str, str]],
             client: FlaskClient | None = None) -> TestResponse:
        """Post with the CSRF token of the last page read."""
        fields = [("csrf_token", csrf_token(self.page)), *fields]
        response = (client or self.client).post(path, data=body(fields, self.payload),
                                                content_type=FORM_BODY)
        return self.checked(path, response)

    def checked(self, path: str, response: TestResponse) -> TestResponse:
        """Every page the battery sees: no 500, and the checks of check_page."""
        assert response.status_code < 500, (path, response.status_code)
        if response.mimetype == "text/html" and not 300 <= response.status_code < 400:
            self.page = response.text
            self.check(response.text, f"{response.status_code} {path}",
                       staff=path.startswith("/staff"))
        return response

    def check(self, html: str, where: str, staff: bool = False) -> None:
        if staff:
            check_page(html, self.staff_locale, self.staff_locale, where)
        else:
            check_page(html, self.locale, self.html_lang, where)

    def draft(self) -> drafts.Draft:
        with self.client.session_transaction() as session:
            token = session.get("draft_token")
        db.session.expire_all()
        draft = drafts.find(token)
        assert draft is not None
        return draft

    def cut_note(self, question: Question) -> str:
        with self.app.test_request_context("/"), force_locale(self.locale):
            return gettext(CUT_NOTE, question=str(question.label),
                           limit=format_number(question.max_length))

    def staff_member(self) -> tuple[FlaskClient, StaffUser]:
        """An admin of the cases' team, made with the CLI and named with the payload (names
        are typed text too), signed in, working in the page's language."""
        if self.staff is None:
            name = f"Testi {self.payload.text[:60]}"
            result = self.app.test_cli_runner().invoke(args=[
                "staff", "create", "--email", STAFF_EMAIL, "--name", name,
                "--title", "terveydenhoitaja", "--role", "admin", "--team", "jyvaskyla",
                "--ui-language", self.staff_locale, "--password-stdin"], input=f"{PASSWORD}\n")
            assert result.exit_code == 0, result.output
            user = db.session.scalar(select(StaffUser).where(StaffUser.email == STAFF_EMAIL))
            assert user is not None
            assert user.name == kept_text(name, multiline=False)
            client = self.app.test_client()
            sign_in(client, user)
            self.staff = client, user
        return self.staff


# --- The schema's forms: the saate step by step, and the contact request -------------------


def request_groups(questions: tuple[Question, ...], payload: Payload) -> list[list[Question]]:
    if not payload.one_field_per_request:
        return [list(questions)]
    return [[question] for question in questions]


def send_hostile(battery: Battery, path: str, questions: tuple[Question, ...],
                 extra: list[tuple[str, str]], after: Callable[[list[Question], str], None]
                 ) -> dict[str, str]:
    """The payload in every field; returns {code: kept text} of text questions that took it."""
    payload = battery.payload
    accepted: dict[str, str] = {}
    for group in request_groups(questions, payload):
        battery.get(path)
        fields = [(q.code, value) for q in group for value in hostile_values(q, payload)]
        response = battery.post(path, [*fields, *extra])
        html = response.text if response.status_code == 200 else ""
        for question in group:
            if question.kind in TEXT_KINDS:
                if not refused(html, question.code):
                    accepted[question.code] = kept_answer(question, payload)
            elif question.show_if is None:
                # A code the page never offered is refused, with a message at the field
                # (a follow-up that does not apply is not asked, so not judged either).
                assert refused(html, question.code), (path, question.code)
        after(group, html)
    return accepted


def repaired_fields(questions: tuple[Question, ...], payload: Payload,
                    accepted: dict[str, str]) -> list[tuple[str, str]]:
    """The payload where it was accepted, a valid answer everywhere else."""
    fields = []
    for question in questions:
        if question.code in accepted:
            values = hostile_values(question, payload)
        else:
            values = valid_values(question) * (3 if payload.repeated else 1)
        fields += [(question.code, value) for value in values]
    return fields


def send_repaired(battery: Battery, path: str, questions: tuple[Question, ...],
                  accepted: dict[str, str], extra: Callable[[], list[tuple[str, str]]]
                  ) -> TestResponse:
    """Post until valid: a text judged only now (a follow-up that applies now, a rule
    across fields) may still be refused, with a message, and is then replaced."""
    for _ in range(len(questions) + 1):
        battery.get(path)
        response = battery.post(path, [*repaired_fields(questions, battery.payload, accepted),
                                       *extra()])
        if response.status_code != 200:
            return response
        now_refused = [code for code in accepted if refused(response.text, code)]
        assert now_refused, (path, response.text[:3000])
        for code in now_refused:
            del accepted[code]
    raise AssertionError(f"{path} never became valid")


def check_case_pages(battery: Battery, case: Case, texts: list[str]) -> None:
    """The staff case view and print view show each typed text escaped and isolated."""
    client, _ = battery.staff_member()
    for path in (f"/staff/cases/{case.id}", f"/staff/cases/{case.id}/print"):
        html = battery.get(path, client).text
        for text in texts:
            assert isolated_everywhere(html, text), (path, text)
    if case.kind == SAATE.kind:
        check_fhir_download(battery, client, case)
    check_access_log_csv(battery, client)


def check_fhir_download(battery: Battery, client: FlaskClient, case: Case) -> None:
    """The saate handed over as FHIR: a valid response to the Questionnaire, holding every
    stored text exactly (JSON strings, nothing escaped for HTML)."""
    questionnaire = json.loads(battery.get("/fhir/Questionnaire/saate").data)
    response = battery.get(f"/staff/cases/{case.id}/fhir", client)
    assert response.status_code == 200
    document = json.loads(response.data)
    check_response(document, questionnaire)
    given = response_answers(document)
    for question in SAATE.questions():
        value = case.answers.get(question.code)
        if question.kind in TEXT_KINDS and value and question.applies(case.answers):
            assert given[question.code] == [value], question.code


def check_access_log_csv(battery: Battery, client: FlaskClient,
                         names: tuple[str, ...] = ()) -> None:
    response = client.get("/staff/access-log.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    assert len(rows) > 1
    for row in rows:
        for cell in row:
            assert not forbidden_in(cell), cell
    for name in names:
        assert any(name in row for row in rows), name


def run_saate(battery: Battery) -> None:
    segment, payload = battery.segment, battery.payload
    battery.get(f"/{segment}/saate/")
    assert battery.post(f"/{segment}/saate/", []).status_code == 302
    accepted_texts: dict[str, str] = {}
    for step in SAATE.steps:
        path = f"/{segment}/saate/{step.slug}"

        def draft_keeps(group: list[Question], html: str) -> None:
            # Saved whether valid or not: every text clean and within its limit, no
            # unknown code kept, and a client told when their text was cut.
            stored = battery.draft().answers
            for question in group:
                if not question.applies(stored):
                    # A follow-up whose lead did not get an answer that opens it: dropped.
                    assert question.code not in stored, question.code
                elif question.kind in TEXT_KINDS:
                    assert stored[question.code] == kept_answer(question, payload), question.code
                    full = kept_text(payload.text, question.kind == Kind.TEXTAREA)
                    if len(full) > question.max_length:  # type: ignore[operator]
                        assert str(escape(battery.cut_note(question))) in html, question.code
                else:
                    assert stored[question.code] in ("", []), question.code

        accepted = send_hostile(battery, path, step.questions, [], draft_keeps)
        response = send_repaired(battery, path, step.questions, accepted, list)
        assert response.status_code == 302, (path, response.status_code)
        stored = battery.draft().answers
        for code, kept in accepted.items():
            assert stored[code] == kept, code
        for question in step.questions:
            if question.kind == Kind.CHECKBOXES:
                assert len(stored[question.code]) == len(set(stored[question.code]))
        accepted_texts.update(accepted)

    check = battery.get(f"/{segment}/saate/check").text
    for kept in accepted_texts.values():
        if kept:
            assert shown_escaped(check, kept), kept
    draft_id = battery.draft().id
    assert battery.post(f"/{segment}/saate/check", []).status_code == 302
    case = cases.find_by_submission_key(draft_id)
    assert case is not None
    for code, kept in accepted_texts.items():
        assert case.answers.get(code, "") == kept, code
    check_sent_and_status(battery, f"/{segment}/saate/sent")
    check_case_pages(battery, case, [kept for kept in accepted_texts.values() if kept])


def check_sent_and_status(battery: Battery, sent_path: str) -> None:
    sent = battery.get(sent_path).text
    base = re.escape(battery.app.config["BASE_URL"].rstrip("/"))
    found = re.search(rf'href="{base}(/[a-z]+/status/[^"]+)"', sent)
    assert found, "no status link"
    assert battery.get(found.group(1)).status_code == 200


def run_contact(battery: Battery) -> None:
    segment, payload = battery.segment, battery.payload
    path = f"/{segment}/contact"
    step = CONTACT_REQUEST.steps[0]
    case_count = db.session.scalar(select(func.count(Case.id)))

    def nothing_kept(group: list[Question], html: str) -> None:
        # Refused: no case; a fresh submission key replaces the forged one.
        assert db.session.scalar(select(func.count(Case.id))) == case_count
        keys = page_forms(html).get(path, {}).get("submission_key", [])
        assert keys and re.fullmatch(r"[0-9a-f]{32}", keys[0]), keys

    forged_key = [("submission_key", payload.text)]
    accepted = send_hostile(battery, path, step.questions, forged_key, nothing_kept)
    key = page_forms(battery.page)[path]["submission_key"][0]
    response = send_repaired(battery, path, step.questions, accepted,
                             lambda: [("submission_key", key)])
    assert response.status_code == 302, response.status_code
    case = cases.find_by_submission_key(key)
    assert case is not None
    for code, kept in accepted.items():
        assert case.answers.get(code, "") == kept, code
    check_sent_and_status(battery, f"/{segment}/contact/sent")
    check_case_pages(battery, case, [kept for kept in accepted.values() if kept])


# --- The crisis page: send now, with only a first name and a phone number -------------------


def run_crisis(battery: Battery) -> None:
    """A yes to the crisis question with nothing else answered: the crisis page asks for a
    name and a phone number. Refused: nothing sent, a message at the field. Accepted:
    exactly the clean text in the case, escaped and isolated on every page."""
    segment, payload = battery.segment, battery.payload
    battery.get(f"/{segment}/saate/")
    assert battery.post(f"/{segment}/saate/", []).status_code == 302
    battery.get(f"/{segment}/saate/right-now")
    path = f"/{segment}/saate/help-now"
    assert battery.post(f"/{segment}/saate/right-now",
                        [("acute_distress", "yes")]).location == path
    draft_id = battery.draft().id
    battery.get(path)
    response = battery.post(path, class_form_fields(CrisisForm, payload))
    accepted = kept_by_field(CrisisForm, payload)
    if response.status_code == 200:
        assert cases.find_by_submission_key(draft_id) is None
        valid = {"name": "Testi", "phone": FAKE_PERSON["phone"]}
        for name in valid:
            if refused(response.text, name):
                del accepted[name]
        battery.get(path)
        response = battery.post(path, [(name, payload.text if name in accepted else value)
                                       for name, value in valid.items()])
    assert response.status_code == 302, response.status_code
    case = cases.find_by_submission_key(draft_id)
    assert case is not None and case.urgent
    for name, kept in accepted.items():
        assert case.answers.get(name, "") == kept, name
    check_sent_and_status(battery, f"/{segment}/saate/sent")
    check_case_pages(battery, case, [kept for kept in accepted.values() if kept])


# --- The other forms, from their classes ----------------------------------------------------


# With valid choices: the choice that makes a form keep its text fields (the others leave
# them out): someone outside the team has a name, title and organisation; a referral has a
# referrer. Otherwise the first real choice the page offers (not an empty "Choose…").
PREFERRED_CHOICES = {"staff_member": "outside", "channel": "referral"}
# Fields that check a format refuse every payload by design; with valid choices they get
# valid text, so that the form's other text is judged (and kept) too.
FORMATTED_TEXT = {phone_format: FAKE_PERSON["phone"], email_format: FAKE_PERSON["email"]}


def formatted_text(unbound: UnboundField) -> str | None:
    return next((FORMATTED_TEXT[v] for v in unbound.kwargs.get("validators", ())
                 if v in FORMATTED_TEXT), None)


def chosen(name: str, offered: list[str]) -> list[str]:
    real = [value for value in offered if value]
    if PREFERRED_CHOICES.get(name) in real:
        return [PREFERRED_CHOICES[name]]
    return real[:1] or offered[:1]


def class_form_fields(form: type[FlaskForm], payload: Payload,
                      valid: dict[str, list[str]] | None = None) -> list[tuple[str, str]]:
    """The payload in every field of the class; with `valid` (what the page offers), only in
    its free-text fields. A choice the page does not show (a checkbox shown only when it
    applies) is left out, as a browser would."""
    fields = []
    for name, unbound in class_fields(form).items():
        kind = field_kind(unbound)
        if valid is not None and kind == "day":
            values = [VALID_DAY.isoformat()]  # a day the field takes (the form may offer none)
        elif valid is not None and kind not in {"line", "lines", "secret"}:
            if name not in valid:
                continue
            values = chosen(name, valid[name]) * (3 if payload.repeated and kind == "choice"
                                                  else 1)
        elif valid is not None and formatted_text(unbound) is not None:
            values = [formatted_text(unbound)]  # type: ignore[list-item]
        elif kind in {"line", "lines", "secret"} and payload.repeated:
            values = [payload.text, SECOND_VALUE]
        elif kind in {"line", "lines", "secret"}:
            values = [payload.text]
        elif payload.one_field_per_request:
            # Too big to send to every field at once: the text fields get it; a choice
            # refuses any code the page did not offer, long or not.
            values = [OUT_OF_CHOICES]
        else:
            values = [payload.choice_value] * (3 if payload.repeated else 1)
        fields += [(name, value) for value in values]
    return fields


def kept_by_field(form: type[FlaskForm], payload: Payload) -> dict[str, str]:
    return {name: kept_text(payload.text, field_kind(unbound) == "lines")
            for name, unbound in class_fields(form).items()
            if field_kind(unbound) in {"line", "lines"}}


def run_feedback(battery: Battery) -> None:
    segment, payload = battery.segment, battery.payload
    battery.get(f"/{segment}/contact")
    assert battery.post(f"/{segment}/contact",
                        list(VALID_CONTACT_REQUEST.items())).status_code == 302
    sent_path = f"/{segment}/contact/sent"
    path = f"/{segment}/feedback/contact_request"
    offered = page_forms(battery.get(sent_path).text)[path]
    limits = {name: field_limit(unbound) for name, unbound in class_fields(FeedbackForm).items()}
    for fields in (class_form_fields(FeedbackForm, payload),
                   class_form_fields(FeedbackForm, payload, offered)):
        battery.get(sent_path)
        response = battery.post(path, fields)
        stored = db.session.scalars(select(Feedback)).all()
        if response.status_code == 303:
            assert len(stored) == 1
            assert stored[0].rating in {None, *range(1, 6)}
            assert stored[0].comment == kept_by_field(FeedbackForm, payload)["comment"]
            break
        assert not stored
        # Refused only for text over its limit, and said at the field.
        for name, kept in kept_by_field(FeedbackForm, payload).items():
            assert refused(response.text, name) == (len(kept) > (limits[name] or len(kept)))
    battery.get(sent_path)


def run_resume(battery: Battery) -> None:
    path = f"/{battery.segment}/resume"
    battery.get(path)
    response = battery.post(path, class_form_fields(ResumeForm, battery.payload))
    assert response.status_code == 200
    assert refused(response.text, "code")  # "no form with that code and answer"


def run_status_mail(battery: Battery) -> None:
    """The sent page's one-button form (e-mail me the status link), sent the payload in
    made-up fields: the e-mail goes with the link and nothing else, or the page says it did
    not. (Odd addresses: tests/requests/test_status_mail.py.)"""
    segment, payload = battery.segment, battery.payload
    battery.get(f"/{segment}/contact")
    assert battery.post(f"/{segment}/contact",
                        list(VALID_CONTACT_REQUEST.items())).status_code == 302
    sent_path = f"/{segment}/contact/sent"
    path = f"/{segment}/status-link/contact_request"
    assert path in page_forms(battery.get(sent_path).text)
    status_link = re.search(r'<p class="status-link"><a href="([^"]+)"', battery.page)
    assert status_link and battery.inbox is not None
    before = len(battery.inbox.messages)
    fields = [(name, payload.text) for name in ("email", "address", "to", "action")]
    response = battery.post(path, fields)
    assert response.status_code in (200, 303), response.status_code
    mail = battery.inbox.messages[before:]
    if response.status_code == 303:
        [raw] = mail
        message = message_from_string(raw, policy=policy.default)
        body = message.get_body().get_content()  # type: ignore[union-attr]
        assert body.splitlines() == [unescape_link(status_link.group(1))], body
    else:
        assert not mail
    battery.get(sent_path)


def unescape_link(href: str) -> str:
    return href.replace("&amp;", "&")


def run_sign_in(battery: Battery) -> None:
    payload = battery.payload
    _, user = battery.staff_member()
    battery.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = battery.staff_locale
    battery.get("/staff/sign-in")
    response = battery.post("/staff/sign-in", class_form_fields(SignInForm, payload))
    assert response.status_code == 200
    assert refused(response.text, "email")
    battery.get("/staff/sign-in")
    assert battery.post("/staff/sign-in", [("email", user.email), ("password", PASSWORD)]
                        ).location == "/staff/sign-in/code"
    battery.get("/staff/sign-in/code")
    response = battery.post("/staff/sign-in/code", class_form_fields(CodeForm, payload))
    assert response.status_code == 200
    assert refused(response.text, "code")


LAST_ACTIONS = ("close", "reopen")  # a closed case offers nothing but reopening
# Actions whose form is on a page of its own, reached from the case page: closing is
# confirmed on the page the case page's close/confirm form opens.
CONFIRMED_ON = {"close": "close/confirm"}


def actions_in_order() -> Iterator[tuple[str, type[FlaskForm]]]:
    """Every case action; closing, then reopening (a lead's action: the battery's staff
    member is an admin) last."""
    yield from sorted(ACTION_FORMS.items(), key=lambda item: (
        LAST_ACTIONS.index(item[0]) if item[0] in LAST_ACTIONS else -1))


def close_if_open(case_id: int) -> None:
    db.session.expire_all()
    staff = db.session.scalar(select(StaffUser).where(StaffUser.email == STAFF_EMAIL))
    case = cases.visible_case(staff, case_id)  # type: ignore[arg-type]
    if case is not None and case.status != "closed":
        cases.close(case, staff, case.version, "other",  # type: ignore[arg-type]
                    no_contact_person_needed=True)


def confirmation_page(battery: Battery, client: FlaskClient, case_path: str) -> str:
    """The page the case page's close form opens (close/confirm, CloseForm): the payload
    everywhere is refused at the reason, on the case page; valid choices with the payload in
    the note open the confirmation page (a note too long is refused, then left out)."""
    payload, step = battery.payload, f"{case_path}/{CONFIRMED_ON['close']}"
    offered = page_forms(battery.get(case_path, client).text).get(step)
    assert offered is not None, "the case page has no close form"
    version = [("version", value) for value in offered["version"][:1]]
    fields = [f for f in class_form_fields(CloseForm, payload) if f[0] != "version"]
    response = battery.post(step, [*fields, *version], client)
    assert response.status_code == 400 and refused(response.text, "reason")
    fields = [f for f in class_form_fields(CloseForm, payload, offered) if f[0] != "version"]
    battery.get(case_path, client)
    response = battery.post(step, [*fields, *version], client)
    if response.status_code == 400:
        assert refused(response.text, "note")
        battery.get(case_path, client)
        response = battery.post(step, [(n, "" if n == "note" else v) for n, v in fields]
                                + version, client)
    assert response.status_code == 200, response.status_code
    return response.text


def run_staff_actions(battery: Battery) -> None:
    payload = battery.payload
    answers = dict(VALID_CONTACT_REQUEST)
    case_id = cases.create_case(CONTACT_REQUEST, "fi", answers, "f" * 32).id
    client, user = battery.staff_member()
    case_path = f"/staff/cases/{case_id}"

    def events() -> list:
        db.session.expire_all()
        staff = db.session.scalar(select(StaffUser).where(StaffUser.email == STAFF_EMAIL))
        return cases.visible_case(staff, case_id).events  # type: ignore[arg-type, union-attr]

    def form_page(name: str) -> str:
        """The page that holds the action's form: the case page, or a page it leads to."""
        if name in CONFIRMED_ON:
            return confirmation_page(battery, client, case_path)
        return battery.get(case_path, client).text
    shown: list[str] = []
    for name, form in actions_in_order():
        path = f"{case_path}/{name}"
        if name == "reopen":
            close_if_open(case_id)  # the payload may have been too long to close it with
        offered = page_forms(form_page(name)).get(path)
        assert offered is not None, f"the case page has no {name} form"
        numbers = [n for n, u in class_fields(form).items() if field_kind(u) == "number"]

        # A forged number (the case version) changes nothing.
        before = len(events())
        forged = [(n, payload.text) for n in numbers]
        valid_rest = [f for f in class_form_fields(form, payload, offered) if f[0] not in numbers]
        response = battery.post(path, [*forged, *valid_rest], client)
        assert response.status_code in (400, 409), (name, response.status_code)
        assert len(events()) == before

        # The payload everywhere, then valid choices with the payload in the text fields.
        formatted = {n for n, u in class_fields(form).items() if formatted_text(u) is not None}
        for hostile in (True, False):
            fields = class_form_fields(form, payload, None if hostile else offered)
            version = page_forms(form_page(name))[path]["version"][:1]
            fields = [(n, v) for n, v in fields if n not in numbers]
            fields += [(n, v) for n in numbers for v in version]
            response = battery.post(path, fields, client)
            assert response.status_code in (302, 400), (name, response.status_code)
            if response.status_code == 302:
                data = max(events(), key=lambda event: event.id).data
                for field_name, kept in kept_by_field(form, payload).items():
                    if field_name in formatted:
                        continue
                    assert data.get(field_name) == kept, (name, field_name)
                    shown.append(kept)
                for value in data.values():  # codes chosen more than once are kept once
                    assert not isinstance(value, list) or len(set(value)) == len(value), name
                break
            for field_name, unbound in class_fields(form).items():
                if hostile and field_kind(unbound) in {"choice", "day"}:
                    assert refused(response.text, field_name), (name, field_name)

    for path in (case_path, f"{case_path}/print"):
        html = battery.get(path, client).text
        for text in [*shown, user.name]:
            if text:
                assert isolated_everywhere(html, text), (path, text)
    check_access_log_csv(battery, client, names=(user.name,))


# --- Recording a contact: the short form and the saate filled in by staff -----------------

VALID_LINE = "Testi"
# The battery's staff member is in the Jyväskylä team: its municipality, a referral (so the
# referrer's fields are kept), a contact in Swedish.
RECORDING_CHOICES = {"channel": "referral", "urgent": "no", "language": "sv",
                     "municipality": FAKE_PERSON["municipality"]}


@dataclass
class RecordingPage:
    """A recording page's form, its free-text fields and everything else a valid post needs."""

    path: str
    texts: dict[str, bool]  # field name -> multiline
    limits: dict[str, int | None]
    valid: Callable[[str], list[tuple[str, str]]]  # the other fields, valid, with the page's key
    valid_texts: dict[str, str] = field(default_factory=dict)  # where "Testi" is not valid

    def valid_text(self, name: str) -> str:
        return self.valid_texts.get(name, VALID_LINE)


def judge_texts(battery: Battery, client: FlaskClient, form: RecordingPage) -> dict[str, str]:
    """Which free-text fields take the payload ({name: the text kept}), judged on posts that
    leave the municipality empty, so that nothing is recorded yet. A text over its limit is
    refused at its field; a refused choice or text never makes a case."""
    payload = battery.payload
    groups = ([[name] for name in form.texts] if payload.one_field_per_request
              else [list(form.texts)])
    before = db.session.scalar(select(func.count(Case.id)))
    accepted: dict[str, str] = {}
    for group in groups:
        page = battery.get(form.path, client).text
        key = page_forms(page)[form.path]["form_key"][0]
        texts = [(name, value) for name in form.texts
                 for value in ((payload.text, SECOND_VALUE) if payload.repeated and name in group
                               else (payload.text,) if name in group
                               else (form.valid_text(name),))]
        others = [(n, v) for n, v in form.valid(key) if n not in form.texts]
        response = battery.post(form.path, [*texts, *[(n, "" if n == "municipality" else v)
                                                      for n, v in others]], client)
        assert response.status_code == 400, response.status_code
        assert refused(response.text, "municipality")
        for name in group:
            kept = kept_text(payload.text, form.texts[name])
            if not refused(response.text, name):
                assert len(kept) <= (form.limits[name] or len(kept)), name
                accepted[name] = kept
    assert db.session.scalar(select(func.count(Case.id))) == before
    return accepted


def record_with(battery: Battery, client: FlaskClient, form: RecordingPage,
                accepted: dict[str, str]) -> Case:
    """Post valid, with the payload in the text fields that took it: one new case."""
    payload = battery.payload
    page = battery.get(form.path, client).text
    key = page_forms(page)[form.path]["form_key"][0]
    texts = [(name, value) for name in form.texts
             for value in (((payload.text, SECOND_VALUE) if payload.repeated else (payload.text,))
                           if name in accepted else (form.valid_text(name),))]
    others = [(n, v) for n, v in form.valid(key) if n not in form.texts]
    response = battery.post(form.path, [*texts, *others], client)
    assert response.status_code == 302, (form.path, response.status_code)
    case = cases.find_by_submission_key(cases.STAFF_KEY_PREFIX + key)
    assert case is not None
    return case


def hostile_fields(fields: list[tuple[str, str]], payload: Payload,
                   texts: dict[str, bool]) -> list[tuple[str, str]]:
    """The payload everywhere; a payload too big for that keeps to the choices (the texts are
    judged one by one in judge_texts)."""
    if not payload.one_field_per_request:
        return fields
    return [(name, "" if name in texts else
             OUT_OF_CHOICES if value == payload.text else value) for name, value in fields]


def all_refused_choices(battery: Battery, client: FlaskClient, form: RecordingPage,
                        choices: list[str], fields: list[tuple[str, str]]) -> None:
    """The payload in every field, choices too: each choice refused at its field, no case."""
    before = db.session.scalar(select(func.count(Case.id)))
    battery.get(form.path, client)
    response = battery.post(form.path, fields, client)
    assert response.status_code == 400, response.status_code
    for name in choices:
        assert refused(response.text, name), (form.path, name)
    assert db.session.scalar(select(func.count(Case.id))) == before


def run_record_contact(battery: Battery) -> None:
    """/staff/cases/new (NewContactForm), its fields found from the class and its page."""
    payload = battery.payload
    client, _ = battery.staff_member()
    path = "/staff/cases/new"
    unbound = class_fields(NewContactForm)
    offered = page_forms(battery.get(path, client).text)[path]
    assert set(unbound) <= set(offered), set(unbound) - set(offered)
    texts = {name: field_kind(u) == "lines" for name, u in unbound.items()
             if field_kind(u) in {"line", "lines"} and formatted_text(u) is None
             and name != "form_key"}
    choices = [name for name, u in unbound.items() if field_kind(u) == "choice"]

    def valid(key: str) -> list[tuple[str, str]]:
        fields = [(n, RECORDING_CHOICES.get(n) or chosen(n, offered[n])[0]) for n in choices]
        fields += [(n, formatted_text(u)) for n, u in unbound.items()  # type: ignore[misc]
                   if formatted_text(u) is not None]
        return [*fields, ("form_key", key)]

    form = RecordingPage(path, texts, {n: field_limit(unbound[n]) for n in texts}, valid)
    all_refused_choices(battery, client, form, choices, hostile_fields(
        class_form_fields(NewContactForm, payload), payload, texts))
    accepted = judge_texts(battery, client, form)
    case = record_with(battery, client, form, accepted)
    assert (case.channel, case.language) == ("referral", "sv")
    stored = {"name": case.answers.get("name"), "about": case.answers.get("about", ""),
              "referrer_organisation": case.referrer_organisation,
              "referrer_name": case.referrer_name}
    for name, kept in accepted.items():
        assert stored[name] == kept, name
    check_case_pages(battery, case, [kept for kept in accepted.values() if kept])


def run_staff_saate(battery: Battery) -> None:
    """/staff/cases/new/saate: StaffSaateForm's fields from its class, every question of the
    saate from the schema, all on one page."""
    payload = battery.payload
    client, _ = battery.staff_member()
    path = "/staff/cases/new/saate"
    unbound = class_fields(StaffSaateForm)
    offered = page_forms(battery.get(path, client).text)[path]
    questions = SAATE.questions()
    assert set(unbound) | {q.code for q in questions} <= set(offered)
    texts = {name: False for name, u in unbound.items()
             if field_kind(u) == "line" and name != "form_key"}
    texts |= {q.code: q.kind == Kind.TEXTAREA for q in questions if q.kind in TEXT_KINDS}
    limits = {name: field_limit(unbound[name]) for name in texts if name in unbound}
    limits |= {q.code: q.max_length for q in questions if q.code in texts}
    recording = [name for name, u in unbound.items() if field_kind(u) == "choice"]

    def valid(key: str) -> list[tuple[str, str]]:
        fields = [(n, RECORDING_CHOICES.get(n) or chosen(n, offered[n])[0]) for n in recording]
        for question in questions:
            fields += [(question.code, value) for value in valid_values(question)]
        return [*fields, ("form_key", key)]

    form = RecordingPage(path, texts, limits, valid, {q.code: VALID_TEXT.get(q.kind, VALID_LINE)
                                                  for q in questions if q.code in texts})
    hostile = [*class_form_fields(StaffSaateForm, payload),
               *[(q.code, value) for q in questions for value in hostile_values(q, payload)]]
    all_refused_choices(battery, client, form, [*recording, *(
        q.code for q in questions if q.kind not in TEXT_KINDS and q.show_if is None)],
        hostile_fields(hostile, payload, texts))
    accepted = judge_texts(battery, client, form)
    case = record_with(battery, client, form, accepted)
    assert (case.kind, case.channel) == ("saate", "referral")
    for name, kept in accepted.items():
        if name in unbound:
            assert getattr(case, name) == kept, name
        else:
            question = SAATE.question(name)
            assert case.answers.get(name, "") == kept_answer(question, payload), name
    check_case_pages(battery, case, [kept for kept in accepted.values() if kept])
# --- The admin pages, reassigning and the set-up link ----------------------------------------


def field_groups(form: type[FlaskForm], payload: Payload) -> list[list[str]]:
    """The form's fields sent together, or one at a time for a payload too big for that."""
    names = list(class_fields(form))
    return [[name] for name in names] if payload.one_field_per_request else [names]


def only(fields: list[tuple[str, str]], names: list[str]) -> list[tuple[str, str]]:
    return [(name, value) for name, value in fields if name in names]


def send_hostile_form(battery: Battery, path: str, form: type[FlaskForm], client: FlaskClient,
                      extra: tuple[tuple[str, str], ...] = ()) -> None:
    """The payload in every field (in groups if need be): refused with a message at each
    choice, never a 500 (the pages themselves are checked by Battery.checked)."""
    everything = class_form_fields(form, battery.payload)
    for names in field_groups(form, battery.payload):
        battery.get(path, client)
        response = battery.post(path, [*only(everything, names), *extra], client)
        assert response.status_code == 400, (path, names, response.status_code)
        for name in names:
            if field_kind(class_fields(form)[name]) == "choice":
                assert refused(response.text, name), (path, name)


def kept_line(payload: Payload, limit: int | None = None) -> str:
    return kept_text(payload.text, multiline=False, limit=limit)


def run_admin_staff(battery: Battery) -> None:
    """Adding a staff member, their role and teams, a new set-up link, deactivating: names
    and titles are stored clean and shown isolated; forged choices are refused."""
    payload = battery.payload
    client, _ = battery.staff_member()
    path = "/staff/admin/staff/new"
    send_hostile_form(battery, path, StaffForm, client)
    offered = page_forms(battery.get(path, client).text)[path]
    email = "testi.lisatty@example.test"
    fields = [(n, v) for n, v in class_form_fields(StaffForm, payload, offered) if n != "email"]
    response = battery.post(path, [*fields, ("email", email)], client)
    assert response.status_code in (200, 400), response.status_code
    user = accounts.find_by_email(email)
    if response.status_code == 200:
        assert user is not None
        assert (user.name, user.title) == (kept_line(payload), kept_line(payload))
        html = battery.get("/staff/admin/staff", client).text
        assert isolated_everywhere(html, user.name), "staff list"
    else:
        assert user is None
        assert refused(response.text, "name") or refused(response.text, "title")
        user = accounts.create_staff(email=email, name="Testi Lisätty", title="ohjaaja",
                                     role="worker", team_slugs=["jyvaskyla"])
    member_path = f"/staff/admin/staff/{user.id}"
    send_hostile_form(battery, member_path, StaffChangeForm, client)
    db.session.expire_all()
    assert db.session.get(StaffUser, user.id).role == "worker"  # type: ignore[union-attr]
    # A new set-up link: only the CSRF token counts; anything else posted is ignored.
    battery.get(member_path, client)
    response = battery.post(f"{member_path}/setup-link",
                            [("password", payload.text), ("role", payload.text)], client)
    assert response.status_code == 200
    # Deactivating: any text in the checkbox is a tick; nothing else is read.
    path = f"{member_path}/deactivate"
    battery.get(path, client)
    response = battery.post(path, class_form_fields(DeactivateForm, payload), client)
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(StaffUser, user.id).active  # type: ignore[union-attr]
    battery.get(member_path, client)


def run_setup_link(battery: Battery) -> None:
    """The set-up page: the payload as password and code; a password is kept exactly as
    typed (never cleaned: it is only hashed), and never shown back."""
    payload = battery.payload
    user = accounts.create_staff(email="testi.asetus@example.test", name="Testi Asetus",
                                 title="ohjaaja", role="worker", team_slugs=["jyvaskyla"],
                                 ui_locale=battery.staff_locale)
    token = setup_links.issue(user, None, setup_links.Reason.NEW_ACCOUNT).token
    path = f"/staff/setup/{token}"
    visitor = battery.app.test_client()
    send_hostile_form(battery, path, SetupForm, visitor)
    assert payload.text not in battery.page or len(payload.text) < 8
    secret = db.session.get(StaffUser, user.id).totp_secret  # type: ignore[union-attr]
    battery.get(path, visitor)
    password = [("password", payload.text), ("password_again", payload.text)]
    response = battery.post(path, [*password, ("code", pyotp.TOTP(secret).now())], visitor)
    db.session.expire_all()
    stored = db.session.get(StaffUser, user.id)
    if response.status_code == 302:
        # What the server decoded is the password (the invalid-UTF-8 payload arrives with
        # replacement characters): exactly one of the two typed forms signs in.
        assert accounts.has_password(stored)  # type: ignore[arg-type]
        used = db.session.scalar(select(StaffSetupLink.used_at).where(
            StaffSetupLink.staff_id == user.id))
        assert used is not None
    else:
        assert response.status_code == 400 and refused(response.text, "password")
        assert not accounts.has_password(stored)  # type: ignore[arg-type]


def run_reassign(battery: Battery) -> None:
    """Reassigning a colleague's cases: the reason is stored clean in each event and shown
    isolated on the case page; forged cases and colleagues are refused."""
    payload = battery.payload
    client, admin = battery.staff_member()
    worker = accounts.create_staff(email="testi.siirrettava@example.test", name="Testi Siirto",
                                   title="ohjaaja", role="worker", team_slugs=["jyvaskyla"],
                                   password=PASSWORD)
    case = cases.create_case(CONTACT_REQUEST, "fi", dict(VALID_CONTACT_REQUEST), "c" * 32)
    cases.claim(case, worker, case.version)
    path = f"/staff/admin/staff/{worker.id}/reassign"
    send_hostile_form(battery, path, ReassignForm, client)
    offered = page_forms(battery.get(path, client).text)[path]
    fields = [("cases", offered["cases"][0]), ("assignee", str(admin.id)),
              ("reason", payload.text)]
    response = battery.post(path, fields, client)
    db.session.expire_all()
    stored = db.session.get(Case, case.id)
    if response.status_code == 302:
        assert stored.handler_id == admin.id  # type: ignore[union-attr]
        assert stored.events[-1].data["reason"] == kept_line(payload)  # type: ignore[union-attr]
        html = battery.get(f"/staff/cases/{case.id}", client).text
        if kept_line(payload):
            assert isolated_everywhere(html, kept_line(payload)), "reason on the case page"
    else:
        assert response.status_code == 400 and refused(response.text, "reason")
        assert stored.handler_id == worker.id  # type: ignore[union-attr]
    battery.get(path, client)


def pause_notice(html: str) -> str:
    """The pause notice alone (the form below it holds the client's own typed name)."""
    start = html.index('<section class="notice" id="pause-notice"')
    return html[start: html.index("</section>", start)]


VALID_TEAM = {"name": "Testi tiimi", "municipalities": "179\n500\n892", "contact_days": "3",
              "urgent_contact_days": "1", "phone": "014 266 0000",
              "opening_hours": "mon-fri 08:00-16:00", "email": "", "pause_message_fi": "",
              "pause_message_sv": "", "pause_phone": ""}
# Free text a team keeps as typed (clean); the other text fields must parse.
TEAM_TEXTS = ("name", "pause_message_fi", "pause_message_sv")


def run_teams(battery: Battery) -> None:
    """A team's settings and a new team: free text stored clean, shown isolated to staff and,
    while intake is paused, to the team's clients in their language; everything that must
    parse (numbers, phone, hours, municipalities) refused with a message."""
    payload = battery.payload
    client, _ = battery.staff_member()
    team = db.session.scalar(select(Team).where(Team.slug == "jyvaskyla"))
    path = f"/staff/admin/teams/{team.id}"  # type: ignore[union-attr]
    send_hostile_form(battery, path, TeamForm, client)
    for name in ("contact_days", "urgent_contact_days", "opening_hours", "municipalities"):
        battery.get(path, client)
        response = battery.post(path, [*{**VALID_TEAM, name: payload.text}.items()], client)
        assert response.status_code == 400 and refused(response.text, name), name
    fields = {**VALID_TEAM, **{name: payload.text for name in TEAM_TEXTS},
              "intake_paused": payload.text}
    battery.get(path, client)
    response = battery.post(path, list(fields.items()), client)
    db.session.expire_all()
    team = db.session.get(Team, team.id)  # type: ignore[union-attr]
    if response.status_code == 302:
        assert team.intake_paused  # type: ignore[union-attr]
        for name in TEAM_TEXTS:
            limit = team_service.PAUSE_MESSAGE_LIMIT if name != "name" else None
            assert getattr(team, name) == kept_text(payload.text, name != "name", limit), name
        html = battery.get("/staff/admin/teams", client).text
        assert isolated_everywhere(html, team.name), "team list"  # type: ignore[union-attr]
        visitor = battery.app.test_client()
        segment = battery.segment
        battery.get(f"/{segment}/contact", visitor)
        page = battery.post(f"/{segment}/contact", list(VALID_CONTACT_REQUEST.items()), visitor)
        assert page.status_code == 200
        message = team.pause_message_sv if segment == "sv" else team.pause_message_fi  # type: ignore[union-attr]
        if message:
            assert isolated_everywhere(pause_notice(page.text), message), "pause notice"
        team_service.update_team("jyvaskyla", intake_paused=False)
    else:
        assert response.status_code == 400
        assert any(refused(response.text, name) for name in TEAM_TEXTS)
    path = "/staff/admin/teams/new"
    send_hostile_form(battery, path, NewTeamForm, client)
    battery.get(path, client)
    response = battery.post(path, [*{**VALID_TEAM, "slug": "testi-uusi", "municipalities": "Oulu",
                                     "name": payload.text}.items()], client)
    created = db.session.scalar(select(Team).where(Team.slug == "testi-uusi"))
    if response.status_code == 302:
        assert created is not None and created.name == kept_line(payload)
        assert isolated_everywhere(battery.get("/staff/admin/teams", client).text, created.name)
    else:
        assert created is None and refused(response.text, "name")


# --- The follow-up: the client's page, the end-of-service feedback, a worker's phone entry ---


def due_follow_up(battery: Battery, key: str) -> Case:
    """A contact request in the page's language, closed by the battery's staff member with a
    follow-up whose day has come."""
    _, staff = battery.staff_member()
    case = cases.create_case(CONTACT_REQUEST, battery.segment, dict(VALID_CONTACT_REQUEST),
                             key * 32)
    close_with_follow_up(case, staff)
    return case


def stored_follow_up(case: Case) -> FollowUp:
    db.session.expire_all()
    follow_up = db.session.scalar(select(FollowUp).where(FollowUp.case_id == case.id))
    assert follow_up is not None
    return follow_up


def run_follow_up(battery: Battery) -> None:
    """The follow-up page (app/saate/follow_up.py's questions): the payload in every field;
    refused choices say so at the field and keep nothing; the comment that was taken is kept
    clean, once, and shown isolated to the team lead on the case page."""
    case = due_follow_up(battery, "a")
    path = f"/{battery.segment}/status/{cases.status_token(case)}/follow-up"

    def nothing_kept(group: list[Question], html: str) -> None:
        assert stored_follow_up(case).answered_at is None

    accepted = send_hostile(battery, path, STEP.questions, [], nothing_kept)
    response = send_repaired(battery, path, STEP.questions, accepted, list)
    assert response.status_code == 303, response.status_code
    follow_up = stored_follow_up(case)
    assert follow_up.comment == accepted.get("comment", "Testi")
    assert battery.get(response.location).status_code == 200
    if follow_up.comment:
        client, _ = battery.staff_member()
        html = battery.get(f"/staff/cases/{case.id}", client).text
        assert isolated_everywhere(html, follow_up.comment), "follow-up comment"


def run_end_of_service_feedback(battery: Battery) -> None:
    """The status page of a finished case asks once for feedback (EndOfServiceForm)."""
    _, staff = battery.staff_member()
    case = cases.create_case(CONTACT_REQUEST, battery.segment, dict(VALID_CONTACT_REQUEST),
                             "b" * 32)
    cases.close(case, staff, case.version, "advice_enough", no_contact_person_needed=True)
    status_path = f"/{battery.segment}/status/{cases.status_token(case)}"
    path = f"{status_path}/feedback"
    offered = page_forms(battery.get(status_path).text)[path]
    limits = {name: field_limit(u) for name, u in class_fields(EndOfServiceForm).items()}
    payload = battery.payload
    for fields in (class_form_fields(EndOfServiceForm, payload),
                   class_form_fields(EndOfServiceForm, payload, offered)):
        battery.get(status_path)
        response = battery.post(path, fields)
        stored = db.session.scalars(select(Feedback).where(
            Feedback.moment == "end_of_service")).all()
        if response.status_code == 303:
            [given] = stored
            assert given.rating in {None, *range(1, 6)}
            assert given.would_recommend in {None, True, False}
            assert given.comment == kept_by_field(EndOfServiceForm, payload)["comment"]
            break
        assert response.status_code == 400 and not stored
        for name, kept in kept_by_field(EndOfServiceForm, payload).items():
            assert refused(response.text, name) == (len(kept) > (limits[name] or len(kept)))
    battery.get(status_path)


def run_staff_follow_up(battery: Battery) -> None:
    """A worker enters the follow-up answers from a call: the schema's questions on the
    staff side. The payload everywhere is refused at each choice; valid choices with the
    payload as the comment keep it clean (or refuse it at the field when too long)."""
    client, _ = battery.staff_member()
    case = due_follow_up(battery, "c")
    path = f"/staff/cases/{case.id}/follow-up"
    payload = battery.payload
    choices = [q for q in STEP.questions if q.kind not in TEXT_KINDS]
    hostile = [(q.code, value) for q in STEP.questions for value in hostile_values(q, payload)]
    battery.get(path, client)
    response = battery.post(path, hostile, client)
    assert response.status_code == 400, response.status_code
    for question in choices:
        assert refused(response.text, question.code), question.code
    assert stored_follow_up(case).answered_at is None
    comment = STEP.question("comment")
    valid = [(q.code, value) for q in choices for value in valid_values(q)]
    battery.get(path, client)
    response = battery.post(path, [*valid, *((comment.code, v) for v in
                                             hostile_values(comment, payload))], client)
    if response.status_code == 400:
        assert refused(response.text, comment.code)
        battery.get(path, client)
        response = battery.post(path, valid, client)
        kept = ""
    else:
        kept = kept_answer(comment, payload)
    assert response.status_code == 302, response.status_code
    follow_up = stored_follow_up(case)
    assert (follow_up.answered_by_channel, follow_up.comment) == ("phone", kept)
    if kept:
        html = battery.get(f"/staff/cases/{case.id}", client).text
        assert isolated_everywhere(html, kept), "follow-up comment"


def run_destinations(battery: Battery) -> None:
    """A team's routing destinations: forged codes refused at their field; an own
    destination's names stored clean and shown isolated on the team page and in the team's
    triage outcome form."""
    payload = battery.payload
    client, _ = battery.staff_member()
    team = db.session.scalar(select(Team).where(Team.slug == "jyvaskyla"))
    team_path = f"/staff/admin/teams/{team.id}"  # type: ignore[union-attr]
    battery.get(team_path, client)
    response = battery.post(f"{team_path}/destinations",
                            class_form_fields(DestinationsForm, payload), client)
    assert response.status_code == 400 and refused(response.text, "shown")

    def rows() -> list[TeamDestination]:
        db.session.rollback()  # what the requests committed since
        return list(db.session.scalars(select(TeamDestination)))

    assert rows() == []
    battery.get(team_path, client)
    response = battery.post(f"{team_path}/destinations/new",
                            class_form_fields(NewDestinationForm, payload), client)
    limit = destinations.NAME_LIMIT
    if response.status_code == 400:
        assert refused(response.text, "name_fi") and rows() == []
        battery.get(team_path, client)
        assert battery.post(f"{team_path}/destinations/new", [("name_fi", "Testi oma")],
                            client).status_code == 302
    else:
        assert response.status_code == 302
        [row] = rows()
        assert (row.name_fi, row.name_sv) == (kept_line(payload), kept_line(payload))
        if row.name_fi:
            page = battery.get(team_path, client).text  # its <title> is the team's name
            section = page[page.index('id="destinations-title"'):]
            assert isolated_everywhere(section, row.name_fi), "the team page"
            case = cases.create_case(CONTACT_REQUEST, "fi", dict(VALID_CONTACT_REQUEST), "d" * 32)
            html = battery.get(f"/staff/cases/{case.id}", client).text
            assert isolated_everywhere(html, row.name_fi), "the triage outcome form"
    [row] = rows()
    battery.get(team_path, client)
    response = battery.post(f"{team_path}/destinations/rename",
                            class_form_fields(RenameDestinationForm, payload), client)
    assert response.status_code == 400 and refused(response.text, "code")
    offered = page_forms(battery.get(team_path, client).text)[f"{team_path}/destinations/rename"]
    response = battery.post(f"{team_path}/destinations/rename",
                            class_form_fields(RenameDestinationForm, payload, offered), client)
    db.session.expire_all()
    if response.status_code == 302:
        assert db.session.get(TeamDestination, row.id).name_sv == kept_line(  # type: ignore[union-attr]
            payload)
    else:
        assert response.status_code == 400 and len(kept_line(payload)) > limit
        assert refused(response.text, "name_fi") or refused(response.text, "name_sv")


TARGETS: dict[str, Callable[[Battery], None]] = {
    "saate": run_saate,
    "crisis": run_crisis,
    "contact": run_contact,
    "feedback": run_feedback,
    "resume": run_resume,
    "status-mail": run_status_mail,
    "sign-in": run_sign_in,
    "staff-actions": run_staff_actions,
    "record-contact": run_record_contact,
    "staff-saate": run_staff_saate,
    "admin-staff": run_admin_staff,
    "setup-link": run_setup_link,
    "reassign": run_reassign,
    "teams": run_teams,
    "follow-up": run_follow_up,
    "end-of-service-feedback": run_end_of_service_feedback,
    "staff-follow-up": run_staff_follow_up,
    "destinations": run_destinations,
}
# Which target reaches each form class (the saate's step forms: their steps in the schema).
REACHED_BY: dict[type[FlaskForm], str] = {
    ActionForm: "saate", ResumeForm: "resume", FeedbackForm: "feedback", CrisisForm: "crisis",
    StatusMailForm: "status-mail",
    SignInForm: "sign-in", CodeForm: "sign-in",
    **{form: "staff-actions" for form in ACTION_FORMS.values()},
    CloseForm: "staff-actions",  # the case page's close form opens the confirmation page
    NewContactForm: "record-contact", StaffSaateForm: "staff-saate",
    StaffForm: "admin-staff", StaffChangeForm: "admin-staff", DeactivateForm: "admin-staff",
    SetupForm: "setup-link", ReassignForm: "reassign", TeamForm: "teams", NewTeamForm: "teams",
    EndOfServiceForm: "end-of-service-feedback",
    DestinationsForm: "destinations", NewDestinationForm: "destinations",
    RenameDestinationForm: "destinations",
}
POSTED_BY_TARGETS = {
    "public.saate_start", "public.saate_step", "public.saate_check", "public.contact",
    "public.help_now",
    "public.give_feedback", "public.resume", "public.email_status_link", "auth.sign_in",
    "auth.sign_in_code",
    "staff.case_action", "staff.close_confirm", "staff.new_case", "staff.new_saate",
    "staff.admin_staff_new", "staff.admin_staff_member", "staff.admin_staff_deactivate",
    "staff.setup", "staff.reassign_cases", "staff.admin_team", "staff.admin_team_new",
    "public.follow_up", "public.end_of_service_feedback", "staff.follow_up_answers",
    "staff.admin_team_destinations", "staff.admin_team_destination_new",
    "staff.admin_team_destination_rename",
}
# Posts that carry no field of their own, only the CSRF token: (endpoint, its form or None).
FIELDLESS_POSTS = {"auth.sign_out": None, "public.saate_delete": ActionForm,
                   "staff.admin_staff_setup_link": None}


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda payload: payload.name)
def test_bad_input(app: Flask, payload: Payload, inbox: tuple[Inbox, int]) -> None:
    """One payload against every target (one app per payload keeps the battery quick)."""
    battery = Battery(app, payload, inbox[0])
    for name, run in TARGETS.items():
        battery.new_visitor()
        try:
            run(battery)
        except AssertionError as failure:
            failure.add_note(f"target: {name}, payload: {payload.name}")
            raise


def all_subclasses(cls: type) -> list[type]:
    return [sub for direct in cls.__subclasses__() for sub in (direct, *all_subclasses(direct))]


def test_every_form_is_reached(app: Flask) -> None:
    described = [*FORMS.values(), FOLLOW_UP]
    for form in described:
        for step in form.steps:
            form_class(step)  # step forms are made on first use
    schema_steps = {step.slug for form in described for step in form.steps}
    leaves = [cls for cls in all_subclasses(FlaskForm) if not cls.__subclasses__()]
    assert leaves
    for cls in leaves:
        assert issubclass(cls, BaseForm), f"{cls.__name__} must inherit app.forms.BaseForm"
        if issubclass(cls, SaateForm):
            assert cls.step.slug in schema_steps, cls.__name__
        else:
            assert cls in REACHED_BY, f"the battery does not reach {cls.__name__}"
            for unbound in class_fields(cls).values():
                field_kind(unbound)
    for endpoint, form in FIELDLESS_POSTS.items():
        assert form is None or not class_fields(form), endpoint
    posted = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert posted <= POSTED_BY_TARGETS | set(FIELDLESS_POSTS), \
        posted - POSTED_BY_TARGETS - set(FIELDLESS_POSTS)


# --- Bounded requests (point 3): the body, the number of fields, the draft --------------------


def too_large_page(app: Flask, response: TestResponse, locale: str, html_lang: str) -> None:
    assert response.status_code == 413
    check_page(response.text, locale, html_lang, "413")
    with app.test_request_context("/"), force_locale(locale):
        heading = gettext("What you sent was too long")
    assert f"<h1>{escape(heading)}</h1>" in response.text


@pytest.mark.parametrize("segment", LANGUAGES)
def test_a_body_over_the_limit_gets_a_friendly_413_in_the_visitors_language(
        app: Flask, segment: str) -> None:
    locale, html_lang, _ = LANGUAGES[segment]
    client = app.test_client()
    page = client.get(f"/{segment}/contact").text
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post(f"/{segment}/contact", content_type=FORM_BODY, data=body(
        [("csrf_token", csrf_token(page)), ("about", "x" * limit)]))
    too_large_page(app, response, locale, html_lang)
    assert db.session.scalar(select(func.count(Case.id))) == 0


def test_the_staff_side_gets_the_413_page_in_the_staff_members_language(app: Flask) -> None:
    user = make_staff("testi.tyontekija@example.test", ui_locale="sv")
    client = app.test_client()
    sign_in(client, user)
    case = cases.create_case(CONTACT_REQUEST, "fi", dict(VALID_CONTACT_REQUEST), "e" * 32)
    response = client.post(f"/staff/cases/{case.id}/note", content_type=FORM_BODY, data=body(
        [("csrf_token", "x"), ("version", "1"), ("text", "x" * 70_000)]))
    too_large_page(app, response, "sv", "sv")


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_more_form_fields_than_allowed_get_a_413(app: Flask, encoding: str) -> None:
    client = app.test_client()
    page = client.get("/fi/saate/").text
    limit = app.config["MAX_FORM_PARTS"]

    def post(count: int) -> TestResponse:
        fields = [("csrf_token", csrf_token(page)), *[("x", "y")] * (count - 1)]
        if encoding == "multipart":
            return client.post("/fi/saate/", content_type="multipart/form-data",
                               data={"csrf_token": csrf_token(page), "x": ["y"] * (count - 1)})
        return client.post("/fi/saate/", content_type=FORM_BODY, data=body(fields))

    too_large_page(app, post(limit + 1), "fi", "fi")
    assert post(limit).status_code == 302


def test_thousands_of_forged_choice_codes_never_reach_a_draft(app: Flask) -> None:
    battery = Battery(app, PAYLOADS[0])
    battery.get("/fi/saate/")
    battery.post("/fi/saate/", [])
    battery.get("/fi/saate/situation")
    forged = [("current_services", f"forged-{n}") for n in range(3_000)]
    assert battery.post("/fi/saate/situation", forged).status_code == 413
    battery.get("/fi/saate/situation")
    repeated = [("current_services", code) for code in ("tym", "forged", "none") * 60]
    battery.post("/fi/saate/situation", repeated)
    assert battery.draft().answers["current_services"] == ["tym", "none"]


def test_cut_text_is_said_even_when_saving_for_later(app: Flask) -> None:
    battery = Battery(app, PAYLOADS[0])
    battery.get("/fi/saate/")
    battery.post("/fi/saate/", [])
    question = SAATE.question("six_months")
    battery.get("/fi/saate/hopes")
    response = battery.post("/fi/saate/hopes", [("six_months", "a" * 2_500),
                                                ("action", "save")])
    assert response.status_code == 200  # not the "saved" page: the client is told first
    assert str(escape(battery.cut_note(question))) in response.text
    assert battery.draft().answers["six_months"] == "a" * question.max_length  # type: ignore[operator]
    assert "a" * 2_500 in response.text  # what was typed stays in the field to shorten


@pytest.mark.parametrize("path", ["/fi/contact", "/sv/resume", "/staff/sign-in"])
def test_a_body_that_is_not_utf8_is_refused_politely(app: Flask, path: str) -> None:
    client = app.test_client()
    client.get(path)
    response = client.post(path, data=b"name=\xff\xfe\xc3(&about=\x80",
                           content_type=FORM_BODY)
    assert response.status_code == 400
    segment = path.split("/")[1]
    locale, html_lang, _ = LANGUAGES.get(segment, ("fi", "fi", "fi"))
    check_page(response.text, locale, html_lang, path)


# --- Query strings: the staff side's filter forms, found on their pages ----------------------


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda payload: payload.name)
def test_filter_forms_take_any_text(app: Flask, payload: Payload) -> None:
    """Every field of every GET form on the queue, the access log and the statistics, and
    the CSVs."""
    battery = Battery(app, payload)
    client, _ = battery.staff_member()
    for page in ("/staff/", "/staff/access-log", "/staff/stats"):
        forms = page_forms(battery.get(page, client).text, method="get")
        assert forms, page
        for action, fields in forms.items():
            query = body([(name, payload.text) for name in fields], payload)
            battery.get(f"{action}?{query}", client)
    for path in ("/staff/stats.csv", "/staff/cases.csv"):
        query = body([(name, payload.text) for name in ("from", "to", "team", "status", "kind")],
                     payload)
        assert client.get(f"{path}?{query}").status_code in (200, 400), path
    query = body([("reference", payload.text), ("staff", payload.text)], payload)
    response = client.get(f"/staff/access-log.csv?{query}")
    assert response.status_code < 500
    if response.status_code == 200:
        check_access_log_csv(battery, client)
