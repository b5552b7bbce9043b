"""The saate: start, one page per step, check answers, send; save, resume, delete."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response
from wtforms import StringField

from app.casework import cases
from app.forms import BaseForm
from app.i18n import current_language
from app.intake import drafts
from app.limits import limited
from app.models import Draft
from app.saate.answers import check_rows
from app.saate.schema import SAATE, Question, Step
from app.security import keeps_answers_on_csrf_failure

from . import bp
from .crisis import help_comes_first, help_url
from .helpers import (
    SENT_CASE,
    SwitchInForm,
    current_draft,
    display_resume_code,
    dynamic_label,
    forget_draft,
    language_switch_target,
    own_draft,
    step_form,
    step_problems,
)
from .pause import pause_notice

FIRST_STEP = SAATE.steps[0]
STEP_FORM_ID = "step-form"


class ActionForm(BaseForm):
    """A form with only the CSRF token: start, send, delete."""


class ResumeForm(BaseForm):
    code = StringField()
    second_factor = StringField()


@bp.route("/<lang:lang>/saate/", methods=["GET", "POST"])
@limited("saate_start")
def saate_start() -> str | Response:
    form = ActionForm()
    if form.validate_on_submit():
        draft = current_draft()
        if draft is None:
            own_draft(drafts.start(current_language().segment))
            return redirect(url_for("public.saate_step", slug=FIRST_STEP.slug))
        return redirect(resume_target(draft))
    return render_template("public/saate_start.html", form=form, form_def=SAATE,
                           draft=current_draft())


@bp.route("/<lang:lang>/saate/<slug>", methods=["GET", "POST"])
@limited("saate_step")
@keeps_answers_on_csrf_failure
def saate_step(slug: str) -> str | Response:
    step = SAATE.step(slug) or abort(404)
    draft = current_draft()
    if request.method == "GET":
        if draft is not None and draft.sent_case_id:
            return redirect(url_for("public.saate_sent"))
        form = step_form(step, draft.answers if draft else {})
        return render_step(step, form, draft)

    action = request.form.get("action", "continue")
    switch_to = language_switch_target(action)
    form = step_form(step, formdata=request.form)
    valid = form.validate()
    if form.csrf_failed:
        # Nothing is saved from a post we cannot trust; the answers stay on the page.
        return render_step(step, form, draft, csrf_expired=True), 400
    if draft is None:
        opened = drafts.start(current_language().segment)
        own_draft(opened)
        draft = opened.draft
    elif draft.sent_case_id:
        return redirect(url_for("public.saate_sent"))
    # Text longer than allowed was saved cut short: say so on the page, even on "save".
    cut = form.cut_questions()
    continued = action != "save" and switch_to is None and valid and not cut
    drafts.save(draft, form.answers(), (switch_to or current_language()).segment,
                done_step=step.slug if continued else None)
    if switch_to is not None and not cut:
        # Saved without judging the answers: the same part again, in the language chosen.
        return redirect(url_for("public.saate_step", slug=step.slug, lang=switch_to.segment,
                                **change_args(step)), code=303)
    if valid and help_comes_first(step, draft.answers):
        return redirect(help_url())  # a yes to the crisis question: help at once
    if action == "save" and not cut:
        return redirect(url_for("public.saate_saved"))
    if not valid or cut:
        return render_step(step, form, draft, cut=cut)
    if request.args.get("from") == "check":
        return redirect(check_url(step, draft.answers))
    following = SAATE.next_step(step.slug)
    if following is None:
        return redirect(url_for("public.saate_check"))
    return redirect(url_for("public.saate_step", slug=following.slug))


def resume_target(draft: Draft) -> str:
    """Where continuing a draft opens: the first part not done, else check answers."""
    step = drafts.first_unfinished_step(draft)
    return (url_for("public.saate_step", slug=step.slug) if step is not None
            else url_for("public.saate_check"))


def render_step(step: Step, form, draft, csrf_expired: bool = False,  # type: ignore[no-untyped-def]
                cut: list[Question] | None = None) -> str:
    previous = SAATE.previous_step(step.slug)
    answers = draft.answers if draft else {}
    notices = SAATE.notices_after(previous.slug, answers) if previous else []
    from_check = request.args.get("from") == "check"
    if from_check:
        back_url = check_url(step, answers)
    elif previous:
        back_url = url_for("public.saate_step", slug=previous.slug)
    else:
        back_url = url_for("public.saate_start")
    return render_template(
        "public/step.html",
        form=form,
        form_def=SAATE,
        step=step,
        number=SAATE.step_number(step.slug),
        total=len(SAATE.steps),
        back_url=back_url,
        notices=notices,
        resume_code=display_resume_code() if draft else None,
        csrf_expired=csrf_expired,
        cut=cut or [],
        has_errors=csrf_expired or bool(form.question_errors()),
        from_check=from_check,
        change_args=change_args(step),
        language_form=SwitchInForm(STEP_FORM_ID),
        pause=pause_notice(answers.get("municipality")),
    )


def changed_row(step: Step) -> Question | None:
    """The question whose "change" link on the check page opened this part, if any."""
    code = request.args.get("row")
    return next((q for q in step.questions if q.code == code), None)


def change_args(step: Step) -> dict[str, str]:
    """The query that keeps a change from the check page going back there after saving."""
    if request.args.get("from") != "check":
        return {}
    row = changed_row(step)
    return {"from": "check", **({"row": row.code} if row else {})}


def check_url(step: Step, answers: dict) -> str:
    """The check page, at the row just changed (or the part, if that row is gone)."""
    row = changed_row(step)
    if row is not None and answers.get(row.code) not in (None, "", []):
        return url_for("public.saate_check", _anchor=f"answer-{row.code}")
    return url_for("public.saate_check", _anchor=f"check-{step.slug}")


@bp.get("/<lang:lang>/saate/saved")
def saate_saved() -> str | Response:
    draft = current_draft()
    if draft is None:
        return redirect(url_for("public.saate_start"))
    return render_template("public/saved.html", resume_code=display_resume_code(),
                           continue_url=resume_target(draft))


@bp.route("/<lang:lang>/saate/check", methods=["GET", "POST"])
@limited("saate_send")
@keeps_answers_on_csrf_failure
def saate_check() -> str | Response | tuple[str, int]:
    draft = current_draft()
    if draft is None:
        return redirect(url_for("public.resume"))
    if draft.sent_case_id:
        return redirect(url_for("public.saate_sent"))
    problems = {step.slug: step_problems(step, draft.answers) for step in SAATE.steps}
    form = ActionForm()
    if request.method == "POST":
        if not form.validate():
            return render_check(draft, problems, form, csrf_expired=True), 400
        if pause_notice(draft.answers.get("municipality")) is not None:
            return render_check(draft, problems, form, pause_sent=True)
        if not any(problems.values()):
            case = cases.create_case(SAATE, current_language().segment, draft.answers, draft.id)
            drafts.mark_sent(draft, case.id)
            session[SENT_CASE] = case.id
            return redirect(url_for("public.saate_sent"))
    return render_check(draft, problems, form, show_problems=request.method == "POST")


def render_check(draft, problems, form, csrf_expired=False, show_problems=False,  # type: ignore[no-untyped-def]
                 pause_sent=False) -> str:
    has_problems = any(problems.values())
    return render_template(
        "public/check.html", form=form, form_def=SAATE,
        pause=pause_notice(draft.answers.get("municipality")), pause_sent=pause_sent,
        answer_rows=check_rows(SAATE, draft.answers, problems, dynamic_label),
        problems=problems, has_problems=has_problems, show_problems=show_problems,
        csrf_expired=csrf_expired, resume_code=display_resume_code(),
        has_errors=csrf_expired or (show_problems and has_problems),
    )


@bp.get("/<lang:lang>/saate/sent")
def saate_sent() -> str | Response:
    return render_confirmation("saate")


@bp.route("/<lang:lang>/saate/delete", methods=["GET", "POST"])
@limited("saate_delete")
def saate_delete() -> str | Response:
    draft = current_draft()
    form = ActionForm()
    if form.validate_on_submit():
        if draft is not None and not draft.sent_case_id:
            drafts.discard(draft)
        forget_draft()
        return render_template("public/deleted.html")
    if draft is None or draft.sent_case_id:
        return redirect(url_for("public.saate_start"))
    return render_template("public/delete_draft.html", form=form)


@bp.route("/<lang:lang>/resume", methods=["GET", "POST"])
@limited("resume")
@keeps_answers_on_csrf_failure
def resume() -> str | Response | tuple[str, int]:
    form = ResumeForm()
    error = None
    status = 200
    if request.method == "POST":
        if not form.validate():
            error, status = "csrf", 400
        else:
            try:
                found = drafts.resume(form.code.data or "", form.second_factor.data or "")
            except drafts.ResumeRefused as refused:
                error, status = ("throttled", 429) if refused.throttled else ("no_match", 200)
            else:
                if isinstance(found, drafts.SentSaate):
                    return redirect(url_for("public.status",
                                            token=cases.status_token(found.case)))
                own_draft(found)
                return redirect(resume_target(found.draft))
    return render_template("public/resume.html", form=form, error=error,
                           has_errors=error is not None), status


def render_confirmation(kind: str) -> str | Response:
    from .confirmation import confirmation_page

    return confirmation_page(kind)
