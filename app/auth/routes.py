"""Sign-in in two steps, and sign-out."""

from __future__ import annotations

import math
import time
from datetime import timedelta

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import InputRequired

from app import throttle
from app.extensions import db
from app.forms import BaseForm
from app.i18n import lazy_gettext as _l
from app.limits import limited
from app.models import StaffUser
from app.people import accounts, staff_sessions
from app.people.staff_sessions import EndReason

from . import SESSION_TOKEN, bp

SCOPE = "sign_in"
PENDING_USER = "pending_user"
PENDING_SINCE = "pending_since"
PENDING_SECONDS = 300


class SignInForm(BaseForm):
    # Translators: label of the e-mail field: on the staff sign-in page and in the client's contact
    # details.
    email = EmailField(_l("E-mail address"),
                       validators=[InputRequired(message=_l("Enter your e-mail address"))])
    # Translators: label of the password field on the staff sign-in page.
    password = PasswordField(_l("Password"),
                             # Translators: error message on the staff sign-in page when the
                             # password field is empty.
                             validators=[InputRequired(message=_l("Enter your password"))])


class CodeForm(BaseForm):
    code = StringField(
        _l("Code from your authenticator app"),
        validators=[InputRequired(message=_l("Enter the six-digit code"))],
    )


# Past the per-account limit of failures: wait this long, doubling, at most the longest.
BACKOFF = throttle.Backoff(first=timedelta(seconds=30), longest=timedelta(minutes=5))


def begin_attempt(email: str) -> throttle.Attempt:
    """Counted per account only; per-address limits are Flask-Limiter's (app/limits.py)."""
    config = current_app.config
    return throttle.begin(
        SCOPE, account_key(email), limit=config["SIGN_IN_MAX_FAILURES_PER_ACCOUNT"],
        window=timedelta(minutes=config["SIGN_IN_FAILURE_WINDOW_MINUTES"]), backoff=BACKOFF,
    )


def account_key(email: str) -> str:
    return f"account:{accounts.normalise_email(email)}"


def refused(template: str, form: BaseForm, attempt: throttle.Attempt) -> tuple[str, int, dict]:
    """The page again, asking to wait; the wait is also in Retry-After."""
    seconds = attempt.retry_after_seconds
    page = render_template(template, form=form, error="throttled", wait=wait_text(seconds))
    return page, 429, {"Retry-After": str(seconds)}


def wait_text(seconds: int) -> str:
    if seconds < 120:
        # Translators: staff sign-in, after several wrong tries; %(num)d is a number of seconds.
        return ngettext("Too many failed sign-ins. Wait %(num)d second and try again.",
                        "Too many failed sign-ins. Wait %(num)d seconds and try again.", seconds)
    minutes = math.ceil(seconds / 60)
    # Translators: staff sign-in, after several wrong tries; %(num)d is a number of minutes.
    return ngettext("Too many failed sign-ins. Wait %(num)d minute and try again.",
                    "Too many failed sign-ins. Wait %(num)d minutes and try again.", minutes)


@bp.route("/sign-in", methods=["GET", "POST"])
@limited("sign_in")
def sign_in() -> str | Response | tuple:
    if current_user.is_authenticated:
        return redirect(url_for("staff.queue"))
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        attempt = begin_attempt(form.email.data)
        if not attempt.allowed:
            return refused("auth/sign_in.html", form, attempt)
        user = accounts.find_by_email(form.email.data)
        if accounts.check_password(user, form.password.data):
            throttle.forget(attempt)
            session.clear()
            session[PENDING_USER] = user.id  # type: ignore[union-attr]
            session[PENDING_SINCE] = time.time()
            return redirect(url_for("auth.sign_in_code"))
        error = "wrong"
    return render_template("auth/sign_in.html", form=form, error=error)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limited("sign_in_code")
def sign_in_code() -> str | Response | tuple:
    user = pending_user()
    if user is None:
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        attempt = begin_attempt(user.email)
        if not attempt.allowed:
            return refused("auth/sign_in_code.html", form, attempt)
        if accounts.check_totp(user, form.code.data):
            throttle.clear(SCOPE, account_key(user.email))
            # A new session: nothing from before sign-in carries over.
            session.clear()
            token = staff_sessions.start(user)
            login_user(user)
            session[SESSION_TOKEN] = token
            return redirect(url_for("staff.queue"))
        error = "wrong"
    return render_template("auth/sign_in_code.html", form=form, error=error)


def pending_user() -> StaffUser | None:
    user_id, since = session.get(PENDING_USER), session.get(PENDING_SINCE, 0)
    if not user_id or time.time() - since > PENDING_SECONDS:
        return None
    user = db.session.get(StaffUser, user_id)
    return user if user is not None and user.active else None


@bp.post("/sign-out")
def sign_out() -> Response:
    staff_sessions.end(session.get(SESSION_TOKEN), EndReason.SIGNED_OUT)
    logout_user()
    session.clear()
    flash(_("You have signed out."))
    return redirect(url_for("auth.sign_in"))
