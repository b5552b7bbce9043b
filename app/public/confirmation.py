"""After sending: reference code, promised date, status link (and the offer to e-mail
it to the client's own address), one feedback question."""

from __future__ import annotations

from flask import redirect, render_template, session, url_for
from flask_babel import LazyString
from werkzeug.wrappers import Response
from wtforms import RadioField, TextAreaField
from wtforms.validators import Length, Optional

from app.casework import cases, status_mail
from app.extensions import db
from app.forms import BaseForm
from app.i18n import current_language
from app.i18n import lazy_gettext as _l
from app.intake import feedback
from app.limits import limited
from app.links import external_url
from app.models import Case
from app.saate.forms import select_choices

from . import bp
from .helpers import SENT_CASE, current_draft, display_resume_code

FEEDBACK_COMMENT_LIMIT = 1000
STATUS_MAIL_SENT = "status_mail_sent"  # session: the case whose link was e-mailed


def rating_field(label: LazyString) -> RadioField:
    """A 1–5 feedback question: how easy was it (after sending; at the end of service)."""
    return RadioField(
        label,
        # Translators: feedback scale; 1 is the worst and 5 the best.
        choices=select_choices([("1", _l("1 – very hard")), ("2", "2"), ("3", "3"),
                                ("4", "4"), ("5", _l("5 – very easy"))]),
        validators=[Optional()], validate_choice=False, default=None,
    )


class FeedbackForm(BaseForm):
    rating = rating_field(_l("How easy was it to fill in?"))
    comment = TextAreaField(
        _l("What could we do better? (optional)"),
        validators=[Length(max=FEEDBACK_COMMENT_LIMIT,
                           message=_l("Write at most %(max)d characters."))],
    )


class StatusMailForm(BaseForm):
    """One button: e-mail the status link to the address the client gave."""


def sent_case(kind: str) -> Case | None:
    case_id = session.get(SENT_CASE)
    case = db.session.get(Case, case_id) if case_id else None
    return case if case is not None and case.kind == kind else None


def resume_code_of(case: Case) -> str | None:
    """The code this browser resumed the sent saate with: it opens the status page too."""
    draft = current_draft()
    return display_resume_code() if draft is not None and draft.sent_case_id == case.id else None


def confirmation_page(kind: str, form: FeedbackForm | None = None,
                      mail_outcome: status_mail.Outcome | None = None) -> str | Response:
    case = sent_case(kind)
    if case is None:
        return redirect(url_for("public.landing"))
    status_url = external_url("public.status", token=cases.status_token(case))
    if mail_outcome is None and session.get(STATUS_MAIL_SENT) == case.id:
        mail_outcome = status_mail.Outcome.SENT
    return render_template(
        "public/confirmation.html", case=case, status_url=status_url,
        resume_code=resume_code_of(case),
        mail_offered=status_mail.offered(case), mail_address=status_mail.address(case),
        mail_outcome=mail_outcome, mail_form=StatusMailForm(),
        feedback_form=form or FeedbackForm(), feedback_given=feedback.given_for(case),
    )


def sent_page_url(kind: str) -> str:
    return url_for("public.contact_sent" if kind == "contact_request" else "public.saate_sent")


@bp.post("/<lang:lang>/status-link/<kind>")
@limited("status_mail")
def email_status_link(kind: str) -> str | Response:
    case = sent_case(kind)
    form = StatusMailForm()
    if case is None:
        return redirect(url_for("public.landing"))
    if not form.validate_on_submit():
        return confirmation_page(kind)
    outcome = status_mail.send_status_link(case, current_language())
    if outcome == status_mail.Outcome.SENT:
        session[STATUS_MAIL_SENT] = case.id
        return redirect(sent_page_url(kind) + "#status-mail", code=303)
    return confirmation_page(kind, mail_outcome=outcome)


@bp.post("/<lang:lang>/feedback/<kind>")
@limited("feedback")
def give_feedback(kind: str) -> str | Response:
    case = sent_case(kind)
    form = FeedbackForm()
    if case is None:
        return redirect(url_for("public.landing"))
    if not form.validate_on_submit():
        return confirmation_page(kind, form)
    rating = int(form.rating.data) if form.rating.data in {"1", "2", "3", "4", "5"} else None
    feedback.record(case, current_language().segment, rating, form.comment.data or "")
    return redirect(sent_page_url(kind) + "#feedback", code=303)
