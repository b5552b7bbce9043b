"""/healthz: whether this instance can serve, for the proxy's and monitoring's checks.

200 {"status": "ok"} when the database answers a trivial query, 503
{"status": "unavailable"} when it does not answer within CHECK_SECONDS: a database
that hangs is as unavailable as one that is down. No personal data, no session, no
rate limit; gunicorn's access log leaves the checks out below debug level
(app.logs.GunicornLogger), or they would bury the real requests.

The query runs in one background thread per process, so a hung connection never
holds the request past CHECK_SECONDS; while one check hangs, the next ones wait
behind it and answer "unavailable" too, which is the truth.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as CheckTimedOut

from flask import Blueprint, Response, jsonify
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.logs import HEALTH_PATH

CHECK_SECONDS = 2.0

bp = Blueprint("health", __name__)
_checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="saate-health")


def database_answers(engine: Engine, seconds: float = CHECK_SECONDS) -> bool:
    """True when the database answers `SELECT 1` within `seconds`."""
    try:
        return _checker.submit(_select_one, engine, seconds).result(timeout=seconds)
    except CheckTimedOut:
        return False


def _select_one(engine: Engine, seconds: float) -> bool:
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                # The server gives up too: no query left running after we stopped waiting.
                connection.execute(text(f"SET LOCAL statement_timeout = {int(seconds * 1000)}"))
            return connection.execute(text("SELECT 1")).scalar() == 1
    except (SQLAlchemyError, OSError):
        return False


@bp.get(HEALTH_PATH)
def healthz() -> tuple[Response, int]:
    if database_answers(db.engine):
        return jsonify(status="ok"), 200
    return jsonify(status="unavailable"), 503
