"""The case workflow: the only writer of case state.

Every case starts here, whatever channel it came by: a client's contact request
or saate from the web (create_case), or a contact a worker records from a phone
call, a walk-in, an e-contact or a professional's referral (record_contact,
record_saate). All of them take the same path into one table with a channel, and
creating is idempotent per submission key; every later change is an event on the
case's timeline.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.casework import access_log, destinations, notify
from app.casework.case_terms import (
    CHANNELS,
    CLOSE_REASONS,
    GOT_HELP,
    MOVED_ON_TO,
    NOT_KNOWN,
    RECORDED_CHANNELS,
    STATUSES,
    codes,
)
from app.casework.followup import follow_up_days
from app.casework.profile import fill_profile
from app.database import utcnow
from app.extensions import db
from app.models import (
    NEXT_STEP_LENGTH,
    Case,
    CaseChannel,
    CaseCode,
    CaseConsent,
    CaseEvent,
    CaseStatus,
    CodeKind,
    FollowUp,
    StaffRole,
    StaffUser,
    Team,
)
from app.people.teams import OTHER_MUNICIPALITY, team_for_municipality
from app.saate.schema import (
    CONTACT_REQUEST,
    NETWORK_ACTORS,
    SAATE,
    AtLeastOne,
    FormDescription,
)
from app.tokens import derived_token, random_code, token_hash
from app.workdays import add_working_days

REFERENCE_LENGTH = 8
HELSINKI = ZoneInfo("Europe/Helsinki")
STATUS_TOKEN_PURPOSE = "status"  # noqa: S105  (a label, not a secret)
# The flag (app/saate/schema.py) that makes a case urgent: the client said they are in a crisis.
URGENT = "urgent"
# What derived_token gives: 43 lower-case hex digits.
STATUS_TOKEN_SHAPE = re.compile(r"[0-9a-f]{43}")


def local_today(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(HELSINKI).date()


def status_token(case: Case) -> str:
    """The secret of the client's status link; the same for every resend."""
    return derived_token(STATUS_TOKEN_PURPOSE, case.submission_key)


def find_by_submission_key(key: str) -> Case | None:
    return db.session.scalar(select(Case).where(Case.submission_key == key))


def find_by_status_token(token: str) -> Case | None:
    """The case of a status link; anything not shaped like a token is not looked up."""
    if not STATUS_TOKEN_SHAPE.fullmatch(token):
        return None
    return db.session.scalar(select(Case).where(Case.status_token_hash == token_hash(token)))


@dataclass(frozen=True)
class Intake:
    """How a case came in: by the web (sent by the client), or recorded by a worker."""

    channel: str = CaseChannel.WEB
    recorded_by: StaffUser | None = None
    # The worker judged it urgent (a client's crisis answer makes a case urgent anyway).
    urgent: bool = False
    referrer_organisation: str = ""
    referrer_name: str = ""


WEB = Intake()


def create_case(
    form: FormDescription, language: str, answers: dict[str, Any], submission_key: str,
    intake: Intake = WEB,
) -> Case:
    """Create the case once per submission key; a resend returns the same case.

    One path for every channel: the reference, status token, promised date, the first
    event ("sent" by the client, or "recorded" by the worker, who is then logged).
    """
    existing = find_by_submission_key(submission_key)
    if existing is not None:
        return existing
    answers = kept_answers(form, answers)
    # A saate sent at once from the crisis page may not have a municipality yet.
    municipality = answers.get("municipality") or OTHER_MUNICIPALITY
    team = team_for_municipality(municipality)
    flags = form.flags_for(answers)
    urgent = URGENT in flags or intake.urgent
    now = utcnow()
    case = Case(
        kind=form.kind, channel=intake.channel, status=CaseStatus.NEW, language=language,
        municipality_code=municipality, team_id=team.id,
        urgent=urgent, flags={"codes": flags}, answers=answers,
        referrer_organisation=intake.referrer_organisation or None,
        referrer_name=intake.referrer_name or None,
        reference=_unused_reference(), submission_key=submission_key,
        status_token_hash=token_hash(derived_token(STATUS_TOKEN_PURPOSE, submission_key)),
        promised_contact_date=promised_date(team, urgent, local_today(now)),
        created_at=now, updated_at=now,
    )
    if any(question.code == "share_with" for question in form.questions()):
        case.consents = consents_from(answers)
    fill_profile(case, answers, local_today(now))
    actor = intake.recorded_by
    if actor is None:
        case.events = [CaseEvent(kind="sent", at=now, data={"kind": form.kind})]
    else:
        case.events = [CaseEvent(kind="recorded", at=now, actor_id=actor.id,
                                 data={"kind": form.kind, "channel": intake.channel})]
    db.session.add(case)
    try:
        if actor is not None:
            db.session.flush()  # the case's id, for the access log
            access_log.add(actor, access_log.Action.CHANGE, case.id, "recorded")
        db.session.commit()
    except IntegrityError:
        # A double click raced us to the same submission key: use the case it made.
        db.session.rollback()
        existing = find_by_submission_key(submission_key)
        if existing is None:
            raise
        return existing
    notify.notify_new_case(case)
    return case


def promised_date(team: Team, urgent: bool, sent_on: date) -> date:
    """The day we promise to contact the client by: the team's urgent promise
    (by default the next working day) for urgent cases, else its usual one."""
    days = team.urgent_contact_days if urgent else team.contact_days
    return add_working_days(sent_on, days)


def kept_answers(form: FormDescription, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers worth keeping: known questions that apply, empty ones left out."""
    kept = {}
    for question in form.questions():
        value = answers.get(question.code)
        if value in (None, "", [], False) or not question.applies(answers):
            continue
        kept[question.code] = value
    return kept


def consents_from(answers: dict[str, Any]) -> list[CaseConsent]:
    """One row per network actor: shared or not, health information or not."""
    shared = set(answers.get("share_with") or [])
    health = set(answers.get("share_health_with") or []) & shared
    return [
        CaseConsent(actor=actor.code, share=actor.code in shared,
                    share_health=actor.code in health)
        for actor in NETWORK_ACTORS
    ]


def _unused_reference() -> str:
    while True:
        reference = random_code(REFERENCE_LENGTH)
        if db.session.scalar(select(Case.id).where(Case.reference == reference)) is None:
            return reference


# --- Contacts a worker records: a phone call, a walk-in, an e-contact, a referral ---
#
# The same path as the web: create_case, with the worker as the actor of the first
# event ("recorded") and in the access log. The case goes to the team of the client's
# municipality, which must be one of the worker's own teams.

# Keeps a staff form's one-time keys apart from the web's (drafts' ids, contact form keys).
STAFF_KEY_PREFIX = "staff:"
# The languages a worker records a contact in: the client's contact language.
CONTACT_LANGUAGES = ("fi", "sv")
REFERRER_LIMIT = 200


@dataclass(frozen=True)
class Recording:
    """What the worker says about a contact they record: how it came in, who referred the
    client (for a referral), and whether it is urgent."""

    channel: str
    urgent: bool = False
    referrer_organisation: str = ""
    referrer_name: str = ""


def recordable_municipalities(user: StaffUser) -> list[str]:
    """The municipalities a worker may record a contact for: those of their own teams, and
    "other" when one of their teams is the default team (which gets those cases)."""
    codes_ = [m.code for team in user.teams for m in team.municipalities]
    if any(team.is_default for team in user.teams):
        codes_.append(OTHER_MUNICIPALITY)
    return codes_


def record_contact(actor: StaffUser, recording: Recording, answers: dict[str, Any],
                   form_key: str) -> Case:
    """A contact request a worker enters for the client: the contact request's answers
    (name, phone, e-mail, municipality, contact language, what it is about)."""
    return _record(CONTACT_REQUEST, actor, recording, answers, form_key)


def record_saate(actor: StaffUser, recording: Recording, answers: dict[str, Any],
                 form_key: str) -> Case:
    """The saate, filled in by a worker on the client's behalf (during a call or a visit)."""
    return _record(SAATE, actor, recording, answers, form_key)


def _record(form: FormDescription, actor: StaffUser, recording: Recording,
            answers: dict[str, Any], form_key: str) -> Case:
    key = STAFF_KEY_PREFIX + form_key
    existing = find_by_submission_key(key)
    if existing is not None:  # the same form sent twice
        if visible_case(actor, existing.id) is None:
            raise NotAllowed(Refusal.OTHER_TEAM)
        return existing
    if answers.get("municipality") not in recordable_municipalities(actor):
        raise NotAllowed(Refusal.OTHER_TEAM)
    referrer = (recording.referrer_organisation.strip()[:REFERRER_LIMIT],
                recording.referrer_name.strip()[:REFERRER_LIMIT])
    if (recording.channel not in codes(RECORDED_CHANNELS)
            or answers.get("contact_language") not in CONTACT_LANGUAGES
            or not complete(form, answers)
            or (recording.channel == CaseChannel.REFERRAL and not all(referrer))):
        raise NotAllowed
    if recording.channel != CaseChannel.REFERRAL:
        referrer = ("", "")
    intake = Intake(channel=recording.channel, recorded_by=actor, urgent=recording.urgent,
                    referrer_organisation=referrer[0], referrer_name=referrer[1])
    return create_case(form, answers["contact_language"], answers, key, intake)


def complete(form: FormDescription, answers: dict[str, Any]) -> bool:
    """Every required question that applies is answered, and every "at least one of"."""
    for step in form.steps:
        for question in step.questions:
            if question.required and question.applies(answers) and not answers.get(question.code):
                return False
        if any(isinstance(rule, AtLeastOne) and rule.broken(answers) for rule in step.rules):
            return False
    return True


# --- Staff actions: each one an event on the timeline and a "change" in the access log ---
#
# The rules (docs/SERVICE.md, "Who may do what"):
# - Every action names the case version it was made on; if someone else changed
#   the case since, the action is a Conflict and nothing is saved.
# - A worker may claim a case nobody handles, or take over one a colleague
#   claimed; a case a lead assigned to someone stays with them: only a lead (or an
#   admin) may give it to someone else, by assigning or claiming.
# - Only leads and admins assign, and only to active members of the case's team.
# - A closed case does not change hands or status; a lead (or an admin) reopens
#   it first. Notes, contact attempts, outcomes and the contact person may still
#   be recorded on it.
# - Reopening is recorded as an event and clears the close reason and time, and an
#   unanswered follow-up (closing again plans a new one).
# - Routing the client onward (the status "routed", a triage outcome) or closing the case
#   with no asiakasvastaava named needs the worker's word that none is needed
#   (`no_contact_person_needed`), which the event keeps.


class Conflict(Exception):
    """Someone else changed the case since the worker loaded it."""


class Refusal(enum.StrEnum):
    """Why an action was not allowed (the staff view explains each)."""

    INVALID = "invalid"  # a value outside the lists, or a person outside the team
    LEADS_ONLY = "leads_only"
    ASSIGNED_BY_LEAD = "assigned_by_lead"
    CLOSED = "closed"
    NOT_CLOSED = "not_closed"
    # A worker records a contact for a municipality outside their own teams.
    OTHER_TEAM = "other_team"
    # Routing or closing with no asiakasvastaava named, and no word that none is needed.
    NO_CONTACT_PERSON = "no_contact_person"
    # The follow-up was answered already (it is answered once).
    ANSWERED = "answered"


class NotAllowed(Exception):
    """The action is not open to this staff member or in this state."""

    def __init__(self, refusal: Refusal = Refusal.INVALID) -> None:
        super().__init__(refusal)
        self.refusal = refusal


NOTE_LIMIT = 4000
ATTEMPT_NOTE_LIMIT = 500
DETAIL_LIMIT = 1000
NEXT_STEP_LIMIT = NEXT_STEP_LENGTH
# How far ahead a next step may be planned: a typo such as 2062 is refused, a follow-up
# half a year later is fine.
NEXT_STEP_HORIZON = timedelta(days=730)
PERSON_NAME_LIMIT = 200
PERSON_TITLE_LIMIT = 120
PERSON_ORGANISATION_LIMIT = 200
PERSON_PHONE_LIMIT = 40
REASON_LIMIT = 500
LEAD_ROLES = frozenset({StaffRole.LEAD, StaffRole.ADMIN})


def visible_case(user: StaffUser, case_id: int) -> Case | None:
    """The case if it belongs to one of the user's teams; else nothing (as if absent)."""
    case = db.session.get(Case, case_id)
    if case is None or case.team_id not in {team.id for team in user.teams}:
        return None
    return case


def refresh(case: Case) -> None:
    """Reload the case as it is in the database now (after a conflict)."""
    db.session.refresh(case)


def is_lead(user: StaffUser) -> bool:
    return user.role in LEAD_ROLES


def assigned_by_lead(case: Case) -> bool:
    """Whether the handler got the case by a lead's assignment (not by claiming it)."""
    for event in reversed(case.events):
        if event.kind in {"claimed", "assigned"}:
            return event.kind == "assigned"
    return False


def may_claim(case: Case, user: StaffUser) -> bool:
    """Open to the user: a lead always; a worker unless a lead assigned it to someone else."""
    if case.status == CaseStatus.CLOSED:
        return False
    if is_lead(user) or case.handler_id in (None, user.id):
        return True
    return not assigned_by_lead(case)


def may_reopen(case: Case, user: StaffUser) -> bool:
    return case.status == CaseStatus.CLOSED and is_lead(user)


def _expect(case: Case, version: int) -> None:
    """Conflict first: the worker saw another version, whatever the rules now say."""
    if case.version != version:
        raise Conflict


def _require_open(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise NotAllowed(Refusal.CLOSED)


def _contact_person_settled(case: Case, no_contact_person_needed: bool) -> dict[str, Any]:
    """Routing or closing: an asiakasvastaava is named, or the worker said none is needed
    (kept in the event's data)."""
    if case.has_contact_person:
        return {}
    if not no_contact_person_needed:
        raise NotAllowed(Refusal.NO_CONTACT_PERSON)
    return {"no_contact_person_needed": True}


def _change(case: Case, actor: StaffUser, expected_version: int, kind: str,
            data: dict[str, Any], **fields: Any) -> None:
    """Apply the change, its event and its access-log entry in one transaction.

    Nothing is flushed before the commit (no autoflush), so a colleague's change
    that won the race shows up only here, as StaleDataError (the version check
    of the UPDATE) or IntegrityError, and either is a Conflict: nothing saved,
    the worker's typed text still in their form.
    """
    _expect(case, expected_version)
    now = utcnow()
    try:
        with db.session.no_autoflush:
            for name, value in fields.items():
                setattr(case, name, value)
            case.updated_at = now
            # Given the case rather than appended to case.events: no loading the timeline.
            db.session.add(CaseEvent(case=case, kind=kind, at=now, actor_id=actor.id, data=data))
            access_log.add(actor, access_log.Action.CHANGE, case.id, kind)
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        raise Conflict from None


def claim(case: Case, actor: StaffUser, version: int) -> None:
    """Become the case's handler (see may_claim for who may)."""
    _expect(case, version)
    _require_open(case)
    if not may_claim(case, actor):
        raise NotAllowed(Refusal.ASSIGNED_BY_LEAD)
    status = CaseStatus.IN_PROGRESS if case.status == CaseStatus.NEW else case.status
    _change(case, actor, version, "claimed", {}, handler_id=actor.id, status=status)


def assign(case: Case, actor: StaffUser, version: int, assignee_id: int,
           reason: str = "") -> None:
    """A lead (or admin) gives the case to an active member of its team, with an optional
    reason for the timeline; the event keeps both handlers' names as they were."""
    _expect(case, version)
    if not is_lead(actor):
        raise NotAllowed(Refusal.LEADS_ONLY)
    _require_open(case)
    assignee = db.session.get(StaffUser, assignee_id)
    if assignee is None or not assignee.active or case.team not in assignee.teams:
        raise NotAllowed
    status = CaseStatus.IN_PROGRESS if case.status == CaseStatus.NEW else case.status
    data: dict[str, Any] = {"assignee_id": assignee.id, "assignee": assignee.name,
                            "reason": reason.strip()[:REASON_LIMIT]}
    if case.handler is not None and case.handler_id != assignee.id:
        data["from_id"], data["from"] = case.handler.id, case.handler.name
    _change(case, actor, version, "assigned", data, handler_id=assignee.id, status=status)


def open_cases_of(handler: StaffUser) -> Sequence[Case]:
    """The open cases in the handler's hands, urgent first, then by promised date."""
    return db.session.scalars(
        select(Case)
        .where(Case.handler_id == handler.id, Case.status != CaseStatus.CLOSED)
        .order_by(Case.urgent.desc(), Case.promised_contact_date, Case.created_at, Case.id)
    ).all()


@dataclass
class Reassigned:
    """What became of each case picked for reassigning (each one its own transaction)."""

    done: list[Case] = field(default_factory=list)
    # Changed by someone else since the page was loaded: nothing saved for these.
    conflicts: list[Case] = field(default_factory=list)
    # Closed meanwhile, or the new handler is not in the case's team.
    refused: list[Case] = field(default_factory=list)
    # Not a case of the lead's teams (or no case at all): looked like a missing one.
    missing: int = 0


def reassign_many(actor: StaffUser, picked: list[tuple[int, int]], assignee_id: int,
                  reason: str) -> Reassigned:
    """Give each picked (case id, version seen) to the assignee, one case at a time.

    Each case is version-checked and committed on its own, so one conflict or refusal
    leaves the others done; the result says which were which.
    """
    if not is_lead(actor):
        raise NotAllowed(Refusal.LEADS_ONLY)
    result = Reassigned()
    for case_id, version in picked:
        case = visible_case(actor, case_id)
        if case is None:
            result.missing += 1
            continue
        try:
            assign(case, actor, version, assignee_id, reason)
        except Conflict:
            refresh(case)
            result.conflicts.append(case)
        except NotAllowed:
            result.refused.append(case)
        else:
            result.done.append(case)
    return result


RELEASE_TRIES = 3


def release_cases_of(handler: StaffUser, actor: StaffUser) -> int:
    """Hand the open cases of a deactivated staff member back to their teams' queues,
    unassigned, each with an "unassigned" event naming them. Returns how many.

    A case someone changes meanwhile is read again and tried again (it may have
    found a new handler already, and is then left alone).
    """
    released = 0
    for case in open_cases_of(handler):
        for _ in range(RELEASE_TRIES):
            if case.handler_id != handler.id or case.status == CaseStatus.CLOSED:
                break
            try:
                _change(case, actor, case.version, "unassigned",
                        {"from_id": handler.id, "from": handler.name,
                         "reason": "handler_deactivated"}, handler_id=None)
            except Conflict:
                refresh(case)
                continue
            released += 1
            break
    return released


def set_status(case: Case, actor: StaffUser, version: int, status: str, *,
               no_contact_person_needed: bool = False) -> None:
    """Any open status; closing has its own action (a reason), reopening too (leads).
    Routing onward with no asiakasvastaava named needs `no_contact_person_needed`."""
    _expect(case, version)
    _require_open(case)
    if status not in codes(STATUSES) or status == CaseStatus.CLOSED:
        raise NotAllowed
    data: dict[str, Any] = {"from": case.status, "to": status}
    if status == CaseStatus.ROUTED:
        data |= _contact_person_settled(case, no_contact_person_needed)
    _change(case, actor, version, "status_changed", data, status=status)


def reopen(case: Case, actor: StaffUser, version: int, status: str) -> None:
    """A lead (or admin) opens a closed case again, in the status chosen.

    Recorded as a "reopened" event that keeps the old close reason; the case's
    close reason and closing time are cleared.
    """
    _expect(case, version)
    if not is_lead(actor):
        raise NotAllowed(Refusal.LEADS_ONLY)
    if case.status != CaseStatus.CLOSED:
        raise NotAllowed(Refusal.NOT_CLOSED)
    if status not in codes(STATUSES) or status == CaseStatus.CLOSED:
        raise NotAllowed
    _plan_follow_up(case, None)
    _replace_codes(case, CodeKind.MOVED_ON, [])
    _change(case, actor, version, "reopened", {"reason": case.close_reason, "to": status},
            status=status, close_reason=None, closed_at=None, saw_doctor=None)


def log_contact_attempt(case: Case, actor: StaffUser, version: int, channel: str,
                        reached: bool, note: str) -> None:
    _expect(case, version)
    if channel not in codes(CHANNELS):
        raise NotAllowed
    fields: dict[str, Any] = {}
    if reached and case.contacted_at is None:
        fields["contacted_at"] = utcnow()
    _change(case, actor, version, "contact_attempt",
            {"channel": channel, "reached": reached, "note": note.strip()[:ATTEMPT_NOTE_LIMIT]},
            **fields)


def add_note(case: Case, actor: StaffUser, version: int, text: str) -> None:
    _expect(case, version)
    text = text.strip()
    if not text:
        raise NotAllowed
    _change(case, actor, version, "note", {"text": text[:NOTE_LIMIT]})


def record_outcomes(case: Case, actor: StaffUser, version: int, outcome_codes: list[str],
                    detail: str, *, no_contact_person_needed: bool = False) -> None:
    """Where the client was routed: destinations the case's team offers (app/casework/
    destinations.py); with no asiakasvastaava named, the worker's word that none is needed
    (`no_contact_person_needed`). The first time also dates the routing."""
    _expect(case, version)
    if not outcome_codes or not set(outcome_codes) <= destinations.offered_codes(case.team_id):
        raise NotAllowed
    outcomes = {"codes": outcome_codes, "detail": detail.strip()[:DETAIL_LIMIT]}
    settled = _contact_person_settled(case, no_contact_person_needed)
    _replace_codes(case, CodeKind.ROUTED_TO, outcome_codes)
    _change(case, actor, version, "outcomes_recorded", outcomes | settled, outcomes=outcomes,
            routed_at=case.routed_at or utcnow())


def _replace_codes(case: Case, kind: CodeKind, new_codes: list[str]) -> None:
    """The case's codes of one kind become `new_codes` (applied with the next commit)."""
    db.session.execute(delete(CaseCode).where(CaseCode.case_id == case.id, CaseCode.kind == kind))
    db.session.add_all(CaseCode(case_id=case.id, kind=kind, code=code)
                       for code in dict.fromkeys(new_codes))


@dataclass(frozen=True)
class ContactPerson:
    """The asiakasvastaava as the worker names them: a member of the case's team
    (`staff_id`), or someone outside it (name, title and organisation). The phone is
    shown to the client only when `phone_shareable`."""

    staff_id: int | None = None
    name: str = ""
    title: str = ""
    organisation: str = ""
    phone: str = ""
    phone_shareable: bool = False


def name_contact_person(case: Case, actor: StaffUser, version: int,
                        person: ContactPerson) -> None:
    """The asiakasvastaava: a member of the case's team, or someone outside it."""
    _expect(case, version)
    phone = person.phone.strip()[:PERSON_PHONE_LIMIT]
    reachable = {"phone": phone, "phone_shareable": bool(phone) and person.phone_shareable}
    if person.staff_id is not None:
        member = db.session.get(StaffUser, person.staff_id)
        if member is None or case.team not in member.teams:
            raise NotAllowed
        _change(case, actor, version, "contact_person_named",
                {"staff_id": member.id, "name": member.name, "title": member.title, **reachable},
                contact_person_id=member.id, contact_person_name=None,
                contact_person_title=None, contact_person_organisation=None,
                contact_person_phone=phone or None,
                contact_person_phone_shareable=reachable["phone_shareable"])
        return
    name = person.name.strip()[:PERSON_NAME_LIMIT]
    title = person.title.strip()[:PERSON_TITLE_LIMIT]
    organisation = person.organisation.strip()[:PERSON_ORGANISATION_LIMIT]
    if not name or not title or not organisation:
        raise NotAllowed
    _change(case, actor, version, "contact_person_named",
            {"name": name, "title": title, "organisation": organisation, **reachable},
            contact_person_id=None, contact_person_name=name, contact_person_title=title,
            contact_person_organisation=organisation, contact_person_phone=phone or None,
            contact_person_phone_shareable=reachable["phone_shareable"])


@dataclass(frozen=True)
class Closing:
    """What the worker records at closing beside the reason: where the client moved on
    (MOVED_ON_TO codes), whether they saw a doctor about their work ability (None: not
    known), and the follow-up day (None: no follow-up)."""

    moved_on_to: tuple[str, ...] = ()
    saw_doctor: bool | None = None
    follow_up_on: date | None = None


def close(case: Case, actor: StaffUser, version: int, reason: str, note: str = "", *,
          no_contact_person_needed: bool = False, closing: Closing = Closing()) -> None:
    """Close with a reason and what came of it; with no asiakasvastaava named, the worker's
    word that none is needed (`no_contact_person_needed`). The staff view asks for a second
    step first."""
    _expect(case, version)
    _require_open(case)
    moved_on = set(closing.moved_on_to)
    if (reason not in codes(CLOSE_REASONS) or not moved_on <= codes(MOVED_ON_TO)
            or (NOT_KNOWN in moved_on and len(moved_on) > 1)):
        raise NotAllowed
    if closing.follow_up_on is not None:
        first, last = follow_up_days(local_today())
        if not first <= closing.follow_up_on <= last:
            raise NotAllowed
    data: dict[str, Any] = {
        "reason": reason, "note": note.strip()[:NOTE_LIMIT], "codes": list(closing.moved_on_to),
        "saw_doctor": closing.saw_doctor,
        "follow_up_on": closing.follow_up_on.isoformat() if closing.follow_up_on else "",
    }
    data |= _contact_person_settled(case, no_contact_person_needed)
    _replace_codes(case, CodeKind.MOVED_ON, list(closing.moved_on_to))
    _plan_follow_up(case, closing.follow_up_on)
    _change(case, actor, version, "closed", data, status=CaseStatus.CLOSED,
            close_reason=reason, closed_at=utcnow(), saw_doctor=closing.saw_doctor)


def _plan_follow_up(case: Case, day: date | None) -> None:
    """The case's follow-up due on `day`, or none; an answered follow-up is kept as it is."""
    follow_up = db.session.scalar(select(FollowUp).where(FollowUp.case_id == case.id))
    if follow_up is not None and follow_up.answered_at is not None:
        return
    if day is None:
        if follow_up is not None:
            db.session.delete(follow_up)
    elif follow_up is None:
        db.session.add(FollowUp(case_id=case.id, due_on=day))
    else:
        follow_up.due_on, follow_up.sent_at = day, None


@dataclass(frozen=True)
class FollowUpAnswers:
    """The client's follow-up answers; None (or empty) where they did not answer."""

    got_help: str | None = None  # GOT_HELP
    work_ability_score: int | None = None  # 0-10, as in the saate
    doing_now: tuple[str, ...] = ()  # MOVED_ON_TO
    would_recommend: bool | None = None
    comment: str = ""

    @classmethod
    def from_form(cls, answers: dict[str, Any]) -> FollowUpAnswers:
        """The follow-up page's answers (codes of app/saate/follow_up.py), as kept."""
        score = str(answers.get("work_ability_score") or "")
        recommend = answers.get("would_recommend")
        return cls(got_help=answers.get("got_help") or None,
                   work_ability_score=int(score) if score.isdigit() else None,
                   doing_now=tuple(answers.get("doing_now") or ()),
                   would_recommend=None if recommend not in ("yes", "no") else recommend == "yes",
                   comment=str(answers.get("comment") or ""))


def answer_follow_up(case: Case, answers: FollowUpAnswers,
                     recorded_by: StaffUser | None = None) -> None:
    """Keep the follow-up's answers once: the client's from the follow-up page, or a worker's
    from a phone call (`recorded_by`, logged). The timeline shows that it was answered;
    the answers themselves are counted in statistics and read on the case page."""
    follow_up = db.session.scalar(select(FollowUp).where(FollowUp.case_id == case.id))
    if follow_up is None or case.status != CaseStatus.CLOSED:
        raise NotAllowed(Refusal.NOT_CLOSED)
    if follow_up.answered_at is not None:
        raise NotAllowed(Refusal.ANSWERED)
    score = answers.work_ability_score
    if (answers.got_help not in {None, *codes(GOT_HELP)}
            or not set(answers.doing_now) <= codes(MOVED_ON_TO)
            or (score is not None and not 0 <= score <= 10)):
        raise NotAllowed
    now = utcnow()
    follow_up.answered_at = now
    follow_up.answered_by_channel = "web" if recorded_by is None else "phone"
    follow_up.recorded_by_id = recorded_by.id if recorded_by is not None else None
    follow_up.got_help, follow_up.work_ability_score = answers.got_help, score
    follow_up.would_recommend = answers.would_recommend
    follow_up.comment = answers.comment.strip()[:NOTE_LIMIT]
    _replace_codes(case, CodeKind.DOING_AT_FOLLOW_UP, list(answers.doing_now))
    db.session.add(CaseEvent(case_id=case.id, kind="follow_up_answered", at=now,
                             actor_id=recorded_by.id if recorded_by is not None else None,
                             data={"channel": follow_up.answered_by_channel}))
    if recorded_by is not None:
        access_log.add(recorded_by, access_log.Action.CHANGE, case.id, "follow_up_answered")
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict from None


def next_step_days(today: date) -> tuple[date, date]:
    """The first and last day a next step may be planned for (both included)."""
    return today, today + NEXT_STEP_HORIZON


def set_next_step(case: Case, actor: StaffUser, version: int, text: str,
                  day: date | None) -> None:
    """The worker's next planned step on an open case, with its day; both empty clears it.

    A step needs its day and a day its step; the day is from today to NEXT_STEP_HORIZON
    ahead (Helsinki time).
    """
    _expect(case, version)
    _require_open(case)
    text = text.strip()[:NEXT_STEP_LIMIT].rstrip()
    if bool(text) != (day is not None):
        raise NotAllowed
    if day is not None:
        first, last = next_step_days(local_today())
        if not first <= day <= last:
            raise NotAllowed
    _change(case, actor, version, "next_step_set",
            {"next_step": text, "next_step_date": day.isoformat() if day else ""},
            next_step=text or None, next_step_date=day)
