"""Teams and the municipalities they serve; their promises and phone hours."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time
from time import monotonic
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import DEFAULT_OPENING_HOURS, Municipality, StaffUser, Team
from app.people import admin_audit
from app.people.municipalities import MunicipalityName, resolve
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
# The columns' lengths (app/models.py Team).
SLUG_LIMIT, NAME_LIMIT, PHONE_LIMIT, EMAIL_LIMIT, PAUSE_MESSAGE_LIMIT = 64, 200, 40, 254, 500
SLUG_SHAPE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
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
    take_over: bool = False,
    actor: StaffUser | None = None,
    **pause: Any,
) -> Team:
    """Create a team serving the given municipalities (codes or names).

    A municipality another team serves is an error, or with `take_over` moves to the new
    team. `pause` takes the pause settings (intake_paused, pause_message_fi, …). `actor`
    is the admin who made it (None: the command line), for the admin audit.
    """
    _check_promises(contact_days, urgent_contact_days)
    parse_opening_hours(opening_hours)
    if not SLUG_SHAPE.fullmatch(slug) or len(slug) > SLUG_LIMIT:
        raise ValueError("the slug is lower-case letters, digits and dashes, like 'jyvaskyla'")
    unknown = set(pause) - {"intake_paused", "pause_message_fi", "pause_message_sv",
                            "pause_phone"}
    if unknown:
        raise TypeError(f"unknown team settings: {', '.join(sorted(unknown))}")
    session = db.session
    if session.scalar(select(Team).where(Team.slug == slug)):
        raise ValueError(f"a team with slug {slug!r} already exists")
    # Every name checked first; each municipality once.
    served = list({found.code: found for found in map(resolve, municipalities)}.values())
    taken = [session.get(Municipality, found.code) for found in served]
    for existing in taken:
        if existing is not None and not take_over:
            raise ValueError(f"{existing.name_fi} is already served by team "
                             f"{existing.team.slug!r}")
    if is_default:
        for team in session.scalars(select(Team).where(Team.is_default)):
            team.is_default = False
    team = Team(
        slug=slug, name=name, phone=phone, email=email or None, contact_days=contact_days,
        urgent_contact_days=urgent_contact_days, opening_hours=opening_hours,
        is_default=is_default, notify_new_cases=notify_new_cases,
        **{setting: value for setting, value in pause.items() if value is not None},
    )
    session.add(team)
    session.flush()
    for found, existing in zip(served, taken, strict=True):
        if existing is not None:
            existing.team_id = team.id
        else:
            session.add(Municipality(code=found.code, name_fi=found.fi, name_sv=found.sv,
                                     team_id=team.id))
    admin_audit.add(actor, admin_audit.Action.TEAM_CREATED, team, {
        "slug": slug, "municipalities": sorted({found.code for found in served}),
        "contact_days": contact_days, "urgent_contact_days": urgent_contact_days})
    session.commit()
    return team


def served_elsewhere(values: list[str]) -> list[tuple[str, str]]:
    """(Finnish name, team name) of each municipality given that a team already serves."""
    found = []
    for value in values:
        existing = db.session.get(Municipality, resolve(value).code)
        if existing is not None:
            found.append((existing.name_fi, existing.team.name))
    return found


# What update_team may change; a setting not given stays as it is.
SETTINGS = ("name", "phone", "email", "notify_new_cases", "contact_days", "urgent_contact_days",
            "opening_hours", "intake_paused", "pause_message_fi", "pause_message_sv",
            "pause_phone")


class MunicipalityLeftOut(ValueError):
    """A municipality would be left without a team; `names` are their Finnish names."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(f"{', '.join(names)} would have no team: add them to the team that "
                         "takes them over, which moves them there")
        self.names = names


@dataclass(frozen=True)
class TeamUpdate:
    team: Team
    changes: dict[str, list[Any]]
    # Municipalities that moved here from other teams: (Finnish name, the other team's name).
    moved: list[tuple[str, str]] = field(default_factory=list)


def update_team(
    slug: str,
    *,
    municipalities: list[str] | None = None,
    actor: StaffUser | None = None,
    **settings: Any,
) -> Team:
    """Change a team's settings (SETTINGS); what is not given stays. See change_team."""
    team = db.session.scalar(select(Team).where(Team.slug == slug))
    if team is None:
        raise ValueError(f"no team with slug {slug!r}")
    return change_team(team, municipalities=municipalities, actor=actor, **settings).team


def change_team(
    team: Team,
    *,
    municipalities: list[str] | None = None,
    actor: StaffUser | None = None,
    **settings: Any,
) -> TeamUpdate:
    """Change a team's settings and, given, the full list of municipalities it serves.

    A municipality another team serves moves here; one taken off this team must be
    added to another team instead (MunicipalityLeftOut), so none is ever left without.
    ValueError, saying what is wrong, for anything else; nothing is saved then. Every
    change goes into the admin audit with `actor` (None: the command line).
    """
    unknown = set(settings) - set(SETTINGS)
    if unknown:
        raise TypeError(f"unknown team settings: {', '.join(sorted(unknown))}")
    given = {name: value for name, value in settings.items() if value is not None}
    _check_promises(given.get("contact_days", team.contact_days),
                    given.get("urgent_contact_days", team.urgent_contact_days))
    if "opening_hours" in given:
        parse_opening_hours(given["opening_hours"])
    if not (given.get("name", team.name) or "").strip():
        raise ValueError("a team needs a name")
    if not (given.get("phone", team.phone) or "").strip():
        raise ValueError("a team needs a phone number")
    changes: dict[str, list[Any]] = {}
    moved: list[tuple[str, str]] = []
    if municipalities is not None:
        wanted = {found.code: found for found in map(resolve, municipalities)}
        moved = _serve_exactly(team, list(wanted.values()), changes)
    for name, value in given.items():
        if name == "email":
            value = value or None  # "" takes the address away
        if getattr(team, name) != value:
            changes[name] = [getattr(team, name), value]
            setattr(team, name, value)
    if changes:
        admin_audit.add(actor, admin_audit.Action.TEAM_CHANGED, team, changes)
    db.session.commit()
    return TeamUpdate(team, changes, moved)


def _serve_exactly(team: Team, wanted: list[MunicipalityName],
                   changes: dict[str, list[Any]]) -> list[tuple[str, str]]:
    """Make the team serve exactly `wanted`; returns those moved here from other teams."""
    if not wanted:
        raise ValueError("a team serves at least one municipality")
    wanted_codes = {found.code for found in wanted}
    left_out = [m.name_fi for m in team.municipalities if m.code not in wanted_codes]
    if left_out:
        raise MunicipalityLeftOut(left_out)
    before = sorted(m.code for m in team.municipalities)
    moved = []
    for found in wanted:
        existing = db.session.get(Municipality, found.code)
        if existing is None:
            db.session.add(Municipality(code=found.code, name_fi=found.fi, name_sv=found.sv,
                                        team_id=team.id))
        elif existing.team_id != team.id:
            moved.append((existing.name_fi, existing.team.name))
            existing.team_id = team.id
    after = sorted(wanted_codes)
    if before != after:
        changes["municipalities"] = [before, after]
    db.session.flush()
    db.session.expire(team, ["municipalities"])
    return moved


def list_teams() -> list[Team]:
    """Every team with its municipalities, by name."""
    return list(db.session.scalars(
        select(Team).options(selectinload(Team.municipalities)).order_by(Team.name, Team.id)
    ))


def paused_team(municipality: str | None) -> Team | None:
    """The team of the municipality if it has paused its intake; None when it takes
    contacts, or no municipality has been chosen yet."""
    if not municipality:
        return None
    try:
        team = team_for_municipality(municipality)
    except LookupError:
        return None
    return team if team.intake_paused else None


def pause_message(team: Team, html_lang: str) -> str:
    """The team's own pause message in the page's language (the other one if that is
    empty); plain Finnish shows the Finnish one."""
    first, second = ((team.pause_message_sv, team.pause_message_fi) if html_lang == "sv"
                     else (team.pause_message_fi, team.pause_message_sv))
    return first or second


def pause_phone(team: Team) -> str:
    return team.pause_phone or team.phone


# Every client form lists the served municipalities, which change only when an admin edits
# a team: each process keeps the list this long. An edit made through this process is seen
# at once; one made through another instance within this time.
MUNICIPALITY_LIST_SECONDS = 60.0
_KEPT_LISTS = "saate_municipality_lists"


def municipality_choices(html_lang: str) -> Sequence[tuple[str, str]]:
    """(code, name) of every served municipality, sorted by name in the language."""
    kept = current_app.extensions.setdefault(_KEPT_LISTS, {})
    expires, pairs = kept.get(html_lang, (0.0, ()))
    if expires <= monotonic():
        pairs = _load_municipality_choices(html_lang)
        kept[html_lang] = (monotonic() + MUNICIPALITY_LIST_SECONDS, pairs)
    return pairs


def _load_municipality_choices(html_lang: str) -> tuple[tuple[str, str], ...]:
    municipalities = db.session.scalars(select(Municipality)).all()
    pairs = [(m.code, m.name_in(html_lang)) for m in municipalities]
    return tuple(sorted(pairs, key=lambda pair: pair[1].casefold()))


@event.listens_for(Municipality, "after_insert")
@event.listens_for(Municipality, "after_update")
@event.listens_for(Municipality, "after_delete")
def _forget_municipality_lists(*_: object) -> None:
    if has_app_context():
        current_app.extensions.pop(_KEPT_LISTS, None)


def served_by(team_ids: list[int], html_lang: str) -> list[tuple[str, str]]:
    """(code, name) of every municipality the teams serve, by name (one query for all)."""
    served = db.session.scalars(select(Municipality).where(Municipality.team_id.in_(team_ids)))
    return sorted(((m.code, m.name_in(html_lang)) for m in served), key=lambda pair: pair[1])


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
    if code != OTHER_MUNICIPALITY:
        serving = db.session.scalar(
            select(Team).join(Municipality, Municipality.team_id == Team.id)
            .where(Municipality.code == code))
        if serving is not None:
            return serving
    team = db.session.scalar(select(Team).where(Team.is_default))
    if team is None:
        team = db.session.scalar(select(Team).order_by(Team.id))
    if team is None:
        raise LookupError("no teams are configured: create one with `flask teams create`")
    return team
