"""Keeping data only as long as needed.

Unsent drafts go when they expire. A closed case keeps its personal data for
its team's retention period; then the answers, consents, notes, next steps and
names are removed and only what statistics need stays (kind, channel, language,
municipality, team, dates, status, close reason, triage outcome codes). Access
log entries stay: they are the record of who processed the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select

from app import throttle
from app.database import utcnow
from app.extensions import db
from app.intake import drafts
from app.models import Case, CaseConsent, CaseEvent, CaseStatus, Feedback, Team
from app.people import staff_sessions

THROTTLE_KEEP = timedelta(days=1)


@dataclass
class RetentionReport:
    drafts: int
    throttle_events: int
    cases_anonymised: int
    staff_sessions: int = 0


def anonymise(case: Case) -> None:
    """Strip a case to what statistics need."""
    case.answers = {}
    case.flags = {"codes": case.flags.get("codes", [])}
    case.outcomes = {"codes": case.outcomes.get("codes", [])}
    case.contact_person_name = None
    case.contact_person_title = None
    case.next_step = None
    case.next_step_date = None
    case.contact_person_organisation = None
    case.contact_person_phone = None
    case.contact_person_phone_shareable = False
    case.referrer_organisation = None
    case.referrer_name = None
    db.session.execute(delete(CaseConsent).where(CaseConsent.case_id == case.id))
    for event in db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)):
        event.data = {key: value for key, value in event.data.items()
                      if key in {"kind", "from", "to", "channel", "reached", "reason", "codes"}}
    for feedback in db.session.scalars(select(Feedback).where(Feedback.case_id == case.id)):
        feedback.comment = ""


def run(batch_size: int = 500) -> RetentionReport:
    removed_drafts = drafts.purge_expired()
    removed_events = throttle.purge_older_than(THROTTLE_KEEP)
    anonymised = 0
    now = utcnow()
    for team in db.session.scalars(select(Team)).all():
        cutoff = now - timedelta(days=team.retention_days)
        while True:
            batch = db.session.scalars(
                select(Case).where(Case.team_id == team.id, Case.status == CaseStatus.CLOSED,
                                   Case.closed_at < cutoff, Case.answers != {})
                .order_by(Case.id).limit(batch_size)
            ).all()
            if not batch:
                break
            for case in batch:
                anonymise(case)
            db.session.commit()
            anonymised += len(batch)
    return RetentionReport(removed_drafts, removed_events, anonymised,
                           staff_sessions.purge_old())
