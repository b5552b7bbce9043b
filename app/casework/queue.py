"""The team queue: urgent first, then by promised date, then oldest first; filtered,
keyset-paginated, a fixed number of queries.

Built for a million cases: a page walks the index (team_id, status, urgent,
promised_contact_date, created_at, id) once for each of the user's teams, the
statuses asked for and urgent or not, pages continue from the last row seen
instead of counting an offset, and nothing is loaded per row.
bench/staff_queue.py measures it.

"Urgent first" is about the work still to do: an urgent case that is closed sorts
among the others by its dates (a lead looking at every case would otherwise see
years of closed urgent cases before anything open).

"My clients" (the `mine` filter) is a worker's own open cases in another order:
by the next planned step's day (overdue steps come first by themselves), cases
without a next step last, then by promised date; it walks ix_case_mine the same
way. The leads' workload summary counts open cases, overdue promises and overdue
next steps per worker in one grouped query.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, ClassVar

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    and_,
    bindparam,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy import case as case_when
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import MAX_ID, Case, CaseStatus, StaffUser, staff_teams

OPEN = "open"  # every status but closed
OPEN_STATUSES = tuple(status for status in CaseStatus if status != CaseStatus.CLOSED)


@dataclass(frozen=True)
class QueueFilters:
    status: str = OPEN
    kind: str = ""
    urgent: bool = False
    assigned: str = ""  # "me", "unassigned" or ""
    language: str = ""
    municipality: str = ""
    # "My clients": the user's own open cases, by next step (assigned does not apply).
    mine: bool = False


class InvalidCursor(ValueError):
    """A "next page" cursor that this app did not make (tampered, truncated)."""


DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Cursor:
    """Where a page ended, in the queue's order: (first, promised date, sent at, id)."""

    first: bool  # an open urgent case: sorts before every other
    promised: date
    created_at: datetime
    id: int

    MAX_LENGTH: ClassVar[int] = 120

    @classmethod
    def after(cls, case: Case) -> Cursor:
        return cls(goes_first(case), case.promised_contact_date, case.created_at, case.id)

    def encode(self) -> str:
        raw = (f"{int(self.first)}|{self.promised.isoformat()}|"
               f"{self.created_at.isoformat()}|{self.id}").encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        """The cursor of a "next page" link; None for none.

        InvalidCursor for anything encode() does not make: too long, not base64 of
        "0 or 1|date|time|id", a date not written YYYY-MM-DD, a time without a time
        zone (it cannot be compared with stored times), an id outside 1..MAX_ID.
        """
        parts = cursor_parts(text, 4, cls.MAX_LENGTH)
        if parts is None:
            return None
        first_text, promised_text, created_text, id_text = parts
        if first_text not in {"0", "1"}:
            raise InvalidCursor
        return cls(first_text == "1", cursor_day(promised_text), _cursor_time(created_text),
                   cursor_id(id_text))


@dataclass(frozen=True)
class MineCursor:
    """Where a page of "My clients" ended: (next step's day or none, promised date, sent at,
    id)."""

    step_day: date | None
    promised: date
    created_at: datetime
    id: int

    MAX_LENGTH: ClassVar[int] = 120
    MARK: ClassVar[str] = "m"  # a queue cursor is never taken for this one, nor the reverse

    @classmethod
    def after(cls, case: Case) -> MineCursor:
        return cls(case.next_step_date, case.promised_contact_date, case.created_at, case.id)

    def encode(self) -> str:
        step = self.step_day.isoformat() if self.step_day else ""
        raw = (f"{self.MARK}|{step}|{self.promised.isoformat()}|"
               f"{self.created_at.isoformat()}|{self.id}").encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str | None) -> MineCursor | None:
        """As Cursor.decode, for "m|date or nothing|date|time|id"."""
        parts = cursor_parts(text, 5, cls.MAX_LENGTH)
        if parts is None:
            return None
        mark, step_text, promised_text, created_text, id_text = parts
        if mark != cls.MARK:
            raise InvalidCursor
        return cls(cursor_day(step_text) if step_text else None, cursor_day(promised_text),
                   _cursor_time(created_text), cursor_id(id_text))


def cursor_parts(text: str | None, count: int, max_length: int) -> list[str] | None:
    """The "|"-separated parts of an encoded cursor; None for no cursor. (With cursor_day and
    cursor_id, also the follow-up list's cursor: app/casework/followup.py.)"""
    if not text:
        return None
    if len(text) > max_length or not text.isascii():
        raise InvalidCursor
    try:
        parts = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode().split("|")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidCursor from None
    if len(parts) != count:
        raise InvalidCursor
    return parts


def cursor_day(text: str) -> date:
    if not DATE_SHAPE.fullmatch(text):
        raise InvalidCursor
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidCursor from None


def _cursor_time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidCursor from None
    if moment.tzinfo is None:
        raise InvalidCursor
    try:
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise InvalidCursor from None


def cursor_id(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        raise InvalidCursor
    case_id = int(text)
    if not 1 <= case_id <= MAX_ID:
        raise InvalidCursor
    return case_id


def goes_first(case: Case) -> bool:
    """Whether the case sorts before the others: urgent and not closed."""
    return case.urgent and case.status != CaseStatus.CLOSED


# The same as goes_first, in SQL: 1 for an open urgent case, else 0.
FIRST = case_when((and_(Case.urgent.is_(True), Case.status != CaseStatus.CLOSED.value), 1), else_=0)


@dataclass
class QueuePage:
    cases: list[Case]
    next_cursor: Cursor | MineCursor | None


def _statuses(filters: QueueFilters) -> list[str]:
    if filters.mine:  # open cases only: one open status if asked for, else all of them
        return [filters.status] if filters.status in OPEN_STATUSES else list(OPEN_STATUSES)
    if filters.status == OPEN:
        return list(OPEN_STATUSES)
    if filters.status:
        return [filters.status]
    return list(CaseStatus)


# The filters besides team and status, checked row by row along an index: each by name,
# its value (if any) a bound parameter of the same name.
NARROWING: dict[str, Callable[[], ColumnElement[bool]]] = {
    "kind": lambda: Case.kind == bindparam("kind"),
    "urgent": lambda: Case.urgent.is_(True),
    "handler": lambda: Case.handler_id == bindparam("handler"),
    "unassigned": lambda: Case.handler_id.is_(None),
    "language": lambda: Case.language == bindparam("language"),
    "municipality": lambda: Case.municipality_code == bindparam("municipality"),
}


def _narrowing_values(user: StaffUser, filters: QueueFilters) -> dict[str, Any]:
    """The NARROWING filters in use, by name, with their values."""
    values: dict[str, Any] = {}
    if filters.kind:
        values["kind"] = filters.kind
    if filters.urgent:
        values["urgent"] = True
    if filters.mine or filters.assigned == "me":  # "My clients": mine whatever `assigned` says
        values["handler"] = user.id
    elif filters.assigned == "unassigned":
        values["unassigned"] = None
    if filters.language:
        values["language"] = filters.language
    if filters.municipality:
        values["municipality"] = filters.municipality
    return values


def _narrowing(names: Iterable[str]) -> list[ColumnElement[bool]]:
    return [NARROWING[name]() for name in names]


def _parameters(values: dict[str, Any]) -> dict[str, Any]:
    """The values that are bound parameters (not every filter has a value)."""
    return {name: value for name, value in values.items() if name not in {"urgent", "unassigned"}}


# Building a page's statement (a union of up to thirty index walks) costs many times more
# than running it: each shape of statement is built once per process, with every value
# (teams, filters, cursor) a bound parameter, and its compiled form is then cached too.
STATEMENT_SHAPES = 512


def _after_cursor() -> tuple[BindParameter[Any], ...]:
    """The (promised date, sent at, id) of the case a page ended with, as parameters."""
    return (bindparam("after_promised", type_=Case.promised_contact_date.type),
            bindparam("after_created", type_=Case.created_at.type), bindparam("after_id"))


def _cursor_parameters(after: Cursor | MineCursor) -> dict[str, Any]:
    return {"after_promised": after.promised, "after_created": after.created_at,
            "after_id": after.id}


def _after_queue() -> ColumnElement[bool]:
    return (tuple_(Case.promised_contact_date, Case.created_at, Case.id)
            > tuple_(*_after_cursor()))


def _continuing(first: bool, after_first: bool | None) -> list[ColumnElement[bool]] | None:
    """Where a branch (its cases all first, or all not) continues after a cursor whose
    case was first or not (None: no cursor); None when the whole branch came before it."""
    if after_first is None or (after_first and not first):
        return []
    if first and not after_first:
        return None
    return [_after_queue()]


@dataclass(frozen=True)
class _QueueShape:
    teams: int
    statuses: tuple[str, ...]
    narrowing: tuple[str, ...]
    after_first: bool | None
    size: int


@lru_cache(maxsize=STATEMENT_SHAPES)
def _queue_statement(shape: _QueueShape) -> Select | None:
    """One page of cases in the queue's order, continuing after the cursor.

    The ids come first: each (team, status, urgent) triple walks its own stretch of
    ix_case_queue in order and stops after `size` rows; the stretches are then merged.
    A single `team_id IN (…) AND status IN (…)` query would instead sort every match.
    """
    conditions = _narrowing(shape.narrowing)
    branches = []
    for team in range(shape.teams):
        for status in shape.statuses:
            for urgent in (True,) if "urgent" in shape.narrowing else (True, False):
                first = urgent and status != CaseStatus.CLOSED
                continuing = _continuing(first, shape.after_first)
                if continuing is None:
                    continue
                branch = (
                    select(Case.id, literal_column(str(int(first))).label("first"),
                           Case.promised_contact_date, Case.created_at)
                    # `== urgent`, not `IS`: an equality every database walks an index by.
                    .where(Case.team_id == bindparam(f"team_{team}"), Case.status == status,
                           Case.urgent == urgent, *conditions, *continuing)
                    .order_by(Case.promised_contact_date, Case.created_at, Case.id)
                    .limit(shape.size)
                )
                branches.append(select(branch.subquery()))
    if not branches:
        return None
    merged = union_all(*branches).subquery()
    page_ids = (select(merged.c.id)
                .order_by(merged.c.first.desc(), merged.c.promised_contact_date,
                          merged.c.created_at, merged.c.id)
                .limit(shape.size))
    return (
        select(Case)
        .options(joinedload(Case.handler))
        .where(Case.id.in_(page_ids))
        .order_by(FIRST.desc(), Case.promised_contact_date, Case.created_at, Case.id)
    )


def queue_page(user: StaffUser, filters: QueueFilters, after: Cursor | None,
               limit: int) -> QueuePage:
    """One page of cases in the queue's order, continuing after the cursor (one statement)."""
    values = _narrowing_values(user, filters)
    teams = sorted(team.id for team in user.teams)
    statement = _queue_statement(_QueueShape(
        len(teams), tuple(_statuses(filters)), tuple(values),
        after.first if after else None, limit + 1))
    if statement is None:
        return QueuePage([], None)
    parameters = {**_parameters(values), **{f"team_{n}": team for n, team in enumerate(teams)}}
    if after is not None:
        parameters |= _cursor_parameters(after)
    return _page(list(db.session.scalars(statement, parameters).unique()), limit, Cursor)


# "My clients": cases with a next step first, by its day; the others after them.
NO_STEP = case_when((Case.next_step_date.is_(None), 1), else_=0)


def _mine_continuing(with_step: bool, after: str | None) -> list[ColumnElement[bool]] | None:
    """Where a branch (its cases all with a next step, or all without) continues after a
    cursor whose case had a next step ("step"), had none ("no_step") or no cursor (None);
    None when the whole branch came before it."""
    if after is None:
        return []
    promised = _after_cursor()
    if with_step:
        if after == "no_step":
            return None
        return [tuple_(Case.next_step_date, Case.promised_contact_date, Case.created_at, Case.id)
                > tuple_(bindparam("after_step_day", type_=Case.next_step_date.type), *promised)]
    if after == "step":
        return []
    return [tuple_(Case.promised_contact_date, Case.created_at, Case.id) > tuple_(*promised)]


@dataclass(frozen=True)
class _MineShape:
    statuses: tuple[str, ...]
    narrowing: tuple[str, ...]
    after: str | None  # "step", "no_step" or None: see _mine_continuing
    size: int


@lru_cache(maxsize=STATEMENT_SHAPES)
def _mine_statement(shape: _MineShape) -> Select | None:
    """One page of "My clients", in its order.

    The ids come first: each (status, with a next step or not) pair walks its own stretch
    of ix_case_mine (handler, status, next step's day, promised date, sent at, id) and stops
    after `size` rows; the stretches are then merged, as in the queue. NULL days sort first
    on SQLite and last on PostgreSQL: keeping them in a branch of their own gives one order
    on both.
    """
    conditions = [Case.team_id.in_(bindparam("team_ids", expanding=True)),
                  *_narrowing(shape.narrowing)]
    branches = []
    for status in shape.statuses:
        for with_step in (True, False):
            continuing = _mine_continuing(with_step, shape.after)
            if continuing is None:
                continue
            if with_step:
                has_step = Case.next_step_date.is_not(None)
                order = (Case.next_step_date, Case.promised_contact_date, Case.created_at, Case.id)
            else:
                has_step = Case.next_step_date.is_(None)
                order = (Case.promised_contact_date, Case.created_at, Case.id)
            branch = (
                select(Case.id, literal_column("0" if with_step else "1").label("no_step"),
                       Case.next_step_date, Case.promised_contact_date, Case.created_at)
                .where(Case.status == status, has_step, *conditions, *continuing)
                .order_by(*order)
                .limit(shape.size)
            )
            branches.append(select(branch.subquery()))
    if not branches:
        return None
    merged = union_all(*branches).subquery()
    page_ids = (select(merged.c.id)
                .order_by(merged.c.no_step, merged.c.next_step_date,
                          merged.c.promised_contact_date, merged.c.created_at, merged.c.id)
                .limit(shape.size))
    return (
        select(Case)
        .where(Case.id.in_(page_ids))
        .order_by(NO_STEP, Case.next_step_date, Case.promised_contact_date, Case.created_at,
                  Case.id)
    )


def mine_page(user: StaffUser, filters: QueueFilters, after: MineCursor | None,
              limit: int) -> QueuePage:
    """One page of the user's own open cases ("My clients"): by the next step's day, so
    overdue steps come first, then cases without a next step; then by promised date and
    age (one statement)."""
    team_ids = [team.id for team in user.teams]
    if not team_ids:
        return QueuePage([], None)
    filters = replace(filters, mine=True)
    values = _narrowing_values(user, filters)
    after_shape = None if after is None else ("step" if after.step_day else "no_step")
    statement = _mine_statement(_MineShape(
        tuple(_statuses(filters)), tuple(values), after_shape, limit + 1))
    if statement is None:
        return QueuePage([], None)
    parameters = {**_parameters(values), "team_ids": team_ids}
    if after is not None:
        parameters |= {"after_step_day": after.step_day, **_cursor_parameters(after)}
    return _page(list(db.session.scalars(statement, parameters)), limit, MineCursor)


def filtered(user: StaffUser, filters: QueueFilters
             ) -> tuple[list[ColumnElement[bool]], dict[str, Any]]:
    """The queue's filters as conditions and their bound values: every case of the user's
    teams the queue (or "My clients") would list, in no order (the case-list export)."""
    values = _narrowing_values(user, filters)
    conditions = [Case.team_id.in_([team.id for team in user.teams]),
                  Case.status.in_(_statuses(filters)), *_narrowing(values)]
    return conditions, _parameters(values)


def _page(rows: list[Case], limit: int,
          cursor_class: type[Cursor] | type[MineCursor]) -> QueuePage:
    """A page of `limit` cases from `limit + 1` fetched, with the cursor if more follow."""
    more = len(rows) > limit
    rows = rows[:limit]
    return QueuePage(rows, cursor_class.after(rows[-1]) if more and rows else None)


def status_counts(user: StaffUser, filters: QueueFilters, cap: int) -> dict[str, int]:
    """Cases per status with the other filters applied, each counted up to cap + 1.

    Counting every closed case of a long-running service would read them all on
    every queue view; past the cap the queue says "over 9,999" instead.
    """
    team_ids = [team.id for team in user.teams]
    if not team_ids:
        return {}
    values = _narrowing_values(user, filters)
    statement = _counts_statement(tuple(values), filters.mine, cap)
    rows = db.session.execute(statement, {**_parameters(values), "team_ids": team_ids})
    return {row.status: row.cases for row in rows}


@lru_cache(maxsize=STATEMENT_SHAPES)
def _counts_statement(narrowing: tuple[str, ...], mine: bool, cap: int) -> Select:
    conditions = _narrowing(narrowing)
    branches = []
    for status in OPEN_STATUSES if mine else CaseStatus:  # "My clients": open only
        capped = (
            select(Case.id)
            .where(Case.team_id.in_(bindparam("team_ids", expanding=True)),
                   Case.status == status, *conditions)
            .limit(cap + 1)
            .subquery()
        )
        branches.append(
            select(literal(status.value).label("status"), func.count().label("cases"))
            .select_from(capped)
        )
    return union_all(*branches)  # type: ignore[return-value]


def is_overdue(case: Case, today: date) -> bool:
    """Not reached by the promised date (shown in words as well as colour)."""
    return (case.contacted_at is None and case.status != CaseStatus.CLOSED
            and case.promised_contact_date < today)


def days_late(day: date | None, today: date) -> int:
    """How many days ago the day was; 0 for today, a day to come or none."""
    return (today - day).days if day is not None and day < today else 0


def promise_days_late(case: Case, today: date) -> int:
    """Days past the promised contact date, for a case not reached yet (else 0)."""
    return days_late(case.promised_contact_date, today) if is_overdue(case, today) else 0


def step_days_late(case: Case, today: date) -> int:
    """Days past the next step's day, on an open case (else 0)."""
    return days_late(case.next_step_date, today) if case.status != CaseStatus.CLOSED else 0


@dataclass(frozen=True)
class Workload:
    """One worker's open cases in the lead's teams; staff_id None is the unassigned ones."""

    staff_id: int | None
    name: str
    title: str
    active: bool
    open_cases: int
    overdue_promises: int
    overdue_steps: int


def workload(user: StaffUser, today: date) -> list[Workload]:
    """Per worker of the user's teams (and anyone else holding open cases there, and
    nobody): open cases, promises past their date with the client not reached, next steps
    past their day. One statement: the open cases counted per handler with GROUP BY, joined
    to the teams' active members; no query per worker."""
    team_ids = [team.id for team in user.teams]
    if not team_ids:
        return []
    overdue_promise = and_(Case.contacted_at.is_(None), Case.promised_contact_date < today)
    per_handler = (
        select(Case.handler_id.label("staff_id"),
               func.count().label("open_cases"),
               func.sum(case_when((overdue_promise, 1), else_=0)).label("overdue_promises"),
               func.sum(case_when((Case.next_step_date < today, 1), else_=0)).label(
                   "overdue_steps"))
        .where(Case.team_id.in_(team_ids), Case.status.in_(OPEN_STATUSES))
        .group_by(Case.handler_id)
        .cte("per_handler")
    )
    members = select(staff_teams.c.staff_id).where(staff_teams.c.team_id.in_(team_ids))
    counts = (func.coalesce(per_handler.c.open_cases, 0),
              func.coalesce(per_handler.c.overdue_promises, 0),
              func.coalesce(per_handler.c.overdue_steps, 0))
    people = (
        select(StaffUser.id, StaffUser.name, StaffUser.title, StaffUser.active, *counts)
        .outerjoin(per_handler, per_handler.c.staff_id == StaffUser.id)
        .where(or_(and_(StaffUser.id.in_(members), StaffUser.active.is_(True)),
                   per_handler.c.staff_id.is_not(None)))
    )
    nobody = (
        select(null(), literal(""), literal(""), literal(True), *counts)
        .where(per_handler.c.staff_id.is_(None))
    )
    rows = [Workload(*row) for row in db.session.execute(union_all(people, nobody))]
    return sorted(rows, key=lambda row: (row.staff_id is not None, row.name.casefold()))
