"""Forms of the staff side; every case action carries the case version it was made on."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
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

from app.casework.case_terms import CHANNELS, CLOSE_REASONS, OUTCOMES, STATUSES
from app.casework.cases import ATTEMPT_NOTE_LIMIT, DETAIL_LIMIT, NOTE_LIMIT, REASON_LIMIT
from app.forms import BaseForm
from app.saate.forms import select_choices
from app.saate.schema import Choice


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
    # Translators: label of an optional text field (team lead) beside "Assign to": why the case
    # changes hands, shown in the case's timeline.
    reason = StringField(_l("Reason (optional)"), validators=[too_long(REASON_LIMIT)])


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
}
