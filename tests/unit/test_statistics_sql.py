"""The dialect-aware SQL of app/reporting/dialect.py gives the same answers on SQLite and
PostgreSQL: Helsinki days and ISO weeks of stored UTC moments (across both summer-time
changes and the turn of a year), whole seconds between moments, and percentiles as
PostgreSQL's percentile_cont (linear interpolation between the nearest ranks)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import Float, literal, select, union_all

from app.database import UTCDateTime
from app.extensions import db
from app.reporting.dialect import (
    as_date,
    current_dialect,
    local_day,
    percentiles,
    seconds_between,
    week_start,
)

HELSINKI = ZoneInfo("Europe/Helsinki")


def moments() -> list[datetime]:
    """UTC moments around the changes to and from summer time and the turn of a year, and
    around midnight in Helsinki."""
    found = []
    for year in (2024, 2025, 2026):
        for start in (datetime(year, 3, 31, tzinfo=UTC) - timedelta(days=7),
                      datetime(year, 10, 31, tzinfo=UTC) - timedelta(days=7),
                      datetime(year, 12, 31, 20, tzinfo=UTC)):
            found += [start + timedelta(minutes=30 * n) for n in range(0, 8 * 48, 7)]
    return found


def stored(moment: datetime):  # type: ignore[no-untyped-def]
    return literal(moment, UTCDateTime())


def test_helsinki_days_and_weeks_match_zoneinfo(app: Flask) -> None:
    dialect = current_dialect()
    every = moments()
    parts = [select(local_day(stored(moment), dialect), week_start(stored(moment), dialect))
             for moment in every]
    found = db.session.execute(union_all(*parts)).all() if len(parts) > 1 else []
    assert len(found) == len(every)
    for moment, (day, monday) in zip(every, found, strict=True):
        local = moment.astimezone(HELSINKI).date()
        assert as_date(day) == local, moment
        assert as_date(monday) == local - timedelta(days=local.weekday()), moment


def test_seconds_between_are_whole_seconds(app: Flask) -> None:
    dialect = current_dialect()
    start = datetime(2026, 3, 28, 23, 59, 59, 700_000, tzinfo=UTC)
    pairs = [(start, start + timedelta(hours=h, seconds=s)) for h, s in
             ((0, 0), (1, 0), (27, 0), (50, 0.4), (0, 0.6), (24 * 200, 1))]
    found = db.session.execute(union_all(*[
        select(seconds_between(stored(a), stored(b), dialect)) for a, b in pairs])).scalars()
    assert [float(value) for value in found] == [
        float(round((b - a).total_seconds())) for a, b in pairs]


def reference(values: list[float], p: float) -> float:
    """percentile_cont as PostgreSQL documents it."""
    ordered = sorted(values)
    position = p * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def values_select(values: list[float | None]):  # type: ignore[no-untyped-def]
    return union_all(*[select(literal(value, Float).label("x")) for value in values])


@pytest.mark.parametrize("values", [
    [10.0],
    [7200.0, 14400.0],
    [3600.0, 7200.0, 14400.0, 36000.0, 72000.0, 97200.0, 108000.0, 180000.0],
    [5.0, 5.0, 5.0, 1.0, None, 9.0],
    [float(n) for n in random.Random(13).sample(range(1, 10**6), 101)],
    [float(n) for n in random.Random(14).sample(range(1, 10**6), 37)],
])
def test_percentiles_are_percentile_cont_on_both_databases(app: Flask,
                                                          values: list[float | None]) -> None:
    dialect = current_dialect()
    fractions = (0.5, 0.9, 0.25, 0.0, 1.0)
    row = db.session.execute(percentiles(values_select(values), fractions, dialect)).one()
    given = [value for value in values if value is not None]
    assert row[0] == len(given)
    for p, found in zip(fractions, row[1:], strict=True):
        assert float(found) == pytest.approx(reference(given, p), rel=1e-12, abs=1e-9), p


def test_no_values_give_no_percentile(app: Flask) -> None:
    dialect = current_dialect()
    empty = select(literal(1.0, Float).label("x")).where(literal(False))
    assert tuple(db.session.execute(percentiles(empty, (0.5, 0.9), dialect)).one()) == (
        0, None, None)


def test_a_day_from_either_database_is_a_date() -> None:
    assert as_date("2026-11-30") == as_date(date(2026, 11, 30)) == date(2026, 11, 30)
