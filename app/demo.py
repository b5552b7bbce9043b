"""Demo data for a laptop: Central Finland teams, staff and a few cases.

Built through the same service functions the app and the CLI use. Never run
in production (the CLI refuses). The people are obviously fictional.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyotp
from sqlalchemy import select

from app.extensions import db
from app.models import Team
from app.people import accounts, teams

DEMO_PASSWORD = "demo-password-not-secret"  # noqa: S105  (printed on purpose)

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


def seed_cases() -> None:
    from app.casework import cases
    from app.saate.schema import describe

    for number, (kind, language, answers) in enumerate(DEMO_CASES):
        cases.create_case(describe(kind), language, dict(answers), f"demo{number:028d}")


@dataclass
class DemoLogin:
    email: str
    password: str
    totp_secret: str


def seed() -> DemoLogin:
    """Create the demo teams and staff unless they exist; return the main login."""
    if db.session.scalar(select(Team).limit(1)) is None:
        for team in DEMO_TEAMS:
            teams.create_team(**team)  # type: ignore[arg-type]
        for person in DEMO_STAFF:
            accounts.create_staff(password=DEMO_PASSWORD, **person)  # type: ignore[arg-type]
        seed_cases()
    user = accounts.find_by_email(DEMO_STAFF[0]["email"])  # type: ignore[arg-type]
    assert user is not None, "demo data is partly missing: remove instance/ and run again"
    return DemoLogin(user.email, DEMO_PASSWORD, user.totp_secret)


def describe_login(login: DemoLogin) -> str:
    code = pyotp.TOTP(login.totp_secret).now()
    return "\n".join([
        "Demo staff sign-in (development only):",
        "  address:   http://127.0.0.1:5000/staff/",
        f"  e-mail:    {login.email}",
        f"  password:  {login.password}",
        f"  2FA key:   {login.totp_secret}  (add to an authenticator app, or run",
        "             `SAATE_ENV=development .venv/bin/flask --app wsgi demo totp`",
        "             for the current code;",
        f"             right now it is {code})",
        "  Other demo accounts: " + ", ".join(p["email"] for p in DEMO_STAFF[1:]),  # type: ignore[misc]
    ])
