"""The words of case work (service.md): statuses, close reasons, triage outcomes, channels.

Codes are stored; labels are lazy gettext in the worker's language.
"""

from __future__ import annotations

from app.i18n import lazy_gettext as _l
from app.i18n import lazy_pgettext as _lp
from app.saate import follow_up
from app.saate.schema import Choice

STATUSES = (
    # Translators: case status on the staff side: nobody has claimed the case yet.
    Choice("new", _lp("case status", "New")),
    # Translators: case status on the staff side: a worker has taken the case and is handling it.
    Choice("in_progress", _lp("case status", "In progress")),
    Choice("waiting_for_client", _lp("case status", "Waiting for the client")),
    # Translators: case status on the staff side: the client has been guided to another service.
    Choice("routed", _lp("case status", "Routed onward")),
    # Translators: case status on the staff side: the work on the case has ended.
    Choice("closed", _lp("case status", "Closed")),
)

CLOSE_REASONS = (
    # Translators: close reason, chosen by staff: the client needed only advice.
    Choice("advice_enough", _l("Advice was enough")),
    # Translators: close reason, chosen by staff: the client was sent on to one or more services.
    Choice("routed", _l("Routed to service(s)")),
    # Translators: close reason, chosen by staff: the client no longer wanted help (past tense).
    Choice("client_withdrew", _l("Client withdrew")),
    Choice("not_reached", _l("Could not be reached")),
    # Translators: close reason, chosen by staff: the client had already sent the same request.
    Choice("duplicate", _l("Duplicate")),
    # Translators: close reason, when none of the others fits.
    Choice("other", _lp("close reason", "Other")),
)

OUTCOMES = (
    Choice("advice", _l("Advice and guidance only")),
    # Translators: triage outcome, a checkbox for staff: the client was guided to self-care.
    Choice("self_care", _l("Self-care services")),
    # Translators: triage outcome, a checkbox for staff: a health check for people of working age.
    Choice("health_check", _l("Working-age health check")),
    Choice("team_reception", _l("Multi-professional reception of the work-ability support team")),
    # Translators: triage outcome, a checkbox for staff: routed to the work-ability coordinator
    # (työkykykoordinaattori).
    Choice("work_ability_coordinator", _l("Work-ability coordinator")),
    # Translators: triage outcome, a checkbox for staff: a doctor assesses the work ability.
    Choice("doctor_assessment", _l("Doctor's work-ability assessment")),
    Choice("social_work", _l("Social work or social counselling")),
    Choice("mental_health_substance", _l("Mental-health and substance-use services")),
    # Translators: triage outcome, a checkbox for staff. Kela is Finland's social insurance
    # institution; keep the name.
    Choice("kela", _l("Kela (rehabilitation, benefits)")),
    Choice("employment_services", _l("TE services or municipal employment services")),
    # Translators: triage outcome, a checkbox for staff. TYP is työllistymistä edistävä
    # monialainen yhteispalvelu; keep the abbreviation. (The stored code stays "tym".)
    Choice("tym", _l("TYP, multi-sector joint service")),
    # Translators: triage outcome, a checkbox for staff. IPS = Individual Placement and Support, a
    # job coaching model; keep the abbreviation.
    Choice("ips_coaching", _l("Job coaching (IPS)")),
    # Translators: triage outcome, a checkbox for staff: the municipality's or county's services
    # for disabled people (vammaispalvelut).
    Choice("disability_services", _l("Disability services")),
    # Translators: triage outcome, a checkbox for staff: social rehabilitation (sosiaalinen
    # kuntoutus), a social-welfare service.
    Choice("social_rehabilitation", _l("Social rehabilitation")),
    # Translators: triage outcome, a checkbox for staff. Kela is Finland's social insurance
    # institution; keep the name.
    Choice("kela_rehabilitation", _l("Kela vocational or medical rehabilitation")),
    # Translators: triage outcome, a checkbox for staff: kuntoutuspsykoterapia (Kela).
    Choice("rehabilitation_psychotherapy", _l("Rehabilitation psychotherapy")),
    # Translators: triage outcome, a checkbox for staff: a work trial (työkokeilu).
    Choice("work_trial", _l("Work trial")),
    # Translators: triage outcome, a checkbox for staff: an assessment for a disability pension
    # (eläkeselvittely).
    Choice("pension_assessment", _l("Pension assessment")),
    # Translators: triage outcome, a checkbox for staff. Ohjaamo is the one-stop guidance centre
    # for young people; keep the name.
    Choice("ohjaamo", _l("Ohjaamo (under 30)")),
    # Translators: triage outcome, a checkbox for staff: elintapaohjaus (lifestyle counselling on
    # exercise, food, sleep).
    Choice("lifestyle_coaching", _l("Lifestyle coaching")),
    # Translators: triage outcome, a checkbox for staff: a specialist team, e.g. a psychiatric or
    # rehabilitation consultation team (erityistyöryhmä).
    Choice("specialist_team", _l("Specialist team")),
    Choice("organisations", _l("Organisations or third sector")),
    # Translators: triage outcome, a checkbox for staff: the client's occupational health care
    # (työterveyshuolto).
    Choice("occupational_health", _l("Occupational health care")),
    # Translators: triage outcome, described in the free-text detail.
    Choice("other", _lp("outcome", "Other")),
)

# Where the client moved on (jatkopolku), recorded at closing; several may apply.
MOVED_ON_TO = (
    # Translators: where the client moved on, a checkbox for staff when closing a case.
    Choice("studies", _lp("moved on", "Studies")),
    # Translators: where the client moved on, a checkbox for staff when closing a case.
    Choice("vocational_rehabilitation", _l("Vocational rehabilitation (Kela or other)")),
    # Translators: where the client moved on, a checkbox for staff when closing a case.
    Choice("medical_rehabilitation", _l("Medical rehabilitation")),
    # Translators: where the client moved on, a checkbox for staff when closing a case:
    # kuntoutuspsykoterapia.
    Choice("rehabilitation_psychotherapy", _lp("moved on", "Rehabilitation psychotherapy")),
    # Translators: where the client moved on, a checkbox for staff when closing a case:
    # työkyvyttömyyseläkkeen selvittely.
    Choice("pension_assessment", _l("Disability pension assessment")),
    # Translators: where the client moved on, a checkbox for staff when closing a case.
    Choice("paid_work", _l("Paid work (open labour market or supported)")),
    # Translators: where the client moved on, a checkbox for staff when closing a case:
    # työkokeilu.
    Choice("work_trial", _lp("moved on", "Work trial")),
    # Translators: where the client moved on, a checkbox for staff when closing a case:
    # kuntouttava työtoiminta.
    Choice("rehabilitative_work", _lp("moved on", "Rehabilitative work activity")),
    # Translators: where the client moved on, a checkbox for staff when closing a case.
    Choice("social_health_services", _l("Continuing in social or health services")),
    # Translators: where the client moved on, a checkbox for staff when closing a case.
    Choice("employment_services", _lp("moved on", "Employment services")),
    # Translators: where the client moved on, a checkbox for staff when closing a case: the
    # client has not moved on anywhere yet.
    Choice("nothing_yet", _l("Nothing yet")),
    # Translators: where the client moved on, a checkbox for staff when closing a case: the client
    # stopped coming (keskeytti).
    Choice("dropped_out", _l("Dropped out")),
    # Translators: where the client moved on, a checkbox for staff when closing a case: the worker
    # does not know.
    Choice("unknown", _lp("moved on", "Not known")),
)
# "Not known" goes alone: it cannot be said beside somewhere the client did move on.
NOT_KNOWN = "unknown"
# Moved on "somewhere" in the regional reports' sense: studies, rehabilitation, pension or work.
MOVED_ON_SOMEWHERE = frozenset({
    "studies", "vocational_rehabilitation", "medical_rehabilitation",
    "rehabilitation_psychotherapy", "pension_assessment", "paid_work", "work_trial",
})
# The answers "did the client see a doctor about their work ability" at closing (Case.saw_doctor).
SAW_DOCTOR = (
    # Translators: whether the client saw a doctor about their work ability (staff, at closing).
    Choice("yes", _lp("saw doctor", "Yes")),
    # Translators: whether the client saw a doctor about their work ability (staff, at closing).
    Choice("no", _lp("saw doctor", "No")),
    # Translators: whether the client saw a doctor about their work ability: the worker does
    # not know.
    Choice("unknown", _lp("saw doctor", "Not known")),
)

# The follow-up's first question, "did you get the help you needed" (FollowUp.got_help):
# the client's answers, described with the follow-up's questions.
GOT_HELP = follow_up.GOT_HELP

CHANNELS = (
    # Translators: how staff tried to reach the client: option of the "How" list, shown in the
    # case timeline.
    Choice("phone", _l("Phone call")),
    # Translators: how staff tried to contact the client: an SMS sent to the client's phone.
    Choice("sms", _l("Text message")),
    # Translators: how staff tried to contact the client: an e-mail message (noun).
    Choice("email", _l("E-mail")),
    # Translators: how staff tried to contact the client: a letter sent by post.
    Choice("letter", _l("Letter")),
    # Translators: how staff tried to contact the client: meeting the client in person.
    Choice("meeting", _l("Meeting")),
)

# How a case came in (Case.channel); glossary.md's channel terms. "web" is the client's own
# form; the others a worker records (app/staff/new_case.py).
CASE_CHANNELS = (
    # Translators: how a case came in (staff): the client sent it through this service's web
    # form (a contact request or the saate).
    Choice("web", _lp("case channel", "Web form")),
    # Translators: how a case came in (staff): the client phoned (fi "puhelu").
    Choice("phone", _lp("case channel", "Phone call")),
    # Translators: how a case came in (staff): the client came in person (fi "käynti").
    Choice("walk_in", _lp("case channel", "Walk-in visit")),
    # Translators: how a case came in (staff): an electronic message, e.g. through the county's
    # e-services (fi "sähköinen yhteydenotto").
    Choice("e_contact", _lp("case channel", "E-contact")),
    # Translators: how a case came in (staff): another professional referred the client or
    # consulted the team (fi "ammattilaisen ohjaus tai konsultaatio").
    Choice("referral", _lp("case channel", "Professional's referral or consultation")),
)
# The channels a worker records a contact by (everything but the web form).
RECORDED_CHANNELS = tuple(choice for choice in CASE_CHANNELS if choice.code != "web")

KINDS = (
    # Translators: a kind of case in the staff queue: the client's short request to be contacted.
    Choice("contact_request", _l("Contact request")),
    # Translators: the saate form as a kind of case in the queue.
    Choice("saate", _lp("case kind", "Saate")),
)

EVENT_LABELS = {
    "sent": _l("Sent by the client"),
    # Translators: event in the case timeline (staff): a worker entered a contact that came by
    # phone, in person, electronically or from another professional (past participle); the
    # worker's name and the channel follow.
    "recorded": _l("Recorded by staff"),
    # Translators: event in the case timeline (staff): a worker took the case (past participle).
    "claimed": _l("Claimed"),
    # Translators: event in the case timeline (staff): the case was given to a worker; the
    # worker's name is shown below it.
    "assigned": _l("Assigned"),
    # Translators: event in the case timeline (staff): the case lost its handler (their account
    # was deactivated) and waits in the team's queue again.
    "unassigned": _l("Back in the queue"),
    # Translators: event in the case timeline (staff); the old and new status are shown below it.
    "status_changed": _l("Status changed"),
    # Translators: event in the case timeline (staff), a noun: a worker tried to reach the client.
    # Below it e.g. "Phone call: not reached".
    "contact_attempt": _l("Contact attempt"),
    # Translators: a note that only staff see, never the client. Event in the case timeline and
    # label of the note field.
    "note": _l("Internal note"),
    # Translators: event in the case timeline (staff): a worker saved where the client was routed.
    "outcomes_recorded": _l("Triage outcome recorded"),
    # Translators: event in the case timeline (staff): the client's contact person was chosen.
    "contact_person_named": _l("Contact person named"),
    # Translators: event in the case timeline (staff): the case was closed (past participle).
    "closed": _l("Closed"),
    # Translators: event in the case timeline (staff): the client's follow-up answers came in,
    # or a worker entered them from a phone call (past participle).
    "follow_up_answered": _l("Follow-up answered"),
    # Translators: event in the case timeline (staff): a team lead opened the closed case again
    # (past participle); the old close reason and the new status are shown below it.
    "reopened": _l("Reopened"),
    # Translators: event in the case timeline (staff): the worker wrote or changed the next planned
    # step and its date (past participle); the step and date are shown below it.
    "next_step_set": _l("Next step set"),
}


def label(choices: tuple[Choice, ...], code: str | None) -> str:
    for choice in choices:
        if choice.code == code:
            return str(choice.label)
    return code or ""


def codes(choices: tuple[Choice, ...]) -> set[str]:
    return {choice.code for choice in choices}
