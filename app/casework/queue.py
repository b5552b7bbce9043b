"""The team queue: oldest first, filtered, keyset-paginated, a fixed number of queries.

Built for a million cases: a page walks the index (team_id, status, created_at,
id) for each of the user's teams and the statuses asked for, pages continue from
the last row seen instead of counting an offset, and nothing is loaded per row.
bench/staff_queue.py measures it.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import ClassVar

from sqlalchemy import ColumnElement, Select, func, literal, select, tuple_, union_all
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


@dataclass(frozen=True)
class Cursor:
    created_at: datetime
    id: int

    MAX_LENGTH: ClassVar[int] = 100

    def encode(self) -> str:
        raw = f"{self.created_at.isoformat()}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        """The cursor of a "next page" link; None for none.

        InvalidCursor for anything encode() does not make: too long, not base64 of
        "time|id", a time without a time zone (it cannot be compared with stored
        times), an id outside 1..MAX_ID.
        """
        if not text:
            return None
        if len(text) > cls.MAX_LENGTH or not text.isascii():
            raise InvalidCursor
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            created_text, _, id_text = raw.partition("|")
            created = datetime.fromisoformat(created_text)
            if created.tzinfo is None or not (id_text.isascii() and id_text.isdigit()):
                raise InvalidCursor
            case_id = int(id_text)
            if not 1 <= case_id <= MAX_ID:
                raise InvalidCursor
            return cls(created.astimezone(UTC), case_id)
        except (ValueError, binascii.Error, UnicodeDecodeError, OverflowError):
            raise InvalidCursor from None


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


def _page_ids(user: StaffUser, filters: QueueFilters, after: Cursor | None,
              size: int) -> Select | None:
    """The ids of one page, oldest first.

    Each (team, status) pair walks its own stretch of ix_case_team_status_created
    in order and stops after `size` rows; the pairs are then merged. A single
    `team_id IN (…) AND status IN (…)` query would instead sort every match.
    """
    conditions = _narrowing(user, filters)
    if after is not None:
        conditions.append(tuple_(Case.created_at, Case.id) > (after.created_at, after.id))
    branches = []
    for team in user.teams:
        for status in _statuses(filters):
            branch = (
                select(Case.id, Case.created_at)
                .where(Case.team_id == team.id, Case.status == status, *conditions)
                .order_by(Case.created_at, Case.id)
                .limit(size)
            )
            branches.append(select(branch.subquery()))
    if not branches:
        return None
    merged = union_all(*branches).subquery()
    return select(merged.c.id).order_by(merged.c.created_at, merged.c.id).limit(size)


def queue_page(user: StaffUser, filters: QueueFilters, after: Cursor | None,
               limit: int) -> QueuePage:
    """One page of cases, oldest first, continuing after the cursor (one statement)."""
    page_ids = _page_ids(user, filters, after, limit + 1)
    if page_ids is None:
        return QueuePage([], None)
    query = (
        select(Case)
        .options(joinedload(Case.handler))
        .where(Case.id.in_(page_ids))
        .order_by(Case.created_at, Case.id)
    )
    rows = list(db.session.scalars(query).unique())
    has_more = len(rows) > limit
    rows = rows[:limit]
    cursor = Cursor(rows[-1].created_at, rows[-1].id) if has_more and rows else None
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
