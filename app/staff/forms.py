"""Forms of the staff side; every case action carries the case version it was made on."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import DateInput

from app.casework.case_terms import CHANNELS, CLOSE_REASONS, OUTCOMES, STATUSES
from app.casework.cases import (
    ATTEMPT_NOTE_LIMIT,
    DETAIL_LIMIT,
    NEXT_STEP_LIMIT,
    NOTE_LIMIT,
    local_today,
    next_step_days,
)
from app.forms import BaseForm
from app.saate.forms import select_choices
from app.saate.schema import Choice
from app.text import clean_text


def choices(terms: tuple[Choice, ...]) -> list[SelectChoice]:
    return select_choices((term.code, term.label) for term in terms)


def too_long(limit: int) -> Length:
    # Translators: error message under a text field that is too long (client's feedback, staff's
    # notes); %(max)d is the largest allowed number of characters, e.g. 1000.
    return Length(max=limit, message=_l("Write at most %(max)d characters."))


class CaseActionForm(BaseForm):
    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])


class ClaimForm(CaseActionForm):
    pass


class AssignForm(CaseActionForm):
    # Translators: label of the list of colleagues (staff) to whom the case can be given.
    assignee = SelectField(_l("Assign to"), coerce=int, validate_choice=True)


class StatusForm(CaseActionForm):
    # Translators: label of the list of case statuses (staff) to change to.
    status = SelectField(_l("New status"),
                         choices=[c for c in choices(STATUSES) if c.value != "closed"])


class ContactAttemptForm(CaseActionForm):
    # Translators: label of the list "Phone call, Text message, …": how the worker tried to reach
    # the client.
    channel = SelectField(_l("How"), choices=choices(CHANNELS))
    reached = RadioField(
        _l("Was the client reached?"),
        choices=select_choices([("yes", _l("Yes")), ("no", _l("No"))]),
        validators=[InputRequired(message=_l("Choose whether the client was reached"))],
    )
    # Translators: label of a text field (staff) for a short note about the contact attempt.
    note = TextAreaField(_l("Short note (optional)"), validators=[too_long(ATTEMPT_NOTE_LIMIT)])


class NoteForm(CaseActionForm):
    text = TextAreaField(_l("Internal note"),
                         # Translators: error message (staff) when the note was left empty.
                         validators=[InputRequired(message=_l("Write the note")),
                                     too_long(NOTE_LIMIT)])


class OutcomesForm(CaseActionForm):
    outcomes = SelectMultipleField(
        _l("Where was the client routed?"), choices=choices(OUTCOMES),
        validators=[InputRequired(message=_l("Choose at least one outcome"))],
    )
    # Translators: label of a text field (staff) for details of the triage outcome.
    detail = TextAreaField(_l("Details (optional)"), validators=[too_long(DETAIL_LIMIT)])


class ContactPersonForm(CaseActionForm):
    staff_member = SelectField(_l("A member of the team"), coerce=str)
    name = StringField(_l("Or someone outside the team: name"),
                       validators=[Optional(), too_long(200)])
    # Translators: label of a text field (staff): the contact person's job title, e.g. nurse.
    title = StringField(_l("Title"), validators=[Optional(), too_long(120)])


class CloseForm(CaseActionForm):
    # Translators: label of the list of reasons (staff) when closing a case.
    reason = SelectField(_l("Reason for closing"), choices=choices(CLOSE_REASONS))
    # Translators: label of a text field (staff) for a note when closing a case.
    note = TextAreaField(_l("Note (optional)"), validators=[too_long(NOTE_LIMIT)])


class ReopenForm(CaseActionForm):
    # Translators: label of the list of statuses (team lead) in which a closed case is opened
    # again.
    status = SelectField(_l("Status after reopening"),
                         choices=[c for c in choices(STATUSES) if c.value != "closed"])


ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# Typed by hand where a browser shows a text box for <input type="date">: 31.12.2026.
FINNISH_DAY = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")


def parse_day(text: str) -> date | None:
    """A day as <input type="date"> sends it (2026-12-31), or as a Finn types it
    (31.12.2026); None for anything else (ASCII digits only)."""
    if found := ISO_DAY.fullmatch(text):
        year, month, day = found.groups()
    elif found := FINNISH_DAY.fullmatch(text):
        day, month, year = found.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


class DayField(Field):
    """A day from <input type="date">; empty is None, anything not a day an error."""

    widget = DateInput()

    def _value(self) -> str:
        if self.data:
            return self.data.isoformat()
        # What was typed, back in the field to correct (clean, as every typed text).
        return clean_text(str(self.raw_data[0]), multiline=False) if self.raw_data else ""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        text = str(valuelist[0]).strip() if valuelist else ""
        if text:
            self.data = parse_day(text)
            if self.data is None:
                # Translators: error message (staff) under a date field when what was sent is
                # not a date.
                raise ValueError(_l("Give a date, for example 31.12.2026"))


class NextStepForm(CaseActionForm):
    """The next planned step and its day; both left empty clears it."""

    # Translators: label of a text field (staff): what the worker plans to do next on the case,
    # e.g. "Call after Kela's decision".
    next_step = StringField(_l("Next step"), validators=[too_long(NEXT_STEP_LIMIT)])
    # Translators: label of a date field (staff): the day of the next planned step.
    next_step_date = DayField(_l("Date of the next step"))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        text, day = (self.next_step.data or "").strip(), self.next_step_date.data
        if self.next_step_date.errors or self.next_step.errors:
            return False
        if text and day is None:
            # Translators: error message (staff) when a next step was written without its date.
            self.next_step_date.errors.append(_l("Choose the date of the next step"))
            return False
        if day is not None and not text:
            # Translators: error message (staff) when a date for the next step was chosen but
            # the step itself was left empty.
            self.next_step.errors.append(_l("Write the next step"))
            return False
        if day is not None:
            first, last = next_step_days(local_today())
            if day < first:
                # Translators: error message (staff) under the date of the next step.
                self.next_step_date.errors.append(_l("The date cannot be in the past"))
                return False
            if day > last:
                # Translators: error message (staff) under the date of the next step: it may be
                # at most two years from today.
                self.next_step_date.errors.append(_l("Choose a date within two years"))
                return False
        return valid


ACTION_FORMS: dict[str, type[CaseActionForm]] = {
    "claim": ClaimForm,
    "assign": AssignForm,
    "status": StatusForm,
    "contact-attempt": ContactAttemptForm,
    "note": NoteForm,
    "outcomes": OutcomesForm,
    "contact-person": ContactPersonForm,
    "close": CloseForm,
    "reopen": ReopenForm,
    "next-step": NextStepForm,
}
