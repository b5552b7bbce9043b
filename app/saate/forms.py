"""WTForms classes built from the schema, one per step.

Every validator carries our own message (lazy gettext), so WTForms' built-in
texts never reach a client: the wording lives in our catalogues, in plain
Finnish too. The form also hands back what was typed even when it is not
valid, so a draft always keeps every answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from wtforms import (
    Field,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import ValidationError

from app.forms import BaseForm
from app.i18n import lazy_gettext as _l

from .bounds import Bounded, DynamicCodes, bound_answers
from .schema import Answers, Kind, Question, Step, this_year

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_ALLOWED = re.compile(r"^\+?[0-9 ()\-]+$")
OLDEST_BIRTH_YEAR_OFFSET = 100
EARLIEST_WORK_YEAR = 1950

ChoiceSource = Callable[[], list[SelectChoice]]


def select_choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class SaateForm(BaseForm):
    """A step's form; `step` is set on each generated class."""

    step: Step

    def answers(self) -> dict[str, Any]:
        """What the client gave on this step, valid or not (for the draft), within the
        schema's limits: unknown choices dropped, text cut to its question's length."""
        return self.bounded().answers

    def cut_questions(self) -> list[Question]:
        """The questions whose text was longer than allowed, so only its start is kept."""
        return self.bounded().cut

    def bounded(self) -> Bounded:
        given = {question.code: answer_from_field(question, self[question.code])
                 for question in self.step.questions}
        return bound_answers(self.step.questions, given, self.dynamic_codes())

    def dynamic_codes(self) -> DynamicCodes:
        """The codes of run-time choices (e.g. municipalities), as this form offers them."""
        return {
            question.choices_from: [str(choice.value) for choice in self[question.code].choices]
            for question in self.step.questions if question.choices_from
        }

    def validate(self, extra_validators: Any = None) -> bool:
        super().validate(extra_validators)
        answers = self.answers()
        for question in self.step.questions:
            if not question.applies(answers):
                # A follow-up that does not apply is neither checked nor kept.
                self[question.code].errors = []
        for rule in self.step.rules:
            field = self[rule.question]
            if not self.step.question(rule.question).applies(answers):
                continue
            if rule.broken(answers) and not field.errors:
                field.errors = [str(rule.message)]
        # Judged by what is left: a follow-up that does not apply may have failed a check above.
        return not self.csrf_failed and not self.question_errors()

    def question_errors(self) -> list[tuple[Question, str]]:
        """(question, message) for each invalid question, in page order."""
        return [
            (question, self[question.code].errors[0])
            for question in self.step.questions
            if self[question.code].errors
        ]

    @property
    def csrf_failed(self) -> bool:
        return bool(getattr(self, "csrf_token", None) and self.csrf_token.errors)


def answer_from_field(question: Question, field: Field) -> Any:
    if question.kind == Kind.CHECKBOXES:
        return [code for code in (field.data or []) if code]
    value = field.data
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


# --- Validators ----------------------------------------------------------------------


def required(question: Question) -> Callable:
    # Translators: error message (client) when a required question of the form was left unanswered.
    message = question.required_message or _l("Answer this question")

    def check(form: SaateForm, field: Field) -> None:
        if not question.applies(form.answers()):
            return
        if not answer_from_field(question, field):
            raise ValidationError(str(message))

    return check


def max_length(limit: int) -> Callable:
    def check(form: SaateForm, field: Field) -> None:
        if field.data and len(field.data.strip()) > limit:
            raise ValidationError(
                # Translators: error message (client) under a text field that is too long; %(limit)s
                # is the largest allowed number of characters, %(count)s how many the client wrote.
                str(_l("Write at most %(limit)s characters. Now there are %(count)s.",
                       limit=limit, count=len(field.data.strip())))
            )

    return check


def email(form: SaateForm, field: Field) -> None:
    if field.data and not EMAIL_PATTERN.match(field.data.strip()):
        raise ValidationError(
            str(_l("Write the e-mail address in the form name@example.com"))
        )


def phone(form: SaateForm, field: Field) -> None:
    value = (field.data or "").strip()
    if not value:
        return
    digits = re.sub(r"\D", "", value)
    if not PHONE_ALLOWED.match(value) or not 6 <= len(digits) <= 15:
        raise ValidationError(
            str(_l("Write the phone number with digits only, for example 040 123 4567"))
        )


def year_between(first: Callable[[], int], last: Callable[[], int]) -> Callable:
    def check(form: SaateForm, field: Field) -> None:
        value = (field.data or "").strip()
        if not value:
            return
        if not (value.isascii() and value.isdigit()) or not first() <= int(value) <= last():
            raise ValidationError(
                # Translators: error message (client) for a year field; %(first)s and %(last)s are
                # the earliest and latest allowed years, e.g. 1900 and 2026.
                str(_l("Write the year with four digits, between %(first)s and %(last)s",
                       first=first(), last=last()))
            )

    return check


def one_of_choices(form: SaateForm, field: Field) -> None:
    codes = {str(choice.value) for choice in field.choices or []}
    values = field.data if isinstance(field.data, list) else [field.data]
    if any(value not in codes for value in values if value):
        raise ValidationError(str(_l("Choose one of the options given")))


YEAR_RANGES: dict[str, tuple[Callable[[], int], Callable[[], int]]] = {
    "birth_year": (lambda: this_year() - OLDEST_BIRTH_YEAR_OFFSET, lambda: this_year() - 15),
    "last_worked_year": (lambda: EARLIEST_WORK_YEAR, this_year),
}


# --- Fields -----------------------------------------------------------------------------


def make_field(question: Question) -> Field:
    validators: list[Callable] = []
    if question.required:
        validators.append(required(question))
    if question.kind == Kind.EMAIL:
        validators.append(email)
    elif question.kind == Kind.PHONE:
        validators.append(phone)
    elif question.kind == Kind.YEAR:
        validators.append(year_between(*YEAR_RANGES.get(question.code,
                                                          (lambda: 1900, this_year))))
    if question.max_length:
        validators.append(max_length(question.max_length))
    label = question.label
    match question.kind:
        case Kind.TEXT | Kind.PHONE | Kind.EMAIL | Kind.YEAR:
            return StringField(label, validators=validators)
        case Kind.TEXTAREA:
            return TextAreaField(label, validators=validators)
        case Kind.RADIO | Kind.SCALE:
            return RadioField(label, choices=_static_choices(question), validate_choice=False,
                              validators=[*validators, one_of_choices], default=None)
        case Kind.SELECT:
            return SelectField(label, choices=_static_choices(question), validate_choice=False,
                               validators=[*validators, one_of_choices])
        case Kind.CHECKBOXES:
            return SelectMultipleField(label, choices=_static_choices(question),
                                       validate_choice=False,
                                       validators=[*validators, one_of_choices])
    raise ValueError(f"no field for {question.kind}")


def _static_choices(question: Question) -> list[SelectChoice]:
    return select_choices((choice.code, choice.label) for choice in question.choices)


_form_classes: dict[str, type[SaateForm]] = {}


def form_class(step: Step) -> type[SaateForm]:
    """The (cached) form class for a step."""
    cls = _form_classes.get(step.slug)
    if cls is None:
        attributes: dict[str, Any] = {"step": step}
        attributes.update({question.code: make_field(question) for question in step.questions})
        cls = type(f"{step.slug.title().replace('-', '')}Form", (SaateForm,), attributes)
        _form_classes[step.slug] = cls
    return cls


def build_form(
    step: Step,
    answers: Answers | None = None,
    choice_sources: dict[str, ChoiceSource] | None = None,
    defaults: dict[str, Any] | None = None,
    formdata: Any = None,
    meta: dict[str, Any] | None = None,
) -> SaateForm:
    """A step's form, filled from posted data, else from saved answers and defaults.

    `formdata=None` means a GET: the form shows the saved answers.
    """
    data = {**(defaults or {}), **{k: v for k, v in (answers or {}).items() if v not in ("", None)}}
    cls = form_class(step)
    if formdata is None:
        form = cls(formdata=None, data=_as_field_data(step, data), meta=meta or {})
    else:
        form = cls(formdata=formdata, meta=meta or {})
    for question in step.questions:
        if question.choices_from and choice_sources:
            form[question.code].choices = choice_sources[question.choices_from]()
    return form


def _as_field_data(step: Step, data: Answers) -> dict[str, Any]:
    # Radios compare choices as strings: scale answers may be stored as ints.
    return {
        code: (str(value) if isinstance(value, int) and not isinstance(value, bool) else value)
        for code, value in data.items()
        if code in {q.code for q in step.questions}
    }
