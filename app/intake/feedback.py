"""The one optional question after sending."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Case, Feedback


def given_for(case: Case) -> bool:
    return db.session.scalar(select(Feedback.id).where(Feedback.case_id == case.id)) is not None


def record(case: Case, language: str, rating: int | None, comment: str) -> None:
    """Keep one answer per case; a second send is ignored."""
    if given_for(case):
        return
    db.session.add(Feedback(case_id=case.id, kind=case.kind, language=language,
                            rating=rating, comment=comment.strip()))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
