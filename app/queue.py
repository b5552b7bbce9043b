"""The team queue: oldest first, filtered, keyset-paginated, a fixed number of queries.

Built for a million cases: every query is bounded by the user's teams and an
index ((team_id, created_at, id) or (team_id, status, created_at, id)), pages
continue from the last row seen instead of counting an offset, and nothing is
loaded per row.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Case, CaseStatus, StaffUser

OPEN = "open"  # every status but closed


@dataclass(frozen=True)
class QueueFilters:
    status: str = OPEN
    kind: str = ""
    urgent: bool = False
    assigned: str = ""  # "me", "unassigned" or ""
    language: str = ""
    municipality: str = ""


@dataclass(frozen=True)
class Cursor:
    created_at: datetime
    id: int

    def encode(self) -> str:
        raw = f"{self.created_at.isoformat()}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        if not text:
            return None
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            created, _, case_id = raw.partition("|")
            return cls(datetime.fromisoformat(created), int(case_id))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return None


@dataclass
class QueuePage:
    cases: list[Case]
    next_cursor: Cursor | None


def _filtered(user: StaffUser, filters: QueueFilters) -> Select:
    team_ids = [team.id for team in user.teams]
    query = select(Case).where(Case.team_id.in_(team_ids))
    if filters.status == OPEN:
        query = query.where(Case.status != CaseStatus.CLOSED)
    elif filters.status:
        query = query.where(Case.status == filters.status)
    if filters.kind:
        query = query.where(Case.kind == filters.kind)
    if filters.urgent:
        query = query.where(Case.urgent.is_(True))
    if filters.assigned == "me":
        query = query.where(Case.handler_id == user.id)
    elif filters.assigned == "unassigned":
        query = query.where(Case.handler_id.is_(None))
    if filters.language:
        query = query.where(Case.language == filters.language)
    if filters.municipality:
        query = query.where(Case.municipality_code == filters.municipality)
    return query


def queue_page(user: StaffUser, filters: QueueFilters, after: Cursor | None,
               limit: int) -> QueuePage:
    """One page of cases, oldest first, continuing after the cursor."""
    query = _filtered(user, filters).options(joinedload(Case.handler))
    if after is not None:
        query = query.where(tuple_(Case.created_at, Case.id) > (after.created_at, after.id))
    query = query.order_by(Case.created_at, Case.id).limit(limit + 1)
    rows = list(db.session.scalars(query).unique())
    has_more = len(rows) > limit
    rows = rows[:limit]
    cursor = Cursor(rows[-1].created_at, rows[-1].id) if has_more and rows else None
    return QueuePage(rows, cursor)


def status_counts(user: StaffUser, filters: QueueFilters) -> dict[str, int]:
    """Cases per status with the other filters applied (one GROUP BY)."""
    query = _filtered(user, replace(filters, status="")).with_only_columns(
        Case.status, func.count(Case.id)
    ).group_by(Case.status)
    return {status: count for status, count in db.session.execute(query)}


def is_overdue(case: Case, today: date) -> bool:
    """Not reached by the promised date (shown in words as well as colour)."""
    return (case.contacted_at is None and case.status != CaseStatus.CLOSED
            and case.promised_contact_date < today)
