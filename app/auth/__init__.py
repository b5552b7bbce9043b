"""Staff sign-in: e-mail and password, then a TOTP code; sign-out; session limits.

Every /staff page requires sign-in except the allow-list below: the check runs
for the whole app, so a new staff route is protected without remembering to.
A signed-in session is alive only while its server-side record is (see
app/people/staff_sessions.py): a copied cookie stops working when the session ends.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_login.utils import _user_context_processor
from werkzeug.wrappers import Response

from app.extensions import login_manager
from app.models import StaffUser
from app.people import staff_sessions
from app.people.staff_sessions import EndReason, SessionEnded
from app.sessions import is_staff_request

bp = Blueprint("auth", __name__, url_prefix="/staff")

# The only staff endpoints open without signing in (the set-up link is its own key:
# app/people/setup_links.py).
OPEN_ENDPOINTS = frozenset({"auth.sign_in", "auth.sign_in_code", "staff.setup", "static"})
# The staff cookie's key for the session's token.
SESSION_TOKEN = "staff_session"  # noqa: S105  (a key name, not a secret)


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    """The user of this request's live session, or nobody (then g says why it ended)."""
    config = current_app.config
    try:
        record = staff_sessions.current(
            session.get(SESSION_TOKEN),
            idle=timedelta(minutes=config["STAFF_IDLE_MINUTES"]),
            lifetime=timedelta(hours=config["STAFF_SESSION_HOURS"]),
        )
    except SessionEnded as ended:
        g.staff_session_ended = ended.reason
        return None
    if record is None or str(record.staff_id) != user_id or not record.staff.active:
        return None
    return record.staff


def ended_message(reason: str) -> str:
    if reason == EndReason.IDLE:
        return _("You were signed out after a period of inactivity. Please sign in again.")
    if reason == EndReason.EXPIRED:
        hours = current_app.config["STAFF_SESSION_HOURS"]
        # Translators: staff sign-in page; %(num)d is how many hours a sign-in lasts (e.g. 10).
        return ngettext("You were signed out because a sign-in lasts %(num)d hour. "
                        "Please sign in again.",
                        "You were signed out because a sign-in lasts %(num)d hours. "
                        "Please sign in again.", hours)
    # Signed out elsewhere with this cookie, or the account changed.
    return _("Your session has ended. Please sign in again.")


def require_staff_sign_in() -> Response | None:
    if not is_staff_request() or request.endpoint in OPEN_ENDPOINTS:
        return None
    if current_user.is_authenticated:
        return None
    ended = g.pop("staff_session_ended", None)
    if ended is not None or SESSION_TOKEN in session:
        session.clear()
    if ended is not None:
        flash(ended_message(ended))
    return redirect(url_for("auth.sign_in"))


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    # Templates get current_user as the lazy proxy: a public page, which never shows it,
    # then never loads a user (Flask-Login's own context processor loads one per page).
    processors = app.template_context_processors[None]
    processors[:] = [p for p in processors if p is not _user_context_processor]
    app.context_processor(lambda: {"current_user": current_user})
    app.config.setdefault("REMEMBER_COOKIE_DURATION", 0)
    app.before_request(require_staff_sign_in)


from . import routes  # noqa: E402, F401
