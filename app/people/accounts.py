"""Staff accounts: passwords (argon2), TOTP second factor, roles and teams."""

from __future__ import annotations

import hmac
import time

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.database import utcnow
from app.extensions import db
from app.models import StaffRole, StaffSetupLink, StaffUser, Team
from app.people import admin_audit, staff_sessions

ISSUER = "Saate"
# The columns' sizes (app/models.py StaffUser).
EMAIL_LIMIT, NAME_LIMIT, TITLE_LIMIT = 254, 200, 120
MIN_PASSWORD_LENGTH = 12
# Long enough for any passphrase, short enough that hashing stays cheap.
MAX_PASSWORD_LENGTH = 200
# Stored in place of a hash until the staff member chooses a password on their set-up
# link (app/people/setup_links.py): no password ever matches it.
NO_PASSWORD = "!"  # noqa: S105  (a marker, not a secret)
password_hasher = PasswordHasher()

# A dummy hash checked when the e-mail is unknown, so timing does not tell.
_DUMMY_HASH = password_hasher.hash("not-a-real-password-for-timing")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise ValueError(f"the password must be at least {MIN_PASSWORD_LENGTH} and at most "
                         f"{MAX_PASSWORD_LENGTH} characters")
    return password_hasher.hash(password)


class LastAdmin(ValueError):
    """The change would leave no active admin to run the service."""

    def __init__(self) -> None:
        super().__init__("at least one active admin must remain")


def otpauth_uri(user: StaffUser) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def create_staff(
    *,
    email: str,
    name: str,
    title: str,
    role: str,
    team_slugs: list[str],
    password: str | None = None,
    ui_locale: str = "fi",
    actor: StaffUser | None = None,
) -> StaffUser:
    """Create a staff member; returns the user (see otpauth_uri for the authenticator).

    Without a password the account cannot sign in until its set-up link is used
    (app/people/setup_links.py). `actor` is the admin (None: the command line).
    """
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
        password_hash=hash_password(password) if password is not None else NO_PASSWORD,
        totp_secret=pyotp.random_base32(), ui_locale=ui_locale, teams=teams,
    )
    db.session.add(user)
    db.session.flush()
    admin_audit.add(actor, admin_audit.Action.STAFF_CREATED, user, {
        "email": user.email, "title": user.title, "role": role,
        "teams": sorted(team.slug for team in teams), "ui_locale": ui_locale})
    db.session.commit()
    return user


def has_password(user: StaffUser) -> bool:
    return user.password_hash != NO_PASSWORD


def list_staff() -> list[StaffUser]:
    """Every staff member, deactivated ones too (they are never deleted), by name."""
    return list(db.session.scalars(
        select(StaffUser).options(selectinload(StaffUser.teams))
        .order_by(func.lower(StaffUser.name), StaffUser.id)
    ))


def update_staff(user: StaffUser, *, role: str, team_ids: list[int],
                 actor: StaffUser | None = None) -> dict[str, list]:
    """Change a staff member's role and teams; returns what changed ({} for nothing).

    ValueError for an unknown role or team or no team; LastAdmin when the last active
    admin would stop being one.
    """
    if role not in {r.value for r in StaffRole}:
        raise ValueError(f"role must be one of: {', '.join(r.value for r in StaffRole)}")
    teams = list(db.session.scalars(select(Team).where(Team.id.in_(team_ids))))
    if not teams or len(teams) != len(set(team_ids)):
        raise ValueError("choose at least one existing team")
    if user.role == StaffRole.ADMIN and role != StaffRole.ADMIN:
        _keep_an_admin(user)
    changes: dict[str, list] = {}
    if role != user.role:
        changes["role"] = [user.role, role]
        user.role = role
    before = sorted(team.slug for team in user.teams)
    after = sorted(team.slug for team in teams)
    if before != after:
        changes["teams"] = [before, after]
        user.teams = teams
    if changes:
        admin_audit.add(actor, admin_audit.Action.STAFF_CHANGED, user, changes)
    db.session.commit()
    return changes


def _keep_an_admin(user: StaffUser) -> None:
    """LastAdmin unless another active admin remains besides the user."""
    others = db.session.scalar(
        select(func.count(StaffUser.id))
        .where(StaffUser.role == StaffRole.ADMIN, StaffUser.active, StaffUser.id != user.id)
    )
    if not others:
        raise LastAdmin


def find_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(
        select(StaffUser).where(func.lower(StaffUser.email) == normalise_email(email))
    )


def check_password(user: StaffUser | None, password: str) -> bool:
    """True when the password is right; takes as long for an unknown user or one who has
    not chosen a password yet."""
    stored = user.password_hash if user is not None and has_password(user) else _DUMMY_HASH
    try:
        password_hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    if user is None or not user.active or not has_password(user):
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


def disable(email: str, actor: StaffUser | None = None, open_cases: int = 0) -> StaffUser:
    """No more signing in: every session and set-up link of the user ends.

    The account stays, with its name on every timeline and access-log entry. LastAdmin
    when it is the last active admin. `open_cases` (the cases still in the person's
    hands) goes into the admin audit.
    """
    user = _require(email)
    if not user.active:
        return user
    if user.role == StaffRole.ADMIN:
        _keep_an_admin(user)
    user.active = False
    staff_sessions.end_all(user, staff_sessions.EndReason.ACCOUNT_DISABLED)
    db.session.execute(
        update(StaffSetupLink)
        .where(StaffSetupLink.staff_id == user.id, StaffSetupLink.used_at.is_(None),
               StaffSetupLink.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    admin_audit.add(actor, admin_audit.Action.STAFF_DEACTIVATED, user,
                    {"active": [True, False], "open_cases": open_cases})
    db.session.commit()
    return user


def _require(email: str) -> StaffUser:
    user = find_by_email(email)
    if user is None:
        raise ValueError("no staff member with that e-mail")
    return user
