"""The statistics' daily counts, kept as cases change (issue 13, point 7).

Counting a team's year when a lead opens the statistics would read every case of it: at the
bench's million cases, 166,599 for one team, two seconds. Instead `stats_count` keeps each
team's figures per day, one row per (team, day, population, dimension, code) with how many,
and per month, the sums of its days; the page adds up the rows of its period
(app/reporting/statistics.py): the months wholly in it, the days at its edges (`covering`).

A case counts on up to three days, its populations:
- came_in, the day it came in: channel, kind, language, status and phase now, the promise,
  routed or not and where, who the client is, and the feedback given after sending;
- closed, the day it was closed: close reason, saw a doctor, where the client moved on
  (overall and per routing destination), the end-of-service feedback;
- answered, the day its follow-up was answered: got help, would recommend, the score's
  change, what the client does now (overall and per routing destination).

Kept in the same transaction as the change: the session notes each case whose row, codes,
follow-up or feedback a flush writes, and the days a changed case counted on as stored
before it (a case reopened leaves the day it was closed); just before the commit, every
(team, day) they count on, before or after, is counted again from that team's cases of that
day, and its month summed again from its days (`refresh`). A change to nothing counted (a
note, a handler, the next step: UNCOUNTED) leaves the counts alone. Counted again rather than
adjusted by one, so a day's rows are always what counting its cases gives, the same rows
`rebuild` (`flask stats rebuild`) makes (tests/unit/test_rollup.py). On PostgreSQL the
team is locked first (pg_advisory_xact_lock) until the commit, so two workers' changes
on the same day cannot count without each other; SQLite writes one at a time.

A bulk UPDATE or DELETE of counted columns (Core statements the session does not track)
must call `touch` with the cases it changed. Rows of Feedback whose case is gone are not
counted (as before).

Not kept here: the time to the first contact and to routing (a median needs each case's
time: app/reporting/statistics.py reads those from ix_case_team_created) and the clients'
free comments (read for leads only).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Connection,
    Select,
    String,
    and_,
    case,
    cast,
    delete,
    event,
    func,
    insert,
    inspect,
    literal_column,
    or_,
    select,
    text,
    tuple_,
    union_all,
)
from sqlalchemy.orm import Session, sessionmaker

from app.casework.case_terms import MOVED_ON_SOMEWHERE
from app.casework.cases import HELSINKI
from app.database import utcnow
from app.intake.feedback import Moment
from app.models import (
    Case,
    CaseCode,
    CaseStatus,
    CodeKind,
    Feedback,
    FollowUp,
    StatsCount,
    StatsRollup,
)

from .dialect import POSTGRESQL, as_date, local_day, month_start

# Raise when what is counted changes: the next `flask db upgrade` counts every day again.
VERSION = 1
# The pg_advisory_xact_lock class of a team's daily counts (the second key is the team).
LOCK_CLASS = 7301
# "Not known" (NULL) as a code, and a pair's separator.
NONE = ""
PAIR = "|"


class Population(enum.StrEnum):
    CAME_IN = "came_in"
    CLOSED = "closed"
    ANSWERED = "answered"


class Span(enum.StrEnum):
    DAY = "day"
    MONTH = "month"  # the sums of the month's days, on its first day


class Dimension(enum.StrEnum):
    # came_in; also the codes of the case's difficulties and routing destinations, under
    # their CodeKind ("difficulty", "routed_to")
    CHANNEL = "channel"
    KIND = "kind"
    LANGUAGE = "language"
    STATUS = "status"
    PHASE = "phase"
    PROMISE = "promise"  # the urgency and the Promise, or the promised day (promise_of)
    ROUTED = "routed"
    AGE_GROUP = "age_group"  # saates only
    EDUCATION = "education"  # saates only
    # came_in (after sending) and closed (end of service): feedback
    RECOMMEND = "recommend"  # also answered: the follow-up's
    RATED = "rated"
    RATINGS = "ratings"  # the sum of the ratings
    # closed
    CLOSE_REASON = "close_reason"
    SAW_DOCTOR = "saw_doctor"
    # closed (moved on) and answered (doing at the follow-up)
    OUTCOME = "outcome"
    SOMEWHERE = "somewhere"  # moved on to studies, rehabilitation, pension or work
    DESTINATION = "destination"  # the cases per routing destination
    DESTINATION_SOMEWHERE = "destination_somewhere"
    DESTINATION_OUTCOME = "destination_outcome"  # "<destination>|<outcome>"
    # answered
    GOT_HELP = "got_help"
    CHANGE = "change"
    SCORED = "scored"  # both scores given
    SAATE_SCORES = "saate_scores"  # their sums
    FOLLOW_UP_SCORES = "follow_up_scores"


# The dimensions the page shows per ISO week: their rows are read per day.
WEEKLY = (Dimension.CHANNEL, Dimension.KIND, Dimension.LANGUAGE)


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


# How codes are kept: "not known" (NULL) as NONE, a yes-or-no as YES or NO, a promise with
# its urgency first ("urgent:kept"), a case not reached yet by its promised day
# ("other:due:2026-12-01"), late once that day is past, which the reader decides with the
# day it reads on (promise_of).
YES, NO = "yes", "no"
URGENT, NOT_URGENT = "urgent:", "other:"
DUE = "due:"

class Change(enum.StrEnum):
    """The work-ability score at the follow-up against the saate's."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


Key = tuple[int, date]  # (team, day)


def known(code: str) -> str | None:
    """A kept code as counted: None for "not known"."""
    return None if code == NONE else code


def yes_no(code: str) -> bool | None:
    """A kept yes-or-no: None for "not known"."""
    return None if code == NONE else code == YES


def promise_of(code: str, today: date) -> tuple[bool, str]:
    """A kept promise code read on `today`: whether the cases were urgent, and the Promise."""
    urgent = code.startswith(URGENT)
    promise = code.removeprefix(URGENT if urgent else NOT_URGENT)
    if not promise.startswith(DUE):
        return urgent, promise
    promised = promise.removeprefix(DUE)
    late = bool(promised) and date.fromisoformat(promised) < today
    return urgent, Promise.LATE if late else Promise.NOT_DUE


def day_starts(day: date) -> datetime:
    """Midnight starting the day in Helsinki, in UTC."""
    return datetime.combine(day, time(), HELSINKI).astimezone(UTC)


def _sql(value: str) -> ColumnElement:
    """One of this module's own constants, written into the statement (never a visitor's
    value): a GROUP BY over an expression holding it stays one expression on PostgreSQL."""
    assert "'" not in value
    return literal_column(f"'{value}'", String)


def _yes_no(column: ColumnElement) -> ColumnElement:
    return case((column.is_(True), _sql(YES)), (column.is_(False), _sql(NO)),
                else_=_sql(NONE))


def _known(column: ColumnElement) -> ColumnElement:
    return func.coalesce(column, _sql(NONE))


# --- What counts, per population -----------------------------------------------------------
# Each population is a CTE of its cases (id, team_id, day and the columns counted), narrowed
# by `where` (None: every case), and a list of grouped SELECTs of (team_id, day, dimension,
# code, n) over it.


def _counts(source: CTE, dimension: str, code: ColumnElement, *where: ColumnElement) -> Select:
    return (select(source.c.team_id, source.c.day, _sql(dimension).label("dimension"),
                   code.label("code"), func.count().label("n"))
            .where(*where).group_by(source.c.team_id, source.c.day, code))


def _totals(source: CTE, dimension: str, n: ColumnElement, *where: ColumnElement) -> Select:
    """One row per team and day (code NONE) with `n`, an aggregate; none where it is 0."""
    return (select(source.c.team_id, source.c.day, _sql(dimension).label("dimension"),
                   _sql(NONE).label("code"), n.label("n"))
            .where(*where).group_by(source.c.team_id, source.c.day).having(n > 0))


# The cases whose follow-up is still to come.
PENDING = select(FollowUp.case_id).where(FollowUp.answered_at.is_(None)).subquery("pending")


def _phase() -> ColumnElement:
    is_open = Case.status != CaseStatus.CLOSED
    return case(
        (and_(is_open, Case.contacted_at.is_(None)), _sql(Phase.WAITING)),
        (and_(is_open, Case.routed_at.is_(None)), _sql(Phase.CONTACTED)),
        (is_open, _sql(Phase.ROUTED)),
        (PENDING.c.case_id.is_not(None), _sql(Phase.FOLLOW_UP_PENDING)),
        else_=_sql(Phase.CLOSED))


def _promise(dialect: str) -> ColumnElement:
    reached = Case.contacted_at.is_not(None)
    kept = case(
        (Case.close_reason == "duplicate", _sql(Promise.LEFT_OUT)),
        (and_(reached, local_day(Case.contacted_at, dialect) <= Case.promised_contact_date),
         _sql(Promise.KEPT)),
        (reached, _sql(Promise.LATE)),
        else_=_sql(DUE) + _known(cast(Case.promised_contact_date, String)))
    return case((Case.urgent.is_(True), _sql(URGENT)), else_=_sql(NOT_URGENT)) + kept


def _feedback(source: CTE, moment: Moment) -> list[Select]:
    given = (select(source.c.team_id, source.c.day, Feedback.would_recommend, Feedback.rating)
             .join(source, source.c.id == Feedback.case_id)
             .where(Feedback.moment == moment.value).cte(f"feedback_{moment.value}"))
    return [_counts(given, Dimension.RECOMMEND, _yes_no(given.c.would_recommend)),
            _totals(given, Dimension.RATED, func.count(given.c.rating)),
            _totals(given, Dimension.RATINGS, func.coalesce(func.sum(given.c.rating), 0))]


def _outcomes(source: CTE, kind: CodeKind) -> list[Select]:
    """Where the population's clients moved on (codes of `kind`), overall and per routing
    destination of the case; the population's codes of both kinds read once."""
    codes = (select(source.c.team_id, source.c.day, CaseCode.case_id, CaseCode.kind,
                    CaseCode.code)
             .join(source, source.c.id == CaseCode.case_id)
             .where(CaseCode.kind.in_([kind.value, CodeKind.ROUTED_TO.value]))
             .cte(f"codes_{kind.value}"))
    outcome, routed = codes.alias(f"outcome_{kind.value}"), codes.alias(f"routed_{kind.value}")
    is_outcome, is_routed = outcome.c.kind == kind.value, routed.c.kind == CodeKind.ROUTED_TO
    # Each case once, though it may have two such codes.
    somewhere = func.count(func.distinct(case(
        (outcome.c.code.in_([_sql(code) for code in sorted(MOVED_ON_SOMEWHERE)]),
         outcome.c.case_id))))
    team_day = (outcome.c.team_id, outcome.c.day)
    return [
        _counts(outcome, Dimension.OUTCOME, outcome.c.code, is_outcome),
        select(*team_day, _sql(Dimension.SOMEWHERE), _sql(NONE), somewhere)
        .where(is_outcome).group_by(*team_day).having(somewhere > 0),
        _counts(routed, Dimension.DESTINATION, routed.c.code, is_routed),
        select(*team_day, _sql(Dimension.DESTINATION_SOMEWHERE), routed.c.code, somewhere)
        .join(outcome, outcome.c.case_id == routed.c.case_id)
        .where(is_routed, is_outcome).group_by(*team_day, routed.c.code)
        .having(somewhere > 0),
        select(*team_day, _sql(Dimension.DESTINATION_OUTCOME),
               routed.c.code + _sql(PAIR) + outcome.c.code, func.count())
        .join(outcome, outcome.c.case_id == routed.c.case_id)
        .where(is_routed, is_outcome).group_by(*team_day, routed.c.code, outcome.c.code),
    ]


def _came_in(where: ColumnElement | None, dialect: str) -> list[Select]:
    cases = (select(Case.id, Case.team_id, local_day(Case.created_at, dialect).label("day"),
                    Case.channel, Case.kind, Case.language, Case.status,
                    _phase().label("phase"), _promise(dialect).label("promise"),
                    Case.routed_at, _known(Case.age_group).label("age_group"),
                    _known(Case.education).label("education"))
             .outerjoin(PENDING, PENDING.c.case_id == Case.id))
    source = (cases if where is None else cases.where(where)).cte("came_in")
    saate = source.c.kind == "saate"
    codes = (select(source.c.team_id, source.c.day, CaseCode.kind.label("dimension"),
                    CaseCode.code, func.count().label("n"))
             .join(source, source.c.id == CaseCode.case_id)
             .where(CaseCode.kind.in_([CodeKind.DIFFICULTY.value, CodeKind.ROUTED_TO.value]))
             .group_by(source.c.team_id, source.c.day, CaseCode.kind, CaseCode.code))
    return [
        *(_counts(source, dimension, source.c[dimension])
          for dimension in (Dimension.CHANNEL, Dimension.KIND, Dimension.LANGUAGE,
                            Dimension.STATUS, Dimension.PHASE, Dimension.PROMISE)),
        _totals(source, Dimension.ROUTED, func.count(source.c.routed_at)),
        _counts(source, Dimension.AGE_GROUP, source.c.age_group, saate),
        _counts(source, Dimension.EDUCATION, source.c.education, saate),
        codes,
        *_feedback(source, Moment.SENT),
    ]


# A closed case counts on the day it was closed (every closing sets the moment; a case
# marked closed without one, as only by hand, has no such day).
IS_CLOSED = (Case.status == CaseStatus.CLOSED, Case.closed_at.is_not(None))


def _closed(where: ColumnElement | None, dialect: str) -> list[Select]:
    cases = select(Case.id, Case.team_id, local_day(Case.closed_at, dialect).label("day"),
                   Case.close_reason, Case.saw_doctor).where(*IS_CLOSED)
    source = (cases if where is None else cases.where(where)).cte("closed")
    return [
        _counts(source, Dimension.CLOSE_REASON, _known(source.c.close_reason)),
        _counts(source, Dimension.SAW_DOCTOR, _yes_no(source.c.saw_doctor)),
        *_outcomes(source, CodeKind.MOVED_ON),
        *_feedback(source, Moment.END_OF_SERVICE),
    ]


def _change() -> ColumnElement:
    saate, now = Case.work_ability_score, FollowUp.work_ability_score
    return case(
        (or_(saate.is_(None), now.is_(None)), None),
        (now > saate, _sql(Change.BETTER)),
        (now == saate, _sql(Change.SAME)),
        else_=_sql(Change.WORSE))


def _answered(where: ColumnElement | None, dialect: str) -> list[Select]:
    answers = (select(Case.id, Case.team_id, local_day(FollowUp.answered_at, dialect)
                      .label("day"), _known(FollowUp.got_help).label("got_help"),
                      FollowUp.would_recommend, _change().label("change"),
                      Case.work_ability_score.label("saate"),
                      FollowUp.work_ability_score.label("now"))
               .join(FollowUp, FollowUp.case_id == Case.id)
               .where(FollowUp.answered_at.is_not(None)))
    source = (answers if where is None else answers.where(where)).cte("answered")
    scored = source.c.change.is_not(None)
    return [
        _counts(source, Dimension.GOT_HELP, source.c.got_help),
        _counts(source, Dimension.RECOMMEND, _yes_no(source.c.would_recommend)),
        _counts(source, Dimension.CHANGE, source.c.change, scored),
        _totals(source, Dimension.SCORED, func.count(source.c.change)),
        _totals(source, Dimension.SAATE_SCORES,
                func.coalesce(func.sum(case((scored, source.c.saate))), 0)),
        _totals(source, Dimension.FOLLOW_UP_SCORES,
                func.coalesce(func.sum(case((scored, source.c.now))), 0)),
        *_outcomes(source, CodeKind.DOING_AT_FOLLOW_UP),
    ]


POPULATIONS = {Population.CAME_IN: (_came_in, lambda: Case.created_at),
               Population.CLOSED: (_closed, lambda: Case.closed_at),
               Population.ANSWERED: (_answered, lambda: FollowUp.answered_at)}


def _counted(population: Population, keys: Iterable[Key] | None, dialect: str) -> Select:
    """The day rows of stats_count for the population's days of `keys` (None: every day)."""
    facts, moment = POPULATIONS[population]
    where = None if keys is None else or_(*(
        and_(Case.team_id == team, moment() >= day_starts(day),
             moment() < day_starts(day + timedelta(days=1)))
        for team, day in sorted(keys)))
    rows = union_all(*facts(where, dialect)).subquery()
    team_id, day, dimension, code, n = rows.c
    return select(team_id, _sql(Span.DAY), day, _sql(population), dimension, code, n)


def _summed(population: Population, months: Iterable[Key] | None, dialect: str) -> Select:
    """The month rows for the population's months of `months` (None: every month): the sums
    of their days' rows."""
    of_days = [StatsCount.span == Span.DAY, StatsCount.population == population]
    if months is not None:
        of_days.append(or_(*(and_(StatsCount.team_id == team, StatsCount.day >= month,
                                  StatsCount.day < next_month(month))
                             for team, month in sorted(months))))
    days = select(StatsCount.team_id, month_start(StatsCount.day, dialect).label("month"),
                  StatsCount.dimension, StatsCount.code, StatsCount.n).where(*of_days).subquery()
    return (select(days.c.team_id, _sql(Span.MONTH), days.c.month, _sql(population),
                   days.c.dimension, days.c.code, func.sum(days.c.n))
            .group_by(days.c.team_id, days.c.month, days.c.dimension, days.c.code))


COLUMNS = ["team_id", "span", "day", "population", "dimension", "code", "n"]


def _write(connection: Connection, population: Population, keys: set[Key] | None) -> None:
    """Count the days of `keys` (None: every day), then sum their months."""
    dialect = connection.dialect.name
    connection.execute(insert(StatsCount).from_select(
        COLUMNS, _counted(population, keys, dialect)))
    connection.execute(insert(StatsCount).from_select(
        COLUMNS, _summed(population, None if keys is None else months_of(keys), dialect)))


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (first_of_month(day) + timedelta(days=32)).replace(day=1)


def months_of(keys: Iterable[Key]) -> set[Key]:
    return {(team, first_of_month(day)) for team, day in keys}


def covering(first: date, last: date) -> ColumnElement:
    """The rows that add up to the days from `first` to `last`: the rows of the months
    wholly within them, the day rows of the days before and after those months."""
    months_from = first if first.day == 1 else next_month(first)
    months_until = first_of_month(last + timedelta(days=1))
    days = StatsCount.span == Span.DAY
    if months_from >= months_until:
        return and_(days, StatsCount.day >= first, StatsCount.day <= last)
    return or_(and_(StatsCount.span == Span.MONTH, StatsCount.day >= months_from,
                    StatsCount.day < months_until),
               and_(days, StatsCount.day >= first, StatsCount.day < months_from),
               and_(days, StatsCount.day >= months_until, StatsCount.day <= last))


# --- Keeping them ----------------------------------------------------------------------------


def refresh(connection: Connection, keys: dict[Population, set[Key]]) -> None:
    """Count the populations' (team, day)s of `keys` again from their cases, and sum their
    months again."""
    keys = {population: found for population, found in keys.items() if found}
    if not keys:
        return
    if connection.dialect.name == POSTGRESQL:
        for team in sorted({team for found in keys.values() for team, _ in found}):
            connection.execute(select(func.pg_advisory_xact_lock(LOCK_CLASS, team)))
    team_day = tuple_(StatsCount.team_id, StatsCount.day)
    connection.execute(delete(StatsCount).where(or_(*(
        and_(StatsCount.population == population,
             or_(and_(StatsCount.span == Span.DAY, team_day.in_(sorted(found))),
                 and_(StatsCount.span == Span.MONTH, team_day.in_(sorted(months_of(found))))))
        for population, found in keys.items()))))
    for population, found in keys.items():
        _write(connection, population, found)


def rebuild(connection: Connection) -> None:
    """Count every day of every team again from the cases, and note the version."""
    if connection.dialect.name == POSTGRESQL:
        # Changes committing meanwhile wait, then count their days again after this.
        connection.execute(text("LOCK TABLE stats_count IN EXCLUSIVE MODE"))
    connection.execute(delete(StatsCount))
    for population in Population:
        _write(connection, population, None)
    connection.execute(delete(StatsRollup))
    connection.execute(insert(StatsRollup).values(id=1, version=VERSION, built_at=utcnow()))


def is_current(connection: Connection) -> bool:
    return connection.scalar(select(StatsRollup.version)) == VERSION


def keys_of(connection: Connection, case_ids: Iterable[int]) -> dict[Population, set[Key]]:
    """The (team, day)s the cases count on now, per population."""
    ids = sorted(set(case_ids))
    found: dict[Population, set[Key]] = {population: set() for population in Population}
    if not ids:
        return found
    dialect = connection.dialect.name
    statement = union_all(
        select(_sql(Population.CAME_IN), Case.team_id, local_day(Case.created_at, dialect))
        .where(Case.id.in_(ids)),
        select(_sql(Population.CLOSED), Case.team_id, local_day(Case.closed_at, dialect))
        .where(Case.id.in_(ids), *IS_CLOSED),
        select(_sql(Population.ANSWERED), Case.team_id, local_day(FollowUp.answered_at, dialect))
        .join(FollowUp, FollowUp.case_id == Case.id)
        .where(Case.id.in_(ids), FollowUp.answered_at.is_not(None)))
    for population, team, day in connection.execute(statement):
        found[Population(population)].add((team, as_date(day)))
    return found


# --- In the session: which cases changed ------------------------------------------------------

CHANGED = "stats_changed_cases"  # session.info: ids of the cases changed in the transaction
BEFORE = "stats_keys_before"  # session.info: Population → (team, day)s counted on before


def touch(session: Session, case_ids: Iterable[int]) -> None:
    """Count these cases' days again at the commit (for changes made with bulk statements)."""
    session.info.setdefault(CHANGED, set()).update(case_ids)


def _case_id(instance: object) -> int | None:
    if isinstance(instance, Case):
        return instance.id
    if isinstance(instance, CaseCode | FollowUp | Feedback):
        return instance.case_id
    return None


# What no statistic counts of a case: a change to these alone leaves the counts as they are
# (a note, a handler, the next step, retention emptying the answers). Anything else a case
# holds, now or added later, counts until it is named here.
UNCOUNTED = frozenset({
    "referrer_organisation", "referrer_name", "municipality_code", "flags", "answers",
    "reference", "status_token_hash", "submission_key", "handler_id", "handler",
    "contact_person_id", "contact_person", "contact_person_name", "contact_person_title",
    "contact_person_organisation", "contact_person_phone", "contact_person_phone_shareable",
    "outcomes", "version", "updated_at", "next_step", "next_step_date", "consents", "events",
})


def _counted_change(instance: object) -> bool:
    """Whether writing this changed (or deleted) object may change a count."""
    if not isinstance(instance, Case):
        return True
    state = inspect(instance)
    return state.deleted or any(attribute.history.has_changes() for attribute in state.attrs
                                if attribute.key not in UNCOUNTED)


def _changed_cases(instances: Iterable[object]) -> set[int]:
    found = {_case_id(instance) for instance in instances if _counted_change(instance)}
    found.discard(None)
    return found  # type: ignore[return-value]


def _before_flush(session: Session, context: Any, instances: Any) -> None:
    """Note the days the changed cases count on as stored, before the flush writes over
    them: a change of a moment (or team, or a follow-up deleted) can take a case off one."""
    stored = _changed_cases((*session.dirty, *session.deleted))
    if stored:
        before = session.info.setdefault(BEFORE, {})
        for population, keys in keys_of(session.connection(), stored).items():
            before.setdefault(population, set()).update(keys)


def _after_flush(session: Session, context: Any) -> None:
    touch(session, _changed_cases((*session.new, *session.dirty, *session.deleted)))


def _before_commit(session: Session) -> None:
    session.flush()
    changed, before = session.info.pop(CHANGED, set()), session.info.pop(BEFORE, {})
    if not changed and not before:
        return
    connection = session.connection()
    keys = keys_of(connection, changed)
    for population, counted in before.items():
        keys[population] |= counted
    refresh(connection, keys)


def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(CHANGED, None)
        session.info.pop(BEFORE, None)


def keep_counts(factory: sessionmaker[Session]) -> None:
    """Keep the daily counts with every commit of the factory's sessions."""
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_transaction_end", _forget)
