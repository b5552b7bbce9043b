"""The contact request: one short page."""

from __future__ import annotations

import re
import uuid

from flask import redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from app.casework import cases
from app.i18n import current_language
from app.limits import limited
from app.saate.schema import CONTACT_REQUEST
from app.security import keeps_answers_on_csrf_failure

from . import bp
from .confirmation import confirmation_page
from .helpers import SENT_CASE, SwitchInForm, posted_step_form, step_form
from .pause import PauseNotice, pause_notice

STEP = CONTACT_REQUEST.steps[0]
CONTACT_FORM_ID = "contact-form"
SUBMISSION_KEY = re.compile(r"[0-9a-f]{32}")


@bp.route("/<lang:lang>/contact", methods=["GET", "POST"])
@limited("contact")
@keeps_answers_on_csrf_failure
def contact() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        return render_contact(step_form(STEP), uuid.uuid4().hex)
    # The key is made when the page is shown: a double click or a resend of the
    # same page carries the same key and so makes no second case.
    key = request.form.get("submission_key", "")
    if not SUBMISSION_KEY.fullmatch(key):
        key = uuid.uuid4().hex
    form, valid, switched = posted_step_form(STEP)
    if form.csrf_failed:
        return render_contact(form, key, csrf_expired=True), 400
    if switched:  # the page again in the language chosen, with what was typed; nothing sent
        return render_contact(form, key)
    pause = pause_notice(form.answers().get("municipality"))
    if not valid or pause is not None:
        return render_contact(form, key, pause=pause)
    case = cases.create_case(CONTACT_REQUEST, current_language().segment, form.answers(), key)
    session[SENT_CASE] = case.id
    return redirect(url_for("public.contact_sent"))


def render_contact(form, key: str, csrf_expired: bool = False,  # type: ignore[no-untyped-def]
                   pause: PauseNotice | None = None) -> str:
    return render_template("public/contact.html", form=form, step=STEP,
                           submission_key=key, csrf_expired=csrf_expired, pause=pause,
                           has_errors=csrf_expired or bool(form.question_errors()),
                           language_form=SwitchInForm(CONTACT_FORM_ID))


@bp.get("/<lang:lang>/contact/sent")
def contact_sent() -> str | Response:
    return confirmation_page("contact_request")
