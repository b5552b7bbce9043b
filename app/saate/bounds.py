"""What an answer may be: the schema's limits, applied to any answers before they are kept.

Text is cleaned (app/text.py), trimmed and cut to its question's `max_length`;
a choice is kept only if it is one of the question's codes; checkbox codes are
kept once each, in the order of the choices. Anything else (unknown
questions, wrong types) is dropped, and so is the answer to a follow-up that
no longer applies (its lead answered otherwise). So a draft can never grow
past `answers_size_limit`, whatever is posted.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.text import clean_text

from .schema import Kind, Question

TEXT_KINDS = frozenset({Kind.TEXT, Kind.TEXTAREA, Kind.EMAIL, Kind.PHONE, Kind.YEAR})
SINGLE_LINE_KINDS = TEXT_KINDS - {Kind.TEXTAREA}
CHOICE_KINDS = frozenset({Kind.RADIO, Kind.SELECT, Kind.SCALE})
# Codes of run-time choices (e.g. municipalities) are short; longer ones are never kept.
DYNAMIC_CODE_LIMIT = 16
# The longest a code point gets in JSON with ASCII escapes: "\ud83d\ude00".
JSON_CHARS_PER_CHARACTER = 12

DynamicCodes = Mapping[str, Collection[str]]


@dataclass
class Bounded:
    """Answers within the schema's limits, and the questions whose text was cut."""

    answers: dict[str, Any]
    cut: list[Question] = field(default_factory=list)


def choice_codes(question: Question, dynamic: DynamicCodes) -> list[str]:
    if question.choices_from:
        return [code for code in dynamic.get(question.choices_from, ())
                if 0 < len(code) <= DYNAMIC_CODE_LIMIT]
    return [choice.code for choice in question.choices]


def bounded_text(question: Question, value: Any) -> tuple[str, bool]:
    """(the text as kept, whether it was cut to the limit)."""
    if not isinstance(value, str):
        return "", False
    text = clean_text(value, multiline=question.kind not in SINGLE_LINE_KINDS).strip()
    limit = question.max_length
    if limit is None or len(text) <= limit:
        return text, False
    return text[:limit].rstrip(), True


def bounded_choice(value: Any, codes: Collection[str]) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # scale answers kept as numbers by older versions
    return value if isinstance(value, str) and value in codes else ""


def bounded_choices(value: Any, codes: list[str]) -> list[str]:
    """The chosen codes that exist, once each, in the order of the choices."""
    items = value if isinstance(value, list) else [value]
    chosen = {item for item in items if isinstance(item, str)}
    return [code for code in codes if code in chosen]


def bound_answer(question: Question, value: Any, dynamic: DynamicCodes) -> tuple[Any, bool]:
    """One answer within its question's limits: (value, whether text was cut)."""
    if question.kind in TEXT_KINDS:
        return bounded_text(question, value)
    if question.kind in CHOICE_KINDS:
        return bounded_choice(value, choice_codes(question, dynamic)), False
    if question.kind == Kind.CHECKBOXES:
        return bounded_choices(value, choice_codes(question, dynamic)), False
    raise ValueError(f"no bounds for {question.kind}")


def bound_answers(questions: Iterable[Question], answers: Mapping[str, Any],
                  dynamic: DynamicCodes | None = None) -> Bounded:
    """The answers to these questions, each within its limits; other keys are dropped, and
    so are answers to follow-ups whose lead (among these questions) no longer opens them."""
    questions = list(questions)
    bounded = Bounded({})
    for question in questions:
        if question.code not in answers:
            continue
        value, cut = bound_answer(question, answers[question.code], dynamic or {})
        bounded.answers[question.code] = value
        if cut:
            bounded.cut.append(question)
    for question in no_longer_applying(questions, bounded.answers):
        bounded.answers.pop(question.code, None)
        if question in bounded.cut:
            bounded.cut.remove(question)
    return bounded


def no_longer_applying(questions: list[Question], answers: Mapping[str, Any]) -> list[Question]:
    """Follow-ups whose lead is among `questions` and whose condition does not hold.

    A lead asked elsewhere (not among `questions`) is not judged here: a step's form
    knows only its own answers; the whole draft and the case know them all."""
    codes = {question.code for question in questions}
    return [question for question in questions
            if question.show_if and question.show_if.question in codes
            and not question.applies(answers)]


def answer_size_limit(question: Question) -> int:
    """The most characters one answer can take in JSON (ASCII escapes)."""
    if question.kind in TEXT_KINDS:
        if question.max_length is None:
            raise ValueError(f"text question {question.code} has no max_length")
        return 2 + JSON_CHARS_PER_CHARACTER * question.max_length
    codes = ([f"{'x' * DYNAMIC_CODE_LIMIT}"] if question.choices_from
             else [choice.code for choice in question.choices])
    if question.kind == Kind.CHECKBOXES:
        return len(json.dumps(codes))
    return max(len(json.dumps(code)) for code in codes)


def answers_size_limit(questions: Iterable[Question]) -> int:
    """The most characters the answers to these questions can take as JSON (json.dumps)."""
    questions = list(questions)
    # '{' and '}', and for each answer its key, ': ' and ', '.
    return 2 + sum(len(json.dumps(q.code)) + 4 + answer_size_limit(q) for q in questions)
