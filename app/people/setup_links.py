"""Set-up links: how a staff member gets a password and an authenticator without either
ever passing through an admin.

An admin (or `flask staff setup-link`) issues a link for an account; the admin is
shown it once and passes it on by their own channel. On it, the staff member chooses
a password, adds Saate to their authenticator app from a QR code (or the secret
typed in) and confirms with a current code; only then can they sign in.

A link is valid 48 hours and once; a newer link for the same person replaces it, and
deactivating the account ends it. Only the token's hash is stored. Issuing a link also
gives the account a new authenticator secret and ends its sessions, so it doubles as
"reset two-factor authentication".
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
import segno
from markupsafe import Markup
from sqlalchemy import func, select, update

from app.database import utcnow
from app.extensions import db
from app.models import StaffSetupLink, StaffUser
from app.people import accounts, admin_audit, staff_sessions
from app.tokens import new_token, token_hash

LIFETIME = timedelta(hours=48)
# What app.tokens.new_token gives: 43 URL-safe characters. Anything else is not looked up.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


class Reason(enum.StrEnum):
    """Why a link was issued (kept in the admin audit)."""

    NEW_ACCOUNT = "new_account"
    RESET = "reset"


@dataclass(frozen=True)
class IssuedLink:
    token: str
    expires_at: datetime


class SetupRefused(Exception):
    """The code was wrong, or the link was used, replaced or expired meanwhile."""

    def __init__(self, wrong_code: bool) -> None:
        super().__init__("wrong code" if wrong_code else "link no longer valid")
        self.wrong_code = wrong_code


def issue(user: StaffUser, actor: StaffUser | None, reason: Reason) -> IssuedLink:
    """A new link for the user: the old links end, the authenticator secret is new and
    every session ends. `actor` None is the command line."""
    if not user.active:
        raise ValueError("the account is deactivated")
    now = utcnow()
    _revoke_live(user, now)
    user.totp_secret = pyotp.random_base32()
    user.totp_last_step = 0
    staff_sessions.end_all(user, staff_sessions.EndReason.TWO_FACTOR_RESET)
    token = new_token()
    db.session.add(StaffSetupLink(token_hash=token_hash(token), staff_id=user.id,
                                  created_by_id=actor.id if actor else None, created_at=now))
    admin_audit.add(actor, admin_audit.Action.SETUP_LINK_ISSUED, user, {"reason": reason})
    db.session.commit()
    return IssuedLink(token, now + LIFETIME)


def _revoke_live(user: StaffUser, now: datetime) -> None:
    db.session.execute(
        update(StaffSetupLink)
        .where(StaffSetupLink.staff_id == user.id, StaffSetupLink.used_at.is_(None),
               StaffSetupLink.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


def _is_live(now: datetime):  # type: ignore[no-untyped-def]
    return (StaffSetupLink.used_at.is_(None), StaffSetupLink.revoked_at.is_(None),
            StaffSetupLink.created_at > now - LIFETIME)


def find_live(token: str | None, now: datetime | None = None) -> StaffSetupLink | None:
    """The link of the token if it can still be used (its account active); else None.
    A token not shaped like ours is not looked up."""
    if not token or not TOKEN_SHAPE.fullmatch(token):
        return None
    link = db.session.scalar(
        select(StaffSetupLink)
        .where(StaffSetupLink.token_hash == token_hash(token), *_is_live(now or utcnow()))
    )
    if link is None or not link.staff.active:
        return None
    return link


def live_link_expiry(user: StaffUser, now: datetime | None = None) -> datetime | None:
    """When the user's unused set-up link expires; None when there is none."""
    now = now or utcnow()
    created = db.session.scalar(
        select(StaffSetupLink.created_at)
        .where(StaffSetupLink.staff_id == user.id, *_is_live(now))
        .order_by(StaffSetupLink.id.desc()).limit(1)
    )
    return created + LIFETIME if created is not None else None


def live_link_expiries(now: datetime | None = None) -> dict[int, datetime]:
    """Staff id -> when their unused set-up link expires, for everyone who has one."""
    now = now or utcnow()
    rows = db.session.execute(
        select(StaffSetupLink.staff_id, func.max(StaffSetupLink.created_at))
        .where(*_is_live(now)).group_by(StaffSetupLink.staff_id)
    )
    return {staff_id: created + LIFETIME for staff_id, created in rows}


def complete(link: StaffSetupLink, password: str, code: str) -> StaffUser:
    """Set the password once the authenticator's code is right, and use the link up.

    SetupRefused for a wrong code, or a link used or ended meanwhile (two tabs): one
    conditional UPDATE decides, so a link is used exactly once.
    """
    user = link.staff
    if not accounts.check_totp(user, code):
        raise SetupRefused(wrong_code=True)
    now = utcnow()
    claimed = db.session.execute(
        update(StaffSetupLink)
        .where(StaffSetupLink.id == link.id, *_is_live(now))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise SetupRefused(wrong_code=False)
    user.password_hash = accounts.hash_password(password)
    staff_sessions.end_all(user, staff_sessions.EndReason.PASSWORD_CHANGED)
    admin_audit.add(user, admin_audit.Action.SETUP_COMPLETED, user)
    db.session.commit()
    return user


def qr_code_svg(uri: str, label: str) -> Markup:
    """The authenticator's otpauth:// URI as an inline SVG QR code, named for screen readers.

    Plain SVG markup (paths and presentation attributes): no script, no style attribute,
    nothing the CSP would block.
    """
    svg = segno.make(uri, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", svgclass="qr-code", lineclass=None)
    # segno escapes nothing it is not given; the label is ours, escaped here.
    named = svg.replace("<svg ", Markup('<svg role="img" aria-label="{}" ').format(label), 1)
    return Markup(named)  # noqa: S704  (segno's own markup of the URI, which we made)


def secret_for_typing(user: StaffUser) -> str:
    """The authenticator secret in groups of four, as apps ask it typed in."""
    secret = user.totp_secret
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
