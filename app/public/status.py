"""The client's private status page: never the answers themselves.

Once the case is finished the page asks for feedback on the whole service, once (would
they recommend it, how easy was it to get help), and, when the follow-up's day has come,
links to the follow-up questions (app/public/follow_up.py).
"""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from werkzeug.wrappers import Response
from wtforms import RadioField

from app.casework import access_log, cases, followup
from app.i18n import current_language
from app.i18n import lazy_gettext as _l
from app.intake import feedback
from app.limits import limited
from app.models import Case, CaseStatus
from app.saate.follow_up import WOULD_RECOMMEND
from app.saate.forms import select_choices
from app.security import keeps_answers_on_csrf_failure

from . import bp
from .confirmation import FeedbackForm, rating_field


class EndOfServiceForm(FeedbackForm):
    """The after-sending feedback's questions about the whole service, and whether they
    would recommend it (the follow-up's question)."""

    # Translators: feedback question (client) on the status page of a finished case.
    rating = rating_field(_l("How easy was it to get help?"))
    would_recommend = RadioField(
        WOULD_RECOMMEND.label,
        choices=select_choices((choice.code, choice.label) for choice in WOULD_RECOMMEND.choices),
        validate_choice=False, default=None)


def case_or_404(token: str) -> Case:
    case = cases.find_by_status_token(token)
    if case is None:
        abort(404)
    return case


def render_status(case: Case, token: str, form: EndOfServiceForm | None = None,
                  csrf_expired: bool = False) -> str:
    closed = case.status == CaseStatus.CLOSED
    return render_template(
        "public/status.html", case=case, token=token, accesses=access_log.for_case(case.id),
        follow_up=followup.state(case, cases.local_today()),
        end_feedback_given=closed and feedback.given_for(case, feedback.Moment.END_OF_SERVICE),
        feedback_form=form or EndOfServiceForm(formdata=None), csrf_expired=csrf_expired)


@bp.get("/<lang:lang>/status/<token>")
def status(token: str) -> str:
    return render_status(case_or_404(token), token)


@bp.post("/<lang:lang>/status/<token>/feedback")
@limited("feedback")
@keeps_answers_on_csrf_failure
def end_of_service_feedback(token: str) -> str | Response | tuple[str, int]:
    """Kept once per case, only for a finished case; a second send changes nothing."""
    case = case_or_404(token)
    form = EndOfServiceForm()
    if case.status != CaseStatus.CLOSED:
        return redirect(url_for("public.status", token=token), code=303)
    if not form.validate_on_submit():
        csrf_expired = bool(form.csrf_token.errors)
        return render_status(case, token, form, csrf_expired), 400
    rating = int(form.rating.data) if form.rating.data in {"1", "2", "3", "4", "5"} else None
    recommend = form.would_recommend.data
    feedback.record(case, current_language().segment, rating, form.comment.data or "",
                    moment=feedback.Moment.END_OF_SERVICE,
                    would_recommend=None if recommend not in ("yes", "no") else recommend == "yes")
    return redirect(url_for("public.status", token=token) + "#end-feedback", code=303)
