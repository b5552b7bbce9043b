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
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import ClassVar

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    func,
    literal,
    literal_column,
    select,
    tuple_,
    union_all,
)
from sqlalchemy import case as case_when
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import MAX_ID, Case, CaseStatus, StaffUser

OPEN = "open"  # every status but closed


@dataclass(frozen=True)
class QueueFilters:
    status: str = OPEN
    kind: str = ""
    urgent: bool = False
    assigned: str = ""  # "me", "unassigned" or ""
    language: str = ""
    municipality: str = ""


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
        if not text:
            return None
        if len(text) > cls.MAX_LENGTH or not text.isascii():
            raise InvalidCursor
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            parts = raw.split("|")
            if len(parts) != 4:
                raise InvalidCursor
            first_text, promised_text, created_text, id_text = parts
            if first_text not in {"0", "1"} or not DATE_SHAPE.fullmatch(promised_text):
                raise InvalidCursor
            promised = date.fromisoformat(promised_text)
            created = datetime.fromisoformat(created_text)
            if created.tzinfo is None or not (id_text.isascii() and id_text.isdigit()):
                raise InvalidCursor
            case_id = int(id_text)
            if not 1 <= case_id <= MAX_ID:
                raise InvalidCursor
            return cls(first_text == "1", promised, created.astimezone(UTC), case_id)
        except (ValueError, binascii.Error, UnicodeDecodeError, OverflowError):
            raise InvalidCursor from None


def goes_first(case: Case) -> bool:
    """Whether the case sorts before the others: urgent and not closed."""
    return case.urgent and case.status != CaseStatus.CLOSED


# The same as goes_first, in SQL: 1 for an open urgent case, else 0.
FIRST = case_when((and_(Case.urgent.is_(True), Case.status != CaseStatus.CLOSED.value), 1), else_=0)


@dataclass
class QueuePage:
    cases: list[Case]
    next_cursor: Cursor | None


def _statuses(filters: QueueFilters) -> list[str]:
    if filters.status == OPEN:
        return [status for status in CaseStatus if status != CaseStatus.CLOSED]
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
    if filters.assigned == "me":
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
    for status in CaseStatus:
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
