"""The words of case work (service.md): statuses, close reasons, triage outcomes.

Codes are stored; labels are lazy gettext in the worker's language.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from app.saate.schema import Choice

STATUSES = (
    # Translators: case status on the staff side: nobody has claimed the case yet.
    Choice("new", _lp("case status", "New")),
    Choice("in_progress", _lp("case status", "In progress")),
    Choice("waiting_for_client", _lp("case status", "Waiting for the client")),
    Choice("routed", _lp("case status", "Routed onward")),
    Choice("closed", _lp("case status", "Closed")),
)

CLOSE_REASONS = (
    Choice("advice_enough", _l("Advice was enough")),
    Choice("routed", _l("Routed to service(s)")),
    Choice("client_withdrew", _l("Client withdrew")),
    Choice("not_reached", _l("Could not be reached")),
    Choice("duplicate", _l("Duplicate")),
    # Translators: close reason, when none of the others fits.
    Choice("other", _lp("close reason", "Other")),
)

OUTCOMES = (
    Choice("advice", _l("Advice and guidance only")),
    Choice("self_care", _l("Self-care services")),
    Choice("health_check", _l("Working-age health check")),
    Choice("team_reception", _l("Multi-professional reception of the work-ability support team")),
    Choice("work_ability_coordinator", _l("Work-ability coordinator")),
    Choice("doctor_assessment", _l("Doctor's work-ability assessment")),
    Choice("social_work", _l("Social work or social counselling")),
    Choice("mental_health_substance", _l("Mental-health and substance-use services")),
    Choice("kela", _l("Kela (rehabilitation, benefits)")),
    Choice("employment_services", _l("TE services or municipal employment services")),
    Choice("tym", _l("TYM, multi-sector joint service")),
    Choice("ips_coaching", _l("Job coaching (IPS)")),
    Choice("organisations", _l("Organisations or third sector")),
    Choice("occupational_health", _l("Occupational health care")),
    # Translators: triage outcome, described in the free-text detail.
    Choice("other", _lp("outcome", "Other")),
)

CHANNELS = (
    Choice("phone", _l("Phone call")),
    Choice("sms", _l("Text message")),
    Choice("email", _l("E-mail")),
    Choice("letter", _l("Letter")),
    Choice("meeting", _l("Meeting")),
)

KINDS = (
    Choice("contact_request", _l("Contact request")),
    # Translators: the saate form as a kind of case in the queue.
    Choice("saate", _lp("case kind", "Saate")),
)

EVENT_LABELS = {
    "sent": _l("Sent by the client"),
    "claimed": _l("Claimed"),
    "assigned": _l("Assigned"),
    "status_changed": _l("Status changed"),
    "contact_attempt": _l("Contact attempt"),
    "note": _l("Internal note"),
    "outcomes_recorded": _l("Triage outcome recorded"),
    "contact_person_named": _l("Contact person named"),
    "closed": _l("Closed"),
}


def label(choices: tuple[Choice, ...], code: str | None) -> str:
    for choice in choices:
        if choice.code == code:
            return str(choice.label)
    return code or ""


def codes(choices: tuple[Choice, ...]) -> set[str]:
    return {choice.code for choice in choices}
