"""Staff sign-in: e-mail and password, then a TOTP code; sign-out; idle timeout.

Every /staff page requires sign-in except the allow-list below: the check runs
for the whole app, so a new staff route is protected without remembering to.
"""

from __future__ import annotations

import time

from flask import Blueprint, Flask, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from app.extensions import db, login_manager
from app.models import StaffUser
from app.sessions import is_staff_request

bp = Blueprint("auth", __name__, url_prefix="/staff")

# The only staff endpoints open without signing in.
OPEN_ENDPOINTS = frozenset({"auth.sign_in", "auth.sign_in_code", "static"})
LAST_SEEN = "last_seen"


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    user = db.session.get(StaffUser, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


def require_staff_sign_in() -> Response | None:
    if not is_staff_request() or request.endpoint in OPEN_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in"))
    idle_limit = 60 * current_app_idle_minutes()
    now = time.time()
    if now - session.get(LAST_SEEN, now) > idle_limit:
        logout_user()
        session.clear()
        flash(_("You were signed out after a period of inactivity. Please sign in again."))
        return redirect(url_for("auth.sign_in"))
    session[LAST_SEEN] = now
    return None


def current_app_idle_minutes() -> int:
    from flask import current_app

    return int(current_app.config["STAFF_IDLE_MINUTES"])


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    app.config.setdefault("REMEMBER_COOKIE_DURATION", 0)
    app.before_request(require_staff_sign_in)


from . import routes  # noqa: E402, F401
