"""Follow-ups on the staff side: the team's list of follow-ups whose day has come, and the
page on which a worker enters a client's follow-up answers from a phone call.

The list holds no personal data (the case's reference and close reason, the day, whether
the e-mail went). The phone page shows the client's name and phone to call: opening it is
logged as a view of the case, and saving the answers as a change (cases.answer_follow_up).
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.casework import access_log, cases, followup
from app.casework.case_terms import CLOSE_REASONS, label
from app.casework.queue import InvalidCursor
from app.i18n import languages
from app.models import Case, CaseStatus
from app.saate.follow_up import STEP
from app.saate.forms import SaateForm, build_form
from app.security import keeps_answers_on_csrf_failure

from . import bp


@bp.get("/follow-ups")
def follow_ups() -> str:
    try:
        after = followup.DueCursor.decode(request.args.get("after"))
    except InvalidCursor:
        abort(400)
    today = cases.local_today()
    page = followup.due_page(current_user, today, after, current_app.config["QUEUE_PAGE_SIZE"])
    next_url = (url_for("staff.follow_ups", after=page.next_cursor.encode())
                if page.next_cursor else None)
    return render_template("staff/follow_ups.html", page=page, next_url=next_url,
                           is_later_page=after is not None, reasons=CLOSE_REASONS, label=label,
                           today=today)


def answerable(case: Case) -> bool:
    """A closed case whose follow-up is still unanswered (its day need not have come: the
    worker may reach the client a little early)."""
    follow_up = case.follow_up
    return (case.status == CaseStatus.CLOSED and follow_up is not None
            and follow_up.answered_at is None)


@bp.route("/cases/<id:case_id>/follow-up", methods=["GET", "POST"])
@keeps_answers_on_csrf_failure
def follow_up_answers(case_id: int) -> str | Response | tuple[str, int]:
    case = cases.visible_case(current_user, case_id)
    if case is None:
        abort(404)  # another team's case looks exactly like a missing one
    if request.method == "GET":
        access_log.record(current_user, access_log.Action.VIEW, case.id)
        return render_answers(case, build_form(STEP))
    form = build_form(STEP, formdata=request.form)
    valid = form.validate()
    if form.csrf_failed:
        return render_answers(case, form, csrf_expired=True), 400
    if not valid or not answerable(case):
        return render_answers(case, form), 400
    try:
        cases.answer_follow_up(case, cases.FollowUpAnswers.from_form(form.answers()),
                               recorded_by=current_user)
    except (cases.Conflict, cases.NotAllowed):
        # Answered meanwhile (by the client, or a colleague): the page says so.
        return render_answers(case, form), 400
    # Translators: short message (staff) at the top of the case page after the follow-up
    # answers from a phone call were saved.
    flash(_("The follow-up answers are saved."))
    return redirect(url_for("staff.case", case_id=case.id))


def render_answers(case: Case, form: SaateForm, csrf_expired: bool = False) -> str:
    problems = [(f"#{question.anchor}", message) for question, message in form.question_errors()]
    return render_template(
        "staff/follow_up_answers.html", case=case, form=form, step=STEP,
        answerable=answerable(case), problems=problems, csrf_expired=csrf_expired,
        client_language=languages()[case.language].name if case.language in languages()
        else case.language)
