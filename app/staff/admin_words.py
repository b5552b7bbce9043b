"""The admin audit in words: what each entry's action and changes mean, in the admin's
language. Stored as codes and values (app/people/admin_audit.py); said here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from app.casework.destinations import Change
from app.i18n import lazy_gettext as _l
from app.models import AdminAuditEntry
from app.people.admin_audit import Action

from .admin_forms import ROLE_LABELS

ACTION_LABELS = {
    # Translators: an entry in the admin audit (the list of changes to staff and teams).
    Action.STAFF_CREATED: _l("Staff member added"),
    # Translators: an entry in the admin audit: a staff member's role or teams changed.
    Action.STAFF_CHANGED: _l("Staff member changed"),
    # Translators: an entry in the admin audit: a one-time link for choosing a password and
    # adding the authenticator app was made.
    Action.SETUP_LINK_ISSUED: _l("Set-up link made"),
    # Translators: an entry in the admin audit: the staff member used their set-up link.
    Action.SETUP_COMPLETED: _l("Set-up completed"),
    # Translators: an entry in the admin audit: the staff member can no longer sign in.
    Action.STAFF_DEACTIVATED: _l("Staff member deactivated"),
    # Translators: an entry in the admin audit.
    Action.TEAM_CREATED: _l("Team added"),
    # Translators: an entry in the admin audit: a team's settings changed.
    Action.TEAM_CHANGED: _l("Team changed"),
    # Translators: an entry in the admin audit: some of a team's routing destinations (fi
    # "ohjaus", sv "hänvisning") were hidden from its workers or shown again.
    Action.DESTINATIONS_CHANGED: _l("Routing destinations changed"),
    # Translators: an entry in the admin audit: a team added a routing destination of its own.
    Action.DESTINATION_ADDED: _l("Routing destination added"),
    # Translators: an entry in the admin audit: a team's own routing destination got a new name.
    Action.DESTINATION_RENAMED: _l("Routing destination renamed"),
}

FIELD_LABELS = {
    "email": _l("E-mail address"),
    "title": _l("Job title (shown to clients)"),
    "role": _l("Role"),
    "teams": _l("Teams"),
    "ui_locale": _l("Language of their pages"),
    # Translators: in the admin audit: whether the staff member can sign in.
    "active": _l("Active"),
    # Translators: in the admin audit: how many open cases the person had when deactivated.
    "open_cases": _l("Open cases"),
    # Translators: in the admin audit: why a set-up link was made ("New account", "Reset").
    "reason": _l("Reason"),
    # Translators: in the admin audit: a team's short name, e.g. "jyvaskyla".
    "slug": _l("Short name"),
    "name": _l("Team name"),
    "phone": _l("Phone number"),
    "municipalities": _l("Municipalities it serves"),
    "contact_days": _l("Promised contact time (working days)"),
    "urgent_contact_days": _l("Promise for urgent cases (working days)"),
    "opening_hours": _l("Phone hours"),
    "notify_new_cases": _l("E-mail this address about every new case"),
    "intake_paused": _l("Pause intake"),
    "pause_message_fi": _l("Message to clients in Finnish (optional)"),
    "pause_message_sv": _l("Message to clients in Swedish (optional)"),
    "pause_phone": _l("Phone number while paused (optional)"),
    "email_team": _l("Notification address (optional)"),
    # Translators: in the admin audit: the routing destinations no longer offered to the team's
    # workers.
    Change.HIDDEN: _l("Hidden from workers"),
    # Translators: in the admin audit: the routing destinations offered to the team's workers
    # again.
    Change.SHOWN: _l("Shown again"),
    # Translators: in the admin audit: the Finnish name of a team's own routing destination.
    Change.NAME_FI: _l("Destination in Finnish"),
    # Translators: in the admin audit: the Swedish name of a team's own routing destination.
    Change.NAME_SV: _l("Destination in Swedish"),
}

REASON_LABELS = {
    # Translators: in the admin audit: the set-up link was for a new account.
    "new_account": _l("New account"),
    # Translators: in the admin audit: the set-up link reset the sign-in (password and
    # authenticator app).
    "reset": _l("Sign-in reset"),
}


# Settings whose value is itself a list: a change of them is a pair of lists.
LIST_VALUED = frozenset({"teams", "municipalities", Change.HIDDEN, Change.SHOWN})
# Changes that list routing destinations by their codes, said by their labels.
DESTINATION_LISTS = frozenset({Change.HIDDEN, Change.SHOWN})


def value_text(name: str, value: Any, labels: Mapping[str, str] | None = None) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value is None or value == "" or value == []:
        return "–"
    if name == "role":
        return str(ROLE_LABELS.get(value, value))
    if name == "reason":
        return str(REASON_LABELS.get(value, value))
    if isinstance(value, list) and name in DESTINATION_LISTS:
        return ", ".join((labels or {}).get(code, code) for code in value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def describe_changes(entry: AdminAuditEntry,
                     labels: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(what, how) of each change: "Role", "Worker → Team lead". `labels` names the routing
    destinations by their codes (the view looks them up: app/casework/destinations.py)."""
    rows = []
    for name, value in (entry.changes or {}).items():
        key = "email_team" if name == "email" and entry.target_kind == "team" else name
        what = str(FIELD_LABELS.get(key, name))
        if isinstance(value, list) and len(value) == 2 and (
                name not in LIST_VALUED or all(isinstance(part, list) for part in value)):
            how = f"{value_text(name, value[0])} → {value_text(name, value[1])}"
        else:
            how = value_text(name, value, labels)
        rows.append((what, how))
    return rows


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))  # type: ignore[call-overload]
