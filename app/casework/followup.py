"""Follow-up: the day a closed case's client is asked whether they got help, and the
team's list of the follow-ups whose day has come.

The worker sets the day at closing (by default six months on, moved to the next working day;
or none); app/casework/cases.py close() keeps it as the case's FollowUp. From that day until
it is answered the follow-up is due: it is in the team's follow-up list (due_page), the
client may answer on the follow-up page, and a client who gave an e-mail address and
agreed gets the link (app/casework/followup_mail.py).
"""

from __future__ import annotations

import base64
import calendar
import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import ClassVar

from sqlalchemy import select, tuple_

from app.casework.queue import InvalidCursor, cursor_day, cursor_id, cursor_parts
from app.extensions import db
from app.models import Case, CaseStatus, FollowUp, StaffUser
from app.workdays import is_working_day

FOLLOW_UP_MONTHS = 6
# The latest follow-up day a worker may set, counted from the day of closing.
FOLLOW_UP_HORIZON = timedelta(days=730)


def months_after(day: date, months: int) -> date:
    """The same day of the month `months` later, or that month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_follow_up_day(closing_day: date) -> date:
    """Six months after closing, on a working day."""
    day = months_after(closing_day, FOLLOW_UP_MONTHS)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def follow_up_days(closing_day: date) -> tuple[date, date]:
    """The first and last day a follow-up may be set for (both included)."""
    return closing_day + timedelta(days=1), closing_day + FOLLOW_UP_HORIZON


class State(enum.StrEnum):
    """Where a case's follow-up stands, for the client's pages."""

    NONE = "none"  # an open case, or one closed without a follow-up
    NOT_YET = "not_yet"  # closed; its day is still to come
    DUE = "due"  # its day has come: the questions are open
    ANSWERED = "answered"


def state(case: Case, today: date) -> State:
    follow_up = case.follow_up
    if follow_up is None or case.status != CaseStatus.CLOSED:
        return State.NONE
    if follow_up.answered_at is not None:
        return State.ANSWERED
    return State.DUE if follow_up.due_on <= today else State.NOT_YET


# --- The team's follow-up list: due, unanswered, the earliest day first -----------------


@dataclass(frozen=True)
class DueCursor:
    """Where a page of the follow-up list ended: (its day, the follow-up's id)."""

    due_on: date
    id: int

    MAX_LENGTH: ClassVar[int] = 40
    MARK: ClassVar[str] = "f"  # never taken for a queue cursor, nor the reverse

    def encode(self) -> str:
        raw = f"{self.MARK}|{self.due_on.isoformat()}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str | None) -> DueCursor | None:
        """The cursor of a "next page" link; None for none; InvalidCursor for anything
        encode() does not make."""
        parts = cursor_parts(text, 3, cls.MAX_LENGTH)
        if parts is None:
            return None
        mark, day_text, id_text = parts
        if mark != cls.MARK:
            raise InvalidCursor
        return cls(cursor_day(day_text), cursor_id(id_text))


@dataclass(frozen=True)
class DueFollowUp:
    """One line of the list: which case, why it was closed, the day, whether the e-mail
    went. No personal data."""

    id: int
    case_id: int
    reference: str
    close_reason: str | None
    due_on: date
    sent_at: datetime | None

    @property
    def display_reference(self) -> str:
        return f"{self.reference[:4]}-{self.reference[4:]}"


@dataclass
class DuePage:
    rows: list[DueFollowUp]
    next_cursor: DueCursor | None


def due_page(user: StaffUser, today: date, after: DueCursor | None, limit: int) -> DuePage:
    """The unanswered follow-ups of the user's teams' cases whose day is today or past, the
    earliest day first, continuing after the cursor: one statement along ix_follow_up_due
    (answered_at, due_on), the case's reference and close reason joined in."""
    team_ids = [team.id for team in user.teams]
    if not team_ids:
        return DuePage([], None)
    statement = (
        select(FollowUp.id, FollowUp.case_id, Case.reference, Case.close_reason,
               FollowUp.due_on, FollowUp.sent_at)
        .join(Case, Case.id == FollowUp.case_id)
        .where(FollowUp.answered_at.is_(None), FollowUp.due_on <= today,
               Case.team_id.in_(team_ids))
        .order_by(FollowUp.due_on, FollowUp.id)
        .limit(limit + 1)
    )
    if after is not None:
        statement = statement.where(tuple_(FollowUp.due_on, FollowUp.id) > (after.due_on, after.id))
    rows = [DueFollowUp(*row) for row in db.session.execute(statement)]
    more = len(rows) > limit
    rows = rows[:limit]
    return DuePage(rows, DueCursor(rows[-1].due_on, rows[-1].id) if more and rows else None)
