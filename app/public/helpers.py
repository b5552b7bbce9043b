"""What the client-side views share: choices, defaults, the session's secrets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g, request, session
from flask_babel import gettext as _
from flask_babel import refresh
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice

from app.i18n import Language, current_language, language_by_segment
from app.intake import drafts
from app.models import Draft
from app.people.teams import OTHER_MUNICIPALITY, municipality_choices
from app.saate.forms import ChoiceSource, SaateForm, build_form, select_choices
from app.saate.schema import Answers, Question, Step

DRAFT_TOKEN = "draft_token"  # noqa: S105  (a session key name)
RESUME_CODE = "resume_code"
SENT_CASE = "sent_case"
LANGUAGE_ACTION = "language:"


@dataclass(frozen=True)
class SwitchInForm:
    """On a page with typed answers, the language switch is a set of submit buttons of
    the page's form (name="action" value="language:sv"), so switching keeps the text.

    The view must treat a post without an action as its own first button (continue,
    send): Enter in a field presses a hidden button without one (language_switch.html)."""

    form_id: str


def language_switch_target(action: str) -> Language | None:
    """The language a switch button asked for, or None when it was another button.
    A language we do not offer reopens the page in its own language."""
    if not action.startswith(LANGUAGE_ACTION):
        return None
    return language_by_segment(action.removeprefix(LANGUAGE_ACTION)) or current_language()


def use_language(language: Language) -> None:
    """Draw the rest of this request in another language (its URLs, words and cookie)."""
    g.language = language
    refresh()


def posted_step_form(step: Step) -> tuple[SaateForm, bool, bool]:
    """A one-page form's step form from what was posted: (form, valid, switched).

    When a language button was pressed (`switched`), the page is to be shown again in that
    language with what was typed, and nothing is judged: the form is made after the switch
    (its choices' labels, e.g. municipalities, are in the new language) and its errors are
    dropped, bar an expired CSRF token's."""
    switch_to = language_switch_target(request.form.get("action", ""))
    if switch_to is not None:
        use_language(switch_to)
    form = step_form(step, formdata=request.form)
    valid = form.validate()
    if switch_to is not None and not form.csrf_failed:
        for field in form:
            field.errors = []
    return form, valid, switch_to is not None


def choice_sources() -> dict[str, ChoiceSource]:
    def municipalities() -> list[SelectChoice]:
        return select_choices([
            # Translators: first, empty option of the municipality list.
            ("", _("Choose a municipality")),
            *municipality_choices(current_language().html_lang),
            (OTHER_MUNICIPALITY, _("Other municipality or not sure")),
        ])

    return {"municipalities": municipalities}


def dynamic_label(source: str, code: str) -> str:
    """The label of a run-time choice, e.g. a municipality's name in this language."""
    labels = {choice.value: choice.label for choice in choice_sources()[source]()}
    return str(labels.get(code, code))


def form_defaults() -> dict[str, Any]:
    return {"contact_language": "sv" if current_language().html_lang == "sv" else "fi"}


def step_form(step: Step, answers: Answers | None = None, formdata: Any = None) -> SaateForm:
    return build_form(step, answers, choice_sources(), form_defaults(), formdata)


def step_problems(step: Step, answers: Answers) -> list[tuple[Question, str]]:
    """What is wrong with a step's saved answers (for check answers and sending)."""
    form = build_form(step, None, choice_sources(), None, answers_as_formdata(answers),
                      meta={"csrf": False})
    form.validate()
    return form.question_errors()


def answers_as_formdata(answers: Answers) -> MultiDict:
    data = MultiDict()
    for code, value in answers.items():
        if isinstance(value, list):
            for item in value:
                data.add(code, item)
        elif isinstance(value, bool):
            if value:
                data.add(code, "y")
        elif value is not None:
            data.add(code, str(value))
    return data


def current_draft() -> Draft | None:
    return drafts.find(session.get(DRAFT_TOKEN))


def own_draft(opened: drafts.OpenDraft) -> None:
    """Remember the draft's secrets in this browser's session."""
    session.permanent = True
    session[DRAFT_TOKEN] = opened.token
    session[RESUME_CODE] = opened.resume_code


def forget_draft() -> None:
    session.pop(DRAFT_TOKEN, None)
    session.pop(RESUME_CODE, None)


def display_resume_code() -> str | None:
    code = session.get(RESUME_CODE)
    return drafts.display_resume_code(code) if code else None
