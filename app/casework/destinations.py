"""Routing destinations (fi "ohjaus", sv "hänvisning") per team, set from the admin pages.

A team's destinations are the built-in ones (case_terms.OUTCOMES) it has not hidden, then
its own (TeamDestination rows with the code "team-<team id>-<n>" and names in Finnish and
Swedish), with "other" always last. A code once recorded keeps its label whatever happens
later: a destination hidden since, or another team's own one, is still named
(labels_for), so old cases and statistics across teams read the same.

Built-in labels follow the page's language (lazy gettext); own names are shown in the
worker's language, `html_lang` "fi" or "sv", the Swedish falling back to the Finnish.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.casework.case_terms import OUTCOMES, label
from app.extensions import db
from app.models import StaffUser, Team, TeamDestination
from app.people import admin_audit
from app.text import clean_text

OTHER = "other"
BUILT_IN = tuple(choice for choice in OUTCOMES if choice.code != OTHER)
# A team's own destination: "team-<team id>-<n>", n counting up from 1 in each team.
OWN_CODE = re.compile(r"team-([0-9]{1,10})-([0-9]{1,10})")
NAME_LIMIT = 120  # the columns' length (app/models.py TeamDestination)
ADD_TRIES = 3


@dataclass(frozen=True)
class Destination:
    code: str
    label: str
    own: bool = False
    hidden: bool = False
    name_fi: str = ""
    name_sv: str = ""


class Change(enum.StrEnum):
    """The changes the admin audit keeps (app/staff/admin_words.py says them)."""

    HIDDEN = "hidden_destinations"
    SHOWN = "shown_destinations"
    NAME_FI = "destination_fi"
    NAME_SV = "destination_sv"


def own_name(row: TeamDestination, html_lang: str) -> str:
    """An own destination's name in the worker's language; an empty Swedish name is the
    Finnish one."""
    return row.name_sv if html_lang == "sv" and row.name_sv else row.name_fi


def _number(code: str) -> int:
    found = OWN_CODE.fullmatch(code)
    return int(found[2]) if found else 0


def _rows(team_id: int) -> Sequence[TeamDestination]:
    return db.session.scalars(
        select(TeamDestination).where(TeamDestination.team_id == team_id)
        .order_by(TeamDestination.id)).all()


def of_team(team_id: int, html_lang: str) -> list[Destination]:
    """Every destination of the team, hidden ones too, in the order workers see them:
    the built-in ones, the team's own (in the order added), "other"."""
    rows = _rows(team_id)
    hidden = {row.code for row in rows if row.hidden}
    built_in = [Destination(choice.code, str(choice.label), hidden=choice.code in hidden)
                for choice in BUILT_IN]
    own = [Destination(row.code, own_name(row, html_lang), own=True, hidden=row.hidden,
                       name_fi=row.name_fi, name_sv=row.name_sv)
           for row in sorted(rows, key=lambda row: _number(row.code))
           if OWN_CODE.fullmatch(row.code)]
    return [*built_in, *own, Destination(OTHER, label(OUTCOMES, OTHER))]


def offered(team_id: int, html_lang: str) -> list[Destination]:
    """The destinations a worker of the team chooses from: none hidden."""
    return [found for found in of_team(team_id, html_lang) if not found.hidden]


def offered_codes(team_id: int) -> set[str]:
    return {found.code for found in offered(team_id, "fi")}


def labels_for(codes: Iterable[str], html_lang: str) -> dict[str, str]:
    """Code -> label of codes recorded in any team: built-in ones by their term, own ones
    by their name (one query for them all); a code we do not know as itself."""
    wanted = set(codes)
    own = {code for code in wanted if OWN_CODE.fullmatch(code)}
    names: dict[str, str] = {}
    if own:
        for row in db.session.scalars(
                select(TeamDestination).where(TeamDestination.code.in_(sorted(own)))):
            names[row.code] = own_name(row, html_lang)
    return {code: names.get(code) or label(OUTCOMES, code) for code in wanted}


def label_for(code: str, html_lang: str) -> str:
    """One recorded code's label (see labels_for), with or without a team."""
    return labels_for([code], html_lang)[code]


# --- The admin pages: hide and show, add, rename (each change in the admin audit) ---------


class UnknownDestination(ValueError):
    """A code that is not one of the team's destinations (or not one it may change)."""


def set_shown(team: Team, shown: Iterable[str], actor: StaffUser) -> dict[str, list[str]]:
    """Show exactly `shown` of the team's destinations, built-in and own ("other" is always
    shown); the rest are hidden. Returns what changed: the codes hidden, the codes shown
    again."""
    wanted = set(shown)
    changeable = [found.code for found in of_team(team.id, "fi") if found.code != OTHER]
    if not wanted <= set(changeable):
        raise UnknownDestination(", ".join(sorted(wanted - set(changeable))))
    rows = {row.code: row for row in _rows(team.id)}
    changes: dict[str, list[str]] = {Change.HIDDEN: [], Change.SHOWN: []}
    for code in changeable:
        row = rows.get(code)
        hide = code not in wanted
        if hide == (row is not None and row.hidden):
            continue
        changes[Change.HIDDEN if hide else Change.SHOWN].append(code)
        if row is None:
            db.session.add(TeamDestination(team_id=team.id, code=code, hidden=True))
        elif not hide and not OWN_CODE.fullmatch(code):
            db.session.delete(row)  # a built-in shown again needs no row
        else:
            row.hidden = hide
    changes = {kind: codes for kind, codes in changes.items() if codes}
    if changes:
        admin_audit.add(actor, admin_audit.Action.DESTINATIONS_CHANGED, team, changes)
    db.session.commit()
    return changes


def _names(name_fi: str, name_sv: str) -> tuple[str, str]:
    """The names as kept: one clean line each, within the column; Finnish is required."""
    fi, sv = (clean_text(name, multiline=False).strip()[:NAME_LIMIT].rstrip()
              for name in (name_fi, name_sv))
    if not fi:
        raise ValueError("an own destination needs a Finnish name")
    return fi, sv


def add_own(team: Team, name_fi: str, name_sv: str, actor: StaffUser) -> TeamDestination:
    """A destination of the team's own, after its others (shown to workers at once)."""
    fi, sv = _names(name_fi, name_sv)
    for _ in range(ADD_TRIES):
        number = max((_number(row.code) for row in _rows(team.id)), default=0) + 1
        row = TeamDestination(team_id=team.id, code=f"team-{team.id}-{number}",
                              name_fi=fi, name_sv=sv)
        db.session.add(row)
        admin_audit.add(actor, admin_audit.Action.DESTINATION_ADDED, team,
                        {Change.NAME_FI: fi, Change.NAME_SV: sv})
        try:
            db.session.commit()
        except IntegrityError:  # another admin added one at the same moment: count again
            db.session.rollback()
            continue
        return row
    raise RuntimeError("could not number the team's new destination")


def rename_own(team: Team, code: str, name_fi: str, name_sv: str,
               actor: StaffUser) -> dict[str, list[str]]:
    """New names for one of the team's own destinations; cases routed there show them."""
    fi, sv = _names(name_fi, name_sv)
    row = db.session.scalar(select(TeamDestination).where(
        TeamDestination.team_id == team.id, TeamDestination.code == code))
    if row is None or not OWN_CODE.fullmatch(code):
        raise UnknownDestination(code)
    changes = {change: [before, after] for change, before, after in (
        (Change.NAME_FI, row.name_fi, fi), (Change.NAME_SV, row.name_sv, sv)) if before != after}
    row.name_fi, row.name_sv = fi, sv
    if changes:
        admin_audit.add(actor, admin_audit.Action.DESTINATION_RENAMED, team, changes)
    db.session.commit()
    return changes
