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
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import ClassVar

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
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
        parts = _cursor_parts(text, 4, cls.MAX_LENGTH)
        if parts is None:
            return None
        first_text, promised_text, created_text, id_text = parts
        if first_text not in {"0", "1"}:
            raise InvalidCursor
        return cls(first_text == "1", _cursor_day(promised_text), _cursor_time(created_text),
                   _cursor_id(id_text))


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
        parts = _cursor_parts(text, 5, cls.MAX_LENGTH)
        if parts is None:
            return None
        mark, step_text, promised_text, created_text, id_text = parts
        if mark != cls.MARK:
            raise InvalidCursor
        return cls(_cursor_day(step_text) if step_text else None, _cursor_day(promised_text),
                   _cursor_time(created_text), _cursor_id(id_text))


def _cursor_parts(text: str | None, count: int, max_length: int) -> list[str] | None:
    """The "|"-separated parts of an encoded cursor; None for no cursor."""
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


def _cursor_day(text: str) -> date:
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


def _cursor_id(text: str) -> int:
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


def _narrowing(user: StaffUser, filters: QueueFilters) -> list[ColumnElement[bool]]:
    """The filters besides team and status, checked row by row along an index."""
    conditions: list[ColumnElement[bool]] = []
    if filters.kind:
        conditions.append(Case.kind == filters.kind)
    if filters.urgent:
        conditions.append(Case.urgent.is_(True))
    if filters.mine or filters.assigned == "me":  # "My clients": mine whatever `assigned` says
        conditions.append(Case.handler_id == user.id)
    elif filters.assigned == "unassigned":
        conditions.append(Case.handler_id.is_(None))
    if filters.language:
        conditions.append(Case.language == filters.language)
    if filters.municipality:
        conditions.append(Case.municipality_code == filters.municipality)
    return conditions


def _continuing(first: bool, after: Cursor | None) -> list[ColumnElement[bool]] | None:
    """Where a branch (its cases all first, or all not) continues after the cursor;
    None when the whole branch came before it."""
    if after is None or (after.first and not first):
        return []
    if first and not after.first:
        return None
    return [tuple_(Case.promised_contact_date, Case.created_at, Case.id)
            > (after.promised, after.created_at, after.id)]


def _page_ids(user: StaffUser, filters: QueueFilters, after: Cursor | None,
              size: int) -> Select | None:
    """The ids of one page, in the queue's order.

    Each (team, status, urgent) triple walks its own stretch of ix_case_queue in
    order and stops after `size` rows; the stretches are then merged. A single
    `team_id IN (…) AND status IN (…)` query would instead sort every match.
    """
    conditions = _narrowing(user, filters)
    branches = []
    for team in user.teams:
        for status in _statuses(filters):
            for urgent in (True,) if filters.urgent else (True, False):
                first = urgent and status != CaseStatus.CLOSED
                continuing = _continuing(first, after)
                if continuing is None:
                    continue
                branch = (
                    select(Case.id, literal_column(str(int(first))).label("first"),
                           Case.promised_contact_date, Case.created_at)
                    # `== urgent`, not `IS`: an equality every database walks an index by.
                    .where(Case.team_id == team.id, Case.status == status,
                           Case.urgent == urgent, *conditions, *continuing)
                    .order_by(Case.promised_contact_date, Case.created_at, Case.id)
                    .limit(size)
                )
                branches.append(select(branch.subquery()))
    if not branches:
        return None
    merged = union_all(*branches).subquery()
    return (select(merged.c.id)
            .order_by(merged.c.first.desc(), merged.c.promised_contact_date,
                      merged.c.created_at, merged.c.id)
            .limit(size))


def queue_page(user: StaffUser, filters: QueueFilters, after: Cursor | None,
               limit: int) -> QueuePage:
    """One page of cases in the queue's order, continuing after the cursor (one statement)."""
    page_ids = _page_ids(user, filters, after, limit + 1)
    if page_ids is None:
        return QueuePage([], None)
    query = (
        select(Case)
        .options(joinedload(Case.handler))
        .where(Case.id.in_(page_ids))
        .order_by(FIRST.desc(), Case.promised_contact_date, Case.created_at, Case.id)
    )
    rows = list(db.session.scalars(query).unique())
    has_more = len(rows) > limit
    rows = rows[:limit]
    cursor = Cursor.after(rows[-1]) if has_more and rows else None
    return QueuePage(rows, cursor)


# "My clients": cases with a next step first, by its day; the others after them.
NO_STEP = case_when((Case.next_step_date.is_(None), 1), else_=0)


def _mine_continuing(with_step: bool,
                     after: MineCursor | None) -> list[ColumnElement[bool]] | None:
    """Where a branch (its cases all with a next step, or all without) continues after the
    cursor; None when the whole branch came before it."""
    if after is None:
        return []
    if with_step:
        if after.step_day is None:
            return None
        return [tuple_(Case.next_step_date, Case.promised_contact_date, Case.created_at, Case.id)
                > (after.step_day, after.promised, after.created_at, after.id)]
    if after.step_day is not None:
        return []
    return [tuple_(Case.promised_contact_date, Case.created_at, Case.id)
            > (after.promised, after.created_at, after.id)]


def _mine_page_ids(user: StaffUser, filters: QueueFilters, after: MineCursor | None,
                   size: int) -> Select | None:
    """The ids of one page of "My clients", in its order.

    Each (status, with a next step or not) pair walks its own stretch of ix_case_mine
    (handler, status, next step's day, promised date, sent at, id) and stops after `size`
    rows; the stretches are then merged, as in the queue. NULL days sort first on SQLite
    and last on PostgreSQL: keeping them in a branch of their own gives one order on both.
    """
    team_ids = [team.id for team in user.teams]
    if not team_ids:
        return None
    conditions = [Case.team_id.in_(team_ids), *_narrowing(user, filters)]
    branches = []
    for status in _statuses(filters):
        for with_step in (True, False):
            continuing = _mine_continuing(with_step, after)
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
                .where(Case.handler_id == user.id, Case.status == status, has_step,
                       *conditions, *continuing)
                .order_by(*order)
                .limit(size)
            )
            branches.append(select(branch.subquery()))
    if not branches:
        return None
    merged = union_all(*branches).subquery()
    return (select(merged.c.id)
            .order_by(merged.c.no_step, merged.c.next_step_date, merged.c.promised_contact_date,
                      merged.c.created_at, merged.c.id)
            .limit(size))


def mine_page(user: StaffUser, filters: QueueFilters, after: MineCursor | None,
              limit: int) -> QueuePage:
    """One page of the user's own open cases ("My clients"): by the next step's day, so
    overdue steps come first, then cases without a next step; then by promised date and
    age (one statement)."""
    page_ids = _mine_page_ids(user, replace(filters, mine=True), after, limit + 1)
    if page_ids is None:
        return QueuePage([], None)
    query = (
        select(Case)
        .where(Case.id.in_(page_ids))
        .order_by(NO_STEP, Case.next_step_date, Case.promised_contact_date, Case.created_at,
                  Case.id)
    )
    rows = list(db.session.scalars(query))
    has_more = len(rows) > limit
    rows = rows[:limit]
    cursor = MineCursor.after(rows[-1]) if has_more and rows else None
    return QueuePage(rows, cursor)


def status_counts(user: StaffUser, filters: QueueFilters, cap: int) -> dict[str, int]:
    """Cases per status with the other filters applied, each counted up to cap + 1.

    Counting every closed case of a long-running service would read them all on
    every queue view; past the cap the queue says "over 9,999" instead.
    """
    team_ids = [team.id for team in user.teams]
    if not team_ids:
        return {}
    conditions = _narrowing(user, filters)
    branches = []
    for status in OPEN_STATUSES if filters.mine else CaseStatus:  # "My clients": open only
        capped = (
            select(Case.id)
            .where(Case.team_id.in_(team_ids), Case.status == status, *conditions)
            .limit(cap + 1)
            .subquery()
        )
        branches.append(
            select(literal(status.value).label("status"), func.count().label("cases"))
            .select_from(capped)
        )
    return {row.status: row.cases for row in db.session.execute(union_all(*branches))}


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
