"""The staff side under /staff: queue, case view, actions, access log.

Sign-in is required for every route here (app/auth enforces it app-wide).
"""

from datetime import datetime

from flask import Blueprint, abort, request
from flask_babel import format_timedelta
from flask_login import current_user
from werkzeug.routing import IntegerConverter

from app.casework.access_log import action_label
from app.casework.case_terms import CASE_CHANNELS, CHANNELS, label
from app.database import utcnow
from app.models import MAX_ID

bp = Blueprint("staff", __name__, url_prefix="/staff")


class IdConverter(IntegerConverter):
    """`<id:name>`: a database id, 1 to MAX_ID in ASCII digits; anything else is a 404.

    Werkzeug's `int` takes any length (past PostgreSQL's integer: a 500) and, through
    `\\d`, digits of other scripts too.
    """

    regex = r"[0-9]{1,10}"

    def __init__(self, url_map, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(url_map, min=1, max=MAX_ID)


@bp.record_once
def _register_converter(state) -> None:  # type: ignore[no-untyped-def]
    # Before the routes below are added: their rules look the converter up.
    state.app.url_map.converters["id"] = IdConverter


def id_arg(name: str) -> int | None:
    """An id from the query string: None when absent or empty, a 400 when malformed."""
    text = request.args.get(name, "")
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 10) or not 1 <= int(text) <= MAX_ID:
        abort(400)
    return int(text)


def worker_language() -> str:
    """The signed-in worker's page language, "fi" or "sv" (names of places, defaults)."""
    return "sv" if current_user.ui_locale == "sv" else "fi"


@bp.app_template_filter("channel_label")
def channel_label(code: str) -> str:
    return label(CHANNELS, code)


@bp.app_template_filter("case_channel_label")
def case_channel_label(code: str) -> str:
    """How a case came in (Case.channel), e.g. "Phone call", "Web form"."""
    return label(CASE_CHANNELS, code)


@bp.app_template_filter("age")
def age(moment: datetime) -> str:
    """How long ago, in the page's language: "3 days", "5 hours"."""
    return format_timedelta(utcnow() - moment, threshold=1.5)


bp.add_app_template_filter(action_label, "access_action_label")

from . import access, admin, case_view, follow_ups, new_case, queue, stats  # noqa: E402, F401
