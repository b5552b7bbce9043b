"""Forms of the admin pages (staff, teams), reassigning, and the set-up link."""

from __future__ import annotations

import re
from typing import Any

from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    StopValidation,
    ValidationError,
)

from app.casework import destinations
from app.casework.cases import REASON_LIMIT
from app.forms import BaseForm
from app.i18n import lazy_gettext as _l
from app.models import StaffRole
from app.people import accounts, teams
from app.people.municipalities import resolve
from app.saate.forms import phone as phone_number
from app.saate.forms import select_choices

from .forms import too_long

ROLE_LABELS = {
    # Translators: a staff member's role (staff admin pages): handles cases.
    StaffRole.WORKER: _l("Worker"),
    # Translators: a staff member's role (staff admin pages): assigns cases, reopens closed ones.
    StaffRole.LEAD: _l("Team lead"),
    # Translators: a staff member's role (staff admin pages): runs staff accounts and teams.
    StaffRole.ADMIN: _l("Admin"),
}
# The staff side's languages, by their own names (never translated).
UI_LANGUAGES = [("fi", "Suomi"), ("sv", "Svenska")]
# One case picked on the reassign page: "<case id>.<version seen>".
PICKED_CASE = re.compile(r"([0-9]{1,10})\.([0-9]{1,10})")


def role_choices() -> list:
    return select_choices((role.value, label) for role, label in ROLE_LABELS.items())


def optional_id(value: Any) -> int | None:
    """A chosen id; None for the empty first option ("Choose a colleague")."""
    return None if value in ("", None) else int(value)


def required(message: Any) -> InputRequired:
    """A choice must be made."""
    return InputRequired(message=message)


def filled(message: Any) -> Any:
    """Text must be written: spaces alone are nothing."""

    def check(form: BaseForm, field: Any) -> None:
        if not (field.data or "").strip():
            field.errors[:] = []
            raise StopValidation(str(message))

    return check


def email_address(form: BaseForm, field: Any) -> None:
    value = (field.data or "").strip()
    if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        # Translators: error message (staff admin) under an e-mail field.
        raise ValidationError(str(_l("Write the e-mail address like name@example.fi")))


class StaffForm(BaseForm):
    """A new staff member; they choose their password on their set-up link."""

    email = StringField(_l("E-mail address"), validators=[
        # Translators: error message (staff admin) when the e-mail field is empty.
        filled(_l("Write the e-mail address")), email_address,
        too_long(accounts.EMAIL_LIMIT)])
    # Translators: label of the staff member's full name (staff admin pages).
    name = StringField(_l("Full name"), validators=[
        # Translators: error message (staff admin) when the name field is empty.
        filled(_l("Write the name")), too_long(accounts.NAME_LIMIT)])
    # Translators: label (staff admin) of a staff member's job title, shown to clients with the
    # first name, e.g. "terveydenhoitaja".
    title = StringField(_l("Job title (shown to clients)"), validators=[
        # Translators: error message (staff admin) when the job title field is empty.
        filled(_l("Write the job title")), too_long(accounts.TITLE_LIMIT)])
    # Translators: label (staff admin) of the choice of a staff member's role.
    role = RadioField(_l("Role"), choices=role_choices(),
                      # Translators: error message (staff admin) when no role was chosen.
                      validators=[required(_l("Choose a role"))])
    # Translators: label (staff admin) of the checkboxes of teams a staff member works in.
    teams = SelectMultipleField(_l("Teams"), coerce=int, validators=[
        # Translators: error message (staff admin) when no team was chosen.
        required(_l("Choose at least one team"))])
    # Translators: label (staff admin) of the choice of the language of a staff member's pages.
    ui_locale = RadioField(_l("Language of their pages"), choices=select_choices(UI_LANGUAGES),
                           default="fi",
                           # Translators: error message (staff admin) when no language was chosen.
                           validators=[required(_l("Choose a language"))])


class StaffChangeForm(BaseForm):
    role = RadioField(_l("Role"), choices=role_choices(),
                      validators=[required(_l("Choose a role"))])
    teams = SelectMultipleField(_l("Teams"), coerce=int,
                                validators=[required(_l("Choose at least one team"))])


class DeactivateForm(BaseForm):
    # Translators: checkbox (staff admin) on the deactivation page of a staff member who still
    # has open cases.
    leave_unassigned = BooleanField(_l("Deactivate anyway: their open cases go back to their "
                                       "teams' queues, unassigned"))


class ReassignForm(BaseForm):
    # Translators: label (team lead) of the checkboxes of the cases to give to a colleague.
    cases = SelectMultipleField(_l("Cases"), coerce=str, validate_choice=False, validators=[
        # Translators: error message (team lead) when no case was chosen for reassigning.
        required(_l("Choose at least one case"))])
    # Translators: label (team lead) of the list of colleagues who get the chosen cases.
    assignee = SelectField(_l("New handler"), coerce=optional_id, validate_choice=True,
                           # Translators: error message (team lead) when no colleague was chosen.
                           validators=[required(_l("Choose a colleague"))])
    # Translators: label (team lead) of the text field for why the cases change hands; shown in
    # each case's timeline.
    reason = StringField(_l("Reason"), validators=[
        # Translators: error message (team lead) when the reason for reassigning is empty.
        filled(_l("Write the reason")), too_long(REASON_LIMIT)])

    def validate_cases(self, field: Any) -> None:
        if not all(PICKED_CASE.fullmatch(value or "") for value in field.data or []):
            raise ValidationError(str(_l("Choose one of the options given")))

    def picked(self) -> list[tuple[int, int]]:
        """(case id, version seen) of each case picked, each once."""
        found = (PICKED_CASE.fullmatch(value) for value in self.cases.data or [])
        pairs = [(int(m[1]), int(m[2])) for m in found if m]
        return list(dict.fromkeys(pairs))


def valid_opening_hours(form: BaseForm, field: Any) -> None:
    try:
        teams.parse_opening_hours(field.data or "")
    except ValueError:
        raise ValidationError(str(
            # Translators: error message (staff admin) under the team's phone hours. Keep the
            # example's day names (mon, tue, wed, thu, fri, sat, sun) in English: they are codes.
            _l("Write the hours like this: mon-thu 08:00-16:00, fri 08:00-15:00"))) from None


def municipality_list(text: str) -> list[str]:
    """The municipalities typed, one per line or separated by commas."""
    return [part.strip() for part in re.split(r"[,\n]", text or "") if part.strip()]


def known_municipalities(form: BaseForm, field: Any) -> None:
    typed = municipality_list(field.data)
    if not typed:
        # Translators: error message (staff admin) when a team's municipality list is empty.
        raise ValidationError(str(_l("Write at least one municipality")))
    for value in typed:
        try:
            resolve(value)
        except ValueError:
            raise ValidationError(str(
                # Translators: error message (staff admin) under a team's municipalities;
                # %(name)s is what was typed. CODE:FINNISH:SWEDISH is a format, e.g.
                # 020:Akaa:Akaa.
                _l("We do not know the municipality “%(name)s”. Write its name or code, or "
                   "CODE:FINNISH:SWEDISH.", name=value[:60]))) from None


def days(label: Any) -> IntegerField:
    return IntegerField(label, validators=[
        # Translators: error message (staff admin) under a number of working days.
        required(_l("Write a number")),
        NumberRange(1, teams.MAX_CONTACT_DAYS,
                    # Translators: error message (staff admin) under a number of working days;
                    # %(min)s and %(max)s are numbers, e.g. 1 and 30.
                    message=_l("Write a number from %(min)s to %(max)s")),
    ])


class TeamForm(BaseForm):
    # Translators: label (staff admin) of a team's name, e.g. "Jyväskylän työkyvyn tuen tiimi".
    name = StringField(_l("Team name"), validators=[
        filled(_l("Write the name")), too_long(teams.NAME_LIMIT)])
    # Translators: label (staff admin) of the team's municipalities, typed as a list.
    municipalities = TextAreaField(_l("Municipalities it serves"), validators=[
        known_municipalities, too_long(4000)])
    # Translators: label (staff admin): within how many working days the team promises to
    # contact a client.
    contact_days = days(_l("Promised contact time (working days)"))
    # Translators: label (staff admin): the shorter promise for a client in a crisis.
    urgent_contact_days = days(_l("Promise for urgent cases (working days)"))
    # Translators: label (staff admin) of the team's phone number, shown to clients.
    phone = StringField(_l("Phone number"), validators=[
        # Translators: error message (staff admin) when the team's phone number is empty.
        filled(_l("Write the phone number")), phone_number, too_long(teams.PHONE_LIMIT)])
    # Translators: label (staff admin) of when the team's phone is answered.
    opening_hours = StringField(_l("Phone hours"), validators=[
        filled(_l("Write the hours like this: mon-thu 08:00-16:00, fri 08:00-15:00")),
        valid_opening_hours])
    # Translators: label (staff admin) of the team's shared e-mail address for new-case notices.
    email = StringField(_l("Notification address (optional)"), validators=[
        email_address, too_long(teams.EMAIL_LIMIT)])
    # Translators: checkbox (staff admin): e-mail the team's address about every new case (urgent
    # ones always are).
    notify_new_cases = BooleanField(_l("E-mail this address about every new case"))
    # Translators: checkbox (staff admin): the team takes no new contacts from clients for now.
    intake_paused = BooleanField(_l("Pause intake"))
    # Translators: label (staff admin) of the team's own words to clients while intake is paused.
    pause_message_fi = TextAreaField(_l("Message to clients in Finnish (optional)"),
                                     validators=[too_long(teams.PAUSE_MESSAGE_LIMIT)])
    pause_message_sv = TextAreaField(_l("Message to clients in Swedish (optional)"),
                                     validators=[too_long(teams.PAUSE_MESSAGE_LIMIT)])
    # Translators: label (staff admin): the number clients are asked to call while intake is
    # paused.
    pause_phone = StringField(_l("Phone number while paused (optional)"),
                              validators=[phone_number, too_long(teams.PHONE_LIMIT)])

    def validate_urgent_contact_days(self, field: Any) -> None:
        if (isinstance(field.data, int) and isinstance(self.contact_days.data, int)
                and field.data > self.contact_days.data):
            # Translators: error message (staff admin) under the urgent promise.
            raise ValidationError(str(_l("The urgent promise cannot be longer than the "
                                         "promised contact time")))

    def settings(self) -> dict[str, Any]:
        """The settings as teams.change_team takes them."""
        return {name: (value.strip() if isinstance(value, str) else value)
                for name, value in self.data.items() if name in teams.SETTINGS}


class NewTeamForm(TeamForm):
    # Translators: label (staff admin) of a team's short name in addresses and commands, e.g.
    # "jyvaskyla".
    slug = StringField(_l("Short name (letters a-z, digits and dashes)"), validators=[
        # Translators: error message (staff admin) when the team's short name is empty.
        filled(_l("Write the short name")), too_long(teams.SLUG_LIMIT)])

    def validate_slug(self, field: Any) -> None:
        if not teams.SLUG_SHAPE.fullmatch(field.data or ""):
            # Translators: error message (staff admin) under the team's short name.
            raise ValidationError(str(_l("Use only lower-case letters a-z, digits and dashes, "
                                         "like jyvaskyla")))


# --- A team's routing destinations (app/casework/destinations.py) ---------------------------


class DestinationsForm(BaseForm):
    """Which of the team's destinations its workers are offered: the view fills the choices
    (built-in and own, all but "other", which is always shown); none ticked hides them all."""

    # Translators: legend (staff admin) of the checkboxes of a team's routing destinations
    # (fi "ohjaus", sv "hänvisning"): the ticked ones are offered to the team's workers.
    shown = SelectMultipleField(_l("Shown to the team's workers"), coerce=str, choices=[])


class NewDestinationForm(BaseForm):
    """A destination of the team's own, named in Finnish and (optionally) Swedish."""

    # Translators: label (staff admin) of the Finnish name of a team's own routing destination.
    name_fi = StringField(_l("Name in Finnish"), validators=[
        # Translators: error message (staff admin) when a routing destination has no Finnish
        # name.
        filled(_l("Write the name in Finnish")), too_long(destinations.NAME_LIMIT)])
    # Translators: label (staff admin) of the Swedish name of a team's own routing destination.
    name_sv = StringField(_l("Name in Swedish (optional)"),
                          validators=[too_long(destinations.NAME_LIMIT)])


class RenameDestinationForm(NewDestinationForm):
    """New names for one of the team's own destinations (`code`, filled in by the view)."""

    code = SelectField(coerce=str, choices=[], validate_choice=True)


class SetupForm(BaseForm):
    """The set-up link's page: a password, and a code from the authenticator just added."""

    # Translators: label on the staff set-up page (a new staff member chooses their password).
    password = PasswordField(_l("Choose a password"), validators=[
        # Translators: error message on the staff set-up page when no password was typed.
        filled(_l("Choose a password")),
        Length(min=accounts.MIN_PASSWORD_LENGTH, max=accounts.MAX_PASSWORD_LENGTH,
               # Translators: error message on the staff set-up page; %(min)d and %(max)d are
               # numbers of characters, e.g. 12 and 200.
               message=_l("The password must be %(min)d to %(max)d characters long"))])
    # Translators: label on the staff set-up page: the same password again, to check it.
    password_again = PasswordField(_l("The same password again"), validators=[
        # Translators: error message on the staff set-up page when the second password field is
        # empty.
        filled(_l("Write the password again")),
        # Translators: error message on the staff set-up page when the two passwords differ.
        EqualTo("password", message=_l("The passwords are not the same"))])
    code = StringField(_l("Code from your authenticator app"), validators=[
        filled(_l("Enter the six-digit code")), too_long(20)])
