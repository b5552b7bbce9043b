"""Counting failed attempts at guessable things (resume codes, sign-in)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from app.database import utcnow
from app.extensions import db
from app.models import ThrottleEvent
from app.tokens import keyed_hash


def failures(scope: str, key: str, window: timedelta) -> int:
    since = utcnow() - window
    return db.session.scalar(
        select(func.count(ThrottleEvent.id)).where(
            ThrottleEvent.scope == scope,
            ThrottleEvent.key_hash == keyed_hash(scope, key),
            ThrottleEvent.at >= since,
        )
    ) or 0


def is_blocked(scope: str, limits: dict[str, int], window: timedelta) -> bool:
    """True when any key has reached its limit of failures within the window."""
    return any(failures(scope, key, window) >= limit for key, limit in limits.items())


def record_failure(scope: str, *keys: str) -> None:
    for key in keys:
        db.session.add(ThrottleEvent(scope=scope, key_hash=keyed_hash(scope, key)))
    db.session.commit()


def clear(scope: str, key: str) -> None:
    db.session.execute(
        delete(ThrottleEvent).where(
            ThrottleEvent.scope == scope, ThrottleEvent.key_hash == keyed_hash(scope, key)
        )
    )
    db.session.commit()


def purge_older_than(window: timedelta) -> int:
    result = db.session.execute(delete(ThrottleEvent).where(ThrottleEvent.at < utcnow() - window))
    db.session.commit()
    return result.rowcount or 0
