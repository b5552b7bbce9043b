"""The admin audit: every change to staff accounts and teams, with who made it and when.

Append-only: nothing here updates or deletes an entry. Names are kept as they were at
the time. Entries hold no client data (staff accounts and team settings only).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import AdminAuditEntry, StaffUser, Team


class Action(enum.StrEnum):
    STAFF_CREATED = "staff_created"
    STAFF_CHANGED = "staff_changed"
    SETUP_LINK_ISSUED = "setup_link_issued"
    SETUP_COMPLETED = "setup_completed"
    STAFF_DEACTIVATED = "staff_deactivated"
    TEAM_CREATED = "team_created"
    TEAM_CHANGED = "team_changed"
    # A team's routing destinations (app/casework/destinations.py).
    DESTINATIONS_CHANGED = "destinations_changed"
    DESTINATION_ADDED = "destination_added"
    DESTINATION_RENAMED = "destination_renamed"


STAFF, TEAM = "staff", "team"
RECENT = 20


def add(actor: StaffUser | None, action: Action, target: StaffUser | Team,
        changes: dict[str, Any] | None = None) -> None:
    """Add an entry to the current transaction (committed with the change it records).

    `actor` None is the command line.
    """
    kind = TEAM if isinstance(target, Team) else STAFF
    db.session.add(AdminAuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.name if actor is not None else "",
        action=action, target_kind=kind, target_id=target.id, target_name=target.name,
        changes=changes or {},
    ))


def recent(kind: str, limit: int = RECENT) -> Sequence[AdminAuditEntry]:
    """The newest entries about staff or about teams."""
    return db.session.scalars(
        select(AdminAuditEntry).where(AdminAuditEntry.target_kind == kind)
        .order_by(AdminAuditEntry.id.desc()).limit(limit)
    ).all()


def for_target(kind: str, target_id: int, limit: int = 200) -> Sequence[AdminAuditEntry]:
    """The newest entries about one staff member or team."""
    return db.session.scalars(
        select(AdminAuditEntry)
        .where(AdminAuditEntry.target_kind == kind, AdminAuditEntry.target_id == target_id)
        .order_by(AdminAuditEntry.id.desc()).limit(limit)
    ).all()
