"""Forms of the staff side; every case action carries the case version it was made on.

Choices that depend on the team (colleagues, municipalities) are filled in by the view
before validating. Nothing is preselected where a wrong default would do harm: the close
reason and the contact person start empty.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from wtforms import (
    BooleanField,
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
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import DateInput

from app.casework.case_terms import (
    CHANNELS,
    CLOSE_REASONS,
    MOVED_ON_TO,
    NOT_KNOWN,
    RECORDED_CHANNELS,
    SAW_DOCTOR,
    STATUSES,
)
from app.casework.cases import (
    ATTEMPT_NOTE_LIMIT,
    DETAIL_LIMIT,
    NEXT_STEP_LIMIT,
    NOTE_LIMIT,
    PERSON_NAME_LIMIT,
    PERSON_ORGANISATION_LIMIT,
    PERSON_PHONE_LIMIT,
    PERSON_TITLE_LIMIT,
    REASON_LIMIT,
    REFERRER_LIMIT,
    Closing,
    local_today,
    next_step_days,
)
from app.casework.followup import default_follow_up_day, follow_up_days
from app.forms import BaseForm
from app.i18n import lazy_gettext as _l
from app.saate.forms import email as email_format
from app.saate.forms import phone as phone_format
from app.saate.forms import select_choices
from app.saate.schema import CONTACT_LANGUAGE, EMAIL, FREE_TEXT_LIMIT, NAME, PHONE, YES_NO, Choice
from app.text import clean_text

# The contact-person list's choice for someone outside the team (the others are staff ids).
OUTSIDE = "outside"


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


def no_contact_person_needed() -> BooleanField:
    """The worker's word, when routing or closing with no asiakasvastaava named, that none
    is needed (shown only while nobody is named; the event keeps it)."""
    # Translators: checkbox (staff) shown when the worker routes or closes a case and no
    # contact person (asiakasvastaava) has been named for the client.
    return BooleanField(_l("No contact person is needed for this client"))


class StatusForm(CaseActionForm):
    # Translators: label of the list of case statuses (staff) to change to.
    status = SelectField(_l("New status"),
                         choices=[c for c in choices(STATUSES) if c.value != "closed"])
    no_contact_person_needed = no_contact_person_needed()


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
    # The case's team's destinations (app/casework/destinations.py), filled in by the view.
    outcomes = SelectMultipleField(
        _l("Where was the client routed?"), choices=[],
        validators=[InputRequired(message=_l("Choose at least one outcome"))],
    )
    # Translators: label of a text field (staff) for details of the triage outcome.
    detail = TextAreaField(_l("Details (optional)"), validators=[too_long(DETAIL_LIMIT)])
    no_contact_person_needed = no_contact_person_needed()


class ContactPersonForm(CaseActionForm):
    """A member of the team, or someone outside it with a title and an organisation.

    The list starts empty: the view fills it with "", OUTSIDE and the team's members."""

    # Translators: label of the list (staff) for choosing the client's contact person
    # (asiakasvastaava): a member of the team, or "Someone outside the team".
    # DataRequired: the empty first choice is offered, and judged after clean_text.
    staff_member = SelectField(_l("Who is the contact person?"), coerce=str,
                               validators=[DataRequired(
                                   # Translators: error message (staff) when no contact person
                                   # was chosen in the list.
                                   message=_l("Choose a member of the team or “Someone outside "
                                              "the team”"))])
    # Translators: label of a text field (staff): the name of a contact person outside the team.
    name = StringField(_l("Name (someone outside the team)"),
                       validators=[Optional(), too_long(PERSON_NAME_LIMIT)])
    # Translators: label of a text field (staff): the contact person's job title, e.g. nurse.
    title = StringField(_l("Title"), validators=[Optional(), too_long(PERSON_TITLE_LIMIT)])
    # Translators: label of a text field (staff): where a contact person outside the team works,
    # e.g. "Jyväskylän kaupungin sosiaalipalvelut".
    organisation = StringField(_l("Organisation"),
                               validators=[Optional(), too_long(PERSON_ORGANISATION_LIMIT)])
    # Translators: label of a text field (staff): the contact person's work phone number.
    phone = StringField(_l("Phone (optional)"),
                        validators=[Optional(), phone_format, too_long(PERSON_PHONE_LIMIT)])
    # Translators: checkbox (staff) under the contact person's phone number.
    phone_shareable = BooleanField(_l("The client may see this phone number"))

    def validate(self, extra_validators: object = None) -> bool:
        valid = super().validate(extra_validators)  # type: ignore[arg-type]
        if self.staff_member.data == OUTSIDE:
            for field, message in (
                # Translators: error messages (staff) for a contact person outside the team.
                (self.name, _l("Write the contact person's name")),
                (self.title, _l("Write the contact person's title")),
                (self.organisation, _l("Write the contact person's organisation")),
            ):
                if not field.errors and not (field.data or "").strip():
                    field.errors = [str(message)]
                    valid = False
        return valid


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


# The follow-up at closing: six months on (the default), another day, or none.
FOLLOW_UP_DEFAULT, FOLLOW_UP_OTHER_DAY, NO_FOLLOW_UP = "default", "other_day", "none"
# SAW_DOCTOR's answers as Case.saw_doctor keeps them (None: not known).
SAW_DOCTOR_VALUES: dict[str, bool | None] = {"yes": True, "no": False, "unknown": None}


def follow_up_choices(today: date) -> list[SelectChoice]:
    return select_choices([
        # Translators: an option (staff) when closing a case: the client is asked whether they
        # got help six months after closing; %(date)s is that day, e.g. 2.6.2027.
        (FOLLOW_UP_DEFAULT, _("In six months, on %(date)s",
                              date=format_date(default_follow_up_day(today), "short"))),
        # Translators: an option (staff) when closing a case: the follow-up on a day the worker
        # chooses in the date field below it.
        (FOLLOW_UP_OTHER_DAY, _l("On another day")),
        # Translators: an option (staff) when closing a case: the client is not asked later.
        (NO_FOLLOW_UP, _l("No follow-up")),
    ])


class CloseForm(CaseActionForm):
    """Closing, first step (on the case page): the reason, chosen from an empty start; where
    the client moved on and whether they saw a doctor (nothing preselected); and the
    follow-up, six months on unless the worker chooses another day or none."""

    reason = SelectField(
        # Translators: label of the list of reasons (staff) when closing a case.
        _l("Reason for closing"),
        # Translators: the empty first option of the list of reasons for closing (staff).
        choices=select_choices([("", _l("Choose a reason")), *((c.code, c.label)
                                                               for c in CLOSE_REASONS)]),
        validators=[DataRequired(
            # Translators: error message (staff) when a case is closed without a reason.
            message=_l("Choose a reason for closing"))])
    # Translators: label of a text field (staff) for a note when closing a case.
    note = TextAreaField(_l("Note (optional)"), validators=[too_long(NOTE_LIMIT)])
    moved_on_to = SelectMultipleField(
        # Translators: legend (staff) of the checkboxes, when closing a case, of where the
        # client moved on during the service (fi "jatkopolku"); several may apply.
        _l("Where did the client move on?"), choices=choices(MOVED_ON_TO),
        validators=[InputRequired(
            # Translators: error message (staff) when closing a case with nothing ticked under
            # "Where did the client move on?".
            message=_l("Choose at least one. If you do not know, choose “Not known”."))])
    saw_doctor = RadioField(
        # Translators: question (staff) when closing a case.
        _l("Did the client see a doctor about their work ability during the service?"),
        choices=choices(SAW_DOCTOR),
        validators=[InputRequired(
            # Translators: error message (staff) when closing a case without answering whether
            # the client saw a doctor about their work ability.
            message=_l("Choose whether the client saw a doctor"))])
    follow_up = RadioField(
        # Translators: legend (staff) of the choice, when closing a case, of when the client is
        # asked whether they got help (fi "seuranta", sv "uppföljning").
        _l("Follow-up"), default=FOLLOW_UP_DEFAULT,
        validators=[InputRequired(
            # Translators: error message (staff) when closing a case with no follow-up option
            # chosen.
            message=_l("Choose when to follow up"))])
    # Translators: label of a date field (staff) when closing a case: the day of the follow-up,
    # used with "On another day".
    follow_up_on = DayField(_l("Day of the follow-up"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.follow_up.choices = follow_up_choices(local_today())

    def validate_moved_on_to(self, field: SelectMultipleField) -> None:
        if NOT_KNOWN in (field.data or []) and len(field.data) > 1:
            # Translators: error message (staff) under "Where did the client move on?" when
            # "Not known" was ticked with other options.
            raise ValidationError(str(_l("“Not known” cannot be chosen with other options")))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.follow_up.data != FOLLOW_UP_OTHER_DAY or self.follow_up_on.errors:
            return valid
        day = self.follow_up_on.data
        first, last = follow_up_days(local_today())
        if day is None:
            # Translators: error message (staff) when "On another day" was chosen for the
            # follow-up with no date.
            self.follow_up_on.errors.append(_l("Choose the day of the follow-up"))
        elif day < first:
            # Translators: error message (staff) under the day of the follow-up.
            self.follow_up_on.errors.append(_l("The follow-up day must be after today"))
        elif day > last:
            self.follow_up_on.errors.append(_l("Choose a date within two years"))
        return valid and not self.follow_up_on.errors

    def follow_up_day(self) -> date | None:
        """The day of the follow-up chosen (None: no follow-up)."""
        if self.follow_up.data == FOLLOW_UP_DEFAULT:
            return default_follow_up_day(local_today())
        if self.follow_up.data == FOLLOW_UP_OTHER_DAY:
            return self.follow_up_on.data
        return None

    def closing(self) -> Closing:
        """What the form says beside the reason, as cases.close takes it."""
        return Closing(moved_on_to=tuple(self.moved_on_to.data or ()),
                       saw_doctor=SAW_DOCTOR_VALUES.get(self.saw_doctor.data or ""),
                       follow_up_on=self.follow_up_day())


class ConfirmCloseForm(CloseForm):
    """Closing, second step (the confirmation page): the reason and note kept, and with no
    contact person named, the worker's word that none is needed."""

    # Sent by the confirmation page's button only: closing is never one click.
    confirmed = BooleanField()
    no_contact_person_needed = no_contact_person_needed()


class ReopenForm(CaseActionForm):
    # Translators: label of the list of statuses (team lead) in which a closed case is opened
    # again.
    status = SelectField(_l("Status after reopening"),
                         choices=[c for c in choices(STATUSES) if c.value != "closed"])


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


# --- Recording a contact that came by another channel (app/staff/new_case.py) -----------


def _yes_no() -> list[SelectChoice]:
    return select_choices((choice.code, choice.label) for choice in YES_NO)


class RecordingForm(BaseForm):
    """How the contact came in: the channel, the referrer (for a referral), urgency, and
    the form's one-time key (sending it twice makes one case)."""

    form_key = HiddenField()
    channel = RadioField(
        # Translators: label of the list (staff) of ways a contact came in: phone call,
        # walk-in visit, e-contact, a professional's referral or consultation.
        _l("How did the contact come in?"), choices=choices(RECORDED_CHANNELS),
        # Translators: error message (staff) when the channel was not chosen.
        validators=[InputRequired(message=_l("Choose how the contact came in"))])
    referrer_organisation = StringField(
        # Translators: label of a text field (staff), shown for a professional's referral: the
        # organisation of the professional who referred the client (ohjaava taho).
        _l("Referrer's organisation"), validators=[too_long(REFERRER_LIMIT)])
    referrer_name = StringField(
        # Translators: label of a text field (staff), shown for a professional's referral: the
        # name of the professional who referred the client.
        _l("Referrer's name"), validators=[too_long(REFERRER_LIMIT)])
    urgent = RadioField(
        # Translators: question (staff) when recording a contact: does the client need help
        # urgently (then the team's shorter promise applies).
        _l("Is it urgent?"), choices=_yes_no(),
        # Translators: error message (staff) when "Is it urgent?" was not answered.
        validators=[InputRequired(message=_l("Choose whether it is urgent"))])

    def validate(self, extra_validators: object = None) -> bool:
        valid = super().validate(extra_validators)  # type: ignore[arg-type]
        if self.channel.data == "referral":
            for field, message in (
                # Translators: error message (staff): a referral needs the referrer's
                # organisation.
                (self.referrer_organisation, _l("Write the referrer's organisation")),
                # Translators: error message (staff): a referral needs the referrer's name.
                (self.referrer_name, _l("Write the referrer's name")),
            ):
                if not field.errors and not (field.data or "").strip():
                    field.errors = [str(message)]
                    valid = False
        return valid


# Translators: error message (staff) when a worker records a contact for a municipality that
# another team serves.
OTHER_TEAM_MESSAGE = _l("Another team serves this municipality. You can record contacts only "
                        "for your own teams' municipalities.")


class NewContactForm(RecordingForm):
    """A contact a worker records: who the client is and how to reach them, in short."""

    # Translators: label of a text field (staff): the client's name.
    name = StringField(_l("Client's name"), validators=[
        # Translators: error message (staff) when the client's name was left empty.
        InputRequired(message=_l("Write the client's name")), too_long(NAME.max_length or 100)])
    # Translators: label of a text field (staff): the client's phone number.
    phone = StringField(_l("Client's phone number"),
                        validators=[phone_format, too_long(PHONE.max_length or 30)])
    # Translators: label of a text field (staff): the client's e-mail address.
    email = StringField(_l("Client's e-mail address"),
                        validators=[email_format, too_long(EMAIL.max_length or 254)])
    # The worker's teams' municipalities (filled in by the view).
    municipality = SelectField(
        # Translators: label of the list (staff) of the client's home municipality.
        _l("Client's municipality"), validate_choice=False,
        # Translators: error message (staff) when no municipality was chosen.
        validators=[InputRequired(message=_l("Choose the client's municipality"))])
    # Translators: label of the list (staff): the language in which the client wants to be
    # contacted, Finnish or Swedish.
    language = RadioField(_l("Contact language"), choices=choices(CONTACT_LANGUAGE),
                          # Translators: error message (staff) when no language was chosen.
                          validators=[InputRequired(message=_l("Choose the contact language"))])
    # Translators: label of a text field (staff): what the client's contact is about, in short.
    about = TextAreaField(_l("Short description"), validators=[too_long(FREE_TEXT_LIMIT)])

    # Codes of municipalities that other teams serve: refused with their own message.
    served_elsewhere: frozenset[str] = frozenset()

    def validate_municipality(self, field: SelectField) -> None:
        offered = {str(choice.value) for choice in field.choices or [] if choice.value}
        if field.data in offered:
            return
        if field.data in self.served_elsewhere:
            raise ValidationError(str(OTHER_TEAM_MESSAGE))
        raise ValidationError(str(_l("Choose one of the options given")))

    def validate(self, extra_validators: object = None) -> bool:
        valid = super().validate(extra_validators)  # type: ignore[arg-type]
        if not self.phone.errors and not self.email.errors and not (
                (self.phone.data or "").strip() or (self.email.data or "").strip()):
            # Translators: error message (staff) when neither a phone number nor an e-mail
            # address of the client was given.
            self.phone.errors = [str(_l("Give the client's phone number or e-mail address, "
                                        "or both"))]
            valid = False
        return valid


class StaffSaateForm(RecordingForm):
    """The saate filled in on the client's behalf: how the contact came in; the saate's own
    questions are the schema's step forms (app/saate/forms.py) on the same page."""


ACTION_FORMS: dict[str, type[CaseActionForm]] = {
    "claim": ClaimForm,
    "assign": AssignForm,
    "status": StatusForm,
    "contact-attempt": ContactAttemptForm,
    "note": NoteForm,
    "outcomes": OutcomesForm,
    "contact-person": ContactPersonForm,
    "close": ConfirmCloseForm,  # posted from the confirmation page (CloseForm opens it)
    "reopen": ReopenForm,
    "next-step": NextStepForm,
}
