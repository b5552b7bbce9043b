"""Statistics for leads and admins (`/staff/stats`), their anonymous CSV, and the case list
as a CSV under the queue's filters (leads and admins; recorded in the access log)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import Response, abort, render_template, request, url_for
from flask_login import current_user

from app.casework.cases import is_lead, local_today
from app.casework.followup import months_after
from app.i18n import lazy_gettext as _l
from app.i18n import lazy_pgettext as _lp
from app.models import MAX_ID, Team
from app.reporting import case_list, charts, report, statistics
from app.reporting.statistics import LONGEST_PERIOD, Period
from app.spreadsheet import csv_download, csv_stream
from app.text import clean_text

from . import bp, worker_language
from .forms import parse_day
from .queue import filter_args, filters_from_request

EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2099, 12, 31)
# Translators: error message (staff) under a date field when what was sent is not a date.
NOT_A_DAY = _l("Give a date, for example 31.12.2026")
# Translators: error message (staff) under a date field of the statistics page.
OUT_OF_RANGE = _l("Give a date in the years 2000–2099.")
# Translators: error message (staff) on the statistics page when the period ends before it
# begins.
REVERSED = _l("The last day must be on or after the first day.")
# Translators: error message (staff) on the statistics page when the period is too long.
TOO_LONG = _l("Choose a period of five years at most.")
# Translators: error message (staff) on the statistics page when the team asked for is not one
# the lead may see.
NOT_A_TEAM = _l("Choose a team from the list.")
# Translators: on the statistics page (staff) and in its CSV: the small-cell rule.
SMALL_CELL_RULE = _l("To protect clients, a count of 1–4 clients is shown as “< 5”, and “–” "
                     "marks a number hidden so that such a count cannot be worked out, or one "
                     "based on fewer than 5 clients.")

# The statistics CSV: what it covers (its first rows), and its columns.
# Translators: a row at the start of the statistics CSV (staff): the period counted.
CSV_PERIOD = _l("Period")
# Translators: in the statistics CSV (staff): the first day of the period counted.
CSV_FIRST_DAY = _l("First day")
# Translators: in the statistics CSV (staff): the last day of the period counted.
CSV_LAST_DAY = _l("Last day")
# Translators: a row at the start of the statistics CSV (staff): the teams counted.
CSV_TEAMS = _l("Teams counted")
# Translators: a row at the start of the statistics CSV (staff): how small counts are shown.
CSV_SMALL_NUMBERS = _l("Small numbers")
CSV_HEADER = (
    # Translators: a column header of the statistics CSV (staff): which table of the page.
    _lp("statistics CSV", "Table"),
    # Translators: a column header of the statistics CSV (staff): the row of the table.
    _lp("statistics CSV", "Row"),
    # Translators: a column header of the statistics CSV (staff): the column of the table.
    _lp("statistics CSV", "Column"),
    # Translators: a column header of the statistics CSV (staff): the number.
    _lp("statistics CSV", "Value"),
)


@dataclass
class StatsRequest:
    """The statistics asked for: the period and team, what was typed, what was wrong."""

    teams: list[Team]
    typed: dict[str, str]
    period: Period | None = None
    team: Team | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def team_ids(self) -> tuple[int, ...] | None:
        """The teams counted: the one chosen, else every team the user may read (None for an
        admin: every team there is)."""
        if self.team is not None:
            return (self.team.id,)
        if current_user.role == "admin":
            return None
        return tuple(team.id for team in self.teams)

    def query(self) -> dict[str, str]:
        assert self.period is not None
        query = {"from": self.period.first.isoformat(), "to": self.period.last.isoformat()}
        return query | ({"team": str(self.team.id)} if self.team else {})


def require_lead() -> None:
    if not is_lead(current_user):
        abort(403)


def _day(name: str, errors: dict[str, str]) -> date | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    day = parse_day(text)
    if day is None:
        errors[name] = str(NOT_A_DAY)
    elif not EARLIEST_DAY <= day <= LATEST_DAY:
        errors[name] = str(OUT_OF_RANGE)
        day = None
    return day


def requested() -> StatsRequest:
    """The period and team from the query string; anything wrong is an error to show."""
    teams = statistics.readable_teams(current_user)
    typed = {name: clean_text(request.args.get(name, ""), multiline=False)[:40]
             for name in ("from", "to", "team")}
    asked = StatsRequest(teams, typed)
    first, last = _day("from", asked.errors), _day("to", asked.errors)
    # The form sends a team's id exactly: anything else (spaces too) is not a team.
    team_text = typed["team"]
    if team_text:
        by_id = {str(team.id): team for team in teams}
        if not (team_text.isascii() and team_text.isdigit() and len(team_text) <= 10
                and int(team_text) <= MAX_ID and team_text in by_id):
            asked.errors["team"] = str(NOT_A_TEAM)
        else:
            asked.team = by_id[team_text]
    if asked.errors:
        return asked
    last = last or (local_today() if first is None or first <= local_today() else first)
    first = first or months_after(last, -12) + timedelta(days=1)
    if first > last:
        asked.errors["to"] = str(REVERSED)
    elif last - first > LONGEST_PERIOD:
        asked.errors["to"] = str(TOO_LONG)
    else:
        asked.period = Period(first, last)
        asked.typed |= {"from": first.isoformat(), "to": last.isoformat()}
    return asked


def _refused(asked: StatsRequest) -> tuple[str, int]:
    return render_template("staff/stats.html", asked=asked, sections=None, comments=None,
                           small_cell_rule=SMALL_CELL_RULE), 400


@bp.get("/stats")
def stats() -> str | tuple[str, int]:
    require_lead()
    asked = requested()
    if asked.period is None:
        return _refused(asked)
    figures = statistics.compute(asked.period, asked.team_ids, local_today())
    # Free text only from the reader's own teams (an admin reads others' numbers, not words).
    own = {team.id for team in current_user.teams}
    counted = asked.team_ids or tuple(team.id for team in asked.teams)
    return render_template(
        "staff/stats.html", asked=asked, sections=report.build(figures, worker_language()),
        comments=statistics.comments(asked.period, [i for i in counted if i in own]),
        comment_limit=statistics.COMMENT_LIMIT, csv_url=url_for("staff.stats_csv", **asked.query()),
        small_cell_rule=SMALL_CELL_RULE)


@bp.get("/stats.csv")
def stats_csv() -> Response | tuple[str, int]:
    """The page's tables, anonymous: counts only (no comments), the small-cell rule kept."""
    require_lead()
    asked = requested()
    if asked.period is None:
        return _refused(asked)
    period = asked.period
    sections = report.build(statistics.compute(period, asked.team_ids, local_today()),
                            worker_language())
    team_names = [asked.team.name] if asked.team else [team.name for team in asked.teams]
    about = [(str(CSV_PERIOD), str(CSV_FIRST_DAY), period.first.isoformat()),
             (str(CSV_PERIOD), str(CSV_LAST_DAY), period.last.isoformat()),
             (str(CSV_TEAMS), "", "; ".join(team_names)),
             (str(CSV_SMALL_NUMBERS), "", str(SMALL_CELL_RULE))]
    header = [str(text) for text in CSV_HEADER]
    return csv_download(f"saate-statistics-{period.first}-{period.last}.csv", header,
                        report.csv_rows(sections, about), bom=True)


@bp.get("/cases.csv")
def case_list_csv() -> Response:
    """The cases of the lead's teams under the queue's filters, streamed; one access-log
    entry with the count."""
    require_lead()
    filters = filters_from_request()
    described = " ".join(f"{name}={value or '-'}" for name, value in filter_args(filters).items())
    export = case_list.start(current_user._get_current_object(), filters, described)
    return csv_stream(f"saate-cases-{local_today()}.csv", case_list.header(),
                      case_list.rows(export, case_list.labels(worker_language())))


bp.add_app_template_filter(report.display, "stat_cell")
bp.add_app_template_global(charts.chart, "stat_chart")
