"""The client's optional feedback: after sending (how easy was it), and once at the end of
service (how easy was it, would they recommend the service)."""

from __future__ import annotations

import enum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Case, Feedback


class Moment(enum.StrEnum):
    SENT = "sent"
    END_OF_SERVICE = "end_of_service"


def given_for(case: Case, moment: Moment = Moment.SENT) -> bool:
    return db.session.scalar(
        select(Feedback.id).where(Feedback.case_id == case.id, Feedback.moment == moment)
    ) is not None


def record(case: Case, language: str, rating: int | None, comment: str, *,
           moment: Moment = Moment.SENT, would_recommend: bool | None = None) -> None:
    """Keep one answer per case and moment; a second send is ignored."""
    if given_for(case, moment):
        return
    db.session.add(Feedback(case_id=case.id, moment=moment, kind=case.kind, language=language,
                            rating=rating, would_recommend=would_recommend,
                            comment=comment.strip()))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
