"""Staff sessions kept on the server, so that any of them can be ended.

The staff cookie is signed, not secret-proof: a copy of it would work until it
expires. So the cookie also carries a random token, and the session is alive
only while its row here is: every staff request looks the row up by the
token's hash. Signing out, an idle timeout, the absolute lifetime, disabling
the account, a new password and a new second factor end it.

Why one row per session rather than a session version on the user: signing out
ends only that browser's session, the idle timeout and the lifetime are
measured on the server, and a user or an admin can later list and end sessions
one by one.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import joinedload

from app.database import utcnow
from app.extensions import db
from app.models import StaffSession, StaffUser
from app.tokens import new_token, token_hash

# last_seen_at is written at most this often, not on every request.
SEEN_PRECISION = timedelta(minutes=1)
# Ended sessions are a record of who was signed in when; kept this long, then deleted.
KEEP_ENDED = timedelta(days=90)


class EndReason(enum.StrEnum):
    SIGNED_OUT = "signed_out"
    IDLE = "idle"
    EXPIRED = "expired"
    ACCOUNT_DISABLED = "account_disabled"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105  (a label, not a secret)
    TWO_FACTOR_RESET = "two_factor_reset"


class SessionEnded(Exception):
    """The session has ended (now or earlier); `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def start(user: StaffUser) -> str:
    """A new session for a user who has just signed in; returns the cookie's token."""
    token = new_token()
    now = utcnow()
    db.session.add(StaffSession(token_hash=token_hash(token), staff_id=user.id,
                                created_at=now, last_seen_at=now))
    db.session.commit()
    return token


def find(token: str | None) -> StaffSession | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        select(StaffSession)
        .options(joinedload(StaffSession.staff))  # one query a request, user included
        .where(StaffSession.token_hash == token_hash(token))
    )


def current(token: str | None, *, idle: timedelta, lifetime: timedelta,
            now: datetime | None = None) -> StaffSession | None:
    """The live session of the token, marked as seen; None for no or an unknown token.

    Raises SessionEnded when the session has ended, or ends it now when it has been
    idle too long or has lasted its lifetime.
    """
    record = find(token)
    if record is None:
        return None
    if record.ended_at is not None:
        raise SessionEnded(record.end_reason or EndReason.SIGNED_OUT)
    now = now or utcnow()
    if now - record.created_at > lifetime:
        _end(record, EndReason.EXPIRED, now)
    if now - record.last_seen_at > idle:
        _end(record, EndReason.IDLE, now)
    if now - record.last_seen_at > SEEN_PRECISION:
        record.last_seen_at = now
        db.session.commit()
    return record


def _end(record: StaffSession, reason: EndReason, now: datetime) -> None:
    record.ended_at, record.end_reason = now, reason
    db.session.commit()
    raise SessionEnded(reason)


def end(token: str | None, reason: EndReason) -> None:
    """End one session (sign-out); nothing happens for an unknown or ended one."""
    record = find(token)
    if record is not None and record.ended_at is None:
        record.ended_at, record.end_reason = utcnow(), reason
        db.session.commit()


def end_all(user: StaffUser, reason: EndReason) -> None:
    """End every live session of the user, in the caller's transaction (it commits)."""
    db.session.execute(
        update(StaffSession)
        .where(StaffSession.staff_id == user.id, StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
        .execution_options(synchronize_session=False)
    )


def live_sessions(user: StaffUser) -> list[StaffSession]:
    return list(db.session.scalars(
        select(StaffSession)
        .where(StaffSession.staff_id == user.id, StaffSession.ended_at.is_(None))
        .order_by(StaffSession.id)
    ))



def purge_old(keep: timedelta = KEEP_ENDED) -> int:
    """Delete sessions that ended, or were last used, longer ago than `keep`."""
    last_activity = func.coalesce(StaffSession.ended_at, StaffSession.last_seen_at)
    result = db.session.execute(delete(StaffSession).where(last_activity < utcnow() - keep))
    db.session.commit()
    return result.rowcount or 0
