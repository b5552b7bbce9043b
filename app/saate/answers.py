"""Stored answers as text for people: check answers, the staff view, exports."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import LazyString

from .schema import Answers, FormDescription, Kind, Question, Step

DynamicLabel = Callable[[str, str], str]
# (question, what is wrong) per step slug, as app/public/helpers.step_problems gives them.
Problems = Mapping[str, Sequence[tuple[Question, str]]]


@dataclass
class AnswerRow:
    question: Question
    text: str
    answered: bool
    problem: str | None = None  # a required answer missing, or one that needs correcting
    # The staff case view names the question by its short staff label; the client's pages
    # and the printed case by the question itself.
    short_label: bool = False

    @property
    def label(self) -> LazyString:
        return self.question.short_label if self.short_label else self.question.label


def answer_text(
    question: Question, value: Any, dynamic_label: DynamicLabel | None = None
) -> str:
    """An answer in the current language; '' when not answered."""
    if value in (None, "", [], False):
        return ""
    if question.choices_from and dynamic_label:
        return dynamic_label(question.choices_from, str(value))
    if question.kind == Kind.CHECKBOXES and isinstance(value, list):
        return "\n".join(str(question.choice_label(code)) for code in value)
    if question.choices:
        return str(question.choice_label(str(value)))
    return str(value)


def step_rows(
    step: Step, answers: Answers, dynamic_label: DynamicLabel | None = None,
    short_labels: bool = False,
) -> list[AnswerRow]:
    """One row per question that applies, in page order."""
    rows = []
    for question in step.questions:
        if not question.applies(answers):
            continue
        text = answer_text(question, answers.get(question.code), dynamic_label)
        rows.append(AnswerRow(question, text, bool(text), short_label=short_labels))
    return rows


def form_rows(
    form: FormDescription, answers: Answers,
    dynamic_label: DynamicLabel | None = None, short_labels: bool = False,
) -> list[tuple[Step, list[AnswerRow]]]:
    """Every part's rows; `short_labels` for the staff case view (the staff labels)."""
    return [(step, step_rows(step, answers, dynamic_label, short_labels))
            for step in form.steps]


def check_rows(
    form: FormDescription, answers: Answers, problems: Problems,
    dynamic_label: DynamicLabel | None = None,
) -> list[tuple[Step, list[AnswerRow]]]:
    """The check page: per part, a row for each answered question and each problem, in page
    order; a question left empty without a problem (an optional one) is not listed."""
    result = []
    for step in form.steps:
        wrong = {question.code: message for question, message in problems.get(step.slug, ())}
        rows = []
        for row in step_rows(step, answers, dynamic_label):
            row.problem = wrong.get(row.question.code)
            if row.answered or row.problem:
                rows.append(row)
        result.append((step, rows))
    return result
