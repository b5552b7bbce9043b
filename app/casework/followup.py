"""Follow-up: the day a closed case's client is asked whether they got help.

The worker sets the day at closing (by default six months on, moved to the next working day;
or none); app/casework/cases.py close() keeps it as the case's FollowUp.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from app.workdays import is_working_day

FOLLOW_UP_MONTHS = 6
# The latest follow-up day a worker may set, counted from the day of closing.
FOLLOW_UP_HORIZON = timedelta(days=730)


def months_after(day: date, months: int) -> date:
    """The same day of the month `months` later, or that month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_follow_up_day(closing_day: date) -> date:
    """Six months after closing, on a working day."""
    day = months_after(closing_day, FOLLOW_UP_MONTHS)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def follow_up_days(closing_day: date) -> tuple[date, date]:
    """The first and last day a follow-up may be set for (both included)."""
    return closing_day + timedelta(days=1), closing_day + FOLLOW_UP_HORIZON
