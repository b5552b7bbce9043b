"""Staff accounts: passwords (argon2), TOTP second factor, roles and teams."""

from __future__ import annotations

import hmac
import time

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.models import StaffRole, StaffUser, Team
from app.people import staff_sessions

ISSUER = "Saate"
# The columns' sizes (app/models.py StaffUser).
EMAIL_LIMIT, NAME_LIMIT, TITLE_LIMIT = 254, 200, 120
MIN_PASSWORD_LENGTH = 12
password_hasher = PasswordHasher()

# A dummy hash checked when the e-mail is unknown, so timing does not tell.
_DUMMY_HASH = password_hasher.hash("not-a-real-password-for-timing")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    return password_hasher.hash(password)


def otpauth_uri(user: StaffUser) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def create_staff(
    *,
    email: str,
    name: str,
    title: str,
    role: str,
    team_slugs: list[str],
    password: str,
    ui_locale: str = "fi",
) -> StaffUser:
    """Create a staff member; returns the user (see otpauth_uri for the authenticator)."""
    if role not in {r.value for r in StaffRole}:
        raise ValueError(f"role must be one of: {', '.join(r.value for r in StaffRole)}")
    email = normalise_email(email)
    if "@" not in email or len(email) > EMAIL_LIMIT:
        raise ValueError("give a valid e-mail address")
    name, title = name.strip(), title.strip()
    if not 0 < len(name) <= NAME_LIMIT or not 0 < len(title) <= TITLE_LIMIT:
        raise ValueError(f"give a name of at most {NAME_LIMIT} and a title of at most "
                         f"{TITLE_LIMIT} characters")
    if find_by_email(email) is not None:
        raise ValueError("a staff member with that e-mail already exists")
    teams = list(db.session.scalars(select(Team).where(Team.slug.in_(team_slugs))))
    unknown = set(team_slugs) - {team.slug for team in teams}
    if unknown or not teams:
        raise ValueError(f"unknown team(s): {', '.join(sorted(unknown)) or '(none given)'}")
    user = StaffUser(
        email=email, name=name, title=title, role=role,
        password_hash=hash_password(password), totp_secret=pyotp.random_base32(),
        ui_locale=ui_locale, teams=teams,
    )
    db.session.add(user)
    db.session.commit()
    return user


def find_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(
        select(StaffUser).where(func.lower(StaffUser.email) == normalise_email(email))
    )


def check_password(user: StaffUser | None, password: str) -> bool:
    """True when the password is right; takes as long for an unknown user."""
    try:
        password_hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    if user is None or not user.active:
        return False
    if password_hasher.check_needs_rehash(user.password_hash):
        user.password_hash = password_hasher.hash(password)
        db.session.commit()
    return True


def check_totp(user: StaffUser, code: str, now: float | None = None) -> bool:
    """True for a current code not used before (a code is never accepted twice)."""
    code = "".join(code.split())
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now = time.time() if now is None else now
    current_step = int(now // totp.interval)
    # Accept the previous, current and next step for clock drift.
    for step in (current_step - 1, current_step, current_step + 1):
        if hmac.compare_digest(totp.at(step * totp.interval), code):
            return _use_step(user, step)
    return False


def _use_step(user: StaffUser, step: int) -> bool:
    """Mark the step used, if no later or equal one was: one conditional UPDATE.

    Reading totp_last_step and then writing it would let concurrent sign-ins with
    the same code all pass; the database decides instead, and exactly one wins.
    """
    result = db.session.execute(
        update(StaffUser)
        .where(StaffUser.id == user.id, StaffUser.totp_last_step < step)
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def reset_two_factor(email: str) -> StaffUser:
    """A new TOTP secret; every session of the user ends."""
    user = _require(email)
    user.totp_secret = pyotp.random_base32()
    user.totp_last_step = 0
    staff_sessions.end_all(user, staff_sessions.EndReason.TWO_FACTOR_RESET)
    db.session.commit()
    return user


def set_password(email: str, password: str) -> StaffUser:
    """A new password; every session of the user ends (ValueError if it is too short)."""
    user = _require(email)
    user.password_hash = hash_password(password)
    staff_sessions.end_all(user, staff_sessions.EndReason.PASSWORD_CHANGED)
    db.session.commit()
    return user


def disable(email: str) -> StaffUser:
    """No more signing in; every session of the user ends."""
    user = _require(email)
    user.active = False
    staff_sessions.end_all(user, staff_sessions.EndReason.ACCOUNT_DISABLED)
    db.session.commit()
    return user


def _require(email: str) -> StaffUser:
    user = find_by_email(email)
    if user is None:
        raise ValueError("no staff member with that e-mail")
    return user
