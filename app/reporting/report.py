"""The statistics as tables: built once from the counted figures and shown three ways, on
the page, as SVG charts (app/reporting/charts.py) and in the anonymous CSV, so all three
carry the same numbers. Labels are in the reader's language; every number has passed the
small-cell rule (app/reporting/small_cells.py) before it gets here.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import format_decimal, format_percent

from app.casework import destinations
from app.casework.case_terms import (
    CASE_CHANNELS,
    CLOSE_REASONS,
    GOT_HELP,
    KINDS,
    MOVED_ON_TO,
    OUTCOMES,
    STATUSES,
)
from app.casework.profile import AGE_GROUPS, DIFFICULTY_GROUPS
from app.i18n import lazy_gettext as _l
from app.i18n import lazy_pgettext as _lp
from app.i18n import public_languages
from app.intake.feedback import Moment
from app.models import CaseStatus
from app.saate.schema import EDUCATION

from .rollup import Change, Phase, Promise
from .small_cells import (
    Cell,
    Group,
    Mark,
    Unit,
    count,
    mean,
    protect,
    share,
    statistic,
)
from .statistics import DestinationOutcomes, Durations, Figures, Outcomes

SECONDS_A_DAY = 86400
TOTAL = "total"
NOT_KNOWN = "not_known"
# Translators: in a statistics table (staff) for a count of 1 to 4 clients, which is not shown
# so that nobody can be recognised: "fewer than 5".
SMALL_TEXT = _l("< 5")
HIDDEN_TEXT = "–"


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass
class Row:
    key: str
    label: str
    # None: a cell that has nothing to show (e.g. the share of a total).
    cells: list[Cell | None]
    total: bool = False  # a total: in bold, never charted
    short: str = ""  # a chart's axis label, where the label is long (weeks)


@dataclass(frozen=True)
class Chart:
    kind: str  # "bars" (one bar a row) or "weeks" (a column a week)
    column: int = 0  # which column of the table is drawn


@dataclass
class Table:
    key: str
    title: str
    row_header: str
    columns: list[Column]
    rows: list[Row]
    chart: Chart | None = None
    note: str = ""

    @property
    def charted_rows(self) -> list[Row]:
        return [row for row in self.rows if not row.total]


@dataclass
class Section:
    key: str
    title: str
    intro: str
    tables: list[Table] = field(default_factory=list)


def display(cell: Cell | None) -> str:
    """A cell as the page and the charts show it, in the reader's language."""
    if cell is None:
        return ""
    if cell.mark == Mark.SMALL:
        return str(SMALL_TEXT)
    if cell.value is None:
        return HIDDEN_TEXT
    if cell.unit == Unit.PERCENT:
        return format_percent(cell.value / 100)
    if cell.unit == Unit.COUNT:
        return format_decimal(cell.value)
    return format_decimal(cell.value, format="0.0")


def csv_value(cell: Cell) -> int | float | str:
    """A cell as the CSV carries it: the number, or the small-cell mark."""
    if cell.mark == Mark.SMALL:
        return str(SMALL_TEXT)
    return HIDDEN_TEXT if cell.value is None else cell.value


# --- Labels -------------------------------------------------------------------------------

# Translators: a table's first column header in the statistics (staff): the rows are ISO weeks.
WEEK = _lp("statistics", "Week")
# Translators: a column header in the statistics (staff): the number of cases in a row.
CASES = _lp("statistics", "Cases")
# Translators: a column header in the statistics (staff): a row's share of the total, in per cent.
SHARE = _lp("statistics", "Share")
# Translators: the total of a statistics table's rows (staff), as the last row's label.
ALL = _lp("statistics", "All")
# Translators: a row in the statistics (staff): the clients who did not answer the question.
NOT_KNOWN_LABEL = _lp("statistics", "Not known")

PHASES = (
    # Translators: a phase of a case, in the statistics (staff): open, nobody has reached the
    # client yet.
    (Phase.WAITING.value, _l("Waiting for the first contact")),
    # Translators: a phase of a case, in the statistics (staff): open, the client has been
    # reached, no triage outcome yet.
    (Phase.CONTACTED.value, _l("Contacted, not routed yet")),
    # Translators: a phase of a case, in the statistics (staff): a triage outcome is recorded
    # and the case is still open.
    (Phase.ROUTED.value, _l("Routed, case still open")),
    # Translators: a phase of a case, in the statistics (staff): closed, and its follow-up is
    # still to come.
    (Phase.FOLLOW_UP_PENDING.value, _l("Closed, follow-up to come")),
    # Translators: a phase of a case, in the statistics (staff): closed, with the follow-up
    # answered or no follow-up planned.
    (Phase.CLOSED.value, _l("Closed, no follow-up to come")),
)


# Each section's heading and introduction, by key.
SECTIONS = {
    # Translators: a section heading of the statistics page (staff).
    "new-cases": (_l("New cases"),
                  # Translators: the introduction of a section of the statistics page (staff).
                  _l("The cases that came in during the period, by the week they came in, how "
                     "they came (channel), what was sent and the client's language.")),
    # Translators: a section heading of the statistics page (staff).
    "clients": (_l("Clients"),
                # Translators: the introduction of a section of the statistics page (staff).
                _l("Who the clients are, from the saates that came in during the period (a "
                   "contact request does not ask). Each saate counts once.")),
    # Translators: a section heading of the statistics page (staff).
    "now": (_l("Cases now"),
            # Translators: the introduction of a section of the statistics page (staff).
            _l("Where the cases that came in during the period are today.")),
    # Translators: a section heading of the statistics page (staff).
    "speed": (_l("Speed"),
              # Translators: the introduction of a section of the statistics page (staff).
              _l("How fast the cases that came in during the period were answered. The promise "
                 "is kept when the client was reached on or before the promised day. A case "
                 "counts once its promised day has passed or the client was reached; "
                 "duplicates are left out.")),
    # Translators: a section heading of the statistics page (staff).
    "routing": (_l("Routing and outcomes"),
                # Translators: the introduction of a section of the statistics page (staff).
                _l("Where the cases that came in during the period were routed, and what came "
                   "of the cases closed during the period.")),
    # Translators: a section heading of the statistics page (staff).
    "follow-up": (_l("Follow-up"),
                  # Translators: the introduction of a section of the statistics page (staff).
                  _l("The follow-ups answered during the period, by the client online or by a "
                     "worker from a phone call.")),
    # Translators: a section heading of the statistics page (staff).
    "feedback": (_l("Feedback"),
                 # Translators: the introduction of a section of the statistics page (staff).
                 _l("Feedback after sending is counted for the cases that came in during the "
                    "period, end-of-service feedback for the cases closed during it, and the "
                    "follow-up's answer for the follow-ups answered during it.")),
}


def _section(key: str) -> tuple[str, str, str]:
    title, intro = SECTIONS[key]
    return key, str(title), str(intro)


def _labelled(choices: Sequence[Any]) -> list[tuple[str, str]]:
    return [(choice.code, str(choice.label)) for choice in choices]


def language_labels() -> list[tuple[str, str]]:
    return [(language.segment, language.name) for language in public_languages()]


def week_labels(monday: date) -> tuple[str, str]:
    """A week's label in a table ("Week 5/2024") and on a chart's axis ("5/2024")."""
    year, week, _ = monday.isocalendar()
    # Translators: a row of the weekly statistics table (staff): the ISO week number and its
    # year, e.g. "Week 5/2024".
    return str(_l("Week %(week)s/%(year)s", week=week, year=year)), f"{week}/{year}"


# --- Building the tables ------------------------------------------------------------------


def _distribution(key: str, title: Any, row_header: Any, labelled: list[tuple[str, str]],
                  counts: Mapping[Hashable, int], total: int, total_label: Any, *,
                  adds_up: bool, note: Any = "") -> Table:
    """A count and a share per row, and the total: rows that add up to the total (one
    answer per client) are protected as a group; lists where several may apply are not."""
    values = {code: counts.get(code, 0) for code, _ in labelled} | {TOTAL: total}
    groups = [Group(tuple(code for code, _ in labelled), TOTAL)] if adds_up else []
    cells = protect(values, groups)
    rows = [Row(code, text, [cells[code], share(cells[code], total)]) for code, text in labelled]
    rows.append(Row(TOTAL, str(total_label), [cells[TOTAL], None], total=True))
    return Table(key, str(title), str(row_header), [Column("cases", str(CASES)),
                                                     Column("share", str(SHARE))],
                 rows, Chart("bars"), str(note))


def _with_not_known(labelled: list[tuple[str, str]], counts: Mapping[Any, int]
                    ) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """The choices and a "not known" row for clients without an answer (None) or with one
    outside the list."""
    known = {code for code, _ in labelled}
    values = {code: counts.get(code, 0) for code in known}
    values[NOT_KNOWN] = sum(n for code, n in counts.items() if code not in known)
    return [*labelled, (NOT_KNOWN, str(NOT_KNOWN_LABEL))], values


def _new_cases(figures: Figures) -> Section:
    """The weekly tables and the period's totals by channel, kind and language, protected
    together: a week's counts add up to the week, each column to the period."""
    dimensions = {"channel": _labelled(CASE_CHANNELS), "kind": _labelled(KINDS),
                  "language": language_labels()}
    weeks = sorted(figures.by_week)
    counts: dict[Hashable, int] = {("period", "all", ""): figures.new_cases}
    groups = [Group(tuple(("week", week, "all", "") for week in weeks), ("period", "all", ""))]
    for week in weeks:
        counts[("week", week, "all", "")] = figures.by_week[week][("all", "")]
    for dimension, labelled in dimensions.items():
        codes = [code for code, _ in labelled]
        for code in codes:
            counts[("period", dimension, code)] = sum(
                figures.by_week[week][(dimension, code)] for week in weeks)
            groups.append(Group(tuple(("week", week, dimension, code) for week in weeks),
                                ("period", dimension, code)))
            for week in weeks:
                counts[("week", week, dimension, code)] = figures.by_week[week][(dimension, code)]
        groups.append(Group(tuple(("period", dimension, code) for code in codes),
                            ("period", "all", "")))
        groups += [Group(tuple(("week", week, dimension, code) for code in codes),
                         ("week", week, "all", "")) for week in weeks]
    cells = protect(counts, groups)

    def weekly(key: str, title: Any, shown: list[str], chart: Chart | None) -> Table:
        columns = [Column("all", str(ALL))] + [
            Column(f"{dimension}:{code}", text)
            for dimension in shown for code, text in dimensions[dimension]]
        rows = []
        for week in weeks:
            long, short = week_labels(week)
            rows.append(Row(week.isoformat(), long, [cells[("week", week, "all", "")]] + [
                cells[("week", week, *column.key.split(":"))] for column in columns[1:]],
                short=short))
        rows.append(Row(TOTAL, str(ALL), [cells[("period", "all", "")]] + [
            cells[("period", *column.key.split(":"))] for column in columns[1:]], total=True))
        # Translators: a note under the weekly statistics tables (staff).
        note = _l("The first and the last week may be partly outside the period.")
        return Table(key, str(title), str(WEEK), columns, rows, chart, str(note))

    def totals(dimension: str, key: str, title: Any, row_header: Any) -> Table:
        rows = [Row(code, text, [cells[("period", dimension, code)],
                                 share(cells[("period", dimension, code)], figures.new_cases)])
                for code, text in dimensions[dimension]]
        rows.append(Row(TOTAL, str(ALL), [cells[("period", "all", "")], None], total=True))
        return Table(key, str(title), str(row_header),
                     [Column("cases", str(CASES)), Column("share", str(SHARE))], rows,
                     Chart("bars"))

    return Section(*_section("new-cases"), [
        # Translators: the title of a statistics table and chart (staff).
        weekly("new-by-week", _l("New cases per week by channel and kind"),
               ["channel", "kind"], Chart("weeks")),
        # Translators: the title of a statistics table (staff).
        weekly("new-by-week-language", _l("New cases per week by language"), ["language"],
               None),
        # Translators: the title of a statistics table and chart (staff).
        totals("channel", "new-by-channel", _l("New cases by channel"),
               # Translators: a table's first column header (staff statistics): how a case
               # came in.
               _lp("statistics", "Channel")),
        # Translators: the title of a statistics table and chart (staff).
        totals("kind", "new-by-kind", _l("New cases by kind"), _lp("statistics", "Kind")),
        # Translators: the title of a statistics table and chart (staff).
        totals("language", "new-by-language", _l("New cases by language"),
               # Translators: a table's first column header (staff statistics): the language
               # the client used.
               _lp("statistics", "Language")),
    ])


def _clients(figures: Figures) -> Section:
    age_rows, ages = _with_not_known(_labelled(AGE_GROUPS), figures.age_groups)
    education_rows, education = _with_not_known(_labelled(EDUCATION), figures.education)
    # Translators: the total row of a statistics table (staff): saates that came in.
    saates = _l("All saates")
    return Section(*_section("clients"), [
        # Translators: the title of a statistics table and chart (staff).
        _distribution("age-groups", _l("Clients by age group"),
                      # Translators: a table's first column header (staff statistics).
                      _lp("statistics", "Age"), age_rows, ages, figures.saates, saates,
                      adds_up=True),
        # Translators: the title of a statistics table and chart (staff).
        _distribution("education", _l("Clients by education"),
                      # Translators: a table's first column header (staff statistics).
                      _lp("statistics", "Education"), education_rows, education,
                      figures.saates, saates, adds_up=True),
        # Translators: the title of a statistics table and chart (staff): what affects the
        # clients' work ability, grouped as social, psychological, somatic and other.
        _distribution("difficulties", _l("Clients by kind of difficulty"),
                      # Translators: a table's first column header (staff statistics).
                      _lp("statistics", "Kind of difficulty"), _labelled(DIFFICULTY_GROUPS),
                      figures.difficulties, figures.saates, saates, adds_up=False,
                      # Translators: a note under a statistics table (staff).
                      note=_l("A client may have several kinds of difficulty, so the rows "
                              "do not add up to the total.")),
    ])


def _cases_now(figures: Figures) -> Section:
    open_statuses = [(choice.code, str(choice.label)) for choice in STATUSES
                     if choice.code != CaseStatus.CLOSED]
    open_cases = sum(figures.status.get(code, 0) for code, _ in open_statuses)
    return Section(*_section("now"), [
        # Translators: the title of a statistics table and chart (staff).
        _distribution("open-by-status", _l("Open cases by status"),
                      # Translators: a table's first column header (staff statistics).
                      _lp("statistics", "Status"), open_statuses, figures.status, open_cases,
                      # Translators: the total row of a statistics table (staff).
                      _l("All open cases"), adds_up=True),
        # Translators: the title of a statistics table and chart (staff): how far each case
        # has got.
        _distribution("by-phase", _l("Cases by phase"),
                      # Translators: a table's first column header (staff statistics): how
                      # far a case has got (not "vaihe" in Finnish).
                      _lp("statistics", "Phase"),
                      [(code, str(text)) for code, text in PHASES], figures.phase,
                      # Translators: the total row of a statistics table (staff): every case
                      # that came in during the period.
                      figures.new_cases, _l("All new cases"), adds_up=True),
    ])


def _days(durations: Durations) -> list[Cell | None]:
    return [count(durations.cases),
            statistic(None if durations.median is None else durations.median / SECONDS_A_DAY,
                      durations.cases, Unit.DAYS),
            statistic(None if durations.p90 is None else durations.p90 / SECONDS_A_DAY,
                      durations.cases, Unit.DAYS)]


def _speed(figures: Figures) -> Section:
    times = Table(
        # Translators: the title of a statistics table (staff).
        "times", str(_l("Time from coming in")),
        # Translators: a table's first column header (staff statistics): an event of a case.
        str(_lp("statistics", "Until")),
        [Column("cases", str(CASES)),
         # Translators: a column header (staff statistics): the median time, in days.
         Column("median_days", str(_l("Median, days"))),
         # Translators: a column header (staff statistics): the time within which 90 % of the
         # cases got there, in days.
         Column("p90_days", str(_l("90th percentile, days")))],
        # Translators: a row of a statistics table (staff): the time until the client was first
        # reached.
        [Row("first-contact", str(_l("First contact")), _days(figures.to_contact)),
         # Translators: a row of a statistics table (staff): the time until the first triage
         # outcome was recorded.
         Row("routing", str(_l("Routing")), _days(figures.to_routing))],
        # Translators: a note under a statistics table (staff).
        note=str(_l("Counted over the cases that got there; the median is the middle value, "
                    "and nine in ten got there within the 90th percentile. Interpolated "
                    "between the two nearest cases, as in spreadsheets.")))
    return Section(*_section("speed"),
        [times, _promise_table(figures)])


def _promise_table(figures: Figures) -> Table:
    """All cases and the urgent ones (not "the others": with both, the urgent cases' small
    counts could be had by subtraction)."""
    urgent, other = figures.promise.get(True, {}), figures.promise.get(False, {})
    counts: dict[Hashable, int] = {}
    for row, parts in (("all", (urgent, other)), ("urgent", (urgent,))):
        kept = sum(part.get(Promise.KEPT, 0) for part in parts)
        late = sum(part.get(Promise.LATE, 0) for part in parts)
        counts |= {(row, "kept"): kept, (row, "late"): late, (row, "due"): kept + late}
    cells = protect(counts, [Group(((row, "kept"), (row, "late")), (row, "due"))
                             for row in ("all", "urgent")])
    labels = {
        # Translators: a row of a statistics table (staff): every case counted.
        "all": _l("All cases"),
        # Translators: a row of a statistics table (staff): urgent cases.
        "urgent": _l("Urgent cases")}
    rows = [Row(row, str(labels[row]), [cells[(row, "due")], cells[(row, "kept")],
                                        cells[(row, "late")],
                                        share(cells[(row, "kept")], counts[(row, "due")])])
            for row in ("all", "urgent")]
    # Translators: the title of a statistics table and chart (staff): the share of clients
    # reached by the promised day.
    return Table("promise", str(_l("Contacted within the promise")),
                 str(_lp("statistics", "Cases")),
                 # Translators: a column header (staff statistics): cases whose promised day
                 # has passed or whose client was reached.
                 [Column("due", str(_l("Counted"))),
                  # Translators: a column header (staff statistics): reached by the promised day.
                  Column("kept", str(_l("On time"))),
                  # Translators: a column header (staff statistics): reached after the promised
                  # day, or not reached by it.
                  Column("late", str(_lp("statistics", "Late"))),
                  # Translators: a column header (staff statistics): the share reached on time.
                  Column("share_on_time", str(_l("Share on time")))],
                 rows, Chart("bars", column=3))


def _destination_names(figures: Figures, html_lang: str) -> dict[str, str]:
    """Every routing destination the figures name, built-in or a team's own, in `html_lang`
    (one query for the teams' own names, whatever the number of tables)."""
    codes = [*figures.routed_to, *figures.at_close.by_destination,
             *figures.follow_ups.doing.by_destination]
    return destinations.labels_for(codes, html_lang)


def _destinations(codes: Sequence[str], names: Mapping[str, str]) -> list[tuple[str, str]]:
    """Destination codes in the order of the routing list, others (a team's own) after."""
    known = [choice.code for choice in OUTCOMES if choice.code in codes]
    others = sorted(set(codes) - set(known))
    return [(code, names.get(code, code)) for code in known + others]


def _routing(figures: Figures, names: Mapping[str, str]) -> Section:
    routed_to = [code for code, n in figures.routed_to.items() if n]
    saw_doctor = {"yes": figures.saw_doctor.get(True, 0), "no": figures.saw_doctor.get(False, 0),
                  NOT_KNOWN: figures.saw_doctor.get(None, 0)}
    # Translators: the total row of a statistics table (staff): cases closed in the period.
    closed = _l("All closed cases")
    return Section(*_section("routing"), [
        # Translators: the title of a statistics table and chart (staff).
        _distribution("routed-to", _l("Routing destinations"),
                      # Translators: a table's first column header (staff statistics): where
                      # clients were routed.
                      _lp("statistics", "Destination"), _destinations(routed_to, names),
                      figures.routed_to, figures.routed,
                      # Translators: the total row of a statistics table (staff).
                      _l("All routed cases"), adds_up=False,
                      # Translators: a note under a statistics table (staff).
                      note=_l("A client may be routed to several places, so the rows do not "
                              "add up to the total.")),
        # Translators: the title of a statistics table and chart (staff).
        _distribution("close-reasons", _l("Close reasons"),
                      # Translators: a table's first column header (staff statistics).
                      _lp("statistics", "Reason"), _labelled(CLOSE_REASONS),
                      figures.close_reasons, figures.closed, closed, adds_up=True),
        # Translators: the title of a statistics table and chart (staff): whether the client
        # saw a doctor about their work ability during the service.
        _distribution("saw-doctor", _l("Saw a doctor about their work ability"),
                      # Translators: a table's first column header (staff statistics).
                      _lp("statistics", "Answer"),
                      [("yes", str(_lp("saw doctor", "Yes"))),
                       ("no", str(_lp("saw doctor", "No"))),
                       (NOT_KNOWN, str(_lp("saw doctor", "Not known")))],
                      saw_doctor, figures.closed, closed, adds_up=True),
        # Translators: the title of a statistics table and chart (staff): where the clients
        # of the cases closed in the period moved on.
        _distribution("moved-on", _l("Outcomes at closing"),
                      # Translators: a table's first column header (staff statistics): where
                      # the client moved on.
                      _lp("statistics", "Outcome"), _labelled(MOVED_ON_TO),
                      figures.at_close.codes, figures.closed, closed, adds_up=False,
                      note=_l("Several may apply, so the rows do not add up to the total.")),
        _by_destination(figures, names),
        # Translators: the title of a statistics table (staff): the outcomes at closing for
        # each routing destination.
        _crosstab("moved-on-by-destination", _l("Outcomes at closing by routing destination"),
                  figures.at_close, figures.closed, closed, names),
    ])


def _by_destination(figures: Figures, names: Mapping[str, str]) -> Table:
    at_close, at_follow_up = figures.at_close, figures.follow_ups.doing
    destinations = _destinations([*at_close.by_destination, *at_follow_up.by_destination],
                                 names)

    def cells(closed: int, moved: int, answered: int, doing: int) -> list[Cell | None]:
        moved_cell, doing_cell = count(moved), count(doing)
        return [count(closed), moved_cell, share(moved_cell, closed),
                count(answered), doing_cell, share(doing_cell, answered)]

    empty = DestinationOutcomes()
    rows = [Row(code, text, cells(
        at_close.by_destination.get(code, empty).cases,
        at_close.by_destination.get(code, empty).somewhere,
        at_follow_up.by_destination.get(code, empty).cases,
        at_follow_up.by_destination.get(code, empty).somewhere)) for code, text in destinations]
    rows.append(Row(TOTAL, str(ALL), cells(figures.closed, at_close.somewhere,
                                           figures.follow_ups.answered, at_follow_up.somewhere),
                    total=True))
    columns = [
        # Translators: a column header (staff statistics): cases closed in the period.
        Column("closed", str(_lp("statistics", "Closed"))),
        # Translators: a column header (staff statistics): clients who moved on to studies,
        # rehabilitation, pension or work by the closing.
        Column("moved_on", str(_l("Moved on at closing"))),
        # Translators: a column header (staff statistics): the share of the closed cases
        # whose client moved on.
        Column("moved_on_share", str(_l("Share at closing"))),
        # Translators: a column header (staff statistics): follow-ups answered in the period.
        Column("follow_ups", str(_l("Follow-ups answered"))),
        # Translators: a column header (staff statistics): clients in studies, rehabilitation,
        # pension or work at the follow-up.
        Column("moved_on_at_follow_up", str(_l("Moved on at follow-up"))),
        # Translators: a column header (staff statistics): the share of the answered
        # follow-ups whose client had moved on.
        Column("moved_on_at_follow_up_share", str(_l("Share at follow-up"))),
    ]
    # Translators: the title of a statistics table and chart (staff): which routes lead
    # somewhere.
    return Table("by-destination", str(_l("Moved on by routing destination")),
                 str(_lp("statistics", "Destination")), columns, rows, Chart("bars", column=2),
                 # Translators: a note under a statistics table (staff).
                 str(_l("Moved on: to studies, rehabilitation, a pension assessment, a work "
                        "trial or work. A client routed to several places counts under each.")))


def _crosstab(key: str, title: Any, outcomes: Outcomes, total: int, total_label: Any,
              names: Mapping[str, str]) -> Table:
    """Each routing destination's outcomes, code by code (counts only: rule 1)."""
    columns = [Column(code, text) for code, text in _labelled(MOVED_ON_TO)]
    rows = [Row(code, text, [count(outcomes.by_destination[code].codes.get(column.key, 0))
                             for column in columns])
            for code, text in _destinations(list(outcomes.by_destination), names)]
    rows.append(Row(TOTAL, str(total_label),
                    [count(outcomes.codes.get(column.key, 0)) for column in columns], total=True))
    return Table(key, str(title), str(_lp("statistics", "Destination")), columns, rows)


def _follow_up(figures: Figures, names: Mapping[str, str]) -> Section:
    follow_ups = figures.follow_ups
    got_help_rows, got_help = _with_not_known(_labelled(GOT_HELP), follow_ups.got_help)
    # Translators: the total row of a statistics table (staff): follow-ups answered.
    answered = _l("All answered follow-ups")
    scored = follow_ups.scored
    means = Table(
        # Translators: the title of a statistics table (staff): the 0–10 work-ability score.
        "work-ability-means", str(_l("Work-ability score, 0–10")),
        # Translators: a table's first column header (staff statistics).
        str(_lp("statistics", "Score")),
        # Translators: a column header (staff statistics): the mean (average) of the scores.
        [Column("mean", str(_l("Mean")))],
        # Translators: a row of a statistics table (staff): the score the client gave in the saate.
        [Row("saate", str(_l("In the saate")),
             [mean(follow_ups.saate_scores, scored, Unit.SCORE)]),
         # Translators: a row of a statistics table (staff): the score at the follow-up.
         Row("follow-up", str(_l("At the follow-up")),
             [mean(follow_ups.follow_up_scores, scored, Unit.SCORE)]),
         # Translators: a row of a statistics table (staff): the mean change of the score (a
         # noun).
         Row("change", str(_lp("score", "Change")),
             [mean(follow_ups.follow_up_scores - follow_ups.saate_scores, scored,
                   Unit.SCORE)])],
        # Translators: a note under a statistics table (staff).
        note=str(_l("The clients who gave the score both in the saate and at the follow-up.")))
    return Section(*_section("follow-up"), [
        # Translators: the title of a statistics table and chart (staff).
        _distribution("got-help", _l("Got the help they needed"),
                      _lp("statistics", "Answer"), got_help_rows, got_help,
                      follow_ups.answered, answered, adds_up=True),
        # Translators: the title of a statistics table and chart (staff): what the clients do
        # at the follow-up.
        _distribution("doing-at-follow-up", _l("Outcomes at follow-up"),
                      _lp("statistics", "Outcome"), _labelled(MOVED_ON_TO),
                      follow_ups.doing.codes, follow_ups.answered, answered, adds_up=False,
                      note=_l("Several may apply, so the rows do not add up to the total.")),
        # Translators: the title of a statistics table (staff).
        _crosstab("doing-by-destination", _l("Outcomes at follow-up by routing destination"),
                  follow_ups.doing, follow_ups.answered, answered, names),
        # Translators: the title of a statistics table and chart (staff): how the work-ability
        # score changed from the saate to the follow-up.
        _distribution("work-ability-change", _l("Change in work-ability score"),
                      # Translators: a table's first column header (staff statistics): how the
                      # score changed (a noun).
                      _lp("statistics", "Change"),
                      # Translators: a row of a statistics table (staff): the score went up.
                      [(Change.BETTER.value, str(_l("Better"))),
                       # Translators: a row of a statistics table (staff): the score stayed.
                       (Change.SAME.value, str(_l("Same"))),
                       # Translators: a row of a statistics table (staff): the score went down.
                       (Change.WORSE.value, str(_l("Worse")))],
                      follow_ups.change, scored,
                      # Translators: the total row of a statistics table (staff).
                      _l("Both scores given"), adds_up=True),
        means,
    ])


def _feedback(figures: Figures) -> Section:
    at_end = figures.feedback.get(Moment.END_OF_SERVICE.value)
    after_sending = figures.feedback.get(Moment.SENT.value)
    recommend_sources = {
        "end-of-service": at_end.recommend if at_end else {},
        "follow-up": figures.follow_ups.recommend}
    counts: dict[Hashable, int] = {}
    for source, answers in recommend_sources.items():
        yes, no = answers.get(True, 0), answers.get(False, 0)
        counts |= {(source, "yes"): yes, (source, "no"): no, (source, "answered"): yes + no}
    cells = protect(counts, [Group(((source, "yes"), (source, "no")), (source, "answered"))
                             for source in recommend_sources])
    labels = {
        # Translators: a row of a statistics table (staff): the feedback asked on the status
        # page when the service has ended.
        "end-of-service": _l("End-of-service feedback"),
        # Translators: a row of a statistics table (staff): the follow-up's answers.
        "follow-up": _l("Follow-up")}
    recommend = Table(
        # Translators: the title of a statistics table and chart (staff).
        "recommend", str(_l("Would recommend the service")),
        # Translators: a table's first column header (staff statistics): where the answers come
        # from.
        str(_lp("statistics", "Asked in")),
        # Translators: a column header (staff statistics): the clients who answered the question.
        [Column("answered", str(_l("Answered"))),
         # Translators: a column header (staff statistics): the clients who answered yes.
         Column("yes", str(_lp("statistics", "Yes"))),
         # Translators: a column header (staff statistics): the clients who answered no.
         Column("no", str(_lp("statistics", "No"))),
         # Translators: a column header (staff statistics): the share who would recommend.
         Column("share_yes", str(_l("Share yes")))],
        [Row(source, str(labels[source]),
             [cells[(source, "answered")], cells[(source, "yes")], cells[(source, "no")],
              share(cells[(source, "yes")], counts[(source, "answered")])])
         for source in recommend_sources],
        Chart("bars", column=3))

    def ease(key: str, text: Any, given: Any) -> Row:
        answers = given.answers if given else 0
        rated = given.rated if given else 0
        return Row(key, str(text), [count(answers), count(rated),
                                    mean(given.ratings if given else 0, rated, Unit.RATING)])

    ease_table = Table(
        # Translators: the title of a statistics table (staff): how easy the clients found it.
        "ease", str(_l("Ease of use, 1–5")),
        str(_lp("statistics", "Asked in")),
        # Translators: a column header (staff statistics): feedback answers given.
        [Column("answers", str(_l("Feedback given"))),
         # Translators: a column header (staff statistics): answers with an ease rating.
         Column("rated", str(_l("With a rating"))),
         # Translators: a column header (staff statistics): the mean rating (1–5).
         Column("mean", str(_l("Mean rating")))],
        # Translators: a row of a statistics table (staff): feedback given right after sending.
        [ease("after-sending", _l("After sending"), after_sending),
         ease("end-of-service", labels["end-of-service"], at_end)])
    return Section(*_section("feedback"), [recommend, ease_table])


def build(figures: Figures, html_lang: str) -> list[Section]:
    """Every section of the statistics page, in order; teams' own destinations named in
    `html_lang` ("fi" or "sv")."""
    names = _destination_names(figures, html_lang)
    return [_new_cases(figures), _clients(figures), _cases_now(figures), _speed(figures),
            _routing(figures, names), _follow_up(figures, names), _feedback(figures)]


def csv_rows(sections: list[Section], about: list[tuple[str, str, str]]
             ) -> Iterator[list[Any]]:
    """The CSV's rows after its header: what it covers (`about`: row, column, value), then
    every table cell as (table, row, column, value)."""
    # Translators: the first rows of the statistics CSV (staff) say what the file covers.
    heading = str(_l("About these figures"))
    for row, column, value in about:
        yield [heading, row, column, value]
    for section in sections:
        for table in section.tables:
            for row in table.rows:
                for column, cell in zip(table.columns, row.cells, strict=True):
                    if cell is not None:
                        yield [table.title, row.label, column.label, csv_value(cell)]
