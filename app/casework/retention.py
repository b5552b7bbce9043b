"""Keeping data only as long as needed.

Unsent drafts go when they expire. A closed case keeps its personal data for
its team's retention period; then the answers, consents, notes, next steps, names and
comments are removed and only what statistics need stays (kind, channel, language,
municipality, team, dates, status, close reason, the case's codes, the coarse profile of
app/casework/profile.py, the follow-up's answers but its comment). A follow-up answered
after that (its page stays open to the client) loses its comment on the next run. Access
log entries stay: they are the record of who processed the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update

from app import throttle
from app.database import utcnow
from app.extensions import db
from app.intake import drafts
from app.models import Case, CaseConsent, CaseEvent, CaseStatus, Feedback, FollowUp, Team
from app.people import staff_sessions

THROTTLE_KEEP = timedelta(days=1)
# Told (cases done, cases due) after each batch.
Progress = Callable[[int, int], None]


@dataclass
class RetentionReport:
    drafts: int
    throttle_events: int
    cases_anonymised: int
    staff_sessions: int = 0
    # Comments of follow-ups answered after their case was anonymised.
    late_comments: int = 0


# What anonymising empties on a case beside its answers (bulk demo data strips old closed
# cases the same way: app/demo_bulk.py).
CLEARED = {
    "contact_person_name": None, "contact_person_title": None,
    "contact_person_organisation": None, "contact_person_phone": None,
    "contact_person_phone_shareable": False, "next_step": None, "next_step_date": None,
    "referrer_organisation": None, "referrer_name": None,
}
# What a timeline event keeps: codes for statistics, no free text or names.
KEPT_EVENT_DATA = frozenset({"kind", "from", "to", "channel", "reached", "reason", "codes"})


def kept_event_data(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key in KEPT_EVENT_DATA}


def anonymise(case: Case) -> None:
    """Strip a case to what statistics need."""
    case.answers = {}
    case.flags = {"codes": case.flags.get("codes", [])}
    case.outcomes = {"codes": case.outcomes.get("codes", [])}
    for name, value in CLEARED.items():
        setattr(case, name, value)
    db.session.execute(delete(CaseConsent).where(CaseConsent.case_id == case.id))
    for event in db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)):
        event.data = kept_event_data(event.data)
    for feedback in db.session.scalars(select(Feedback).where(Feedback.case_id == case.id)):
        feedback.comment = ""
    for follow_up in db.session.scalars(select(FollowUp).where(FollowUp.case_id == case.id)):
        follow_up.comment = ""


def run(batch_size: int = 500, progress: Progress | None = None) -> RetentionReport:
    """Everything due, by id in batches of `batch_size` cases, each batch committed;
    `progress(done, total)` after each batch of cases, when given."""
    removed_drafts = drafts.purge_expired()
    removed_events = throttle.purge_older_than(THROTTLE_KEEP)
    now = utcnow()
    teams = list(db.session.scalars(select(Team)).all())
    due = [_due(team, now) for team in teams]
    total = 0
    if progress is not None:
        total = sum(db.session.scalar(select(func.count()).where(*where)) or 0 for where in due)
        progress(0, total)
    anonymised = 0
    for where in due:
        last_id = 0
        while True:
            # On from the last case done: cases already stripped are not read again.
            batch = db.session.scalars(
                select(Case).where(*where, Case.id > last_id).order_by(Case.id).limit(batch_size)
            ).all()
            if not batch:
                break
            for case in batch:
                anonymise(case)
            db.session.commit()
            anonymised += len(batch)
            last_id = batch[-1].id
            if progress is not None:
                progress(anonymised, max(total, anonymised))
    return RetentionReport(removed_drafts, removed_events, anonymised,
                           staff_sessions.purge_old(), _clear_late_comments(teams, now))


def _past_retention(team: Team, now: datetime) -> list[ColumnElement[bool]]:
    """The team's closed cases past its retention period."""
    return [Case.team_id == team.id, Case.status == CaseStatus.CLOSED,
            Case.closed_at < now - timedelta(days=team.retention_days)]


def _due(team: Team, now: datetime) -> list[ColumnElement[bool]]:
    """The team's closed cases past its retention period that still hold personal data."""
    return [*_past_retention(team, now), Case.answers != {}]


def _clear_late_comments(teams: list[Team], now: datetime) -> int:
    """Empty the comments of follow-ups of cases past their retention period (answered
    after their case was anonymised); one statement per team."""
    cleared = 0
    for team in teams:
        result = db.session.execute(
            update(FollowUp)
            .where(FollowUp.comment != "",
                   FollowUp.case_id.in_(select(Case.id).where(*_past_retention(team, now))))
            .values(comment="")
            .execution_options(synchronize_session=False))
        cleared += result.rowcount  # type: ignore[attr-defined]
    db.session.commit()
    return cleared
