"""The staff side under /staff: queue, case view, actions, access log.

Sign-in is required for every route here (app/auth enforces it app-wide).
"""

from datetime import datetime

from flask import Blueprint
from flask_babel import format_timedelta

from app.access_log import action_label
from app.case_terms import CHANNELS, label
from app.database import utcnow

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.app_template_filter("channel_label")
def channel_label(code: str) -> str:
    return label(CHANNELS, code)


@bp.app_template_filter("age")
def age(moment: datetime) -> str:
    """How long ago, in the page's language: "3 days", "5 hours"."""
    return format_timedelta(utcnow() - moment, threshold=1.5)


bp.add_app_template_filter(action_label, "access_action_label")

from . import access, case_view, queue  # noqa: E402, F401
