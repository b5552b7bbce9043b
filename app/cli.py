"""Flask commands: db, translate, teams, staff, demo, retention, followup, stats.

Run them as `flask --app wsgi <group> <command>`.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
import pyotp
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from app import backup, catalogues, demo, demo_bulk, mail, migrate
from app.casework import cases, followup_mail, retention
from app.extensions import db
from app.i18n import languages
from app.links import external_url
from app.models import DEFAULT_OPENING_HOURS, StaffUser, StatsCount
from app.people import accounts, setup_links, teams
from app.reporting import rollup
from app.text import clean_text

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")
translate_cli = AppGroup("translate", help="Message catalogues for translators.")
teams_cli = AppGroup("teams", help="Teams and the municipalities they serve.")
staff_cli = AppGroup("staff", help="Staff accounts.")
demo_cli = AppGroup("demo", help="Demo data for a laptop.")
retention_cli = AppGroup("retention", help="Deleting data that is no longer needed.")
followup_cli = AppGroup("followup", help="The follow-up e-mails to clients.")
stats_cli = AppGroup("stats", help="The statistics' daily counts.")


T = TypeVar("T")
SIDE_NAMES = {"public": "client-facing messages", "staff": "staff messages"}


def clean_name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Names typed here are shown to staff and clients: the same clean text as any form."""
    return clean_text(value, multiline=False).strip()


def fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


# --- db -------------------------------------------------------------------------


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    migrate.upgrade(db.engine, revision)
    click.echo(f"Database at {migrate.current(db.engine)}.")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION."""
    migrate.downgrade(db.engine, revision)


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new migration from the difference between models and database."""
    migrate.revision(db.engine, message)


@db_cli.command("current")
def db_current() -> None:
    click.echo(migrate.current(db.engine) or "(empty)")


def with_progress(label: str, work: Callable[[Callable[[int, int], None]], T],
                  unit: str = "") -> T:
    """Run work(progress) under click's progress bar, the one every long-running command
    shows: work calls progress(done, total) as it goes (pages copied, cases seeded, …);
    the bar shows the share done and the time left, and with a unit also the count and the
    rate, e.g. "12,345 cases/s"."""
    began = time.monotonic()

    def rate(done: int | None) -> str | None:
        seconds = time.monotonic() - began
        return f"{done / seconds:,.0f} {unit}/s" if unit and done and seconds > 0 else None

    with click.progressbar(length=1, label=label, show_eta=True, show_percent=True,
                           show_pos=bool(unit), item_show_func=rate) as bar:
        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos, done)

        return work(progress)


@db_cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def db_backup(path: Path) -> None:
    """Back the SQLite database up into a new file PATH, safely while serving."""
    try:
        report = with_progress("Backing up", lambda p: backup.backup(db.engine.url, path, p))
    except backup.BackupError as error:
        fail(str(error))
    click.echo(f"Backup written to {report.path} ({report.pages} pages); integrity check ok; "
               + ", ".join(f"{table}: {rows}" for table, rows in report.rows.items()) + ".")


@db_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm: the database's contents are replaced.")
def db_restore(path: Path, yes: bool) -> None:
    """Replace the SQLite database's contents with the backup PATH (stop serving first)."""
    if not yes:
        fail("restoring replaces everything in the database: stop Saate, then add --yes")
    try:
        report = with_progress("Restoring", lambda p: backup.restore(db.engine.url, path, p))
    except backup.BackupError as error:
        fail(str(error))
    click.echo(f"Restored {report.path} from {path}; integrity check ok.")


# --- translate ------------------------------------------------------------------


def catalogue_locales() -> list[str]:
    return [language.locale for language in languages().values()]


def translations_dir() -> Path:
    return Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])


@translate_cli.command("extract")
def translate_extract() -> None:
    """Collect messages from code and templates into translations/messages.pot."""
    changed = catalogues.extract(pot_file=translations_dir() / "messages.pot")
    click.echo("messages.pot updated." if changed else "messages.pot is up to date.")


@translate_cli.command("update")
def translate_update() -> None:
    """Merge new and changed messages into every language's catalogue."""
    changed = catalogues.update(catalogue_locales(), translations_dir())
    click.echo(f"Updated: {', '.join(changed)}." if changed else "Every catalogue is up to date.")


@translate_cli.command("compile")
def translate_compile() -> None:
    """Compile the catalogues the app reads (.mo files)."""
    for locale, count in catalogues.compile_all(catalogue_locales(), translations_dir()).items():
        if count is None:
            click.echo(f"{locale}: no catalogue yet (`translate update` makes one)")
        else:
            click.echo(f"{locale}: {count} messages")


@translate_cli.command("status")
@click.option("--list", "list_missing", is_flag=True,
              help="Also list the messages each language still lacks.")
def translate_status(list_missing: bool) -> None:
    """How far each language is: translated, fuzzy, missing, and what falls back."""
    template = catalogues.read_catalogue(translations_dir() / "messages.pot")
    for language in languages().values():
        report = catalogues.status(language, template, translations_dir())
        click.echo(f"{language.name} ({language.locale}): {report.translated} of {report.total}"
                   f" translated ({report.percent:.0f} %), {report.fuzzy} fuzzy,"
                   f" {report.missing} missing")
        if report.required != report.total or language.fallback:
            sides = " and ".join(SIDE_NAMES[side] for side in sorted(language.sides))
            click.echo(f"  {sides}: {report.required - len(report.falling_back)} of"
                       f" {report.required} ({report.required_percent:.0f} %)")
        instead = f"fall back to {language.fallback}" if language.fallback else "show in English"
        if report.falling_back:
            click.echo(f"  {len(report.falling_back)} of those still {instead}"
                       + (":" if list_missing else " (--list names them)"))
            if list_missing:
                for text in report.falling_back:
                    click.echo(f'    "{text}"')
        others = report.total - report.required
        if others:
            click.echo(f"  The other {others} are not on this language's side(s) and {instead}.")


@translate_cli.command("check")
def translate_check() -> None:
    """Fail with a list if any catalogue is not ready: stale, missing, fuzzy or broken."""
    found = catalogues.check(list(languages().values()), translations_dir())
    for problem in found:
        click.echo(str(problem), err=True)
    if found:
        fail(f"{len(found)} problem(s) in the catalogues. docs/TRANSLATING.md explains each.")
    click.echo(f"All {len(languages())} catalogues are complete and valid.")


# --- teams and staff ------------------------------------------------------------


@teams_cli.command("create")
@click.option("--slug", required=True)
@click.option("--name", required=True, callback=clean_name)
@click.option("--municipality", "municipalities", multiple=True, required=True,
              help="Code or name, or CODE:FINNISH:SWEDISH; repeat for several.")
@click.option("--contact-days", type=int, required=True,
              help="Working days within which the team promises to contact a client.")
@click.option("--urgent-days", "urgent_contact_days", type=int, default=1, show_default=True,
              help="The promise for urgent cases (a client in crisis): 1 is the next working day.")
@click.option("--opening-hours", default=DEFAULT_OPENING_HOURS, show_default=True,
              help='When the team\'s phone is answered, e.g. "mon-thu 08:00-16:00, '
                   'fri 08:00-15:00"; closed on days not named and on public holidays.')
@click.option("--phone", required=True)
@click.option("--email", default=None,
              help="Team inbox for new-case notices; urgent cases are always notified.")
@click.option("--default", "is_default", is_flag=True,
              help='Receives cases whose municipality is "other or not sure".')
@click.option("--notify", is_flag=True, help="E-mail the team inbox about every new case.")
def teams_create(slug: str, name: str, municipalities: tuple[str, ...], contact_days: int,
                 urgent_contact_days: int, opening_hours: str, phone: str, email: str | None,
                 is_default: bool, notify: bool) -> None:
    """Create a team."""
    try:
        team = teams.create_team(
            slug=slug, name=name, phone=phone, municipalities=list(municipalities),
            contact_days=contact_days, urgent_contact_days=urgent_contact_days,
            opening_hours=opening_hours, email=email, is_default=is_default,
            notify_new_cases=notify,
        )
    except ValueError as error:
        fail(str(error))
    click.echo(f"Team {team.slug} created.")


@teams_cli.command("update")
@click.option("--slug", required=True)
@click.option("--contact-days", type=int, default=None,
              help="Working days within which the team promises to contact a client.")
@click.option("--urgent-days", "urgent_contact_days", type=int, default=None,
              help="The promise for urgent cases: 1 is the next working day.")
@click.option("--opening-hours", default=None,
              help='When the team\'s phone is answered, e.g. "mon-fri 08:00-16:00".')
@click.option("--phone", default=None)
def teams_update(slug: str, contact_days: int | None, urgent_contact_days: int | None,
                 opening_hours: str | None, phone: str | None) -> None:
    """Change a team's promises, phone or phone hours (what is not given stays)."""
    try:
        team = teams.update_team(slug, contact_days=contact_days,
                                 urgent_contact_days=urgent_contact_days,
                                 opening_hours=opening_hours, phone=phone)
    except ValueError as error:
        fail(str(error))
    click.echo(f"Team {team.slug}: contact within {team.contact_days} working days, urgent "
               f"within {team.urgent_contact_days}; phone {team.phone}, {team.opening_hours}.")


@teams_cli.command("list")
def teams_list() -> None:
    """Print every team, one a line, tab-separated: slug, name, municipalities (code name,
    comma-separated), promised contact days, urgent days, phone, intake (open or paused)."""
    click.echo("slug\tname\tmunicipalities\tcontact_days\turgent_days\tphone\tintake")
    for team in teams.list_teams():
        served = ", ".join(f"{m.code} {m.name_fi}" for m in team.municipalities)
        click.echo("\t".join([
            team.slug, one_line(team.name), served, str(team.contact_days),
            str(team.urgent_contact_days), one_line(team.phone),
            "paused" if team.intake_paused else "open"]))


def one_line(text: str) -> str:
    """A value for a tab-separated line: no tabs or line breaks in it."""
    return " ".join(text.split())


@staff_cli.command("list")
def staff_list() -> None:
    """Print every staff member, deactivated ones too, one a line, tab-separated: e-mail,
    name, role, teams (slugs, comma-separated), active (yes or no), set up (yes, or no
    while the set-up link has not been used)."""
    click.echo("email\tname\trole\tteams\tactive\tset_up")
    for user in accounts.list_staff():
        click.echo("\t".join([
            user.email, one_line(user.name), user.role,
            ",".join(sorted(team.slug for team in user.teams)),
            "yes" if user.active else "no", "yes" if accounts.has_password(user) else "no"]))


@staff_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True, callback=clean_name)
@click.option("--title", required=True, callback=clean_name,
              help='Shown to clients, e.g. "terveydenhoitaja".')
@click.option("--role", type=click.Choice(["worker", "lead", "admin"]), required=True)
@click.option("--team", "team_slugs", multiple=True, required=True)
@click.option("--ui-language", type=click.Choice(["fi", "sv"]), default="fi")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input and print the authenticator "
                   "(otpauth://) URI. Without it the account gets a set-up link instead.")
def staff_create(email: str, name: str, title: str, role: str, team_slugs: tuple[str, ...],
                 ui_language: str, password_stdin: bool) -> None:
    """Create a staff member.

    Without --password-stdin, print a one-time set-up link (valid 48 hours) on which
    they choose their password and enrol their authenticator: no password travels.
    """
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    try:
        user = accounts.create_staff(
            email=email, name=name, title=title, role=role, team_slugs=list(team_slugs),
            password=password, ui_locale=ui_language,
        )
    except ValueError as error:
        fail(str(error))
    if password is not None:
        click.echo(accounts.otpauth_uri(user))
    else:
        echo_setup_link(user, setup_links.Reason.NEW_ACCOUNT)


@staff_cli.command("setup-link")
@click.option("--email", required=True)
def staff_setup_link(email: str) -> None:
    """Print a new one-time set-up link (valid 48 hours) for the staff member.

    On it they choose a password and enrol their authenticator. Earlier links end, and
    so do the person's sessions and authenticator codes (a reset of their sign-in).
    """
    user = accounts.find_by_email(email)
    if user is None:
        fail("no staff member with that e-mail")
    reason = (setup_links.Reason.RESET if accounts.has_password(user)  # type: ignore[arg-type]
              else setup_links.Reason.NEW_ACCOUNT)
    echo_setup_link(user, reason)  # type: ignore[arg-type]


def echo_setup_link(user: StaffUser, reason: setup_links.Reason) -> None:
    try:
        issued = setup_links.issue(user, None, reason)
    except ValueError as error:
        fail(str(error))
    click.echo(external_url("staff.setup", token=issued.token))
    click.echo(f"Valid until {issued.expires_at:%Y-%m-%d %H:%M} UTC, once. Pass it on by a "
               "channel you trust.", err=True)


@staff_cli.command("reset-2fa")
@click.option("--email", required=True)
def staff_reset_2fa(email: str) -> None:
    """Give the staff member a new TOTP secret and print its URI; their sessions end."""
    try:
        user = accounts.reset_two_factor(email)
    except ValueError as error:
        fail(str(error))
    click.echo(accounts.otpauth_uri(user))


@staff_cli.command("set-password")
@click.option("--email", required=True)
@click.option("--password-stdin", is_flag=True, required=True,
              help="Read the new password from standard input.")
def staff_set_password(email: str, password_stdin: bool) -> None:
    """Give the staff member a new password; every session of theirs ends."""
    password = sys.stdin.readline().rstrip("\n")
    try:
        accounts.set_password(email, password)
    except ValueError as error:
        fail(str(error))
    click.echo("Password changed; the staff member's sessions have ended.")


@staff_cli.command("disable")
@click.option("--email", required=True)
def staff_disable(email: str) -> None:
    """Stop a staff member from signing in; their sessions and set-up links end.

    Their open cases stay in their name (the command line is nobody to record moving
    them): reassign them at /staff/admin/staff/<id>/reassign, as it prints.
    """
    user = accounts.find_by_email(email)
    if user is None:
        fail("no staff member with that e-mail")
    open_cases = len(cases.open_cases_of(user))  # type: ignore[arg-type]
    try:
        accounts.disable(email, open_cases=open_cases)
    except ValueError as error:
        fail(str(error))
    click.echo("Disabled.")
    if open_cases:
        click.echo(f"{open_cases} open case(s) are still theirs: reassign them at "
                   f"{external_url('staff.reassign_cases', staff_id=user.id)}")  # type: ignore[union-attr]


# --- demo -----------------------------------------------------------------------


@demo_cli.command("seed")
@click.option("--cases", "count", type=click.IntRange(min=0), default=0,
              help="Also add this many fake cases over every team, over the last two years "
                   "(a million takes minutes).")
@click.option("--seed", type=int, default=demo_bulk.DEFAULT_SEED, show_default=True,
              help="The same seed on the same database gives the same cases.")
def demo_seed(count: int, seed: int) -> None:
    """Create the demo teams, staff and cases that are missing (on any database, beside real
    teams), optionally many more cases, and print the demo login."""
    if current_app.config["ENV_NAME"] == "production":
        fail("demo data is never created in production")
    login = demo.seed()
    if count:
        began = time.monotonic()
        report = with_progress("Seeding cases", lambda progress: demo_bulk.seed_cases(
            count, seed=seed, progress=progress), unit="cases")
        seconds = time.monotonic() - began
        click.echo(f"Added {report.cases:,} cases with {report.events:,} timeline events and "
                   f"{report.consents:,} consents in {seconds:.0f} s "
                   f"({report.cases / max(seconds, 0.001):,.0f} cases/s).")
        for team in report.unstaffed:
            click.echo(f"{team} has no active staff: its cases are all new.")
    click.echo(demo.describe_login(login))


@demo_cli.command("totp")
@click.option("--email", default=demo.DEMO_STAFF[0]["email"])
def demo_totp(email: str) -> None:
    """Print a demo account's current two-factor code (development only)."""
    if current_app.config["ENV_NAME"] == "production":
        fail("not available in production")
    user = accounts.find_by_email(email)
    if user is None:
        fail("no such staff member")
    click.echo(pyotp.TOTP(user.totp_secret).now())


@retention_cli.command("run")
def retention_run() -> None:
    """Delete expired drafts and old personal data of closed cases (run daily)."""
    report = with_progress("Anonymising closed cases",
                           lambda progress: retention.run(progress=progress), unit="cases")
    click.echo(f"Drafts deleted: {report.drafts}; throttle records deleted: "
               f"{report.throttle_events}; closed cases anonymised: {report.cases_anonymised}; "
               f"old staff sessions deleted: {report.staff_sessions}.")


@followup_cli.command("send")
def followup_send() -> None:
    """E-mail the follow-up link to the clients whose follow-up is due and who agreed (run
    daily; safe to run again, and on several hosts)."""
    if not mail.configured():
        fail("no SMTP server is set up (SAATE_SMTP_HOST): no follow-up e-mails can go")
    report = with_progress("Sending follow-up e-mails",
                           lambda progress: followup_mail.send_due(progress=progress),
                           unit="follow-ups")
    click.echo(f"Follow-up e-mails sent: {report.sent}; failed (tried again on the next run): "
               f"{report.failed}; due without an e-mail (for a phone call): {report.not_wanted}.")


@stats_cli.command("rebuild")
def stats_rebuild() -> None:
    """Count the statistics' daily counts again from the cases (they are kept as cases
    change; `flask db upgrade` does this when the counting itself has changed)."""
    began = time.monotonic()
    with db.engine.begin() as connection:
        rollup.rebuild(connection)
        rows = connection.scalar(select(func.count()).select_from(StatsCount))
    click.echo(f"Statistics counted again: {rows:,} rows of daily and monthly counts in "
               f"{time.monotonic() - began:.1f} s.")


def init_app(app: Flask) -> None:
    for group in (db_cli, translate_cli, teams_cli, staff_cli, demo_cli, retention_cli,
                  followup_cli, stats_cli):
        app.cli.add_command(group)
