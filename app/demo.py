"""Demo data for a laptop: Central Finland teams, staff and a working day's cases, and
behind them two years of closed cases for the statistics page.

The working day is built through the same service functions the app and the CLI use; the
history in bulk (app/demo_bulk.py), all closed, so the queue shows the day alone. Never run
in production (the CLI refuses). The people are obviously fictional.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pyotp
from flask import current_app
from sqlalchemy import select

from app import demo_bulk
from app.extensions import db
from app.models import Case, Municipality, StaffUser, Team
from app.people import accounts, teams

DEMO_PASSWORD = "demo-password-not-secret"  # noqa: S105  (printed on purpose)
# Closed cases over the last two years of the demo teams: enough for the statistics page to
# show most numbers to a lead of all three teams (a count under five is hidden).
DEMO_HISTORY = 1500

DEMO_TEAMS = [
    dict(slug="jyvaskyla", name="Jyväskylän työkyvyn tuen tiimi", phone="014 266 0000",
         municipalities=["179", "500", "892"], contact_days=3, is_default=True),
    dict(slug="laukaa-hankasalmi", name="Laukaan ja Hankasalmen työkyvyn tuen tiimi",
         phone="014 266 0001", municipalities=["410", "077", "275"], contact_days=3),
    dict(slug="pohjoinen", name="Pohjoisen Keski-Suomen työkyvyn tuen tiimi",
         phone="014 266 0002", municipalities=["931", "601", "992"], contact_days=5),
]

DEMO_STAFF = [
    dict(email="demo.tyontekija@example.test", name="Testi Työntekijä",
         title="terveydenhoitaja", role="worker", team_slugs=["jyvaskyla"], ui_locale="fi"),
    dict(email="demo.handlaggare@example.test", name="Demo Handläggare",
         title="socialhandledare", role="worker", team_slugs=["laukaa-hankasalmi"],
         ui_locale="sv"),
    dict(email="demo.esihenkilo@example.test", name="Esimerkki Esihenkilö",
         title="tiimin esihenkilö", role="lead",
         team_slugs=["jyvaskyla", "laukaa-hankasalmi", "pohjoinen"], ui_locale="fi"),
    dict(email="demo.admin@example.test", name="Ylläpito Demo", title="pääkäyttäjä",
         role="admin", team_slugs=["jyvaskyla"], ui_locale="fi"),
]


DEMO_CASES: list[tuple[str, str, dict]] = [
    ("contact_request", "fi", {
        "name": "Testi Asiakas", "phone": "040 000 0001", "municipality": "179",
        "best_time": "morning", "contact_language": "fi",
        "about": "Haluaisin jutella työkyvystäni."}),
    ("saate", "sv", {
        "name": "Test Klient", "email": "test.klient@example.test", "municipality": "410",
        "best_time": "afternoon", "contact_ways": ["calls", "text_messages"],
        "contact_language": "sv", "named_worker": "yes",
        "named_worker_who": "Testi Ohjaaja, socialhandledare, socialservicen i Laukas",
        "situation": "sick_leave", "not_working_for": "3_to_12_months",
        "occupational_health": "yes", "work_ability_score": 5, "affecting": ["musculoskeletal"],
        "kela_pending": ["sickness_allowance"], "acute_distress": "no",
        "hoped_help": ["work_ability_assessment"],
        "share_with": ["kela"], "share_health_with": ["kela"]}),
    ("saate", "selko", {
        "name": "Esimerkki Henkilö", "phone": "040 000 0003", "municipality": "931",
        "best_time": "any", "contact_ways": ["calls"], "contact_language": "fi",
        "named_worker": "no", "situation": "unemployed", "not_working_for": "over_2_years",
        "health_check_12m": "no", "work_ability_score": 2, "kela_pending": ["none"],
        "acute_distress": "yes", "hoped_help": ["talk"], "share_with": ["none"]}),
    ("contact_request", "fi", {
        "name": "Keksitty Nimi", "phone": "040 000 0004", "municipality": "other",
        "contact_language": "fi"}),
]


WORKER, HANDLAGGARE, LEAD = (person["email"] for person in DEMO_STAFF[:3])


@dataclass(frozen=True)
class DemoCase:
    """One case of a team's day: which DEMO_CASES answers it was sent with (for another
    municipality and a made-up person), how long ago, and what staff have done since."""

    answers: int
    municipality: str
    name: str
    phone: str
    # Whole weeks, so that the promised date stays on the weekday it was given for.
    sent_weeks_ago: int = 0
    handler: str | None = None  # the demo staff member (e-mail) who claimed it
    then: tuple[str, ...] = field(default=())  # what the handler did next: see act()


# Each team sees urgent, overdue and waiting cases among the others. Answers 2 are a saate
# whose client said they are in a crisis, so the case is urgent.
DEMO_DAY = [
    # Jyväskylä
    DemoCase(2, "179", "Testi Kiireinen", "040 000 0011"),
    DemoCase(0, "500", "Esimerkki Myöhässä", "040 000 0012", sent_weeks_ago=2),
    DemoCase(1, "892", "Keksitty Odottaja", "040 000 0013", sent_weeks_ago=1,
             handler=WORKER, then=("not_reached", "waiting")),
    DemoCase(3, "179", "Testi Tavoitettu", "040 000 0014", sent_weeks_ago=1,
             handler=WORKER, then=("reached", "note")),
    DemoCase(1, "179", "Malli Ohjattu", "040 000 0015", sent_weeks_ago=3,
             handler=WORKER, then=("reached", "contact_person", "outcomes", "routed")),
    DemoCase(0, "500", "Esimerkki Valmis", "040 000 0016", sent_weeks_ago=4,
             handler=WORKER, then=("reached", "outcomes", "closed")),
    # Laukaa and Hankasalmi
    DemoCase(2, "410", "Test Brådskande", "040 000 0021", sent_weeks_ago=1,
             handler=HANDLAGGARE, then=("not_reached",)),
    DemoCase(1, "077", "Exempel Försenad", "040 000 0022", sent_weeks_ago=2),
    DemoCase(0, "275", "Test Väntande", "040 000 0023", sent_weeks_ago=1,
             handler=HANDLAGGARE, then=("not_reached", "waiting")),
    DemoCase(3, "410", "Keksitty Uusi", "040 000 0024"),
    # The north of Central Finland: the lead handles it
    DemoCase(2, "931", "Testi Kriisi", "040 000 0031"),
    DemoCase(3, "601", "Esimerkki Vanha", "040 000 0032", sent_weeks_ago=2),
    DemoCase(1, "992", "Keksitty Soittopyyntö", "040 000 0033", sent_weeks_ago=1,
             handler=LEAD, then=("not_reached", "waiting", "note")),
    DemoCase(0, "931", "Malli Käsittelyssä", "040 000 0034", handler=LEAD, then=("reached",)),
]

NOTE = "Soitettu, sovittu uusi soitto ensi viikolle (demo)."


@dataclass(frozen=True)
class DemoContact:
    """A contact a demo worker recorded: it came by phone, in person, electronically or as
    a professional's referral through the same case workflow."""

    worker: str
    channel: str
    municipality: str
    language: str
    name: str
    phone: str = ""
    email: str = ""
    about: str = ""
    urgent: bool = False
    referrer: tuple[str, str] = ("", "")
    saate: bool = False  # the whole saate, filled in with the client
    outside_contact_person: bool = False


DEMO_CONTACTS = [
    DemoContact(WORKER, "phone", "179", "fi", "Testi Soittaja", phone="040 000 0041",
                about="Soitti: selkäkipu ja työttömyys, toivoo terveystarkastusta (demo)."),
    DemoContact(WORKER, "referral", "500", "fi", "Esimerkki Ohjattava", phone="040 000 0042",
                about="TE-palveluista ohjattu työkyvyn arvioon (demo).",
                referrer=("Keksityt TE-palvelut", "Testi Ohjaaja"),
                outside_contact_person=True),
    DemoContact(HANDLAGGARE, "walk_in", "410", "sv", "Exempel Besökare", phone="040 000 0043",
                about="Kom till servicepunkten, vill prata om arbetsförmågan (demo).", urgent=True),
    DemoContact(LEAD, "phone", "931", "fi", "Malli Puhelinsaate", phone="040 000 0044",
                saate=True),
]
DEMO_SAATE_ANSWERS = {
    "best_time": "morning", "contact_ways": ["calls"], "filling_for": "with_help",
    "named_worker": "no", "acute_distress": "no", "situation": "unemployed",
    "not_working_for": "1_to_2_years", "occupational_health": "no",
    "work_ability_score": "5", "hoped_help": ["health_check"], "share_with": ["none"],
}


def record_demo_contact(number: int, contact: DemoContact) -> None:
    from app.casework import cases

    worker = accounts.find_by_email(contact.worker)
    assert worker is not None
    recording = cases.Recording(contact.channel, urgent=contact.urgent,
                                referrer_organisation=contact.referrer[0],
                                referrer_name=contact.referrer[1])
    answers = {"name": contact.name, "phone": contact.phone, "email": contact.email,
               "municipality": contact.municipality, "contact_language": contact.language}
    key = f"{number:032x}"
    if contact.saate:
        case = cases.record_saate(worker, recording, {**DEMO_SAATE_ANSWERS, **answers}, key)
    else:
        case = cases.record_contact(worker, recording, {**answers, "about": contact.about}, key)
    if contact.outside_contact_person:
        cases.claim(case, worker, case.version)
        cases.name_contact_person(case, worker, case.version, cases.ContactPerson(
            name="Testi Ohjaaja", title="työkykykoordinaattori",
            organisation="Keksityt TE-palvelut", phone="040 000 0049", phone_shareable=True))


def act(action: str, sent: Case, user: StaffUser) -> None:
    """One thing a worker does on a demo case, through the case workflow."""
    from app.casework import cases
    from app.casework.followup import default_follow_up_day

    # Routed or closed with nobody named: the demo worker says none is needed.
    nobody = not sent.has_contact_person
    match action:
        case "not_reached":
            cases.log_contact_attempt(sent, user, sent.version, "phone", False,
                                      "Ei vastannut (demo).")
        case "reached":
            cases.log_contact_attempt(sent, user, sent.version, "phone", True,
                                      "Tilannekartoitus puhelimessa (demo).")
        case "waiting":
            cases.set_status(sent, user, sent.version, "waiting_for_client")
        case "note":
            cases.add_note(sent, user, sent.version, NOTE)
        case "outcomes":
            cases.record_outcomes(sent, user, sent.version,
                                  ["health_check", "work_ability_coordinator"],
                                  "Terveystarkastus varattu (demo).",
                                  no_contact_person_needed=nobody)
        case "contact_person":
            cases.name_contact_person(sent, user, sent.version,
                                      cases.ContactPerson(staff_id=user.id))
        case "routed":
            cases.set_status(sent, user, sent.version, "routed",
                             no_contact_person_needed=nobody)
        case "closed":
            closing = cases.Closing(("work_trial",), saw_doctor=True,
                                    follow_up_on=default_follow_up_day(cases.local_today()))
            cases.close(sent, user, sent.version, "routed", no_contact_person_needed=nobody,
                        closing=closing)
        case _:
            raise ValueError(f"no demo action {action!r}")


def sent_weeks_ago(case: Case, weeks: int) -> None:
    """Make a just-sent case as if sent some weeks ago (its sending, not what came later)."""
    if not weeks:
        return
    shift = timedelta(weeks=weeks)
    case.created_at -= shift
    case.updated_at -= shift
    case.promised_contact_date -= shift
    for event in case.events:
        event.at -= shift
    db.session.commit()


def seed_cases(team_ids: set[int]) -> None:
    """The demo day, for the demo teams just created: a case goes in only where its
    municipality leads to one of them (a real team may serve the others)."""
    from app.casework import cases
    from app.saate.schema import describe

    def ours(municipality: str) -> bool:
        return teams.team_for_municipality(municipality).id in team_ids

    for number, (kind, language, answers) in enumerate(DEMO_CASES):
        if ours(answers["municipality"]):
            cases.create_case(describe(kind), language, dict(answers), f"demo{number:028d}")
    for number, day in enumerate(DEMO_DAY, start=len(DEMO_CASES)):
        if not ours(day.municipality):
            continue
        kind, language, answers = DEMO_CASES[day.answers]
        case = cases.create_case(
            describe(kind), language,
            {**answers, "municipality": day.municipality, "name": day.name, "phone": day.phone},
            f"demo{number:028d}")
        sent_weeks_ago(case, day.sent_weeks_ago)
        if day.handler is None:
            continue
        handler = accounts.find_by_email(day.handler)
        assert handler is not None
        cases.claim(case, handler, case.version)
        for action in day.then:
            act(action, case, handler)
    for number, contact in enumerate(DEMO_CONTACTS):
        if ours(contact.municipality):
            record_demo_contact(number, contact)


@dataclass
class DemoLogin:
    email: str
    password: str
    totp_secret: str


def seed() -> DemoLogin:
    """Create the demo teams and staff that are missing (by slug and e-mail), the demo day's
    cases for the demo teams created now, and return the main login.

    Works on any database: beside real teams, a demo team takes only the municipalities no
    team serves yet, and becomes the default team only where there is none.
    """
    created = {add_demo_team(team).id for team in DEMO_TEAMS
               if db.session.scalar(select(Team.id).where(Team.slug == team["slug"])) is None}
    for person in DEMO_STAFF:
        if accounts.find_by_email(person["email"]) is None:  # type: ignore[arg-type]
            accounts.create_staff(password=DEMO_PASSWORD, **person)  # type: ignore[arg-type]
    if created:
        seed_cases(created)
        demo_bulk.seed_cases(DEMO_HISTORY, team_ids=created, all_closed=True)
    user = accounts.find_by_email(DEMO_STAFF[0]["email"])  # type: ignore[arg-type]
    assert user is not None
    return DemoLogin(user.email, DEMO_PASSWORD, user.totp_secret)


def add_demo_team(team: dict) -> Team:
    """A demo team, leaving alone what real teams already have: their municipalities and
    the default team."""
    served = {code for code, in db.session.execute(select(Municipality.code))}
    has_default = db.session.scalar(select(Team.id).where(Team.is_default)) is not None
    return teams.create_team(**{
        **team, "municipalities": [code for code in team["municipalities"] if code not in served],
        "is_default": team.get("is_default", False) and not has_default})


def describe_login(login: DemoLogin) -> str:
    """The demo sign-in, at the address the service is served on (BASE_URL: `make run`
    sets it from PORT)."""
    code = pyotp.TOTP(login.totp_secret).now()
    return "\n".join([
        "Demo staff sign-in (development only):",
        f"  address:   {current_app.config['BASE_URL'].rstrip('/')}/staff/",
        f"  e-mail:    {login.email}",
        f"  password:  {login.password}",
        f"  2FA key:   {login.totp_secret}  (add to an authenticator app, or run",
        "             `SAATE_ENV=development .venv/bin/flask --app wsgi demo totp`",
        "             for the current code;",
        f"             right now it is {code})",
        "  Other demo accounts: " + ", ".join(p["email"] for p in DEMO_STAFF[1:]),  # type: ignore[misc]
    ])
