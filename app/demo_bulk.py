"""Bulk demo data: N realistic, obviously fake cases over every team, fast enough for a
million (`flask demo seed --cases N`, bench/staff_queue.py).

Rows go in through SQLAlchemy Core in batches (executemany), not the ORM per row, and
look as the case workflow (app/casework/cases.py) would have left them: the reference,
the status token (the client's status link works), the promised date by the team's
promise, the answers and consents as stored, and a timeline whose events match the
status, each counted in the case's version. Never run in production (the CLI refuses).

The distribution, which bench/staff_queue.py relies on:
- sent evenly over the last two years; the newest min(N / 10, 2,000) cases are open, and
  one in 500 older ones was left open; the rest are closed;
- of the open ones a quarter is new (nobody has claimed it), the rest in progress, waiting
  for the client or routed onward;
- exactly one case in every hundred, in sending order, is urgent;
- every case past "new" has a handler from its team's active staff (closed ones too);
  `main_handler` (a bench's lead) takes half of them in the teams they are in; two in three
  open handled cases have a next step, a third of those overdue;
- three in four came by the web form (fi, sv or selko), the others by phone, walk-in,
  e-contact or a professional's referral, recorded by a worker;
- a closed case past its team's retention period is stripped as `flask retention run`
  leaves it (app/casework/retention.py);
- what statistics count is there as the workflow leaves it (app/reporting/statistics.py):
  a saate's profile (age group from a birth year, education, work-ability score, kinds of
  difficulty as case codes), where routed clients were routed and when, where closed
  clients moved on and whether they saw a doctor, a follow-up planned for seven in ten
  routed or advised clients (half of those past due answered, some by phone), and the
  clients' feedback after sending (a quarter of web cases) and at the end of service.

A team without active staff gets only new cases: nobody could have handled them. The
access log (who looked at or changed a case) stays empty: it is the record of real
people's work, which these cases never had.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from app.casework import retention
from app.casework.cases import (
    HELSINKI,
    STATUS_TOKEN_PURPOSE,
    consents_from,
    kept_answers,
    local_today,
    promised_date,
)
from app.casework.followup import default_follow_up_day
from app.casework.profile import age_group, difficulty_groups, score
from app.database import utcnow
from app.extensions import db
from app.models import (
    Case,
    CaseCode,
    CaseConsent,
    CaseEvent,
    CodeKind,
    Feedback,
    FollowUp,
    StaffRole,
    Team,
)
from app.people.teams import OTHER_MUNICIPALITY
from app.reporting import rollup
from app.saate.schema import describe
from app.tokens import CODE_ALPHABET, derived_token, token_hash

DEFAULT_SEED = 2024
BATCH = 5_000
WINDOW = timedelta(days=730)
# Marks the seeded cases (their submission keys), numbered on from one run to the next.
KEY_PREFIX = "demo-bulk-"
KEY_DIGITS = 12
REFERENCE_LENGTH = 8  # app/casework/cases.py REFERENCE_LENGTH
RECENT_OPEN_SHARE, RECENT_OPEN_LIMIT = 10, 2_000  # the newest N / 10, at most 2,000
OLD_OPEN_CHANCE = 0.002
URGENT_EVERY = 100
# Progress is reported after every batch: (cases done, cases asked for).
Progress = Callable[[int, int], None]

HOUR, DAY = 3600, 86400


class Weighted:
    """Codes drawn by their weights (shares in per cent)."""

    def __init__(self, weights: dict[str, int]) -> None:
        self.codes = tuple(weights)
        self.bounds = list(accumulate(weights.values()))
        self.shares = {code: share / self.bounds[-1] for code, share in weights.items()}

    def pick(self, rng: random.Random) -> str:
        return self.codes[bisect(self.bounds, rng.random() * self.bounds[-1])]


OPEN_STATUSES = Weighted({"new": 25, "in_progress": 40, "waiting_for_client": 20, "routed": 15})
CLOSE_REASONS = Weighted({"routed": 45, "advice_enough": 25, "not_reached": 12,
                          "client_withdrew": 8, "duplicate": 5, "other": 5})
CHANNELS = Weighted({"web": 75, "phone": 12, "walk_in": 4, "e_contact": 4, "referral": 5})
WEB_LANGUAGES = Weighted({"fi": 78, "sv": 14, "selko": 8})
SAATE_SHARE = 0.6
ATTEMPT_CHANNELS = Weighted({"phone": 80, "sms": 12, "email": 6, "letter": 2})
ROUTED_OUTCOMES = ("health_check", "team_reception", "work_ability_coordinator",
                   "doctor_assessment", "social_work", "mental_health_substance", "kela",
                   "employment_services", "tym", "ips_coaching", "organisations",
                   "occupational_health", "self_care", "disability_services",
                   "social_rehabilitation", "kela_rehabilitation", "work_trial",
                   "pension_assessment", "ohjaamo", "lifestyle_coaching", "specialist_team")
# What statistics count (app/casework/profile.py, case_terms.py); "" is not answered.
EDUCATION = Weighted({"none": 6, "basic": 28, "upper_secondary": 44, "higher": 17, "": 5})
WORK_ABILITY = Weighted({"0": 2, "1": 3, "2": 7, "3": 12, "4": 15, "5": 18, "6": 15, "7": 13,
                         "8": 8, "9": 4, "10": 3})
MOVED_ON = Weighted({"studies": 6, "vocational_rehabilitation": 10, "medical_rehabilitation": 8,
                     "rehabilitation_psychotherapy": 4, "pension_assessment": 6,
                     "paid_work": 10, "work_trial": 7, "rehabilitative_work": 6,
                     "social_health_services": 18, "employment_services": 12,
                     "nothing_yet": 9, "dropped_out": 3, "unknown": 3})
DOING_AT_FOLLOW_UP = Weighted({"studies": 8, "vocational_rehabilitation": 10,
                               "medical_rehabilitation": 6, "rehabilitation_psychotherapy": 4,
                               "pension_assessment": 5, "paid_work": 16, "work_trial": 6,
                               "rehabilitative_work": 6, "social_health_services": 14,
                               "employment_services": 10, "nothing_yet": 12,
                               "dropped_out": 2, "unknown": 1})
SAW_DOCTOR = Weighted({"yes": 45, "no": 35, "unknown": 20})
GOT_HELP = Weighted({"yes": 45, "partly": 35, "no": 20})
RATINGS = Weighted({"5": 45, "4": 33, "3": 13, "2": 6, "1": 3})
FOLLOW_UP_CHANCE, FOLLOW_UP_ANSWERED_CHANCE = 0.7, 0.5
SENT_FEEDBACK_CHANCE, END_FEEDBACK_CHANCE, COMMENT_CHANCE = 0.25, 0.2, 0.1
FOLLOW_UP_COMMENTS = ("Sain apua ja pääsin kuntoutukseen (demo).",
                      "Olisin toivonut nopeampaa yhteydenottoa (demo).",
                      "Työkokeilu on sujunut hyvin (demo).")
FEEDBACK_COMMENTS = ("Lomake oli helppo täyttää (demo).", "Kysymyksiä oli paljon (demo).")

FIRST_NAMES = {"fi": ("Testi", "Esimerkki", "Keksitty", "Malli", "Demo", "Kuviteltu"),
               "sv": ("Test", "Exempel", "Påhittad", "Demo", "Modell")}
LAST_NAMES = {"fi": ("Asiakas", "Henkilö", "Ihminen", "Kokeilu", "Harjoitus"),
              "sv": ("Klient", "Person", "Prov", "Övning")}
ASCII = str.maketrans("åäöÅÄÖ", "aaoAAO")
TEXTS = {
    "fi": {"about": ("Haluaisin jutella työkyvystäni (demo).",
                     "Selkä on kipeä, enkä jaksa töissä (demo).",
                     "Työttömyys on kestänyt pitkään, mitä voisin tehdä? (demo)"),
           "work_history": ("Varastotyötä ja siivousta (demo).", "Myyjänä kaupassa (demo)."),
           "six_months": ("Osa-aikatyössä (demo).", "Kuntoutuksessa (demo).")},
    "sv": {"about": ("Jag vill prata om min arbetsförmåga (demo).",
                     "Jag har ont i ryggen och orkar inte jobba (demo)."),
           "work_history": ("Lagerarbete och städning (demo).",),
           "six_months": ("I deltidsarbete (demo).",)},
}
NOTES = ("Soitettu, sovittu uusi soitto (demo).", "Asiakas toivoo yhteyttä iltapäivisin (demo).",
         "Odotetaan Kelan päätöstä (demo).")
ATTEMPT_NOTES = {True: "Tilannekartoitus puhelimessa (demo).", False: "Ei vastannut (demo)."}
NEXT_STEPS = ("Soita uudelleen (demo)", "Tarkista Kelan päätös (demo)",
              "Varaa tiimin vastaanotto (demo)")
OUTCOME_DETAIL = "Ohjattu eteenpäin (demo)."
REFERRERS = (("Keksityt TE-palvelut", "Testi Ohjaaja"),
             ("Esimerkkikunnan sosiaalitoimi", "Malli Sosiaaliohjaaja"),
             ("Kuviteltu työterveys", "Demo Lääkäri"))
NOBODY_NEEDED = {"no_contact_person_needed": True}  # the worker's word, kept in the event
OUTSIDE_PERSON = {"name": "Testi Ohjaaja", "title": "työkykykoordinaattori",
                  "organisation": "Keksityt TE-palvelut", "phone": "040 000 0049"}

# The structured answers of a saate, as clients give them (codes of app/saate/schema.py);
# the person, municipality, language and free texts are added per case. The last one is a
# client in crisis: an urgent case.
SAATE_ANSWERS = (
    {"best_time": "morning", "contact_ways": ["calls", "text_messages"], "filling_for": "myself",
     "named_worker": "no", "acute_distress": "no", "situation": "sick_leave",
     "not_working_for": "3_to_12_months", "occupational_health": "yes",
     "work_ability_score": "5", "affecting": ["musculoskeletal"],
     "kela_pending": ["sickness_allowance"], "hoped_help": ["work_ability_assessment"],
     "share_with": ["kela", "health_services"], "share_health_with": ["kela"]},
    {"best_time": "any", "contact_ways": ["calls"], "filling_for": "with_help",
     "named_worker": "no", "acute_distress": "no", "situation": "unemployed",
     "not_working_for": "over_2_years", "registered_jobseeker": "yes",
     "health_check_12m": "no", "work_ability_score": "3", "affecting": ["mood", "life_situation"],
     "kela_pending": ["none"], "education": "basic", "hoped_help": ["health_check", "talk"],
     "share_with": ["none"]},
    {"best_time": "afternoon", "contact_ways": ["calls", "voicemail"], "filling_for": "myself",
     "named_worker": "yes", "named_worker_who": "Keksitty Ohjaaja, sosiaaliohjaaja",
     "acute_distress": "no", "situation": "laid_off", "not_working_for": "under_3_months",
     "main_income": ["unemployment_benefit"], "work_ability_score": "7",
     "hoped_help": ["job_coaching", "education"],
     "share_with": ["employment_services", "social_services"],
     "share_health_with": ["none"]},
    {"best_time": "morning", "contact_ways": ["text_messages"], "filling_for": "myself",
     "named_worker": "no", "acute_distress": "no", "situation": "working",
     "occupational_health": "no", "work_ability_score": "6", "affecting": ["long_term_illness"],
     "doctor_assessed": "no", "hoped_help": ["work_ability_assessment", "rehabilitation"],
     "share_with": ["health_services"], "share_health_with": ["health_services"]},
    {"best_time": "any", "contact_ways": ["calls"], "filling_for": "myself",
     "named_worker": "no", "acute_distress": "yes", "situation": "unemployed",
     "not_working_for": "1_to_2_years", "health_check_12m": "no", "work_ability_score": "2",
     "affecting": ["mood", "substances"], "kela_pending": ["none"],
     "hoped_help": ["mental_health_substance", "talk"], "share_with": ["none"]},
)
CRISIS = len(SAATE_ANSWERS) - 1
CONTACT_REQUEST_ANSWERS = ({"best_time": "morning"}, {"best_time": "afternoon"},
                           {"best_time": "any"}, {})


@dataclass(frozen=True)
class Answers:
    """One set of answers, kept as create_case keeps them, with what follows from them."""

    kind: str
    answers: dict[str, Any]
    flags: dict[str, Any]
    consents: tuple[tuple[str, bool, bool], ...]  # (actor, share, share_health)


def answer_sets(kind: str, sets: tuple[dict[str, Any], ...]) -> tuple[Answers, ...]:
    form = describe(kind)
    asks_consent = any(question.code == "share_with" for question in form.questions())
    made = []
    for given in sets:
        kept = kept_answers(form, given)
        consents = tuple((consent.actor, consent.share, consent.share_health)
                         for consent in consents_from(kept)) if asks_consent else ()
        made.append(Answers(kind, kept, {"codes": form.flags_for(kept)}, consents))
    return tuple(made)


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    title: str
    lead: bool


@dataclass(frozen=True)
class TeamFacts:
    """What a case of the team needs: its promise, municipalities and who handles cases."""

    team: Team
    municipalities: tuple[str, ...]
    handlers: tuple[Member, ...]
    leads: tuple[Member, ...]


def team_facts() -> list[TeamFacts]:
    """Every team, with its active workers and leads (admins only where nobody else is)."""
    facts = []
    for team in db.session.scalars(select(Team).order_by(Team.id).options(
            selectinload(Team.members), selectinload(Team.municipalities))):
        active = [member for member in sorted(team.members, key=lambda m: m.id) if member.active]
        people = [Member(member.id, member.name, member.title,
                         member.role in (StaffRole.LEAD, StaffRole.ADMIN))
                  for member in active if member.role != StaffRole.ADMIN] or [
                  Member(member.id, member.name, member.title, True) for member in active]
        served = tuple(m.code for m in team.municipalities)
        if team.is_default or not served:
            served += (OTHER_MUNICIPALITY,)
        facts.append(TeamFacts(team, served, tuple(people),
                               tuple(person for person in people if person.lead)))
    return facts


@dataclass
class SeedReport:
    cases: int = 0
    events: int = 0
    consents: int = 0
    # Teams with no active staff: their cases stay new.
    unstaffed: list[str] = field(default_factory=list)


Event = tuple[datetime, int | None, str, dict[str, Any]]  # at, actor, kind, data


@dataclass
class Planned:
    row: dict[str, Any]
    events: list[Event]
    consents: tuple[tuple[str, bool, bool], ...]
    codes: list[tuple[str, str]] = field(default_factory=list)  # (CodeKind, code)
    follow_up: dict[str, Any] | None = None  # a FollowUp row without its case
    feedback: list[dict[str, Any]] = field(default_factory=list)  # Feedback rows, ditto


def seed_cases(count: int, *, seed: int = DEFAULT_SEED, main_handler: int | None = None,
               progress: Progress | None = None, team_ids: set[int] | None = None,
               all_closed: bool = False) -> SeedReport:
    """Add `count` fake cases over every team (or the teams of `team_ids`; see the module's
    docstring), in batches; `all_closed`: a history with no open case (the demo's, beside
    its working day).

    The same seed on the same database draws the same cases (dated back from now); a later
    run numbers its cases on from the last, so running again adds more without clashing keys.
    """
    teams = [facts for facts in team_facts() if team_ids is None or facts.team.id in team_ids]
    if not teams:
        raise LookupError("no teams are configured: create one with `flask teams create`")
    first = next_number()
    rng = random.Random(f"{seed}:{first}")  # noqa: S311  (made-up data, repeatable by seed)
    planner = Planner(rng, teams, count, main_handler, all_closed)
    report = SeedReport(unstaffed=[facts.team.name for facts in teams if not facts.handlers])
    tell = progress or (lambda done, total: None)
    tell(0, count)
    for start in range(0, count, BATCH):
        batch = planner.plan(start, min(start + BATCH, count), first)
        store(batch, planner.rng, report)
        db.session.commit()
        report.cases += len(batch)
        tell(report.cases, count)
    # Stored in bulk, past the session's notes of which cases changed: count them all.
    rollup.rebuild(db.session.connection())
    db.session.commit()
    return report


def next_number() -> int:
    """The number after the last seeded case's (0 on a database without any)."""
    last = db.session.scalar(select(Case.submission_key).where(
        Case.submission_key.between(key(0), key(10**KEY_DIGITS - 1)))
        .order_by(Case.submission_key.desc()).limit(1))
    digits = (last or "")[len(KEY_PREFIX):]
    return int(digits) + 1 if digits.isdigit() else 0


def key(number: int) -> str:
    return f"{KEY_PREFIX}{number:0{KEY_DIGITS}d}"


def store(batch: list[Planned], rng: random.Random, report: SeedReport) -> None:
    """Insert the cases, read back their ids by submission key, then their events and
    consents: three executemany statements."""
    give_unused_references([planned.row for planned in batch], rng)
    db.session.execute(insert(Case.__table__), [planned.row for planned in batch])
    keys = [planned.row["submission_key"] for planned in batch]
    ids = dict(db.session.execute(select(Case.submission_key, Case.id).where(
        Case.submission_key.between(keys[0], keys[-1]))).all())
    events, consents, codes, follow_ups, feedback = [], [], [], [], []
    for planned in batch:
        case_id = ids[planned.row["submission_key"]]
        events += [{"case_id": case_id, "at": at, "actor_id": actor, "kind": kind, "data": data}
                   for at, actor, kind, data in planned.events]
        consents += [{"case_id": case_id, "actor": actor, "share": share,
                      "share_health": health} for actor, share, health in planned.consents]
        codes += [{"case_id": case_id, "kind": kind, "code": code}
                  for kind, code in dict.fromkeys(planned.codes)]
        if planned.follow_up is not None:
            follow_ups.append({"case_id": case_id, **planned.follow_up})
        feedback += [{"case_id": case_id, **given} for given in planned.feedback]
    db.session.execute(insert(CaseEvent.__table__), events)
    for table, rows in ((CaseConsent, consents), (CaseCode, codes), (FollowUp, follow_ups),
                        (Feedback, feedback)):
        if rows:
            db.session.execute(insert(table.__table__), rows)
    report.events += len(events)
    report.consents += len(consents)


def give_unused_references(rows: list[dict[str, Any]], rng: random.Random) -> None:
    """Random references as the app makes them; one a case already holds (the odd clash
    with a real case or an earlier batch) is drawn again."""
    for row in rows:
        row["reference"] = reference(rng)
    while True:
        by_reference = {row["reference"]: row for row in rows}
        taken = set(db.session.scalars(select(Case.reference).where(
            Case.reference.in_(by_reference))))
        clashes = [row for row in rows if row["reference"] in taken] + [
            row for row in rows if by_reference[row["reference"]] is not row]
        if not clashes:
            return
        for row in clashes:
            row["reference"] = reference(rng)


def reference(rng: random.Random) -> str:
    return "".join(rng.choices(CODE_ALPHABET, k=REFERENCE_LENGTH))


class Planner:
    """Draws each case, in sending order, and the timeline its status implies."""

    def __init__(self, rng: random.Random, teams: list[TeamFacts], count: int,
                 main_handler: int | None, all_closed: bool = False) -> None:
        self.rng = rng
        self.teams = teams
        self.count = count
        self.main_handler = main_handler
        self.all_closed = all_closed
        self.now = utcnow()
        self.today = local_today(self.now)
        self.open_from = count if all_closed else count - min(count // RECENT_OPEN_SHARE,
                                                              RECENT_OPEN_LIMIT)
        self.follow_up_days: dict[date, date] = {}
        self.urgent_at = -1  # the position of the urgent case in the current hundred
        self.promises: dict[tuple[int, bool, date], date] = {}
        # Per team: the main handler if they are in it, and everybody else who handles cases.
        self.handlers = {facts.team.id: (
            next((member for member in facts.handlers if member.id == main_handler), None),
            [member for member in facts.handlers if member.id != main_handler])
            for facts in teams}
        self.saate = answer_sets("saate", SAATE_ANSWERS)
        self.contact_requests = answer_sets("contact_request", CONTACT_REQUEST_ANSWERS)

    def plan(self, start: int, stop: int, first_number: int) -> list[Planned]:
        return [self.case(position, sent, first_number + position)
                for position, sent in zip(range(start, stop), self.sending_times(start, stop),
                                          strict=True)]

    def sending_times(self, start: int, stop: int) -> Iterator[datetime]:
        """Even over the window, oldest first: the batch's share of it, drawn and sorted."""
        began = self.now - WINDOW
        step = WINDOW / self.count
        offsets = sorted(self.rng.uniform(start, stop) for _ in range(start, stop))
        return (began + step * offset for offset in offsets)

    def is_urgent(self, position: int) -> bool:
        if position % URGENT_EVERY == 0:
            self.urgent_at = position + self.rng.randrange(URGENT_EVERY)
        return position == self.urgent_at

    def status(self, position: int, facts: TeamFacts) -> str:
        if not facts.handlers:
            return "new"
        if position >= self.open_from or (
                not self.all_closed and self.rng.random() < OLD_OPEN_CHANCE):
            return OPEN_STATUSES.pick(self.rng)
        return "closed"

    def case(self, position: int, sent: datetime, number: int) -> Planned:
        rng = self.rng
        facts = rng.choice(self.teams)
        urgent = self.is_urgent(position)
        status = self.status(position, facts)
        # Without staff, nobody could have recorded a contact either.
        channel = CHANNELS.pick(rng) if facts.handlers else "web"
        kind = "saate" if rng.random() < SAATE_SHARE else "contact_request"
        if urgent and channel == "web":
            kind = "saate"  # online, only the crisis answer makes a case urgent
        if channel == "web":
            language = WEB_LANGUAGES.pick(rng)
        else:
            language = "sv" if rng.random() < WEB_LANGUAGES.shares["sv"] else "fi"
        answers = self.answers(kind, urgent and channel == "web")
        municipality = rng.choice(facts.municipalities)
        referrer = rng.choice(REFERRERS) if channel == "referral" else (None, None)
        submission_key = key(number)
        row: dict[str, Any] = {
            "kind": kind, "channel": channel, "status": status, "language": language,
            "municipality_code": municipality, "team_id": facts.team.id, "urgent": urgent,
            "flags": answers.flags,
            "answers": self.client(answers, language, municipality, position),
            "reference": "", "submission_key": submission_key,
            "status_token_hash": token_hash(derived_token(STATUS_TOKEN_PURPOSE, submission_key)),
            "promised_contact_date": self.promised(facts.team, urgent, local_today(sent)),
            "referrer_organisation": referrer[0], "referrer_name": referrer[1],
            "handler_id": None, "contact_person_id": None, "contact_person_name": None,
            "contact_person_title": None, "contact_person_organisation": None,
            "contact_person_phone": None, "contact_person_phone_shareable": False,
            "outcomes": {}, "close_reason": None, "closed_at": None, "contacted_at": None,
            "next_step": None, "next_step_date": None, "created_at": sent,
            "routed_at": None, "saw_doctor": None,
        }
        row["answers"] |= row_answers_of(answers, rng)
        row |= profile(row["answers"], local_today(sent))
        codes = [(CodeKind.DIFFICULTY.value, group)
                 for group in difficulty_groups(row["answers"].get("affecting"))]
        if channel == "web":
            events: list[Event] = [(sent, None, "sent", {"kind": kind})]
        else:
            recorder = rng.choice(facts.handlers)
            events = [(sent, recorder.id, "recorded", {"kind": kind, "channel": channel})]
        planned = Planned(row, events, answers.consents, codes)
        if status != "new":
            timeline = Timeline(self, facts, row, sent)
            events += timeline.events()
            planned.codes += timeline.codes
            planned.follow_up = timeline.follow_up
        # The follow-up's answer is an event of its own that changes nothing on the case.
        counted = [event for event in events if event[2] != "follow_up_answered"]
        row["version"] = len(counted)
        row["updated_at"] = counted[-1][0]
        planned.feedback = self.feedback(row)
        if status == "closed" and row["closed_at"] < self.now - timedelta(
                days=facts.team.retention_days):
            planned.events, planned.consents = anonymised(row, events), ()
            for given in [planned.follow_up or {}, *planned.feedback]:
                given["comment"] = ""
        return planned

    def feedback(self, row: dict[str, Any]) -> list[dict[str, Any]]:
        """Feedback after sending (web cases) and at the end of service (closed ones)."""
        rng, given = self.rng, []
        common = {"kind": row["kind"], "language": row["language"]}

        def comment() -> str:
            return rng.choice(FEEDBACK_COMMENTS) if rng.random() < COMMENT_CHANCE else ""

        if row["channel"] == "web" and rng.random() < SENT_FEEDBACK_CHANCE:
            given.append({**common, "moment": "sent", "rating": int(RATINGS.pick(rng)),
                          "would_recommend": None, "comment": comment(),
                          "created_at": min(row["created_at"] + timedelta(minutes=2), self.now)})
        if row["status"] == "closed" and rng.random() < END_FEEDBACK_CHANCE:
            at = min(row["closed_at"] + timedelta(days=rng.uniform(0, 10)), self.now)
            given.append({**common, "moment": "end_of_service", "rating": int(RATINGS.pick(rng)),
                          "would_recommend": rng.random() < 0.92, "comment": comment(),
                          "created_at": at})
        return given

    def follow_up_day(self, closed_on: date) -> date:
        found = self.follow_up_days.get(closed_on)
        if found is None:
            found = self.follow_up_days[closed_on] = default_follow_up_day(closed_on)
        return found

    def answers(self, kind: str, crisis: bool) -> Answers:
        if kind == "contact_request":
            return self.rng.choice(self.contact_requests)
        return self.saate[CRISIS] if crisis else self.rng.choice(self.saate[:CRISIS])

    def client(self, answers: Answers, language: str, municipality: str,
               position: int) -> dict[str, Any]:
        """The answers with an obviously made-up person in them."""
        rng = self.rng
        words = "sv" if language == "sv" else "fi"
        name = f"{rng.choice(FIRST_NAMES[words])} {rng.choice(LAST_NAMES[words])}"
        given = {**answers.answers, "name": name, "phone": f"040 000 {rng.randrange(10000):04d}",
                 "municipality": municipality, "contact_language": words}
        if rng.random() < 0.3:
            address = f"{name.lower().replace(' ', '.')}.{position}@example.test"
            given["email"] = address.translate(ASCII)
        texts = TEXTS[words]
        if answers.kind == "contact_request":
            given["about"] = rng.choice(texts["about"])
        elif rng.random() < 0.5:
            given["work_history"] = rng.choice(texts["work_history"])
            given["six_months"] = rng.choice(texts["six_months"])
        return given

    def promised(self, team: Team, urgent: bool, sent_on: date) -> date:
        found = self.promises.get((team.id, urgent, sent_on))
        if found is None:
            found = self.promises[team.id, urgent, sent_on] = promised_date(team, urgent, sent_on)
        return found

    def handler(self, facts: TeamFacts) -> Member:
        main, others = self.handlers[facts.team.id]
        if main is not None and (not others or self.rng.random() < 0.5):
            return main
        return self.rng.choice(others)


def row_answers_of(answers: Answers, rng: random.Random) -> dict[str, Any]:
    """A saate's answers that make its client's profile: a birth year (working age, one in
    twenty not given), education and the work-ability score, drawn per case."""
    if answers.kind != "saate":
        return {}
    drawn: dict[str, Any] = {"work_ability_score": WORK_ABILITY.pick(rng)}
    if rng.random() < 0.95:
        drawn["birth_year"] = str(utcnow().year - rng.randint(18, 64))
    education = EDUCATION.pick(rng)
    if education:
        drawn["education"] = education
    return drawn


def profile(answers: dict[str, Any], sent_on: date) -> dict[str, Any]:
    """The case's profile columns as app/casework/profile.py fill_profile sets them."""
    return {"age_group": age_group(answers.get("birth_year"), sent_on),
            "education": answers.get("education"),
            "work_ability_score": score(answers.get("work_ability_score"))}


def anonymised(row: dict[str, Any], events: list[Event]) -> list[Event]:
    """The case and its timeline as retention leaves them (app/casework/retention.py)."""
    row.update(retention.CLEARED)
    row["answers"] = {}
    row["outcomes"] = {"codes": row["outcomes"].get("codes", [])}
    return [(at, actor, kind, retention.kept_event_data(data)) for at, actor, kind, data in events]


class Timeline:
    """What the workers did on a handled case, in order, as the case workflow records it;
    sets the case's fields those actions set."""

    def __init__(self, planner: Planner, facts: TeamFacts, row: dict[str, Any],
                 sent: datetime) -> None:
        self.planner, self.rng, self.facts, self.row, self.sent = (
            planner, planner.rng, facts, row, sent)
        # (kind, actor, data, mean seconds since the previous step)
        self.steps: list[tuple[str, int, dict[str, Any], float]] = []
        self.codes: list[tuple[str, str]] = []  # routed to, moved on, doing at the follow-up
        self.follow_up: dict[str, Any] | None = None

    def add(self, kind: str, actor: int, data: dict[str, Any], pace: float) -> None:
        self.steps.append((kind, actor, data, pace))

    def events(self) -> list[Event]:
        rng, row, status = self.rng, self.row, self.row["status"]
        handler = self.planner.handler(self.facts)
        row["handler_id"] = handler.id
        self.take(handler)
        reason = CLOSE_REASONS.pick(rng) if status == "closed" else None
        self.attempts(handler, status, reason)
        if rng.random() < 0.25:
            self.add("note", handler.id, {"text": rng.choice(NOTES)}, DAY)
        # What routing and closing record about the contact person: none named so far.
        settled = NOBODY_NEEDED
        if status == "routed" or reason in ("routed", "advice_enough"):
            settled = self.routing(handler, reason)
        if status == "waiting_for_client":
            self.add("status_changed", handler.id, {"from": "in_progress", "to": status}, DAY)
        elif status == "routed":
            self.add("status_changed", handler.id,
                     {"from": "in_progress", "to": status, **settled}, DAY)
        closing: dict[str, Any] = {}  # the closing event's data
        if reason is not None:
            closing = {"reason": reason, "note": "", **self.closing(reason), **settled}
            self.add("closed", handler.id, closing, 5 * DAY)
            row["close_reason"] = reason
        timed = self.timed()
        if status != "closed" and rng.random() < 2 / 3:
            timed.append(self.next_step(handler, timed[-1][0]))
        if reason in ("routed", "advice_enough") and rng.random() < FOLLOW_UP_CHANCE:
            due = self.planner.follow_up_day(local_today(row["closed_at"]))
            closing["follow_up_on"] = due.isoformat()
            timed += self.answered_follow_up(handler, due)
        return timed

    def closing(self, reason: str) -> dict[str, Any]:
        """Where the client moved on and whether they saw a doctor (the closing event's data
        as close() records it; the follow-up day is set once the closing day is known)."""
        rng, row = self.rng, self.row
        if reason in ("routed", "advice_enough"):
            moved = sorted({MOVED_ON.pick(rng) for _ in range(rng.choice((1, 1, 1, 2)))})
        elif reason in ("not_reached", "client_withdrew"):
            moved = [rng.choice(("dropped_out", "unknown"))]
        else:
            moved = []
        saw = SAW_DOCTOR.pick(rng) if reason != "duplicate" else "unknown"
        row["saw_doctor"] = {"yes": True, "no": False}.get(saw)
        self.codes += [(CodeKind.MOVED_ON.value, code) for code in moved]
        return {"codes": moved, "saw_doctor": row["saw_doctor"], "follow_up_on": ""}

    def answered_follow_up(self, handler: Member, due: date) -> list[Event]:
        """The follow-up due on the day; half of those past due answered, by the client on the
        web or by the handler from a phone call (the event of answer_follow_up)."""
        rng, now = self.rng, self.planner.now
        self.follow_up = {"due_on": due, "sent_at": None, "answered_at": None,
                          "answered_by_channel": None, "recorded_by_id": None, "got_help": None,
                          "work_ability_score": None, "would_recommend": None, "comment": ""}
        answered_at = datetime.combine(due, time(10), HELSINKI) + timedelta(
            days=rng.uniform(0, 21))
        if answered_at >= now or rng.random() >= FOLLOW_UP_ANSWERED_CHANCE:
            return []
        by_phone = rng.random() < 0.3
        before = self.row["work_ability_score"]
        doing = sorted({DOING_AT_FOLLOW_UP.pick(rng) for _ in range(rng.choice((1, 1, 2)))})
        self.follow_up |= {
            "answered_at": answered_at, "answered_by_channel": "phone" if by_phone else "web",
            "recorded_by_id": handler.id if by_phone else None, "got_help": GOT_HELP.pick(rng),
            "work_ability_score": (min(max(before + rng.randint(-2, 3), 0), 10)
                                   if before is not None else int(WORK_ABILITY.pick(rng))),
            "would_recommend": rng.choices((True, False, None), (88, 8, 4))[0],
            "comment": rng.choice(FOLLOW_UP_COMMENTS) if rng.random() < COMMENT_CHANCE else ""}
        self.codes += [(CodeKind.DOING_AT_FOLLOW_UP.value, code) for code in doing]
        return [(answered_at, handler.id if by_phone else None, "follow_up_answered",
                 {"channel": self.follow_up["answered_by_channel"]})]

    def take(self, handler: Member) -> None:
        """Claimed by the handler, or given to them by one of the team's leads."""
        pace = 3 * HOUR if self.row["urgent"] else 20 * HOUR
        leads = [lead for lead in self.facts.leads if lead.id != handler.id]
        if leads and self.rng.random() < 0.15:
            self.add("assigned", self.rng.choice(leads).id,
                     {"assignee_id": handler.id, "assignee": handler.name, "reason": ""}, pace)
        else:
            self.add("claimed", handler.id, {}, pace)

    def attempts(self, handler: Member, status: str, reason: str | None) -> None:
        """Contact attempts: the last one reached the client unless the status says not."""
        rng = self.rng
        if reason == "duplicate":
            return
        if reason == "not_reached" or status == "waiting_for_client":
            results = [False] * rng.randint(1, 3)
        elif status == "in_progress":
            results = [False] * rng.randint(0, 1) + [True] * rng.randint(0, 1)
        else:
            results = [False] * (rng.random() < 0.3) + [True]
        for reached in results:
            self.add("contact_attempt", handler.id, {
                "channel": ATTEMPT_CHANNELS.pick(rng), "reached": reached,
                "note": ATTEMPT_NOTES[reached]}, DAY)

    def routing(self, handler: Member, reason: str | None) -> dict[str, Any]:
        """The triage outcome, and before it, for some routed clients, a contact person
        named; returns what routing and closing then record about the contact person."""
        rng, row = self.rng, self.row
        settled = NOBODY_NEEDED
        if reason == "advice_enough":
            outcomes = {"codes": ["advice"], "detail": ""}
        else:
            outcomes = {"codes": rng.sample(ROUTED_OUTCOMES, rng.randint(1, 2)),
                        "detail": OUTCOME_DETAIL}
            named = rng.random()
            if named < 0.3:
                settled = {}
                row["contact_person_id"] = handler.id
                self.add("contact_person_named", handler.id, {
                    "staff_id": handler.id, "name": handler.name, "title": handler.title,
                    "phone": "", "phone_shareable": False}, DAY)
            elif named < 0.4:
                settled = {}
                person = OUTSIDE_PERSON
                row.update(contact_person_name=person["name"], contact_person_title=person["title"],
                           contact_person_organisation=person["organisation"],
                           contact_person_phone=person["phone"],
                           contact_person_phone_shareable=True)
                self.add("contact_person_named", handler.id,
                         {**person, "phone_shareable": True}, DAY)
        row["outcomes"] = outcomes
        self.codes += [(CodeKind.ROUTED_TO.value, code) for code in outcomes["codes"]]
        self.add("outcomes_recorded", handler.id, {**outcomes, **settled}, DAY)
        return settled

    def timed(self) -> list[Event]:
        """The steps at times after sending, squeezed before now where they would run past it;
        sets when the client was first reached and when the case was closed."""
        rng, row, now = self.rng, self.row, self.planner.now
        offsets, total = [], 0.0
        for *_, pace in self.steps:
            total += rng.expovariate(1 / pace)
            offsets.append(total)
        room = (now - self.sent).total_seconds()
        squeeze = room * rng.uniform(0.5, 1) / total if total > room else 1.0
        timed: list[Event] = []
        for (kind, actor, data, _), offset in zip(self.steps, offsets, strict=True):
            at = self.sent + timedelta(seconds=offset * squeeze)
            if kind == "contact_attempt" and data["reached"] and row["contacted_at"] is None:
                row["contacted_at"] = at
            elif kind == "outcomes_recorded" and row["routed_at"] is None:
                row["routed_at"] = at
            elif kind == "closed":
                row["closed_at"] = at
            timed.append((at, actor, kind, data))
        return timed

    def next_step(self, handler: Member, last: datetime) -> Event:
        """The handler's next planned step: from five days overdue to nine days ahead, never
        before the day it was set on."""
        rng, row = self.rng, self.row
        at = min(last + timedelta(minutes=rng.randint(1, 30)), self.planner.now)
        day = max(self.planner.today + timedelta(days=rng.randint(-5, 9)), local_today(at))
        step = rng.choice(NEXT_STEPS)
        row["next_step"], row["next_step_date"] = step, day
        return (at, handler.id, "next_step_set",
                {"next_step": step, "next_step_date": day.isoformat()})
