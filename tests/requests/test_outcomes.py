"""What a case keeps for statistics: its profile codes, where the client was routed and
moved on, and the follow-up planned at closing (app/casework/cases.py, profile.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.casework import cases, profile
from app.casework.cases import Closing, local_today
from app.casework.followup import default_follow_up_day
from app.extensions import db
from app.models import CaseCode, FollowUp, StaffUser
from tests.requests.test_staff import new_case
from tests.support.staff import make_staff, stored

pytestmark = pytest.mark.usefixtures("teams")


@pytest.fixture
def lead(app: Flask) -> StaffUser:
    return make_staff("testi.esihenkilo@example.test", role="lead", name="Testi Esihenkilö")


def codes_of(case_id: int, kind: str) -> list[str]:
    return list(db.session.scalars(select(CaseCode.code).where(
        CaseCode.case_id == case_id, CaseCode.kind == kind).order_by(CaseCode.code)))


def test_a_saate_case_keeps_its_profile(app: Flask) -> None:
    case = new_case(kind="saate")
    answers = case.answers
    assert case.age_group == profile.age_group(answers["birth_year"], local_today())
    assert case.education == answers["education"]
    assert case.work_ability_score == int(answers["work_ability_score"])
    assert codes_of(case.id, "difficulty") == profile.difficulty_groups(answers["affecting"])


def test_a_contact_request_has_no_profile(app: Flask) -> None:
    case = new_case()
    assert (case.age_group, case.education, case.work_ability_score) == (None, None, None)
    assert codes_of(case.id, "difficulty") == []


def test_routing_keeps_its_codes_and_first_time(worker: StaffUser) -> None:
    case = new_case()
    cases.record_outcomes(case, worker, case.version, ["kela", "work_trial"], "",
                          no_contact_person_needed=True)
    first_routed = stored(case.id).routed_at
    assert first_routed is not None
    cases.record_outcomes(case, worker, case.version, ["ohjaamo"], "",
                          no_contact_person_needed=True)
    assert codes_of(case.id, "routed_to") == ["ohjaamo"]
    assert stored(case.id).routed_at == first_routed


def test_closing_keeps_where_the_client_moved_on_and_plans_the_follow_up(
    worker: StaffUser, lead: StaffUser
) -> None:
    case = new_case()
    day = default_follow_up_day(local_today())
    cases.close(case, worker, case.version, "routed", no_contact_person_needed=True,
                closing=Closing(("studies", "paid_work"), saw_doctor=True, follow_up_on=day))
    closed = stored(case.id)
    assert closed.saw_doctor is True
    assert codes_of(case.id, "moved_on") == ["paid_work", "studies"]
    assert closed.follow_up is not None and closed.follow_up.due_on == day
    # Reopening takes back what closing said; the unanswered follow-up goes with it.
    cases.reopen(closed, lead, closed.version, "in_progress")
    reopened = stored(case.id)
    assert reopened.saw_doctor is None and codes_of(case.id, "moved_on") == []
    assert db.session.scalar(select(FollowUp).where(FollowUp.case_id == case.id)) is None


@pytest.mark.parametrize("closing", [
    Closing(("studies", "a_code_we_do_not_have")),
    Closing(follow_up_on=local_today()),
    Closing(follow_up_on=local_today() + timedelta(days=731)),
])
def test_closing_refuses_unknown_outcomes_and_follow_ups_out_of_range(
    worker: StaffUser, closing: Closing
) -> None:
    case = new_case()
    with pytest.raises(cases.NotAllowed):
        cases.close(case, worker, case.version, "routed", no_contact_person_needed=True,
                    closing=closing)
    assert stored(case.id).status == "new"


def closed_with_follow_up(worker: StaffUser):  # type: ignore[no-untyped-def]
    case = new_case()
    cases.close(case, worker, case.version, "routed", no_contact_person_needed=True,
                closing=Closing(("work_trial",), follow_up_on=local_today() + timedelta(days=1)))
    return stored(case.id)


def test_a_follow_up_is_answered_once(worker: StaffUser) -> None:
    case = closed_with_follow_up(worker)
    answers = cases.FollowUpAnswers("partly", 6, ("paid_work",), True, "Kiitos (keksitty).")
    cases.answer_follow_up(case, answers)
    follow_up = stored(case.id).follow_up
    assert follow_up is not None and follow_up.answered_by_channel == "web"
    assert (follow_up.got_help, follow_up.work_ability_score, follow_up.would_recommend) \
        == ("partly", 6, True)
    assert codes_of(case.id, "follow_up") == ["paid_work"]
    with pytest.raises(cases.NotAllowed) as refused:
        cases.answer_follow_up(case, answers, recorded_by=worker)
    assert refused.value.refusal == "answered"


@pytest.mark.parametrize("answers", [
    cases.FollowUpAnswers(got_help="maybe"),
    cases.FollowUpAnswers(work_ability_score=11),
    cases.FollowUpAnswers(doing_now=("astronaut",)),
])
def test_follow_up_answers_outside_the_lists_are_refused(
    worker: StaffUser, answers: cases.FollowUpAnswers
) -> None:
    case = closed_with_follow_up(worker)
    with pytest.raises(cases.NotAllowed):
        cases.answer_follow_up(case, answers, recorded_by=worker)
    assert stored(case.id).follow_up.answered_at is None  # type: ignore[union-attr]


def test_an_open_case_has_no_follow_up_to_answer(worker: StaffUser) -> None:
    with pytest.raises(cases.NotAllowed):
        cases.answer_follow_up(new_case(), cases.FollowUpAnswers("yes"))
