"""Follow-ups whose day has come, made through the case workflow.

A worker may set a follow-up day from tomorrow on (app/casework/followup.py); the tests
need days that have come, so the day the workflow kept is then moved, as time would.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.casework import cases
from app.casework.cases import Closing, local_today
from app.extensions import db
from app.models import Case, FollowUp, StaffUser


def close_with_follow_up(case: Case, worker: StaffUser, due_on: date | None = None,
                         reason: str = "routed") -> FollowUp:
    """Close the case with a follow-up (the client moved on to a work trial), due on
    `due_on` (today unless given)."""
    cases.close(case, worker, case.version, reason, no_contact_person_needed=True,
                closing=Closing(("work_trial",), follow_up_on=local_today() + timedelta(days=1)))
    follow_up = db.session.scalar(select(FollowUp).where(FollowUp.case_id == case.id))
    assert follow_up is not None
    follow_up.due_on = due_on or local_today()
    db.session.commit()
    return follow_up
