"""Answers within the schema's limits (app/saate/bounds.py), and drafts that stay bounded."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.intake import drafts
from app.people.teams import municipality_codes
from app.saate.bounds import (
    CHOICE_KINDS,
    TEXT_KINDS,
    answers_size_limit,
    bound_answer,
    bound_answers,
)
from app.saate.schema import FORMS, SAATE, Kind, Question
from tests.support.hostile import forbidden
from tests.unit.test_text import any_text

pytestmark = pytest.mark.usefixtures("teams")

QUESTIONS = SAATE.questions()
# A code point that takes the most room in JSON: "\ud83d\ude00".
WIDEST = "\U0001f600"
# Function-scoped fixtures (the app on each database) are fine here: each example
# starts from an empty draft.
ROUND_TRIP = settings(max_examples=60, deadline=None, database=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture,
                                             HealthCheck.too_slow])


def codes(question: Question) -> list[str]:
    if question.choices_from:
        return ["179", "other"]  # a served municipality (demo teams) and "other"
    return [choice.code for choice in question.choices]


# --- The schema ------------------------------------------------------------------------


@pytest.mark.parametrize("question", [q for form in FORMS.values() for q in form.questions()],
                         ids=lambda q: q.code)
def test_every_question_has_bounds(question: Question) -> None:
    """A text question without max_length, or a kind without bounds, fails here."""
    if question.kind in TEXT_KINDS:
        assert question.max_length, f"{question.code} needs a max_length"
    bound_answer(question, None, {})
    assert set(Kind) == TEXT_KINDS | CHOICE_KINDS | {Kind.CHECKBOXES}


def test_bounding_examples() -> None:
    step = SAATE.step("situation").questions + SAATE.step("contact-details").questions
    bounded = bound_answers(step, {
        "situation": "not-a-choice",
        "registered_jobseeker": "yes",
        "current_services": ["tym", "x" * 50, "tym", "none", "tym", 3, None],
        "main_income": "pension",
        "name": "  Testi\x00 \u202eAsiakas  ",
        "interpreter": "yes",
        "interpreter_language": "a" * 100,
        "birth_year": 1980,
        "municipality": "179",
        "best_time": ["morning"],
        "unknown": "dropped",
    }, {"municipalities": ["179", "other"]})
    assert bounded.answers == {
        "situation": "", "registered_jobseeker": "yes",
        "current_services": ["tym", "none"], "main_income": ["pension"],
        "name": "Testi Asiakas", "interpreter": "yes", "interpreter_language": "a" * 60,
        "birth_year": "",
        "municipality": "179", "best_time": "",
    }
    assert [question.code for question in bounded.cut] == ["interpreter_language"]


@pytest.mark.parametrize(("lead", "follow_up"), [
    ({"interpreter": "no"}, {"interpreter_language": "arabia"}),
    ({"interpreter": "forged"}, {"interpreter_language": "a" * 100}),
    ({}, {"interpreter_language": "arabia"}),
    ({"situation": "working"}, {"not_working_for": "over_2_years"}),
    ({"affecting": ["mood"]}, {"affecting_other": "Uni"}),
    ({"named_worker": "no"}, {"named_worker_who": "Testi Ohjaaja"}),
    ({"share_with": ["none"]}, {"share_health_with": ["kela"]}),
])
def test_an_answer_to_a_follow_up_that_no_longer_applies_is_dropped(lead: dict,
                                                                   follow_up: dict) -> None:
    bounded = bound_answers(QUESTIONS, {**lead, **follow_up}, {})
    assert not set(follow_up) & set(bounded.answers)
    assert bounded.cut == []  # nothing kept, so nothing said to be cut short


def test_a_follow_up_whose_lead_is_asked_elsewhere_is_judged_with_all_answers() -> None:
    """A step's form knows only its own questions: a lead outside them is not judged."""
    follow_up = SAATE.question("not_working_for")
    assert bound_answers([follow_up], {"not_working_for": "over_2_years"}, {}).answers == {
        "not_working_for": "over_2_years"}


# --- Drafts ----------------------------------------------------------------------------


@pytest.fixture
def open_draft(app: Flask) -> drafts.OpenDraft:
    return drafts.start("fi")


def saved_and_loaded(opened: drafts.OpenDraft, answers: dict[str, Any]) -> dict:
    """Save into an emptied draft, then read it back through the drafts service."""
    draft = opened.draft
    draft.answers = {}
    db.session.commit()
    drafts.save(draft, answers, "fi")
    db.session.expire_all()
    loaded = drafts.find(opened.token)
    assert loaded is not None
    return loaded.answers


def test_the_fullest_draft_stays_within_the_known_size(open_draft: drafts.OpenDraft) -> None:
    """Every question answered with the most it can hold, and then some."""
    worst: dict[str, Any] = {}
    for question in QUESTIONS:
        if question.kind in TEXT_KINDS:
            worst[question.code] = WIDEST * (question.max_length + 500)  # type: ignore[operator]
        elif question.kind == Kind.CHECKBOXES:
            worst[question.code] = codes(question) * 50 + ["x" * 1000] * 50
        else:
            worst[question.code] = max(codes(question), key=len)
    worst.update({f"extra{n}": "x" * 1000 for n in range(50)})
    stored = saved_and_loaded(open_draft, worst)
    size = len(json.dumps(stored))
    limit = answers_size_limit(QUESTIONS)
    assert size <= limit
    assert size > 0.99 * limit  # the limit is close: it says something
    assert limit < 150_000


def hostile_value(question: Question) -> st.SearchStrategy:
    junk = st.one_of(st.none(), st.integers(), st.booleans(), st.floats(allow_nan=False),
                     st.text(max_size=8), st.lists(st.text(max_size=3), max_size=3),
                     st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
    if question.kind in TEXT_KINDS:
        limit = question.max_length or 0
        too_long = st.text(min_size=1, max_size=4).map(lambda t: (t * (limit + 9))[: limit + 9])
        return st.one_of(any_text, too_long, junk)
    options = st.sampled_from(codes(question))
    if question.kind == Kind.CHECKBOXES:
        return st.one_of(st.lists(st.one_of(options, st.text(max_size=5)), max_size=30), junk)
    return st.one_of(options, junk)


hostile_answers = st.fixed_dictionaries(
    {}, optional={q.code: hostile_value(q) for q in QUESTIONS}
).flatmap(lambda answers: st.dictionaries(st.text(max_size=6), st.integers(), max_size=3)
          .map(lambda extra: {**extra, **answers}))


@ROUND_TRIP
@given(answers=hostile_answers)
def test_any_answers_are_stored_normalised_and_bounded(open_draft: drafts.OpenDraft,
                                                       answers: dict) -> None:
    stored = saved_and_loaded(open_draft, answers)
    expected = bound_answers(QUESTIONS, answers,
                             {"municipalities": municipality_codes()}).answers
    assert stored == expected
    by_code = {question.code: question for question in QUESTIONS}
    assert set(stored) <= set(answers) & set(by_code)
    for code, value in stored.items():
        question = by_code[code]
        if question.kind in TEXT_KINDS:
            assert len(value) <= question.max_length  # type: ignore[operator]
            assert unicodedata.is_normalized("NFC", value)
            assert not [char for char in value if forbidden(char)]
            assert value == value.strip()
        elif question.kind == Kind.CHECKBOXES:
            assert len(set(value)) == len(value) and set(value) <= set(codes(question))
        else:
            assert value in {*codes(question), ""}
        assert question.applies(stored), code  # a follow-up is kept only where it applies
    assert len(json.dumps(stored)) <= answers_size_limit(QUESTIONS)


ORDINARY = st.characters(categories=["L", "M", "N", "P", "S", "Zs"])


def in_bounds_value(question: Question) -> st.SearchStrategy:
    if question.kind in TEXT_KINDS:
        alphabet = st.one_of(ORDINARY, st.sampled_from("\n\t")) \
            if question.kind == Kind.TEXTAREA else ORDINARY
        return (st.text(alphabet=alphabet, max_size=40)
                .map(lambda t: unicodedata.normalize("NFC", t).strip())
                .filter(lambda t: len(t) <= question.max_length))  # type: ignore[operator]
    options = codes(question)
    if question.kind == Kind.CHECKBOXES:
        return st.sets(st.sampled_from(options)).map(
            lambda chosen: [code for code in options if code in chosen])
    return st.sampled_from(options)


@ROUND_TRIP
@given(answers=st.fixed_dictionaries({}, optional={q.code: in_bounds_value(q)
                                                   for q in QUESTIONS}))
def test_answers_within_bounds_come_back_exactly(open_draft: drafts.OpenDraft,
                                                 answers: dict) -> None:
    """Exactly, except answers to follow-ups that do not apply (their lead answered
    otherwise, or not at all): those are dropped."""
    by_code = {question.code: question for question in QUESTIONS}
    applying = {code: value for code, value in answers.items() if by_code[code].applies(answers)}
    assert saved_and_loaded(open_draft, answers) == applying
