"""The crisis page: help at once, and a way to send what has been answered so far.

A client who answers yes to the crisis question (the part "right-now") comes
straight here: 112, the crisis line and their team's phone with today's hours,
and one button that sends the draft at once as an urgent case, asking only for
what a call needs (a first name and a phone number) if the draft lacks it.

The slug is neutral on purpose: URLs stay in a shared device's history.

After "send now" the draft is sent like any saate (one case per draft: the
draft's id is the submission key) and the client lands on the sent page, which
says what happens next; the rest of the form is not offered any more. The
client may instead go on with the form: the case is urgent either way, because
the answer makes it so, but nothing is sent until they send it.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from flask import redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import ValidationError

from app.casework import cases
from app.forms import BaseForm
from app.i18n import current_language
from app.i18n import lazy_gettext as _l
from app.intake import drafts
from app.limits import limited
from app.models import Draft
from app.people import teams
from app.saate.forms import max_length, phone
from app.saate.schema import NAME, PHONE, SAATE, Answers, Step
from app.security import keeps_answers_on_csrf_failure

from . import bp
from .helpers import SENT_CASE, current_draft, display_resume_code

CRISIS_NOTICE = next(notice for notice in SAATE.notices if notice.code == "crisis")
QUESTION_STEP = CRISIS_NOTICE.after_step  # the slug of the part that asks it
# What a call needs, in the order asked.
CALL_NEEDS = (NAME, PHONE)


def filled(message: Any) -> Any:
    """A required field, with our own message in the page's language."""

    def check(form: BaseForm, field: Any) -> None:
        if not (field.data or "").strip():
            raise ValidationError(str(message))

    return check


class CrisisForm(BaseForm):
    """A first name and a phone number; only the ones the draft lacks are kept (ask_for)."""

    name = StringField(NAME.label, validators=[filled(NAME.required_message),
                                               max_length(NAME.max_length or 100)])
    phone = StringField(PHONE.label, validators=[
        # Translators: error message (client) on the crisis page when no phone number was given.
        filled(_l("Give a phone number so that we can call you")), phone,
        max_length(PHONE.max_length or 30)])


def help_comes_first(step: Step, answers: Answers) -> bool:
    """Whether the answer just saved on the step leads straight to the crisis page."""
    return step.slug == CRISIS_NOTICE.after_step and CRISIS_NOTICE.shown_if.holds(answers)


def help_url() -> str:
    """The crisis page, coming back to the check page if the client came from there."""
    from_check = {"from": "check"} if request.args.get("from") == "check" else {}
    return url_for("public.help_now", **from_check)


def is_valid_phone(value: Any) -> bool:
    """The same rule as the form's phone question, for a number already in the draft."""
    try:
        phone(None, SimpleNamespace(data=value))
    except ValidationError:
        return False
    return bool(str(value or "").strip())


def missing_for_call(answers: Answers) -> list[str]:
    """The questions a call needs that the draft has no good answer to."""
    missing = []
    if not str(answers.get("name") or "").strip():
        missing.append("name")
    if not is_valid_phone(answers.get("phone")):
        missing.append("phone")
    return missing


def ask_for(form: CrisisForm, missing: list[str]) -> CrisisForm:
    """Drop the fields the draft already answers: they are neither shown nor checked."""
    for question in CALL_NEEDS:
        if question.code not in missing:
            del form[question.code]
    return form


@bp.route("/<lang:lang>/saate/help-now", methods=["GET", "POST"])
@limited("crisis_send")
@keeps_answers_on_csrf_failure
def help_now() -> str | Response | tuple[str, int]:
    draft = current_draft()
    if draft is not None and draft.sent_case_id:
        return redirect(url_for("public.saate_sent"))
    if draft is None or not CRISIS_NOTICE.shown_if.holds(draft.answers):
        # The page is for a yes to the crisis question: without one, ask it.
        return redirect(url_for("public.saate_step", slug=QUESTION_STEP))
    missing = missing_for_call(draft.answers)
    # Shown again as typed earlier (e.g. a phone number the contact details refused).
    earlier = {code: str(draft.answers.get(code) or "") for code in missing}
    form = ask_for(CrisisForm(data=earlier), missing)
    if request.method == "GET":
        return render_help(draft, form, missing)
    if not form.validate():
        if form.csrf_token.errors:
            return render_help(draft, form, missing, csrf_expired=True), 400
        return render_help(draft, form, missing)
    typed = {question.code: form[question.code].data.strip()
             for question in CALL_NEEDS if question.code in missing}
    language = current_language().segment
    if typed:
        drafts.save(draft, typed, language)
    case = cases.create_case(SAATE, language, draft.answers, draft.id)
    drafts.mark_sent(draft, case.id)
    session[SENT_CASE] = case.id
    return redirect(url_for("public.saate_sent"))


def render_help(draft: Draft, form: CrisisForm, missing: list[str],
                csrf_expired: bool = False) -> str:
    answers = draft.answers
    team = teams.team_for_municipality(answers.get("municipality")
                                       or teams.OTHER_MUNICIPALITY)
    following = SAATE.next_step(QUESTION_STEP)
    if request.args.get("from") == "check" or following is None:
        continue_url = url_for("public.saate_check")
    else:
        continue_url = url_for("public.saate_step", slug=following.slug)
    return render_template(
        "public/crisis.html", form=form, asked=[q for q in CALL_NEEDS if q.code in missing],
        phone_given=None if "phone" in missing else answers.get("phone"),
        team=team, hours_today=teams.hours_on(team, cases.local_today()),
        back_url=url_for("public.saate_step", slug=QUESTION_STEP),
        continue_url=continue_url, resume_code=display_resume_code(),
        csrf_expired=csrf_expired,
        has_errors=csrf_expired or any(form[q.code].errors for q in CALL_NEEDS
                                       if q.code in missing),
    )
