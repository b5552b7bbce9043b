"""The team's statistics for a period, added up from the daily counts kept as cases change
(app/reporting/rollup.py, table stats_count): one grouped statement over the period's rows
of the team, whatever the number of its cases.

Three groups of cases, each counted on its own day:
- the cases that came in during the period: new cases by week, channel, kind and language,
  who the clients are, status and phase now, the promise kept, how many were routed and
  where, and the feedback given after sending;
- the cases closed during the period: close reasons, saw a doctor, where the client moved
  on (overall and per routing destination), and the end-of-service feedback;
- the follow-ups answered during the period: did the client get help, what they do now
  (overall and per routing destination), the change in the work-ability score since the
  saate, would they recommend the service.

The time to the first contact and to routing (median, 90th percentile) is read from the
period's cases (ix_case_team_created): a median needs every time. Nothing here hides small
numbers: app/reporting/report.py does that with app/reporting/small_cells.py before
anything is shown.

Phases of a case (rollup.Phase): waiting for the first contact (open, the client not
reached yet); contacted (open, reached, no triage outcome yet); routed (open, a triage
outcome recorded); closed with the follow-up still to come; closed (with the follow-up
answered, or none planned).

The promise: a case's promise is kept when the client was first reached (contacted_at)
on or before its promised day, in Helsinki. A case counts once its promised day has
passed or the client was reached; one not reached by then, open or closed, was late.
Duplicates are left out (the client's other case is counted).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    func,
    literal,
    not_,
    or_,
    select,
    text,
    union_all,
)

from app.casework.cases import HELSINKI
from app.extensions import db
from app.intake.feedback import Moment
from app.models import (
    Case,
    CaseStatus,
    CodeKind,
    Feedback,
    FollowUp,
    StaffRole,
    StaffUser,
    StatsCount,
    Team,
)

from .dialect import POSTGRESQL, as_date, current_dialect, percentiles, seconds_between
from .rollup import (
    PAIR,
    WEEKLY,
    Dimension,
    Population,
    Span,
    covering,
    day_starts,
    known,
    promise_of,
    yes_no,
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
        return day_starts(self.first)

    @property
    def ends(self) -> datetime:
        """The first moment after the period."""
        return day_starts(self.last + timedelta(days=1))

    def weeks(self) -> list[date]:
        """The Monday of every ISO week the period touches."""
        monday = self.first - timedelta(days=self.first.weekday())
        return [monday + timedelta(weeks=n)
                for n in range((self.last - monday).days // 7 + 1)]


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
        # Grouped statements over a year of a team's rows: compiling them (JIT) costs more
        # than it saves, sorting them wants memory, not disk, and a plan must suit the
        # period and team asked for (psycopg prepares a statement run often, and
        # PostgreSQL's generic plan for it, made without the values, can be far worse).
        db.session.execute(text(f"SET LOCAL jit = off; SET LOCAL work_mem = '{WORK_MEM}'; "
                                "SET LOCAL plan_cache_mode = force_custom_plan"))
    figures = Figures(period)
    figures.by_week = {monday: Counter() for monday in period.weeks()}
    figures.promise = {True: Counter(), False: Counter()}
    figures.feedback = {moment.value: FeedbackFigures() for moment in Moment}
    for population, dimension, code, day, n in db.session.execute(
            added_up(period, team_ids)):
        if day is not None:
            _add_weekly(figures, dimension, code, as_date(day), int(n))
        else:
            _add(figures, today, Population(population), dimension, code, int(n))
    _time_to_contact_and_routing(figures, team_ids, dialect)
    return figures


def added_up(period: Period, team_ids: tuple[int, ...] | None) -> Select:
    """The period's counts added up per population, dimension and code: from the rows of
    the months wholly within it and of the days at its edges (rollup.covering); the weekly
    dimensions' from the day rows, per day (the week is worked out from the day)."""
    weekly = and_(StatsCount.population == Population.CAME_IN.value,
                  StatsCount.dimension.in_([dimension.value for dimension in WEEKLY]))
    rows = (select(StatsCount.population, StatsCount.dimension, StatsCount.code,
                   case((weekly, StatsCount.day)).label("per_day"), StatsCount.n)
            .where(*_of_teams(StatsCount.team_id, team_ids),
                   or_(and_(weekly, StatsCount.span == Span.DAY,
                            StatsCount.day >= period.first, StatsCount.day <= period.last),
                       and_(not_(weekly), covering(period.first, period.last))))
            .subquery())
    return (select(rows.c.population, rows.c.dimension, rows.c.code, rows.c.per_day,
                   func.sum(rows.c.n))
            .group_by(rows.c.population, rows.c.dimension, rows.c.code, rows.c.per_day))


def _add_weekly(figures: Figures, dimension: str, code: str, day: date, n: int) -> None:
    monday = day - timedelta(days=day.weekday())
    counter = figures.by_week.setdefault(monday, Counter())
    counter[(dimension, code)] += n
    if dimension == Dimension.KIND:
        counter[("all", "")] += n
        figures.new_cases += n


def _add(figures: Figures, today: date, population: Population, dimension: str, code: str,
         n: int) -> None:
    """One added-up count into the figure it belongs to."""
    if population == Population.CAME_IN:
        _add_came_in(figures, today, dimension, code, n)
    elif population == Population.CLOSED:
        _add_closed(figures, dimension, code, n)
    else:
        _add_answered(figures.follow_ups, dimension, code, n)


def _add_came_in(figures: Figures, today: date, dimension: str, code: str, n: int) -> None:
    if dimension == Dimension.STATUS:
        figures.status[code] += n
    elif dimension == Dimension.PHASE:
        figures.phase[code] += n
    elif dimension == Dimension.PROMISE:
        urgent, promise = promise_of(code, today)
        figures.promise[urgent][promise] += n
    elif dimension == Dimension.ROUTED:
        figures.routed += n
    elif dimension == Dimension.AGE_GROUP:
        figures.saates += n
        figures.age_groups[known(code)] += n
    elif dimension == Dimension.EDUCATION:
        figures.education[known(code)] += n
    elif dimension == CodeKind.DIFFICULTY:
        figures.difficulties[code] += n
    elif dimension == CodeKind.ROUTED_TO:
        figures.routed_to[code] += n
    else:
        _add_feedback(figures.feedback[Moment.SENT.value], dimension, code, n)


def _add_closed(figures: Figures, dimension: str, code: str, n: int) -> None:
    if dimension == Dimension.CLOSE_REASON:
        figures.closed += n
        figures.close_reasons[code] += n
    elif dimension == Dimension.SAW_DOCTOR:
        figures.saw_doctor[yes_no(code)] += n
    elif not _add_outcome(figures.at_close, dimension, code, n):
        _add_feedback(figures.feedback[Moment.END_OF_SERVICE.value], dimension, code, n)


def _add_feedback(given: FeedbackFigures, dimension: str, code: str, n: int) -> None:
    if dimension == Dimension.RECOMMEND:
        given.answers += n
        given.recommend[yes_no(code)] += n
    elif dimension == Dimension.RATED:
        given.rated += n
    elif dimension == Dimension.RATINGS:
        given.ratings += n


def _add_answered(follow_ups: FollowUps, dimension: str, code: str, n: int) -> None:
    if dimension == Dimension.GOT_HELP:
        follow_ups.answered += n
        follow_ups.got_help[known(code)] += n
    elif dimension == Dimension.RECOMMEND:
        follow_ups.recommend[yes_no(code)] += n
    elif dimension == Dimension.CHANGE:
        follow_ups.change[code] += n
    elif dimension == Dimension.SCORED:
        follow_ups.scored += n
    elif dimension == Dimension.SAATE_SCORES:
        follow_ups.saate_scores += n
    elif dimension == Dimension.FOLLOW_UP_SCORES:
        follow_ups.follow_up_scores += n
    else:
        _add_outcome(follow_ups.doing, dimension, code, n)


def _add_outcome(outcomes: Outcomes, dimension: str, code: str, n: int) -> bool:
    """Add a count of where clients moved on; False if `dimension` is not one of those."""
    if dimension == Dimension.OUTCOME:
        outcomes.codes[code] += n
    elif dimension == Dimension.SOMEWHERE:
        outcomes.somewhere += n
    elif dimension == Dimension.DESTINATION:
        outcomes.by_destination.setdefault(code, DestinationOutcomes()).cases += n
    elif dimension == Dimension.DESTINATION_SOMEWHERE:
        outcomes.by_destination.setdefault(code, DestinationOutcomes()).somewhere += n
    elif dimension == Dimension.DESTINATION_OUTCOME:
        destination, outcome = code.split(PAIR, 1)
        outcomes.by_destination.setdefault(destination, DestinationOutcomes()).codes[outcome] += n
    else:
        return False
    return True


def _time_to_contact_and_routing(figures: Figures, team_ids: tuple[int, ...] | None,
                                 dialect: str) -> None:
    """Median and 90th percentile of the time from coming in to the first contact and to
    the first triage outcome, one statement over the period's cases (the one figure read
    case by case: a median needs each time; from ix_case_team_created alone on
    PostgreSQL)."""
    values = select(seconds_between(Case.created_at, Case.contacted_at, dialect),
                    seconds_between(Case.created_at, Case.routed_at, dialect),
                    ).where(*came_in(figures.period, team_ids))
    row = db.session.execute(percentiles(values, (0.5, 0.9), dialect)).one()
    figures.to_contact = Durations(int(row[0]), _seconds(row[1]), _seconds(row[2]))
    figures.to_routing = Durations(int(row[3]), _seconds(row[4]), _seconds(row[5]))


def _seconds(value: Any) -> float | None:
    return None if value is None else float(value)


def comments(period: Period, team_ids: Iterable[int]) -> list[Comment]:
    """The clients' free comments of the period, newest first (COMMENT_LIMIT): at the
    follow-ups answered in it and in the feedback counted for it. Only for the teams
    given, which must be the reader's own: the comments are free text.

    Each source is walked newest first along its index of the rows with a comment
    (ix_follow_up_commented, ix_feedback_commented) and stops at COMMENT_LIMIT, so a year
    of a busy team costs a few hundred index entries, not its cases. Feedback is given
    after its case came in or closed, so none counted for the period is older than it.
    """
    teams = tuple(team_ids)
    if not teams:
        return []
    at_follow_up = (
        select(literal("follow_up").label("source"), FollowUp.answered_at.label("at"),
               FollowUp.comment.label("text"))
        .join(Case, Case.id == FollowUp.case_id)
        .where(*answered_in(period, teams), FollowUp.comment != "")
        .order_by(FollowUp.answered_at.desc()).limit(COMMENT_LIMIT)
    )

    def in_feedback(moment: Moment, where: list[ColumnElement]) -> Select:
        return (select(literal(moment.value).label("source"), Feedback.created_at.label("at"),
                       Feedback.comment.label("text"))
                .join(Case, Case.id == Feedback.case_id)
                .where(Feedback.moment == moment.value, Feedback.comment != "",
                       Feedback.created_at >= period.starts, *where)
                .order_by(Feedback.created_at.desc()).limit(COMMENT_LIMIT))

    newest = [part.subquery() for part in (
        at_follow_up, in_feedback(Moment.SENT, came_in(period, teams)),
        in_feedback(Moment.END_OF_SERVICE, closed_in(period, teams)))]
    every = union_all(*(select(*part.c) for part in newest)).subquery()
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
