"""The few SQL expressions statistics need that SQLite and PostgreSQL spell differently:
a moment's day and ISO week in Helsinki, the seconds between two moments, percentiles.
Each gives the same answers on both (tests/unit/test_statistics_sql.py).

Times are stored in UTC (app/database.py): SQLite keeps them as text
"YYYY-MM-DD HH:MM:SS.ffffff", PostgreSQL as timestamptz. SQLite has no time zones, so
Helsinki's offset is worked out in SQL from the EU rule Finland follows: summer time
(UTC+3) from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
October, UTC+2 otherwise.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Date,
    Float,
    Integer,
    Select,
    and_,
    case,
    cast,
    func,
    literal_column,
    select,
    true,
    type_coerce,
)

from app.extensions import db

HELSINKI = literal_column("'Europe/Helsinki'")
POSTGRESQL = "postgresql"


def current_dialect() -> str:
    return db.session.get_bind().dialect.name


def _sqlite_offset(moment: ColumnElement) -> ColumnElement:
    """'+3 hours' in Finnish summer time, else '+2 hours' (a date() modifier)."""
    year = func.substr(moment, 1, 4)
    summer_from = func.date(year.concat("-03-25"), literal_column("'weekday 0'")).concat(
        " 01:00:00")
    summer_until = func.date(year.concat("-10-25"), literal_column("'weekday 0'")).concat(
        " 01:00:00")
    return case((and_(moment >= summer_from, moment < summer_until),
                 literal_column("'+3 hours'")), else_=literal_column("'+2 hours'"))


def as_date(value: Any) -> date:
    """A day from SQL: a date on PostgreSQL, "YYYY-MM-DD" text on SQLite."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def local_day(moment: ColumnElement, dialect: str) -> ColumnElement:
    """The day in Helsinki of a stored moment (a date on PostgreSQL, "YYYY-MM-DD" text on
    SQLite: see as_date)."""
    if dialect == POSTGRESQL:
        return cast(func.timezone(HELSINKI, moment), Date)
    return func.date(moment, _sqlite_offset(moment))


def week_start(moment: ColumnElement, dialect: str) -> ColumnElement:
    """The Monday of the ISO week, in Helsinki, of a stored moment."""
    if dialect == POSTGRESQL:
        return cast(func.date_trunc(literal_column("'week'"), func.timezone(HELSINKI, moment)),
                    Date)
    # Forward to the Sunday that ends the week (or stay on it), then back to its Monday.
    return func.date(moment, _sqlite_offset(moment), literal_column("'weekday 0'"),
                     literal_column("'-6 days'"))


def month_start(day: ColumnElement, dialect: str) -> ColumnElement:
    """The first day of the month of a stored day (a date column)."""
    if dialect == POSTGRESQL:
        return cast(func.date_trunc(literal_column("'month'"), day), Date)
    return func.date(day, literal_column("'start of month'"))


def seconds_between(start: ColumnElement, end: ColumnElement, dialect: str) -> ColumnElement:
    """Whole seconds from start to end (NULL when either is); halves to even, as Python's
    round()."""
    if dialect == POSTGRESQL:
        # date_part gives a double (extract a numeric, several times slower to sort).
        return func.round(func.date_part(literal_column("'epoch'"), end - start), type_=Float)
    return func.round((func.julianday(end) - func.julianday(start)) * 86400)


def percentiles(values: Select, fractions: tuple[float, ...], dialect: str) -> Select:
    """One row: for each column of `values`, how many of its values are not NULL, then each
    percentile of them as PostgreSQL's percentile_cont gives it (NULL for no values).

    percentile_cont(p) sorts the n values and takes the one at position p·(n − 1)
    (counting from 0), interpolating linearly between the two values around it when the
    position falls between them; the median is p = 0.5. PostgreSQL reads `values` once;
    on SQLite the same arithmetic is done over each column's values numbered by a window
    function.
    """
    source = values.subquery()
    if dialect == POSTGRESQL:
        # Every fraction of a column from one sort of its values: percentile_cont(ARRAY[...]).
        wanted = literal_column(f"ARRAY[{', '.join(repr(p) for p in fractions)}]")
        found = select(*(part for n, value in enumerate(source.c) for part in (
            func.count(value).label(f"count_{n}"),
            type_coerce(func.percentile_cont(wanted).within_group(value), ARRAY(Float))
            .label(f"percentiles_{n}")))).subquery()
        return select(*(part for n in range(len(source.c)) for part in (
            found.c[f"count_{n}"],
            *(found.c[f"percentiles_{n}"][k + 1] for k in range(len(fractions))))))
    parts = [_ranked_percentiles(value, fractions).subquery() for value in source.c]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.join(part, true())
    return select(*(column for part in parts for column in part.c)).select_from(joined)


def _ranked_percentiles(value: ColumnElement, fractions: tuple[float, ...]) -> Select:
    ranked = (select(value.label("x"), (func.row_number().over(order_by=value) - 1).label("i"),
                     func.count().over().label("n"))
              .where(value.is_not(None))
              .subquery())
    columns = []
    for p in fractions:
        # The same on every row: p·(n − 1), and the position below it.
        position = literal_column(repr(p), Float) * (ranked.c.n - 1)
        below = cast(position, Integer)  # a position is never negative: this is floor()
        low = func.max(case((ranked.c.i == below, ranked.c.x)))
        high = func.max(case((ranked.c.i == below + 1, ranked.c.x)))
        columns.append(low + (func.coalesce(high, low) - low) * func.max(position - below))
    return select(func.count(ranked.c.x), *columns)
