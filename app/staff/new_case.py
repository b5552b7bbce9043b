"""Recording a contact that came by another channel than the web: a phone call, a
walk-in, an e-contact, or a professional's referral or consultation.

Two pages. /staff/cases/new is the short one: who the client is, how to reach them
and what it is about (a contact request, entered by the worker). /staff/cases/new/saate
is the saate filled in on the client's behalf during a call or a visit: every part of
the schema's form on one long page, from the same step forms and field components as
the client's pages. Both go through cases.record_* into the same table, queue, status
flow, timeline and retention as the web's cases; the worker is the actor of the first
event ("recorded") and is in the access log.

No drafts on the staff side: the worker fills the page in one sitting, with the client
on the line or at the desk. Everything typed comes back with the page when something
needs fixing (an expired CSRF token too), so nothing is lost, and an unfinished saate is
never stored outside the team's cases. A hidden one-time key makes sending the page
twice (a double click, a resend) one case.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import Field, SelectChoice

from app.casework import cases
from app.people.teams import OTHER_MUNICIPALITY, municipality_codes, municipality_name
from app.saate.forms import SaateForm, build_form, select_choices
from app.saate.schema import SAATE
from app.security import keeps_answers_on_csrf_failure

from . import bp, worker_language
from .forms import OTHER_TEAM_MESSAGE, NewContactForm, RecordingForm, StaffSaateForm

FORM_KEY = re.compile(r"[0-9a-f]{32}")
Problems = list[tuple[str | None, str]]


def municipality_choices() -> list[SelectChoice]:
    """The worker's own teams' municipalities (and "other", for the default team's
    members), in the worker's language; first an empty choice."""
    codes = cases.recordable_municipalities(current_user)
    named = sorted(((code, municipality_name(code, worker_language())) for code in codes
                    if code != OTHER_MUNICIPALITY), key=lambda pair: pair[1].casefold())
    if OTHER_MUNICIPALITY in codes:
        named.append((OTHER_MUNICIPALITY, municipality_name(OTHER_MUNICIPALITY)))
    # Translators: the empty first option of the municipality list (staff).
    return select_choices([("", _("Choose a municipality")), *named])


def served_elsewhere() -> frozenset[str]:
    """Municipalities other teams serve: recording for them is refused in so many words."""
    return frozenset(municipality_codes()) - set(cases.recordable_municipalities(current_user))


def form_key(form: RecordingForm) -> str:
    """The page's one-time key; a fresh one if what came back is not one we made."""
    key = form.form_key.data or ""
    return key if FORM_KEY.fullmatch(key) else uuid.uuid4().hex


def recording(form: RecordingForm) -> cases.Recording:
    return cases.Recording(
        channel=form.channel.data or "", urgent=form.urgent.data == "yes",
        referrer_organisation=form.referrer_organisation.data or "",
        referrer_name=form.referrer_name.data or "")


def field_problems(form: RecordingForm) -> Problems:
    """(link to the field, message) for each field in error, in page order; then what
    belongs to no field."""
    return [*((f"#{anchor(field)}", field.errors[0]) for field in form
              if field.errors and field.name != "csrf_token"),
            *((None, message) for message in form.form_errors)]


def anchor(field: Field) -> str:
    """The id a link to the field points at: a radio group's first input."""
    return f"{field.id}-0" if field.type == "RadioField" else field.id


def recorded(case_id: int) -> Response:
    # Translators: short message (staff) at the top of the new case's page after recording it.
    flash(_("The contact is recorded and in the queue."))
    return redirect(url_for("staff.case", case_id=case_id))


# --- A contact, in short -----------------------------------------------------------------


@bp.route("/cases/new", methods=["GET", "POST"])
@keeps_answers_on_csrf_failure
def new_case() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        form = NewContactForm(formdata=None)
        form.municipality.choices = municipality_choices()
        return render_new_case(form, uuid.uuid4().hex)
    form = NewContactForm()
    form.municipality.choices = municipality_choices()
    form.served_elsewhere = served_elsewhere()
    key = form_key(form)
    valid = form.validate()
    if form.csrf_token.errors:
        return render_new_case(form, key, csrf_expired=True), 400
    if not valid:
        return render_new_case(form, key), 400
    answers = {"name": form.name.data, "phone": form.phone.data, "email": form.email.data,
               "municipality": form.municipality.data, "contact_language": form.language.data,
               "about": form.about.data}
    # Trimmed, as the client's own answers are (SaateForm.answers).
    answers = {code: (value or "").strip() for code, value in answers.items()}
    try:
        case = cases.record_contact(current_user, recording(form), answers, key)
    except cases.NotAllowed as refused:
        return render_new_case(form, key, refused=refused.refusal), 400
    return recorded(case.id)


def refusal_problems(form: RecordingForm, municipality: Field,
                     refused: cases.Refusal | None) -> None:
    """The service's refusal, said where it belongs: at the municipality (another team's),
    else above the form."""
    if refused == cases.Refusal.OTHER_TEAM:
        municipality.errors = [str(OTHER_TEAM_MESSAGE)]
    elif refused is not None:
        # Translators: error message (staff) above the form when a contact could not be
        # recorded for a reason the form's fields do not show.
        form.form_errors.append(_("The contact was not recorded. Check the answers and "
                                  "send again."))


def render_new_case(form: NewContactForm, key: str, csrf_expired: bool = False,
                    refused: cases.Refusal | None = None) -> str:
    refusal_problems(form, form.municipality, refused)
    problems = field_problems(form)
    return render_template("staff/new_case.html", form=form, form_key=key,
                           problems=problems, csrf_expired=csrf_expired,
                           has_errors=csrf_expired or bool(problems),
                           may_record=bool(cases.recordable_municipalities(current_user)))


# --- The saate, filled in on the client's behalf ----------------------------------------


def staff_choice_sources() -> dict[str, Any]:
    return {"municipalities": municipality_choices}


def saate_forms(formdata: Any = None) -> list[SaateForm]:
    """Every part's step form: empty (the contact language is the worker's, as the
    client's pages default to theirs), or from what was posted."""
    defaults = {"contact_language": worker_language()}
    return [build_form(step, None, staff_choice_sources(), defaults, formdata)
            for step in SAATE.steps]


@bp.route("/cases/new/saate", methods=["GET", "POST"])
@keeps_answers_on_csrf_failure
def new_saate() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        return render_new_saate(StaffSaateForm(formdata=None), saate_forms(), uuid.uuid4().hex)
    form = StaffSaateForm()
    parts = saate_forms(request.form)
    key = form_key(form)
    valid = [form.validate(), *(part.validate() for part in parts)]
    if form.csrf_token.errors:
        return render_new_saate(form, parts, key, csrf_expired=True), 400
    answers = {code: value for part in parts for code, value in part.answers().items()}
    if not answers.get("contact_language") and not parts[0]["contact_language"].errors:
        # Case.language: the client's contact language is needed when staff record.
        # Translators: error message (staff) when the client's contact language was not chosen.
        parts[0]["contact_language"].errors = [_("Choose the contact language")]
        valid.append(False)
    refuse_other_team(parts[0])
    if not all(valid) or parts[0]["municipality"].errors:
        return render_new_saate(form, parts, key), 400
    try:
        case = cases.record_saate(current_user, recording(form), answers, key)
    except cases.NotAllowed as refused:
        return render_new_saate(form, parts, key, refused=refused.refusal), 400
    return recorded(case.id)


def refuse_other_team(contact_part: SaateForm) -> None:
    """A municipality another team serves is refused in so many words (not as a choice the
    page did not offer)."""
    field = contact_part["municipality"]
    if field.errors and field.data in served_elsewhere():
        field.errors = [str(OTHER_TEAM_MESSAGE)]


def render_new_saate(form: StaffSaateForm, parts: list[SaateForm], key: str,
                     csrf_expired: bool = False, refused: cases.Refusal | None = None) -> str:
    refusal_problems(form, parts[0]["municipality"], refused)
    problems = field_problems(form)
    for part in parts:
        problems += [(f"#{question.anchor}", message)
                     for question, message in part.question_errors()]
    return render_template("staff/new_saate.html", form=form, parts=zip(SAATE.steps, parts,
                                                                          strict=True),
                           form_key=key, problems=problems, csrf_expired=csrf_expired,
                           has_errors=csrf_expired or bool(problems), form_def=SAATE,
                           may_record=bool(cases.recordable_municipalities(current_user)))
