"""Working days from the `holidays` package, and the teams' opening hours."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from app.people.teams import parse_opening_hours
from app.workdays import (
    OFFICE_CLOSED_EVES,
    add_working_days,
    is_working_day,
    public_holidays,
)

YEARS = range(2024, 2036)


@pytest.mark.parametrize("year", YEARS)
def test_the_package_has_the_eves_offices_keep_closed(year: int) -> None:
    """Midsummer Eve (the Friday between 19 and 25 June) and Christmas Eve: if a version of
    `holidays` ever drops them, add them to OFFICE_CLOSED_EVES (Midsummer Eve moves)."""
    days = public_holidays(year)
    midsummer_eve = next(date(year, 6, day) for day in range(19, 26)
                         if date(year, 6, day).weekday() == 4)
    assert midsummer_eve in days
    assert date(year, 12, 24) in days
    assert OFFICE_CLOSED_EVES == ()


@pytest.mark.parametrize(("year", "easter"), [(2026, date(2026, 4, 5)), (2027, date(2027, 3, 28)),
                                              (2030, date(2030, 4, 21))])
def test_easter_holidays(year: int, easter: date) -> None:
    days = public_holidays(year)
    assert easter - timedelta(days=2) in days  # Good Friday
    assert easter + timedelta(days=1) in days  # Easter Monday
    assert easter + timedelta(days=39) in days  # Ascension Day


def test_weekdays_that_are_working_days() -> None:
    assert is_working_day(date(2026, 11, 27))  # a Friday
    assert not is_working_day(date(2026, 11, 28))  # a Saturday
    assert is_working_day(date(2026, 12, 7))  # Independence Day fell on a Sunday: no day off
    assert not is_working_day(date(2027, 12, 6))  # Independence Day on a Monday


@pytest.mark.parametrize(("start", "days", "expected"), [
    (date(2026, 11, 27), 1, date(2026, 11, 30)),
    (date(2026, 11, 27), 3, date(2026, 12, 2)),
    (date(2026, 12, 23), 1, date(2026, 12, 28)),
    (date(2026, 4, 2), 1, date(2026, 4, 7)),
    (date(2026, 6, 18), 1, date(2026, 6, 22)),
    (date(2026, 12, 31), 1, date(2027, 1, 4)),
    (date(2027, 1, 5), 1, date(2027, 1, 7)),  # Epiphany on a Wednesday
])
def test_add_working_days(start: date, days: int, expected: date) -> None:
    assert add_working_days(start, days) == expected


def test_opening_hours_read_per_weekday() -> None:
    hours = parse_opening_hours("Mon-Thu 08:00-16:00, fri 8.00 – 15.30, sat 10:00-12:00")
    assert hours == {0: (time(8), time(16)), 1: (time(8), time(16)), 2: (time(8), time(16)),
                     3: (time(8), time(16)), 4: (time(8), time(15, 30)),
                     5: (time(10), time(12))}


@pytest.mark.parametrize("text", ["", "mon-fri", "mon-fri 8-16", "fri-mon 08:00-16:00",
                                  "mon-fri 16:00-08:00", "mon-fri 08:00-16:00,",
                                  "mon-fri 08:00-16:00, mon 09:00-10:00", "moi 08:00-16:00",
                                  "mon-fri 08:00-24:00", "mon-fri 08:60-16:00",
                                  "mon-fri ٠٨:٠٠-16:00", "mon-fri 08:00-16:00" + " " * 120])
def test_opening_hours_that_are_not_read(text: str) -> None:
    with pytest.raises(ValueError, match="opening hours"):
        parse_opening_hours(text)
