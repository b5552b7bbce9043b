"""Stored answers as text for people: check answers, the staff view, exports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from .schema import Answers, FormDescription, Kind, Question, Step


@dataclass
class AnswerRow:
    question: Question
    text: str
    answered: bool


def answer_text(
    question: Question, value: Any, dynamic_label: Callable[[str, str], str] | None = None
) -> str:
    """An answer in the current language; '' when not answered."""
    if value in (None, "", [], False):
        return ""
    if question.kind == Kind.CONFIRM:
        return _("Yes")
    if question.choices_from and dynamic_label:
        return dynamic_label(question.choices_from, str(value))
    if question.kind == Kind.CHECKBOXES:
        return "\n".join(str(question.choice_label(code)) for code in value)
    if question.choices:
        return str(question.choice_label(str(value)))
    return str(value)


def step_rows(
    step: Step, answers: Answers, dynamic_label: Callable[[str, str], str] | None = None
) -> list[AnswerRow]:
    """One row per question that applies, in page order."""
    rows = []
    for question in step.questions:
        if not question.applies(answers):
            continue
        text = answer_text(question, answers.get(question.code), dynamic_label)
        rows.append(AnswerRow(question, text, bool(text)))
    return rows


def form_rows(
    form: FormDescription, answers: Answers,
    dynamic_label: Callable[[str, str], str] | None = None,
) -> list[tuple[Step, list[AnswerRow]]]:
    return [(step, step_rows(step, answers, dynamic_label)) for step in form.steps]
