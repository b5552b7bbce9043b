"""The follow-up page: about six months after a case is finished, a few questions on how
the client is now (described in app/saate/follow_up.py).

The link in the follow-up e-mail and the status page lead here; the status link's own
secret opens it, so nothing new is kept and the client's code (which opens the status page)
reaches it too. The questions are answered once: sending again, from another tab or after
a worker entered the answers from a phone call, says kindly that the answers came already.
Before its day, or for a case without a follow-up, the page says so instead of a 404.
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app.casework import cases, followup
from app.limits import limited
from app.models import Case
from app.saate.follow_up import STEP
from app.saate.forms import SaateForm
from app.security import keeps_answers_on_csrf_failure

from . import bp
from .helpers import SwitchInForm, posted_step_form, step_form
from .status import case_or_404

FORM_ID = "follow-up-form"


@bp.route("/<lang:lang>/status/<token>/follow-up", methods=["GET", "POST"])
@limited("follow_up")
@keeps_answers_on_csrf_failure
def follow_up(token: str) -> str | Response | tuple[str, int]:
    case = case_or_404(token)
    state = followup.state(case, cases.local_today())
    if state != followup.State.DUE:
        return render_state(case, token, state)
    if request.method == "GET":
        return render_follow_up(step_form(STEP), token)
    form, valid, switched = posted_step_form(STEP)
    if form.csrf_failed:
        return render_follow_up(form, token, csrf_expired=True), 400
    if switched or not valid:  # the page again (in the language chosen), with what was typed
        return render_follow_up(form, token)
    try:
        cases.answer_follow_up(case, cases.FollowUpAnswers.from_form(form.answers()))
    except cases.Conflict:
        return render_state(case, token, followup.State.ANSWERED)
    except cases.NotAllowed as refused:
        if refused.refusal != cases.Refusal.ANSWERED:
            raise
        return render_state(case, token, followup.State.ANSWERED)
    return redirect(url_for("public.follow_up_thanks", token=token), code=303)


@bp.get("/<lang:lang>/status/<token>/follow-up/thanks")
def follow_up_thanks(token: str) -> str | Response:
    case = case_or_404(token)
    if followup.state(case, cases.local_today()) != followup.State.ANSWERED:
        return redirect(url_for("public.follow_up", token=token))
    return render_template("public/follow_up_state.html", case=case, token=token, thanks=True)


def render_follow_up(form: SaateForm, token: str, csrf_expired: bool = False) -> str:
    return render_template("public/follow_up.html", form=form, step=STEP, token=token,
                           csrf_expired=csrf_expired,
                           has_errors=csrf_expired or bool(form.question_errors()),
                           language_form=SwitchInForm(FORM_ID))


def render_state(case: Case, token: str, state: followup.State) -> str:
    """Not the questions: none for this case, not yet, or answered already."""
    return render_template("public/follow_up_state.html", case=case, token=token, state=state,
                           thanks=False)
