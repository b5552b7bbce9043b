"""A team's paused intake, as its clients see it (app/people/teams.py paused_team).

While a team has paused its intake, the contact request and the saate show the team's
pause message and phone number instead of sending, and keep everything typed (on the
page, in the draft). The notice shows as soon as the client's municipality is known:
on the contact page when it is sent, in the saate from the part after the contact
details. The crisis page's "send now" always sends: a person in crisis always gets
through.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import current_language
from app.people import teams


@dataclass(frozen=True)
class PauseNotice:
    message: str  # the team's own words in the page's language; may be empty
    phone: str


def pause_notice(municipality: str | None) -> PauseNotice | None:
    """The notice for the municipality's team if it has paused intake; else None."""
    team = teams.paused_team(municipality)
    if team is None:
        return None
    return PauseNotice(teams.pause_message(team, current_language().html_lang),
                       teams.pause_phone(team))
