"""Teams and the municipalities they serve."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Municipality, Team
from app.people.municipalities import resolve

# The code stored for "other municipality or not sure"; such cases go to the default team.
OTHER_MUNICIPALITY = "other"


def create_team(
    *,
    slug: str,
    name: str,
    phone: str,
    municipalities: list[str],
    contact_days: int = 3,
    email: str | None = None,
    is_default: bool = False,
    notify_new_cases: bool = False,
) -> Team:
    """Create a team serving the given municipalities (codes or names)."""
    if contact_days < 1 or contact_days > 30:
        raise ValueError("contact days must be between 1 and 30 working days")
    session = db.session
    if session.scalar(select(Team).where(Team.slug == slug)):
        raise ValueError(f"a team with slug {slug!r} already exists")
    served = [resolve(value) for value in municipalities]  # checks every name first
    for found in served:
        existing = session.get(Municipality, found.code)
        if existing is not None:
            raise ValueError(f"{found.fi} is already served by team {existing.team.slug!r}")
    if is_default:
        for team in session.scalars(select(Team).where(Team.is_default)):
            team.is_default = False
    team = Team(
        slug=slug, name=name, phone=phone, email=email, contact_days=contact_days,
        is_default=is_default, notify_new_cases=notify_new_cases,
    )
    session.add(team)
    session.flush()
    for found in served:
        session.add(Municipality(code=found.code, name_fi=found.fi, name_sv=found.sv,
                                 team_id=team.id))
    session.commit()
    return team


def municipality_choices(html_lang: str) -> list[tuple[str, str]]:
    """(code, name) of every served municipality, sorted by name in the language."""
    municipalities = db.session.scalars(select(Municipality)).all()
    pairs = [(m.code, m.name_in(html_lang)) for m in municipalities]
    return sorted(pairs, key=lambda pair: pair[1].casefold())


def municipality_codes() -> list[str]:
    """Every municipality code a client may choose: the served ones and "other"."""
    return [*db.session.scalars(select(Municipality.code)), OTHER_MUNICIPALITY]


def municipality_name(code: str, html_lang: str | None = None) -> str:
    """A municipality's name in the page's language (code "other" too)."""
    from flask_babel import gettext

    from app.i18n import current_language

    if code == OTHER_MUNICIPALITY:
        return gettext("Other municipality or not sure")
    municipality = db.session.get(Municipality, code)
    if municipality is None:
        return code
    return municipality.name_in(html_lang or current_language().html_lang)


def team_for_municipality(code: str) -> Team:
    """The team serving the municipality; the default team for "other"."""
    municipality = db.session.get(Municipality, code) if code != OTHER_MUNICIPALITY else None
    if municipality is not None:
        return municipality.team
    team = db.session.scalar(select(Team).where(Team.is_default))
    if team is None:
        team = db.session.scalar(select(Team).order_by(Team.id))
    if team is None:
        raise LookupError("no teams are configured: create one with `flask teams create`")
    return team
