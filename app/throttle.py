"""Counting failed attempts at guessable things (resume codes, sign-in).

Every attempt is written down as a failure *before* the failures are counted,
and forgotten again if it turns out right (or is not let through). Counting
first and recording afterwards let concurrent attempts all count the same
number and all go ahead; recording first means each attempt counts every one
that started before it, so no more than the limit ever get through.

Past the limit, an attempt waits (Backoff) after the latest failure. Sign-in
waits a little, doubling, so a stranger's guesses cannot keep a worker out for
long; a resume code waits the whole window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from app.database import utcnow
from app.extensions import db
from app.models import ThrottleEvent
from app.tokens import keyed_hash


@dataclass(frozen=True)
class Backoff:
    """How long to wait after a failure past the limit: `first`, doubling, at most `longest`."""

    first: timedelta
    longest: timedelta

    def wait(self, past_limit: int) -> timedelta:
        return min(self.first * 2 ** min(past_limit, 16), self.longest)


@dataclass(frozen=True)
class Attempt:
    """One attempt, written down as a failure until `forget` says otherwise."""

    event_id: int
    # None: the attempt may go ahead; else how long until the next one may.
    retry_after: timedelta | None

    @property
    def allowed(self) -> bool:
        return self.retry_after is None

    @property
    def retry_after_seconds(self) -> int:
        return math.ceil(self.retry_after.total_seconds()) if self.retry_after else 0


def begin(scope: str, key: str, *, limit: int, window: timedelta, backoff: Backoff,
          now: datetime | None = None) -> Attempt:
    """Record an attempt as a failure, then decide whether it may go ahead.

    Up to `limit` failures within the window go ahead at once; past it, an
    attempt goes ahead only when the wait after the latest other failure is over.
    A refused attempt is not kept as a failure, so waiting out the wait works.
    """
    now = now or utcnow()
    key_hash = keyed_hash(scope, key)
    event = ThrottleEvent(scope=scope, key_hash=key_hash, at=now)
    db.session.add(event)
    db.session.commit()
    others, latest = db.session.execute(
        select(func.count(ThrottleEvent.id), func.max(ThrottleEvent.at)).where(
            ThrottleEvent.scope == scope,
            ThrottleEvent.key_hash == key_hash,
            ThrottleEvent.at >= now - window,
            ThrottleEvent.id != event.id,
        )
    ).one()
    if others < limit:
        return Attempt(event.id, None)
    remaining = latest + backoff.wait(others - limit) - now
    if remaining <= timedelta(0):
        return Attempt(event.id, None)
    attempt = Attempt(event.id, remaining)
    forget(attempt)
    return attempt


def forget(attempt: Attempt) -> None:
    """The attempt was right (or refused): it is not a failure."""
    db.session.execute(delete(ThrottleEvent).where(ThrottleEvent.id == attempt.event_id))
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
