"""The team's statistics for a period: every figure counted in SQL, never case by case.

Three groups of cases, each found along an index:
- the cases that came in during the period (created_at; ix_case_team_created): new cases
  by week, channel, kind and language, who the clients are, status and phase now, the
  time to the first contact and to routing, the promise kept, where they were routed,
  and the feedback given after sending;
- the cases closed during the period (closed_at; ix_case_team_closed): close reasons,
  saw a doctor, where the client moved on (overall and per routing destination), and the
  end-of-service feedback;
- the follow-ups answered during the period (answered_at; ix_follow_up_due): did the
  client get help, what they do now (overall and per routing destination), the change in
  the work-ability score since the saate, would they recommend the service.

Each figure is one grouped statement (GROUP BY over a few coded columns, the case's
many-valued codes through case_code's (kind, code, case_id) index); Python only adds up
the few grouped rows. Nothing here hides small numbers: app/reporting/report.py does that
with app/reporting/small_cells.py before anything is shown.

Phases of a case (Phase): waiting for the first contact (open, the client not reached
yet); contacted (open, reached, no triage outcome yet); routed (open, a triage outcome
recorded); closed with the follow-up still to come; closed (with the follow-up answered,
or none planned).

The promise: a case's promise is kept when the client was first reached (contacted_at)
on or before its promised day, in Helsinki. A case counts once its promised day has
passed or the client was reached; one not reached by then, open or closed, was late.
Duplicates are left out (the client's other case is counted).
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    text,
    union_all,
)

from app.casework.case_terms import MOVED_ON_SOMEWHERE
from app.casework.cases import HELSINKI
from app.extensions import db
from app.intake.feedback import Moment
from app.models import (
    Case,
    CaseCode,
    CaseStatus,
    CodeKind,
    Feedback,
    FollowUp,
    StaffRole,
    StaffUser,
    Team,
)

from .dialect import (
    POSTGRESQL,
    current_dialect,
    local_day,
    percentiles,
    seconds_between,
    week_start,
)

# The longest period asked for at once (a little over five years).
LONGEST_PERIOD = timedelta(days=5 * 366)
# Comments shown to leads, newest first.
COMMENT_LIMIT = 50
# PostgreSQL's memory for each sort and hash of the statistics (its default is 4 MB).
WORK_MEM = "32MB"


@dataclass(frozen=True)
class Period:
    """From the first day to the last, both included, in Helsinki."""

    first: date
    last: date

    @property
    def starts(self) -> datetime:
        return datetime.combine(self.first, time(), HELSINKI).astimezone(UTC)

    @property
    def ends(self) -> datetime:
        """The first moment after the period."""
        return datetime.combine(self.last + timedelta(days=1), time(), HELSINKI).astimezone(UTC)

    def weeks(self) -> list[date]:
        """The Monday of every ISO week the period touches."""
        monday = self.first - timedelta(days=self.first.weekday())
        return [monday + timedelta(weeks=n)
                for n in range((self.last - monday).days // 7 + 1)]


class Phase(enum.StrEnum):
    WAITING = "waiting"  # open, the client not reached yet
    CONTACTED = "contacted"  # open, reached, not routed yet
    ROUTED = "routed"  # open, a triage outcome recorded
    FOLLOW_UP_PENDING = "follow_up_pending"  # closed, the follow-up still to come
    CLOSED = "closed"  # closed, the follow-up answered or none planned


class Promise(enum.StrEnum):
    KEPT = "kept"
    LATE = "late"
    NOT_DUE = "not_due"  # the promised day is today or later and nobody has called yet
    LEFT_OUT = "left_out"  # a duplicate


class Change(enum.StrEnum):
    """The work-ability score at the follow-up against the saate's."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


@dataclass
class Durations:
    """Seconds from the case's coming in to an event, over the cases that had it."""

    cases: int = 0
    median: float | None = None
    p90: float | None = None


@dataclass
class DestinationOutcomes:
    cases: int = 0
    somewhere: int = 0  # moved on to studies, rehabilitation, pension or work
    codes: Counter[str] = field(default_factory=Counter)


@dataclass
class Outcomes:
    """Where the clients of some cases moved on (the codes of one kind), overall and per
    routing destination of the case."""

    codes: Counter[str] = field(default_factory=Counter)
    somewhere: int = 0
    by_destination: dict[str, DestinationOutcomes] = field(default_factory=dict)


@dataclass
class FollowUps:
    answered: int = 0
    got_help: Counter[str | None] = field(default_factory=Counter)
    recommend: Counter[bool | None] = field(default_factory=Counter)
    # Both scores given (the saate's and the follow-up's): how many, their sums, the change.
    scored: int = 0
    saate_scores: int = 0
    follow_up_scores: int = 0
    change: Counter[str] = field(default_factory=Counter)
    doing: Outcomes = field(default_factory=Outcomes)


@dataclass
class FeedbackFigures:
    answers: int = 0
    rated: int = 0
    ratings: int = 0  # the sum of the ratings given (1-5)
    recommend: Counter[bool | None] = field(default_factory=Counter)


@dataclass
class Figures:
    """Every figure of the statistics page, as counted: nothing hidden yet."""

    period: Period
    new_cases: int = 0
    # Monday of the week → ("channel" | "kind" | "language", code) → cases
    by_week: dict[date, Counter[tuple[str, str]]] = field(default_factory=dict)
    status: Counter[str] = field(default_factory=Counter)
    phase: Counter[str] = field(default_factory=Counter)
    # urgent or not → Promise → cases
    promise: dict[bool, Counter[str]] = field(default_factory=dict)
    saates: int = 0
    age_groups: Counter[str | None] = field(default_factory=Counter)
    education: Counter[str | None] = field(default_factory=Counter)
    difficulties: Counter[str] = field(default_factory=Counter)
    routed: int = 0
    routed_to: Counter[str] = field(default_factory=Counter)
    to_contact: Durations = field(default_factory=Durations)
    to_routing: Durations = field(default_factory=Durations)
    closed: int = 0
    close_reasons: Counter[str] = field(default_factory=Counter)
    saw_doctor: Counter[bool | None] = field(default_factory=Counter)
    at_close: Outcomes = field(default_factory=Outcomes)
    follow_ups: FollowUps = field(default_factory=FollowUps)
    feedback: dict[str, FeedbackFigures] = field(default_factory=dict)


@dataclass(frozen=True)
class Comment:
    """A client's free comment: at the follow-up, or in the feedback."""

    source: str  # "follow_up", or the feedback's Moment
    day: date
    text: str


def readable_teams(user: StaffUser) -> list[Team]:
    """The teams whose statistics the user may read, by name: a lead's own teams, every
    team for an admin (workers read none)."""
    if user.role == StaffRole.ADMIN:
        return list(db.session.scalars(select(Team).order_by(Team.name, Team.id)))
    if user.role == StaffRole.LEAD:
        return sorted(user.teams, key=lambda team: (team.name, team.id))
    return []


def as_date(value: Any) -> date:
    """A day from SQL: a date on PostgreSQL, "YYYY-MM-DD" text on SQLite."""
    return value if isinstance(value, date) else date.fromisoformat(value)


# --- Which cases --------------------------------------------------------------------------


def _of_teams(column: ColumnElement, team_ids: tuple[int, ...] | None) -> list[ColumnElement]:
    return [] if team_ids is None else [column.in_(team_ids)]


def came_in(period: Period, team_ids: tuple[int, ...] | None) -> list[ColumnElement]:
    return [*_of_teams(Case.team_id, team_ids),
            Case.created_at >= period.starts, Case.created_at < period.ends]


def closed_in(period: Period, team_ids: tuple[int, ...] | None) -> list[ColumnElement]:
    return [*_of_teams(Case.team_id, team_ids), Case.closed_at >= period.starts,
            Case.closed_at < period.ends, Case.status == CaseStatus.CLOSED]


def answered_in(period: Period, team_ids: tuple[int, ...] | None) -> list[ColumnElement]:
    """Follow-ups answered during the period (joined to their case for the team)."""
    return [*_of_teams(Case.team_id, team_ids),
            FollowUp.answered_at >= period.starts, FollowUp.answered_at < period.ends]


# --- The figures --------------------------------------------------------------------------


def compute(period: Period, team_ids: tuple[int, ...] | None, today: date) -> Figures:
    """Every figure for the period and teams (None: every team); `today` in Helsinki."""
    dialect = current_dialect()
    if dialect == POSTGRESQL:
        # Short grouped statements over a lot of rows: compiling them (JIT) costs more than
        # it saves, sorting and hashing a year of a team's cases wants memory, not disk, and
        # a plan must suit the period and team asked for: psycopg prepares a statement run
        # often, and PostgreSQL's generic plan for it (made without the values) can take
        # minutes where the values' own plan takes a second.
        db.session.execute(text(f"SET LOCAL jit = off; SET LOCAL work_mem = '{WORK_MEM}'; "
                                "SET LOCAL plan_cache_mode = force_custom_plan"))
    figures = Figures(period)
    _count_new_cases(figures, team_ids, dialect)
    _count_state(figures, team_ids, today, dialect)
    _count_profiles(figures, team_ids)
    _count_codes_of_new_cases(figures, team_ids)
    _time_to_contact_and_routing(figures, team_ids, dialect)
    _count_closed(figures, team_ids)
    figures.at_close = _outcomes(
        select(Case.id).where(*closed_in(period, team_ids)).cte("closed_cases"),
        CodeKind.MOVED_ON)
    _count_follow_ups(figures, team_ids)
    _count_feedback(figures, team_ids)
    return figures


def _grouped(inner: Select) -> Select:
    """Count the rows of `inner` grouped by all its columns.

    Grouping by the inner select's labelled columns (not by repeating its expressions)
    keeps PostgreSQL from seeing a bound value of an expression as a different one in the
    GROUP BY.
    """
    rows = inner.subquery()
    return select(*rows.c, func.count().label("cases")).group_by(*rows.c)


def _count_new_cases(figures: Figures, team_ids: tuple[int, ...] | None, dialect: str) -> None:
    """New cases per ISO week by channel, kind and language."""
    inner = select(week_start(Case.created_at, dialect).label("week"), Case.channel, Case.kind,
                   Case.language).where(*came_in(figures.period, team_ids))
    figures.by_week = {monday: Counter() for monday in figures.period.weeks()}
    for week, channel, kind, language, cases in db.session.execute(_grouped(inner)):
        counter = figures.by_week.setdefault(as_date(week), Counter())
        counter.update({("all", ""): cases, ("channel", channel): cases, ("kind", kind): cases,
                        ("language", language): cases})
        figures.new_cases += cases


# The cases whose follow-up is still to come (joined to the period's cases once, not looked up
# case by case).
PENDING = select(FollowUp.case_id).where(FollowUp.answered_at.is_(None)).subquery("pending")


def _phase() -> ColumnElement:
    is_open = Case.status != CaseStatus.CLOSED
    return case(
        (and_(is_open, Case.contacted_at.is_(None)), Phase.WAITING.value),
        (and_(is_open, Case.routed_at.is_(None)), Phase.CONTACTED.value),
        (is_open, Phase.ROUTED.value),
        (PENDING.c.case_id.is_not(None), Phase.FOLLOW_UP_PENDING.value),
        else_=Phase.CLOSED.value)


def _promise(today: date, dialect: str) -> ColumnElement:
    reached = Case.contacted_at.is_not(None)
    return case(
        (Case.close_reason == "duplicate", Promise.LEFT_OUT.value),
        (and_(reached, local_day(Case.contacted_at, dialect) <= Case.promised_contact_date),
         Promise.KEPT.value),
        (or_(reached, Case.promised_contact_date < today), Promise.LATE.value),
        else_=Promise.NOT_DUE.value)


def _count_state(figures: Figures, team_ids: tuple[int, ...] | None, today: date,
                 dialect: str) -> None:
    """Status and phase now, the promise, and how many were routed, in one pass."""
    inner = (select(Case.status, _phase().label("phase"), Case.urgent,
                    _promise(today, dialect).label("promise"),
                    Case.routed_at.is_not(None).label("routed"))
             .outerjoin(PENDING, PENDING.c.case_id == Case.id)
             .where(*came_in(figures.period, team_ids)))
    figures.promise = {True: Counter(), False: Counter()}
    for status, phase, urgent, promise, routed, cases in db.session.execute(_grouped(inner)):
        figures.status[status] += cases
        figures.phase[phase] += cases
        figures.promise[bool(urgent)][promise] += cases
        figures.routed += cases if routed else 0


def _count_profiles(figures: Figures, team_ids: tuple[int, ...] | None) -> None:
    """The saates' clients by age group and education."""
    inner = select(Case.age_group, Case.education).where(
        *came_in(figures.period, team_ids), Case.kind == "saate")
    for age_group, education, cases in db.session.execute(_grouped(inner)):
        figures.saates += cases
        figures.age_groups[age_group] += cases
        figures.education[education] += cases


def _count_codes_of_new_cases(figures: Figures, team_ids: tuple[int, ...] | None) -> None:
    """Kinds of difficulty and routing destinations of the period's new cases."""
    statement = (
        select(CaseCode.kind, CaseCode.code, func.count())
        .join(Case, Case.id == CaseCode.case_id)
        .where(*came_in(figures.period, team_ids),
               CaseCode.kind.in_([CodeKind.DIFFICULTY.value, CodeKind.ROUTED_TO.value]))
        .group_by(CaseCode.kind, CaseCode.code)
    )
    for kind, code, cases in db.session.execute(statement):
        target = figures.difficulties if kind == CodeKind.DIFFICULTY else figures.routed_to
        target[code] += cases


def _time_to_contact_and_routing(figures: Figures, team_ids: tuple[int, ...] | None,
                                 dialect: str) -> None:
    """Median and 90th percentile of the time from coming in to the first contact and to
    the first triage outcome, one statement."""
    values = select(seconds_between(Case.created_at, Case.contacted_at, dialect),
                    seconds_between(Case.created_at, Case.routed_at, dialect),
                    ).where(*came_in(figures.period, team_ids))
    row = db.session.execute(percentiles(values, (0.5, 0.9), dialect)).one()
    figures.to_contact = Durations(int(row[0]), _seconds(row[1]), _seconds(row[2]))
    figures.to_routing = Durations(int(row[3]), _seconds(row[4]), _seconds(row[5]))


def _seconds(value: Any) -> float | None:
    return None if value is None else float(value)


def _count_closed(figures: Figures, team_ids: tuple[int, ...] | None) -> None:
    inner = select(Case.close_reason, Case.saw_doctor).where(*closed_in(figures.period, team_ids))
    for reason, saw_doctor, cases in db.session.execute(_grouped(inner)):
        figures.closed += cases
        figures.close_reasons[reason] += cases
        figures.saw_doctor[saw_doctor] += cases


def _outcomes(population: CTE, kind: CodeKind) -> Outcomes:
    """Where the population's clients (a CTE of case ids) moved on, by the codes of `kind`:
    per code, how many moved on somewhere, and both per routing destination of the case.

    The population's codes of both kinds are read once (a materialised CTE); the five
    counts are grouped from it, the one per destination and outcome by joining it to
    itself (case_code's self-join).
    """
    codes = (select(CaseCode.case_id, CaseCode.kind, CaseCode.code)
             .join(population, population.c.id == CaseCode.case_id)
             .where(CaseCode.kind.in_([kind.value, CodeKind.ROUTED_TO.value]))
             .cte("population_codes").prefix_with("MATERIALIZED"))
    outcome, routed = codes.alias("outcome"), codes.alias("routed")
    is_outcome, is_routed = outcome.c.kind == kind.value, routed.c.kind == CodeKind.ROUTED_TO
    # The clients who moved on, each case once (it may have two such codes). Counted in the
    # aggregate rather than filtered before the join: the same join as the one per outcome,
    # which PostgreSQL hashes (with a filter it guessed one row and looped for seconds).
    somewhere = func.count(func.distinct(case(
        (outcome.c.code.in_(sorted(MOVED_ON_SOMEWHERE)), outcome.c.case_id))))
    no_code = cast(null(), String)
    parts = [
        select(literal("code"), no_code, outcome.c.code, func.count())
        .where(is_outcome).group_by(outcome.c.code),
        select(literal("somewhere"), no_code, no_code, somewhere).where(is_outcome),
        select(literal("cases"), routed.c.code, no_code, func.count())
        .where(is_routed).group_by(routed.c.code),
        select(literal("somewhere"), routed.c.code, no_code, somewhere)
        .join(outcome, outcome.c.case_id == routed.c.case_id)
        .where(is_routed, is_outcome).group_by(routed.c.code),
        select(literal("code"), routed.c.code, outcome.c.code, func.count())
        .join(outcome, outcome.c.case_id == routed.c.case_id)
        .where(is_routed, is_outcome).group_by(routed.c.code, outcome.c.code),
    ]
    outcomes = Outcomes()
    for measure, destination, code, cases in db.session.execute(union_all(*parts)):
        if destination is None:
            if measure == "code":
                outcomes.codes[code] = cases
            else:
                outcomes.somewhere = cases
            continue
        per = outcomes.by_destination.setdefault(destination, DestinationOutcomes())
        if measure == "cases":
            per.cases = cases
        elif measure == "somewhere":
            per.somewhere = cases
        else:
            per.codes[code] = cases
    return outcomes


def _change() -> ColumnElement:
    saate, now = Case.work_ability_score, FollowUp.work_ability_score
    return case(
        (or_(saate.is_(None), now.is_(None)), None),
        (now > saate, Change.BETTER.value),
        (now == saate, Change.SAME.value),
        else_=Change.WORSE.value)


def _count_follow_ups(figures: Figures, team_ids: tuple[int, ...] | None) -> None:
    """The follow-ups answered in the period: got help, would recommend, the score's change
    (one grouped pass), and what the clients do now (_outcomes)."""
    where = answered_in(figures.period, team_ids)
    answers = (
        select(FollowUp.got_help, FollowUp.would_recommend, _change().label("change"),
               Case.work_ability_score.label("saate"), FollowUp.work_ability_score.label("now"))
        .join(Case, Case.id == FollowUp.case_id)
        .where(*where)
        .subquery()
    )
    grouped = (answers.c.got_help, answers.c.would_recommend, answers.c.change)
    rows = select(*grouped, func.count(), func.sum(answers.c.saate),
                  func.sum(answers.c.now)).group_by(*grouped)
    follow_ups = FollowUps()
    for got_help, recommend, change_code, cases, saate, now in db.session.execute(rows):
        follow_ups.answered += cases
        follow_ups.got_help[got_help] += cases
        follow_ups.recommend[recommend] += cases
        if change_code is not None:
            follow_ups.change[change_code] += cases
            follow_ups.scored += cases
            follow_ups.saate_scores += int(saate or 0)
            follow_ups.follow_up_scores += int(now or 0)
    population = (select(FollowUp.case_id.label("id")).join(Case, Case.id == FollowUp.case_id)
                  .where(*where).cte("answered_follow_ups"))
    follow_ups.doing = _outcomes(population, CodeKind.DOING_AT_FOLLOW_UP)
    figures.follow_ups = follow_ups


def _count_feedback(figures: Figures, team_ids: tuple[int, ...] | None) -> None:
    """The feedback after sending, on the cases that came in during the period, and at the
    end of service, on the cases closed during it."""
    def given(moment: Moment, where: list[ColumnElement]) -> Select:
        return (select(Feedback.moment, Feedback.would_recommend, func.count(),
                       func.count(Feedback.rating), func.coalesce(func.sum(Feedback.rating), 0))
                .join(Case, Case.id == Feedback.case_id)
                .where(Feedback.moment == moment.value, *where)
                .group_by(Feedback.moment, Feedback.would_recommend))

    statement = union_all(given(Moment.SENT, came_in(figures.period, team_ids)),
                          given(Moment.END_OF_SERVICE, closed_in(figures.period, team_ids)))
    figures.feedback = {moment.value: FeedbackFigures() for moment in Moment}
    for moment, recommend, answers, rated, ratings in db.session.execute(statement):
        given_figures = figures.feedback[moment]
        given_figures.answers += answers
        given_figures.rated += rated
        given_figures.ratings += int(ratings)
        given_figures.recommend[recommend] += answers


def comments(period: Period, team_ids: Iterable[int]) -> list[Comment]:
    """The clients' free comments of the period, newest first (COMMENT_LIMIT): at the
    follow-ups answered in it and in the feedback counted for it. Only for the teams
    given, which must be the reader's own: the comments are free text."""
    teams = tuple(team_ids)
    if not teams:
        return []
    at_follow_up = (
        select(literal("follow_up").label("source"), FollowUp.answered_at.label("at"),
               FollowUp.comment.label("text"))
        .join(Case, Case.id == FollowUp.case_id)
        .where(*answered_in(period, teams), FollowUp.comment != "")
    )

    def in_feedback(moment: Moment, where: list[ColumnElement]) -> Select:
        return (select(literal(moment.value).label("source"), Feedback.created_at.label("at"),
                       Feedback.comment.label("text"))
                .join(Case, Case.id == Feedback.case_id)
                .where(Feedback.moment == moment.value, Feedback.comment != "", *where))

    every = union_all(at_follow_up, in_feedback(Moment.SENT, came_in(period, teams)),
                      in_feedback(Moment.END_OF_SERVICE, closed_in(period, teams))).subquery()
    rows = db.session.execute(
        select(every.c.source, every.c.at, every.c.text)
        .order_by(every.c.at.desc()).limit(COMMENT_LIMIT))
    return [Comment(source, _helsinki_day(at), text) for source, at, text in rows]


def _helsinki_day(moment: Any) -> date:
    if isinstance(moment, str):  # SQLite through a union: the stored text
        moment = datetime.fromisoformat(moment).replace(tzinfo=UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(HELSINKI).date()
