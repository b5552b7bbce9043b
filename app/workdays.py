"""Working days in Finland: weekdays that are not public holidays.

The holidays come from the maintained `holidays` package, whose Finnish calendar
also has the eves that offices keep closed (Midsummer Eve and Christmas Eve), so
nothing here is hand-computed. OFFICE_CLOSED_EVES stays empty unless a future
version of the package drops one of them (tests/unit/test_workdays.py would say so).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

# (month, day) of eves the offices keep closed that the package does not list.
OFFICE_CLOSED_EVES: tuple[tuple[int, int], ...] = ()


@cache
def public_holidays(year: int) -> frozenset[date]:
    """Finnish public holidays and the eves that offices keep closed, in one year."""
    official = holidays.country_holidays("FI", years=year)
    eves = {date(year, month, day) for month, day in OFFICE_CLOSED_EVES}
    return frozenset(official) | eves


def is_holiday(day: date) -> bool:
    return day in public_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
