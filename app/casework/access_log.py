"""The access log (käyttöloki): every staff view, change, print, export and disclosure of a
case.

Append-only: nothing here updates or deletes an entry. The client sees the
entries of their own case on the status page (Client Data Act 703/2023).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.i18n import lazy_gettext as _l
from app.models import AccessLogEntry, StaffUser


class Action(enum.StrEnum):
    VIEW = "view"
    CHANGE = "change"
    PRINT = "print"
    EXPORT = "export"
    # The case handed over to another system (a FHIR QuestionnaireResponse): luovutus.
    DISCLOSURE = "disclosure"


# Shown to staff and to the client on the status page.
ACTION_LABELS = {
    # Translators: in the list of who has handled a client's information.
    Action.VIEW: _l("viewed your information"),
    # Translators: what a staff member did, in lower case after the name: "Testi, nurse: updated
    # your case". Also in the staff's access log.
    Action.CHANGE: _l("updated your case"),
    # Translators: what a staff member did, in lower case after the name: "Testi, nurse: printed
    # your information". Also in the staff's access log.
    Action.PRINT: _l("printed your information"),
    # Translators: what a staff member did, in lower case after the name: they downloaded
    # information (the access log) as a file. Also in the staff's access log.
    Action.EXPORT: _l("exported information"),
    # Translators: what a staff member did, in lower case after the name: "Testi, nurse:
    # handed over your answers as a file (disclosure)", to another organisation's system. Name
    # it as the law does: in Finnish "luovutus", in Swedish "utlämnande". Also in the staff's
    # access log.
    Action.DISCLOSURE: _l("handed over your answers as a file (disclosure)"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))  # type: ignore[call-overload]


def add(staff: StaffUser, action: Action, case_id: int | None, detail: str = "") -> None:
    """Add an entry to the current transaction (for changes made in it)."""
    db.session.add(AccessLogEntry(staff_id=staff.id, case_id=case_id, action=action,
                                  detail=detail[:200]))


def record(staff: StaffUser, action: Action, case_id: int | None, detail: str = "") -> None:
    """Record one access; committed at once so it survives a later failure."""
    add(staff, action, case_id, detail)
    db.session.commit()


def for_case(case_id: int) -> Sequence[AccessLogEntry]:
    """Every entry of one case, oldest first, with who did it."""
    return db.session.scalars(
        select(AccessLogEntry)
        .options(joinedload(AccessLogEntry.staff))
        .where(AccessLogEntry.case_id == case_id)
        .order_by(AccessLogEntry.id)
    ).all()


def page(
    *, case_id: int | None = None, staff_id: int | None = None, before_id: int | None = None,
    limit: int = 100,
) -> Sequence[AccessLogEntry]:
    """Newest first, keyset-paginated by id; filtered by case or staff member."""
    query = select(AccessLogEntry).options(joinedload(AccessLogEntry.staff))
    if case_id is not None:
        query = query.where(AccessLogEntry.case_id == case_id)
    if staff_id is not None:
        query = query.where(AccessLogEntry.staff_id == staff_id)
    if before_id is not None:
        query = query.where(AccessLogEntry.id < before_id)
    return db.session.scalars(query.order_by(AccessLogEntry.id.desc()).limit(limit)).all()
