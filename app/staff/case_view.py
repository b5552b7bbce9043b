"""One case: read it (logged), print it (logged), hand a saate over as FHIR (logged as a
disclosure), act on it (each action an event).

The page is built for the phone call: who the client is and how to reach them first,
then the actions beside the timeline, then the answers by their short staff labels (the
printed case keeps the client's full questions). Closing takes two steps: the reason on
the case page, then a confirmation page (/close/confirm) whose button closes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.casework import access_log, cases, destinations
from app.casework.case_terms import (
    CASE_CHANNELS,
    CLOSE_REASONS,
    EVENT_LABELS,
    KINDS,
    MOVED_ON_TO,
    SAW_DOCTOR,
    STATUSES,
    label,
)
from app.casework.followup import follow_up_days
from app.i18n import languages
from app.models import Case, CaseStatus, StaffUser
from app.people.teams import municipality_name
from app.reporting import fhir
from app.saate import follow_up as follow_up_questions
from app.saate.answers import AnswerRow, answer_text, form_rows
from app.saate.forms import select_choices
from app.saate.schema import NONE, SAATE, FormDescription, describe
from app.text import isolated

from . import bp, worker_language
from .forms import (
    ACTION_FORMS,
    OUTSIDE,
    SAW_DOCTOR_VALUES,
    CaseActionForm,
    CloseForm,
    ConfirmCloseForm,
)


def case_or_404(case_id: int) -> Case:
    case = cases.visible_case(current_user, case_id)
    if case is None:
        abort(404)  # Another team's case looks exactly like a missing one.
    return case


def action_forms(case: Case, posted: tuple[str, CaseActionForm] | None = None) -> dict:
    """Every action's form for the case; the one just posted keeps what was typed."""
    forms = {}
    for name, form_class in ACTION_FORMS.items():
        if posted and posted[0] == name:
            form = posted[1]
        else:
            form = form_class(formdata=None, version=case.version)
        forms[name] = form
    members = sorted((m for m in case.team.members if m.active), key=lambda m: m.name)
    forms["assign"].assignee.choices = select_choices(
        (m.id, f"{m.name}, {m.title}") for m in members)
    # Starts empty: nobody is named by accident.
    forms["contact-person"].staff_member.choices = select_choices([
        # Translators: the empty first option of the contact-person list (staff).
        ("", _("Choose the contact person")),
        *[(str(m.id), f"{m.name}, {m.title}") for m in members],
        (OUTSIDE, _("Someone outside the team")),
    ])
    # The destinations the case's team offers (none it has hidden), in the worker's language.
    forms["outcomes"].outcomes.choices = select_choices(
        (found.code, isolated(found.label) if found.own else found.label)
        for found in destinations.offered(case.team_id, worker_language()))
    forms["version"] = case.version
    return forms


def refusal_message(case: Case, refusal: cases.Refusal) -> str:
    """Why the action was refused, in the worker's words."""
    if refusal == cases.Refusal.ASSIGNED_BY_LEAD:
        # Translators: on the case page (staff) when a worker tries to claim a case that a team
        # lead gave to a colleague; %(name)s is that colleague's name.
        return _("A team lead has assigned this case to %(name)s. Only a team lead can give it "
                 "to someone else.", name=case.handler.name if case.handler else "")
    if refusal == cases.Refusal.LEADS_ONLY:
        return _("Only a team lead can do that.")
    if refusal == cases.Refusal.CLOSED:
        return _("This case is closed. A team lead can reopen it.")
    if refusal == cases.Refusal.NOT_CLOSED:
        return _("This case is already open.")
    if refusal == cases.Refusal.NO_CONTACT_PERSON:
        return no_contact_person_message()
    return _("That action is not possible for this case.")


def no_contact_person_message() -> str:
    # Translators: error message (staff) at the checkbox "No contact person is needed for this
    # client", when the worker routes or closes a case with no contact person named.
    return _("No contact person has been named for this client. Name one first, or tick the "
             "box to confirm that none is needed.")


def contact_preferences(form: FormDescription, answers: dict[str, Any]) -> list[tuple[str, str]]:
    """How the client wants to be reached, (label, text) each: the first thing the worker
    reads before calling."""
    asked = {question.code: question for question in form.questions()}
    rows = []
    if "contact_ways" in asked:
        ways = asked["contact_ways"]
        chosen = answers.get("contact_ways") or []
        if chosen:
            # Translators: label (staff) in the contact preferences at the top of a case: the
            # ways of contact the client allowed, e.g. "Phone call, Text message".
            rows.append((_("We may contact them by"), ", ".join(
                str(choice.label) for choice in ways.choices if choice.code in chosen)))
            refused = [str(choice.label) for choice in ways.choices if choice.code not in chosen]
            if refused:
                # Translators: label (staff) in the contact preferences at the top of a case:
                # the ways of contact the client did not allow, e.g. "Voicemail message".
                rows.append((_("Not by"), ", ".join(refused)))
        else:
            # Translators: label (staff) in the contact preferences at the top of a case; the
            # text after it says that the client did not answer.
            rows.append((_("Ways of contact"), _("Not answered")))
    # Translators: label (staff) in the contact preferences at the top of a case, e.g. "Morning".
    rows.append((_("Best time to call"),
                 answer_text(asked["best_time"], answers.get("best_time")) or _("Not answered")))
    # Translators: label (staff) in the contact preferences at the top of a case: the language
    # in which the client wants to be contacted, e.g. "Swedish".
    rows.append((_("Contact language"),
                 answer_text(asked["contact_language"], answers.get("contact_language"))
                 or _("Not answered")))
    if answers.get("interpreter") == "yes":
        # Translators: label (staff) in the contact preferences at the top of a case; the
        # language the client needs an interpreter for follows, or "Yes".
        rows.append((_("Interpreter"), answers.get("interpreter_language") or _("Yes")))
    return rows


def named_worker(answers: dict[str, Any]) -> str | None:
    """Whether the client already has a named worker elsewhere, and who: None if not asked."""
    if answers.get("named_worker") == "yes":
        # Translators: (staff) the client said they already have a named worker elsewhere but
        # did not say who.
        return answers.get("named_worker_who") or _("Yes, no details given")
    if answers.get("named_worker") == "no":
        return _("No")
    return None


@dataclass
class ConsentRow:
    actor: str
    share: str
    health: str


def consent_rows(case: Case, form: FormDescription) -> list[ConsentRow]:
    """Per network actor: may the saate be shared, and health information: "Yes", "No" or
    "Not answered" (a question left empty is not a "no": old cases too)."""
    if not case.consents:
        return []
    by_actor = {consent.actor: consent for consent in case.consents}
    share_answered = bool(case.answers.get("share_with"))
    health_answered = bool(case.answers.get("share_health_with"))
    rows = []
    for actor in form.question("share_with").choices:
        consent = by_actor.get(actor.code)
        if consent is None:
            continue
        if not share_answered:
            share = health = _("Not answered")
        else:
            share = _("Yes") if consent.share else _("No")
            if consent.share and not health_answered:
                health = _("Not answered")
            else:
                health = _("Yes") if consent.share_health else _("No")
        rows.append(ConsentRow(str(actor.label), share, health))
    return rows


def recorded_by(case: Case) -> StaffUser | None:
    """The worker who entered the case (a contact by another channel than the web)."""
    first = case.events[0] if case.events else None
    return first.actor if first is not None and first.kind == "recorded" else None


def saw_doctor_label(value: bool | None) -> str:
    """Case.saw_doctor (or a "closed" event's) in words: yes, no, not known."""
    code = next(code for code, kept in SAW_DOCTOR_VALUES.items() if kept is value)
    return label(SAW_DOCTOR, code)


@bp.app_template_filter("moved_on_label")
def moved_on_label(code: str) -> str:
    """Where the client moved on (a MOVED_ON_TO code) in words."""
    return label(MOVED_ON_TO, code)


@dataclass
class ClosingFacts:
    """What closing recorded beside the reason, for the closed case's page."""

    moved_on: list[str]
    saw_doctor: str
    follow_up_on: date | None


def closing_facts(case: Case) -> ClosingFacts | None:
    """For a closed case: where the client moved on and whether they saw a doctor (as its
    latest "closed" event says), and its follow-up day (None: none planned)."""
    if case.status != CaseStatus.CLOSED:
        return None
    closed = next((event for event in reversed(case.events) if event.kind == "closed"), None)
    said = closed.data if closed is not None else {}
    return ClosingFacts([moved_on_label(code) for code in said.get("codes", [])],
                        saw_doctor_label(case.saw_doctor),
                        case.follow_up.due_on if case.follow_up is not None else None)


def recorded_destinations(case: Case) -> dict[str, str]:
    """Code -> label of every destination the case's outcome and timeline name (a hidden
    one and another team's own too)."""
    recorded = list(case.outcomes.get("codes", []))
    for event in case.events:
        if event.kind == "outcomes_recorded":
            recorded += event.data.get("codes", [])
    labels = destinations.labels_for(recorded, worker_language())
    # A team's own destination is named as an admin typed it: isolated on the page.
    return {code: isolated(text) if destinations.OWN_CODE.fullmatch(code) else text
            for code, text in labels.items()}


# Where each field of the case page's close form is, for the error summary (a list by its
# first option).
CLOSE_ANCHORS = {"reason": "close-reason", "note": "close-note",
                 "moved_on_to": "close-moved_on_to-0", "saw_doctor": "close-saw_doctor-0",
                 "follow_up": "close-follow_up-0", "follow_up_on": "close-follow_up_on"}


def close_problems(form: CloseForm) -> list[tuple[str, str]]:
    """The close form's errors, linked to its fields on the case page."""
    return [(f"#{anchor}", field.errors[0]) for name, anchor in CLOSE_ANCHORS.items()
            if (field := form[name]).errors]


def render_case(case: Case, posted: tuple[str, CaseActionForm] | None = None,
                conflict: bool = False, template: str = "staff/case.html",
                refusal: str | None = None) -> str:
    form = describe(case.kind)
    printed = template == "staff/case_print.html"
    return render_template(
        template,
        case=case,
        form_def=form,
        # The case page names each answer by its short staff label; the print, in full.
        answer_rows=form_rows(form, case.answers, lambda source, code: municipality_name(code),
                              short_labels=not printed),
        recorded_by=recorded_by(case),
        flags=[flag for flag in form.flags if flag.code in case.flags.get("codes", [])],
        client_language=languages()[case.language].name if case.language in languages()
        else case.language,
        contact_preferences=contact_preferences(form, case.answers),
        named_worker=named_worker(case.answers),
        consent_rows=consent_rows(case, form),
        no_sharing=case.answers.get("share_with") == [NONE],
        forms=action_forms(case, posted),
        conflict=conflict,
        refusal=refusal,
        posted_action=posted[0] if posted else None,
        may_assign=cases.is_lead(current_user),
        may_claim=cases.may_claim(case, current_user) and case.handler_id != current_user.id,
        may_reopen=cases.may_reopen(case, current_user),
        close_problems=close_problems(posted[1]) if posted and posted[0] == "close"
        and isinstance(posted[1], CloseForm) else [],
        destination_labels=recorded_destinations(case),
        closing=closing_facts(case),
        saw_doctor_label=saw_doctor_label,
        terms={"statuses": STATUSES, "reasons": CLOSE_REASONS, "moved_on": MOVED_ON_TO,
               "kinds": KINDS, "events": EVENT_LABELS, "channels": CASE_CHANNELS},
        label=label,
        follow_up=case.follow_up,
        follow_up_rows=follow_up_rows(case),
    )


def follow_up_rows(case: Case) -> list[AnswerRow]:
    """An answered follow-up's answers; the client's comment for team leads only."""
    follow_up = case.follow_up
    if follow_up is None or follow_up.answered_at is None:
        return []
    return follow_up_questions.answer_rows(follow_up, case.codes,
                                           with_comment=cases.is_lead(current_user))


@bp.get("/cases/<id:case_id>")
def case(case_id: int) -> str:
    found = case_or_404(case_id)
    access_log.record(current_user, access_log.Action.VIEW, found.id)
    return render_case(found)


@bp.get("/cases/<id:case_id>/print")
def case_print(case_id: int) -> str:
    found = case_or_404(case_id)
    access_log.record(current_user, access_log.Action.PRINT, found.id)
    return render_case(found, template="staff/case_print.html")


@bp.get("/cases/<id:case_id>/fhir")
def case_fhir(case_id: int) -> Response:
    """The saate's answers as a FHIR QuestionnaireResponse file; a contact request has none."""
    found = case_or_404(case_id)
    if found.kind != SAATE.kind:
        abort(404)
    publication = fhir.saate_publication()
    document = fhir.as_json(fhir.questionnaire_response(publication, found))
    access_log.record(current_user, access_log.Action.DISCLOSURE, found.id,
                      f"FHIR QuestionnaireResponse; questionnaire version "
                      f"{fhir.version(publication)}")
    return Response(document, mimetype=fhir.MEDIA_TYPE, headers={
        "Content-Disposition":
            f"attachment; filename=saate-{found.display_reference}.fhir.json",
        "Cache-Control": "no-store"})


def run_action(name: str, case: Case, form: CaseActionForm) -> None:
    version = form.version.data
    data = form.data
    waived = bool(data.get("no_contact_person_needed"))
    actions: dict[str, Callable[[], None]] = {
        "claim": lambda: cases.claim(case, current_user, version),
        "assign": lambda: cases.assign(case, current_user, version, data["assignee"],
                                       data["reason"] or ""),
        "status": lambda: cases.set_status(case, current_user, version, data["status"],
                                           no_contact_person_needed=waived),
        "contact-attempt": lambda: cases.log_contact_attempt(
            case, current_user, version, data["channel"], data["reached"] == "yes",
            data["note"] or ""),
        "note": lambda: cases.add_note(case, current_user, version, data["text"]),
        "outcomes": lambda: cases.record_outcomes(case, current_user, version,
                                                  data["outcomes"], data["detail"] or "",
                                                  no_contact_person_needed=waived),
        "contact-person": lambda: cases.name_contact_person(
            case, current_user, version, contact_person(data)),
        "close": lambda: cases.close(case, current_user, version, data["reason"],
                                     data["note"] or "", no_contact_person_needed=waived,
                                     closing=form.closing()),  # type: ignore[attr-defined]
        "reopen": lambda: cases.reopen(case, current_user, version, data["status"]),
        "next-step": lambda: cases.set_next_step(case, current_user, version,
                                                 data["next_step"] or "", data["next_step_date"]),
    }
    actions[name]()


def contact_person(data: dict) -> cases.ContactPerson:
    """The contact-person form's answer: a member of the team, or someone outside it."""
    reachable = {"phone": data["phone"] or "", "phone_shareable": bool(data["phone_shareable"])}
    if data["staff_member"] == OUTSIDE:
        return cases.ContactPerson(name=data["name"] or "", title=data["title"] or "",
                                   organisation=data["organisation"] or "", **reachable)
    return cases.ContactPerson(staff_id=int(data["staff_member"]), **reachable)


@bp.post("/cases/<id:case_id>/<action>")
def case_action(case_id: int, action: str) -> str | Response | tuple[str, int]:
    if action not in ACTION_FORMS:
        abort(404)
    found = case_or_404(case_id)
    posted = ACTION_FORMS[action]()
    # Choices depend on the team; fill them in before validating.
    forms = action_forms(found, (action, posted))
    if not forms[action].validate():
        return render_case(found, (action, posted)), 400
    if isinstance(posted, ConfirmCloseForm) and not posted.confirmed.data:
        # Only the confirmation page's button closes: a close from anywhere else is asked again.
        return render_close_confirmation(found, posted, unconfirmed=True), 400
    try:
        run_action(action, found, posted)
    except cases.Conflict:
        cases.refresh(found)
        return render_case(found, (action, posted), conflict=True), 409
    except cases.NotAllowed as refused:
        return refused_action(found, action, posted, refused.refusal)
    # Translators: short message (staff) at the top of the case page after an action was saved.
    flash(_("Saved."))
    return redirect(url_for("staff.case", case_id=found.id))


def refused_action(case: Case, action: str, posted: CaseActionForm,
                   refusal: cases.Refusal) -> tuple[str, int]:
    """The page again with why: at the checkbox when the worker is asked to confirm that no
    contact person is needed, else at the top of the case page."""
    if refusal == cases.Refusal.NO_CONTACT_PERSON and "no_contact_person_needed" in posted:
        posted["no_contact_person_needed"].errors = [no_contact_person_message()]
        if isinstance(posted, ConfirmCloseForm):
            return render_close_confirmation(case, posted), 400
        return render_case(case, (action, posted)), 400
    return render_case(case, (action, posted), refusal=refusal_message(case, refusal)), 400


@bp.app_template_global("follow_up_days")
def follow_up_days_from_today() -> tuple[date, date]:
    """The first and last day a follow-up may be set for today (the close form's date)."""
    return follow_up_days(cases.local_today())


# The confirmation page's second button: back to the case page's close form, filled in.
CHANGE_BUTTON = "change"


@bp.post("/cases/<id:case_id>/close/confirm")
def close_confirm(case_id: int) -> str | tuple[str, int]:
    """Closing, second step: what the worker chose on the case page, to confirm (or to
    change, back on the case page with everything kept)."""
    found = case_or_404(case_id)
    posted = CloseForm()
    if not posted.validate():
        return render_case(found, ("close", posted)), 400
    if found.status == "closed":
        return render_case(found, ("close", posted),
                           refusal=refusal_message(found, cases.Refusal.CLOSED)), 400
    if CHANGE_BUTTON in request.form:
        return render_case(found, ("close", posted))
    confirming = ConfirmCloseForm(
        formdata=None, version=posted.version.data, reason=posted.reason.data,
        note=posted.note.data, moved_on_to=posted.moved_on_to.data,
        saw_doctor=posted.saw_doctor.data, follow_up=posted.follow_up.data,
        follow_up_on=posted.follow_up_on.data)
    return render_close_confirmation(found, confirming)


def render_close_confirmation(case: Case, form: ConfirmCloseForm,
                              unconfirmed: bool = False) -> str:
    """What closing will save, each answer kept in the form to send (or to change)."""
    checkbox = form.no_contact_person_needed
    return render_template(
        "staff/close_confirm.html", case=case, form=form,
        reason=label(CLOSE_REASONS, form.reason.data),
        moved_on=[label(MOVED_ON_TO, code) for code in form.moved_on_to.data or []],
        saw_doctor=label(SAW_DOCTOR, form.saw_doctor.data),
        follow_up_on=form.follow_up_day(), change_button=CHANGE_BUTTON,
        unconfirmed=unconfirmed,
        problems=[(f"#{checkbox.id}", error) for error in checkbox.errors])
