"""Teams and the municipalities they serve; their promises and phone hours."""

from __future__ import annotations

import re
from datetime import date, time

from sqlalchemy import select

from app.extensions import db
from app.models import DEFAULT_OPENING_HOURS, Municipality, Team
from app.people.municipalities import resolve
from app.workdays import is_holiday

# The code stored for "other municipality or not sure"; such cases go to the default team.
OTHER_MUNICIPALITY = "other"
MAX_CONTACT_DAYS = 30

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# One part of the opening hours: "mon-fri 08:00-16:00" or "sat 10:00-14:00".
HOURS_PART = re.compile(
    r"(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+"
    r"(?P<opens>[0-9]{1,2}[:.][0-9]{2})\s*[-–]\s*(?P<closes>[0-9]{1,2}[:.][0-9]{2})"
)

OPENING_HOURS_LIMIT = 120  # the column's length
Hours = dict[int, tuple[time, time]]


def parse_opening_hours(text: str) -> Hours:
    """Weekday (0 = Monday) -> (opens, closes), from e.g. "mon-thu 08:00-16:00, fri 08:00-15:00".

    Days not named are closed. ValueError, saying what is wrong, for anything else.
    """
    if len(text) > OPENING_HOURS_LIMIT:
        raise ValueError(f"opening hours: at most {OPENING_HOURS_LIMIT} characters")
    hours: Hours = {}
    for part in (part.strip() for part in text.lower().split(",")):
        found = HOURS_PART.fullmatch(part)
        if found is None:
            raise ValueError(f"opening hours: {part!r} is not like 'mon-fri 08:00-16:00'")
        names = [found["first"], found["last"] or found["first"]]
        if any(name not in WEEKDAYS for name in names):
            raise ValueError(f"opening hours: days are {', '.join(WEEKDAYS)}")
        first, last = (WEEKDAYS.index(name) for name in names)
        opens, closes = _clock(found["opens"]), _clock(found["closes"])
        if first > last or opens >= closes:
            raise ValueError(f"opening hours: {part!r} ends before it starts")
        for day in range(first, last + 1):
            if day in hours:
                raise ValueError(f"opening hours: {WEEKDAYS[day]} is given twice")
            hours[day] = (opens, closes)
    return hours


def _clock(text: str) -> time:
    hour, minute = (int(number) for number in re.split(r"[:.]", text))
    if hour > 23 or minute > 59:
        raise ValueError(f"opening hours: {text} is not a time of day")
    return time(hour, minute)


def hours_on(team: Team, day: date) -> tuple[time, time] | None:
    """When the team's phone is answered on the day; None when closed (holidays too)."""
    if is_holiday(day):
        return None
    try:
        return parse_opening_hours(team.opening_hours).get(day.weekday())
    except ValueError:  # checked when set; a hand-edited row must not break a page
        return None


def _check_promises(contact_days: int, urgent_contact_days: int) -> None:
    if not 1 <= contact_days <= MAX_CONTACT_DAYS:
        raise ValueError(f"contact days must be between 1 and {MAX_CONTACT_DAYS} working days")
    if not 1 <= urgent_contact_days <= contact_days:
        raise ValueError("urgent contact days must be between 1 and the contact days")


def create_team(
    *,
    slug: str,
    name: str,
    phone: str,
    municipalities: list[str],
    contact_days: int = 3,
    urgent_contact_days: int = 1,
    opening_hours: str = DEFAULT_OPENING_HOURS,
    email: str | None = None,
    is_default: bool = False,
    notify_new_cases: bool = False,
) -> Team:
    """Create a team serving the given municipalities (codes or names)."""
    _check_promises(contact_days, urgent_contact_days)
    parse_opening_hours(opening_hours)
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
        urgent_contact_days=urgent_contact_days, opening_hours=opening_hours,
        is_default=is_default, notify_new_cases=notify_new_cases,
    )
    session.add(team)
    session.flush()
    for found in served:
        session.add(Municipality(code=found.code, name_fi=found.fi, name_sv=found.sv,
                                 team_id=team.id))
    session.commit()
    return team


def update_team(
    slug: str,
    *,
    contact_days: int | None = None,
    urgent_contact_days: int | None = None,
    opening_hours: str | None = None,
    phone: str | None = None,
) -> Team:
    """Change a team's promises, phone or phone hours; what is not given stays."""
    team = db.session.scalar(select(Team).where(Team.slug == slug))
    if team is None:
        raise ValueError(f"no team with slug {slug!r}")
    contact = team.contact_days if contact_days is None else contact_days
    urgent = team.urgent_contact_days if urgent_contact_days is None else urgent_contact_days
    _check_promises(contact, urgent)
    if opening_hours is not None:
        parse_opening_hours(opening_hours)
        team.opening_hours = opening_hours
    if phone is not None:
        team.phone = phone
    team.contact_days, team.urgent_contact_days = contact, urgent
    db.session.commit()
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
