"""Sign-in in two steps, and sign-out."""

from __future__ import annotations

import time
from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import InputRequired

from app import accounts, throttle
from app.extensions import db
from app.forms import BaseForm
from app.limits import limited
from app.models import StaffUser

from . import LAST_SEEN, bp

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


def throttle_keys(email: str) -> dict[str, int]:
    config = current_app.config
    return {
        f"account:{accounts.normalise_email(email)}": config["SIGN_IN_MAX_FAILURES_PER_ACCOUNT"],
        f"address:{request.remote_addr}": config["SIGN_IN_MAX_FAILURES_PER_ADDRESS"],
    }


def throttle_window() -> timedelta:
    return timedelta(minutes=current_app.config["SIGN_IN_FAILURE_WINDOW_MINUTES"])


@bp.route("/sign-in", methods=["GET", "POST"])
@limited("sign_in")
def sign_in() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("staff.queue"))
    form = SignInForm()
    error = None
    status = 200
    if form.validate_on_submit():
        keys = throttle_keys(form.email.data)
        if throttle.is_blocked(SCOPE, keys, throttle_window()):
            error, status = "throttled", 429
        else:
            user = accounts.find_by_email(form.email.data)
            if accounts.check_password(user, form.password.data):
                session.clear()
                session[PENDING_USER] = user.id  # type: ignore[union-attr]
                session[PENDING_SINCE] = time.time()
                return redirect(url_for("auth.sign_in_code"))
            throttle.record_failure(SCOPE, *keys)
            error = "wrong"
    return render_template("auth/sign_in.html", form=form, error=error), status


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limited("sign_in_code")
def sign_in_code() -> str | Response | tuple[str, int]:
    user = pending_user()
    if user is None:
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    error = None
    status = 200
    if form.validate_on_submit():
        keys = throttle_keys(user.email)
        if throttle.is_blocked(SCOPE, keys, throttle_window()):
            error, status = "throttled", 429
        elif accounts.check_totp(user, form.code.data):
            # A new session: nothing from before sign-in carries over.
            session.clear()
            login_user(user)
            session[LAST_SEEN] = time.time()
            for key in keys:
                throttle.clear(SCOPE, key)
            return redirect(url_for("staff.queue"))
        else:
            throttle.record_failure(SCOPE, *keys)
            error = "wrong"
    return render_template("auth/sign_in_code.html", form=form, error=error), status


def pending_user() -> StaffUser | None:
    user_id, since = session.get(PENDING_USER), session.get(PENDING_SINCE, 0)
    if not user_id or time.time() - since > PENDING_SECONDS:
        return None
    user = db.session.get(StaffUser, user_id)
    return user if user is not None and user.active else None


@bp.post("/sign-out")
def sign_out() -> Response:
    logout_user()
    session.clear()
    flash(_("You have signed out."))
    return redirect(url_for("auth.sign_in"))
