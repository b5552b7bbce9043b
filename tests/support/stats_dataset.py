"""A small hand-built dataset for the statistics: thirteen cases of the Jyväskylä team in a
two-week period, one of another team in it and one just before it, built through the case
workflow's services; then each case's moments are set to chosen Helsinki times (the
services stamp "now"), as tests/support/staff.py handled_and_closed does.

The period is the two ISO weeks starting four Mondays before this week's. Every expected
figure in tests/requests/test_statistics.py is worked out by hand from the table below.

case  week/day   time   kind  channel lang  state now              contact  routed   closed
c1    A Mon      09:00  saate web     fi    closed routed, FU ans  +2 h     +24 h    +7 d
c2    A Tue      09:00  saate web     fi    closed routed, FU ans  +4 h     +48 h    +7 d  urgent
c3    A Wed      09:00  saate web     fi    closed routed, FU ans  +10 h    +72 h    +7 d
c4    A Thu      09:00  saate web     sv    closed routed, FU ans  +20 h    +96 h    +7 d
c5    A Fri      09:00  saate web     fi    closed routed, FU ans  +27 h    +120 h   +7 d
adv   A Mon      09:00  cr    web     fi    closed advice, FU due  +30 h    +6 h     +7 d
nr    A Tue      09:00  cr    phone   fi    closed not reached     -        -        +7 d
c6    A Sun      23:30  saate web     fi    in progress, routed    +1 h     +12 h    -
dup   B Mon      00:30  cr    web     selko closed duplicate       -        -        +1 d
ip    B Mon      09:00  cr    web     fi    in progress            +50 h    -        -
n1    B Tue      09:00  saate web     fi    new                    -        -        -     urgent
n2    B Wed      09:00  saate web     sv    new                    -        -        -
wt    B Thu      09:00  saate web     fi    waiting for client     -        -        -

Every case is promised for the day after it came in (Helsinki), but c6 for its own day:
reached at 00:30 on Monday, it was late in Helsinki though early in UTC. dup came in at
00:30 on Monday of week B, which is still Sunday of week A in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from app.casework import cases
from app.casework.cases import HELSINKI, Closing, FollowUpAnswers, Recording, local_today
from app.extensions import db
from app.intake import feedback
from app.intake.feedback import Moment
from app.models import Case, FollowUp, StaffUser
from app.reporting.statistics import Period
from app.saate.schema import CONTACT_REQUEST, SAATE
from tests.support.journey import CONTACT_REQUEST as CONTACT_ANSWERS
from tests.support.journey import VALID_STEPS
from tests.support.staff import make_staff

SAATE_ANSWERS = {code: value for step in VALID_STEPS.values() for code, value in step.items()}
FOLLOW_UP_COMMENT = "Kiitos avusta (keksitty kommentti)."
FEEDBACK_COMMENT = "Helppo käyttää (keksitty palaute)."
OTHER_TEAM_COMMENT = "Toisen tiimin palaute (keksitty)."


@dataclass(frozen=True)
class Spec:
    key: str
    week: int  # 0: week A, 1: week B
    weekday: int  # 0: Monday
    at: time
    kind: str = "saate"
    channel: str = "web"
    language: str = "fi"
    urgent: bool = False
    age: int | None = 35
    education: str | None = "upper_secondary"
    score: int = 5
    affecting: tuple[str, ...] = ("mood",)
    contact_hours: float | None = None
    routed_to: tuple[str, ...] = ()
    routed_hours: float | None = None
    status: str = "new"  # for open cases: new, in_progress, waiting_for_client
    close_reason: str | None = None
    closed_days: float = 7
    moved_on: tuple[str, ...] = ()
    saw_doctor: bool | None = None
    follow_up: str = ""  # "answered", "due" or ""
    answers: FollowUpAnswers | None = None
    sent_rating: int | None = None  # feedback after sending: the rating, or None for none
    sent_feedback: bool = False
    end_rating: int | None = None  # end-of-service feedback
    end_recommend: bool | None = None
    end_comment: str = ""
    promised_same_day: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


A, B = 0, 1
SPECS = [
    Spec("c1", A, 0, time(9), score=4, contact_hours=2, routed_to=("kela", "work_trial"),
         routed_hours=24, close_reason="routed", moved_on=("paid_work", "studies"),
         saw_doctor=True, follow_up="answered",
         answers=FollowUpAnswers("yes", 6, ("paid_work",), True, FOLLOW_UP_COMMENT),
         sent_rating=5, sent_feedback=True, end_rating=5, end_recommend=True),
    Spec("c2", A, 1, time(9), urgent=True, score=5, contact_hours=4, routed_to=("kela",),
         routed_hours=48, close_reason="routed", moved_on=("paid_work",), saw_doctor=True,
         follow_up="answered", answers=FollowUpAnswers("yes", 5, ("paid_work",), True),
         sent_rating=5, sent_feedback=True, end_rating=4, end_recommend=True),
    Spec("c3", A, 2, time(9), score=6, contact_hours=10, routed_to=("kela",), routed_hours=72,
         close_reason="routed", moved_on=("paid_work",), saw_doctor=True, follow_up="answered",
         answers=FollowUpAnswers("yes", 8, ("studies",), True),
         sent_rating=4, sent_feedback=True, end_rating=4, end_recommend=True),
    Spec("c4", A, 3, time(9), language="sv", score=3, contact_hours=20,
         routed_to=("kela", "work_trial"), routed_hours=96, close_reason="routed",
         moved_on=("paid_work",), saw_doctor=True, follow_up="answered",
         answers=FollowUpAnswers("no", 2, ("nothing_yet",), True),
         sent_rating=4, sent_feedback=True, end_rating=4, end_recommend=True),
    Spec("c5", A, 4, time(9), score=7, contact_hours=27, routed_to=("kela",), routed_hours=120,
         close_reason="routed", moved_on=("paid_work", "nothing_yet"), saw_doctor=True,
         follow_up="answered", answers=FollowUpAnswers("partly", 7, ("paid_work",), True),
         sent_rating=3, sent_feedback=True, end_rating=3, end_recommend=True),
    Spec("adv", A, 0, time(9), kind="contact_request", contact_hours=30, routed_to=("advice",),
         routed_hours=6, close_reason="advice_enough", moved_on=("employment_services",),
         saw_doctor=False, follow_up="due", end_rating=2, end_recommend=False,
         end_comment=FEEDBACK_COMMENT),
    Spec("nr", A, 1, time(9), kind="contact_request", channel="phone",
         close_reason="not_reached", moved_on=("dropped_out",)),
    Spec("c6", A, 6, time(23, 30), age=25, education=None, contact_hours=1,
         routed_to=("kela", "ohjaamo"), routed_hours=12, status="in_progress",
         promised_same_day=True),
    Spec("dup", B, 0, time(0, 30), kind="contact_request", language="selko",
         close_reason="duplicate", closed_days=1),
    Spec("ip", B, 0, time(9), kind="contact_request", contact_hours=50, status="in_progress"),
    Spec("n1", B, 1, time(9), urgent=True, age=55, affecting=("musculoskeletal",),
         sent_feedback=True),
    Spec("n2", B, 2, time(9), language="sv", age=55, affecting=("musculoskeletal",)),
    Spec("wt", B, 3, time(9), age=None, education="higher", affecting=("life_situation",),
         status="waiting_for_client"),
]


@dataclass
class Dataset:
    period: Period
    cases: dict[str, Case]
    other_team_case: Case
    before_period_case: Case

    def case_ids(self) -> set[int]:
        return {case.id for case in self.cases.values()}


def first_monday(today: date | None = None) -> date:
    today = today or local_today()
    return today - timedelta(days=today.weekday() + 28)


def helsinki(day: date, at: time) -> datetime:
    return datetime.combine(day, at, HELSINKI)


def _answers(spec: Spec, municipality: str) -> dict[str, Any]:
    if spec.kind == "contact_request":
        return {**CONTACT_ANSWERS, "municipality": municipality}
    answers = {**SAATE_ANSWERS, "municipality": municipality,
               "acute_distress": "yes" if spec.urgent else "no",
               "work_ability_score": str(spec.score), "affecting": list(spec.affecting)}
    answers.pop("affecting_other", None)
    answers.pop("birth_year")
    answers.pop("education")
    if spec.age is not None:
        answers["birth_year"] = str(local_today().year - spec.age)
    if spec.education is not None:
        answers["education"] = spec.education
    return answers


def _create(spec: Spec, worker: StaffUser, municipality: str = "179") -> Case:
    form = SAATE if spec.kind == "saate" else CONTACT_REQUEST
    answers = _answers(spec, municipality)
    key = f"stats-{spec.key}".rjust(32, "0")
    if spec.channel == "web":
        return cases.create_case(form, spec.language, answers, key)
    return cases.record_contact(worker, Recording(spec.channel),
                                {**answers, "contact_language": spec.language}, key)


def new_saate(key: str = "new") -> Case:
    """One more saate of the Jyväskylä team, sent now (for tests going on from the dataset)."""
    return cases.create_case(SAATE, "fi", _answers(Spec(key, A, 0, time(9)), "179"),
                             f"stats-{key}".rjust(32, "0"))


def _work(spec: Spec, case: Case, worker: StaffUser) -> None:
    """What the workers did, through the services (their moments are set afterwards)."""
    if spec.status != "new" or spec.close_reason is not None:
        _handle(spec, case, worker)
    if spec.sent_feedback:
        feedback.record(case, spec.language, spec.sent_rating, "")
    if spec.end_rating is not None:
        feedback.record(case, spec.language, spec.end_rating, spec.end_comment,
                        moment=Moment.END_OF_SERVICE, would_recommend=spec.end_recommend)


def _handle(spec: Spec, case: Case, worker: StaffUser) -> None:
    cases.claim(case, worker, case.version)
    if spec.contact_hours is not None:
        cases.log_contact_attempt(case, worker, case.version, "phone", True, "")
    elif spec.close_reason == "not_reached":
        cases.log_contact_attempt(case, worker, case.version, "phone", False, "")
    if spec.routed_to:
        cases.record_outcomes(case, worker, case.version, list(spec.routed_to), "",
                              no_contact_person_needed=True)
    if spec.status == "waiting_for_client":
        cases.set_status(case, worker, case.version, "waiting_for_client")
    if spec.close_reason is not None:
        follow_up_on = local_today() + timedelta(days=1) if spec.follow_up else None
        cases.close(case, worker, case.version, spec.close_reason, no_contact_person_needed=True,
                    closing=Closing(spec.moved_on, spec.saw_doctor, follow_up_on))
    if spec.answers is not None:
        cases.answer_follow_up(case, spec.answers)


def _set_moments(spec: Spec, case: Case, came_in: datetime, answered_at: datetime) -> None:
    case.created_at = came_in
    local_day = came_in.astimezone(HELSINKI).date()
    case.promised_contact_date = local_day if spec.promised_same_day else (
        local_day + timedelta(days=1))
    if spec.contact_hours is not None:
        case.contacted_at = came_in + timedelta(hours=spec.contact_hours)
    if spec.routed_hours is not None:
        case.routed_at = came_in + timedelta(hours=spec.routed_hours)
    if spec.close_reason is not None:
        case.closed_at = came_in + timedelta(days=spec.closed_days)
    if spec.answers is not None:
        follow_up = db.session.query(FollowUp).filter_by(case_id=case.id).one()
        follow_up.answered_at = answered_at


def build(worker: StaffUser, today: date | None = None) -> Dataset:
    """The dataset for the Jyväskylä team (`worker` is one of its workers)."""
    monday = first_monday(today)
    period = Period(monday, monday + timedelta(days=13))
    answered_at = helsinki(period.last, time(12))
    made = {}
    for spec in SPECS:
        case = _create(spec, worker)
        _work(spec, case, worker)
        made[spec.key] = case
    for spec in SPECS:
        came_in = helsinki(monday + timedelta(days=7 * spec.week + spec.weekday), spec.at)
        _set_moments(spec, made[spec.key], came_in, answered_at)
    # Another team's case in the period (with a comment), and one of ours just before it.
    other = Spec("other", A, 2, time(9), kind="contact_request", contact_hours=3,
                 close_reason="duplicate", end_rating=1, end_recommend=False,
                 end_comment=OTHER_TEAM_COMMENT)
    other_case = _create(other, worker, municipality="931")
    _work(other, other_case, make_staff("testi.pohjoinen@example.test", teams=("pohjoinen",),
                                        name="Testi Pohjoinen"))
    _set_moments(other, other_case, helsinki(monday + timedelta(days=2), time(9)), answered_at)
    before = Spec("before", A, 0, time(23, 30), kind="contact_request")
    before_case = _create(before, worker)
    _set_moments(before, before_case, helsinki(monday - timedelta(days=1), time(23, 30)),
                 answered_at)
    db.session.commit()
    return Dataset(period, made, other_case, before_case)

