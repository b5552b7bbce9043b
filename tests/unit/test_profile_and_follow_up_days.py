"""The coarse profile statistics keep (app/casework/profile.py) and follow-up days
(app/casework/followup.py)."""

from __future__ import annotations

from datetime import date

import pytest

from app.casework import profile
from app.casework.followup import default_follow_up_day, months_after


@pytest.mark.parametrize(("birth_year", "group"), [
    (2000, "under_30"), (1997, "under_30"), (1996, "30_39"), (1986, "40_49"), (1976, "50_59"),
    (1966, "60_plus"), (1967, "50_59"), ("19", None), (None, None), ("abcd", None), (2030, None),
])
def test_age_group_counts_the_age_in_the_year_of_contact(birth_year: object,
                                                         group: str | None) -> None:
    assert profile.age_group(birth_year, date(2026, 11, 30)) == group


def test_difficulties_are_grouped_and_counted_once() -> None:
    assert profile.difficulty_groups(["mood", "substances", "life_situation", "nonsense"]) \
        == ["psychological", "social"]
    assert profile.difficulty_groups("mood") == []



def test_six_months_on_is_the_same_day_or_the_month_end() -> None:
    assert months_after(date(2026, 11, 30), 6) == date(2027, 5, 30)
    assert months_after(date(2026, 8, 31), 6) == date(2027, 2, 28)
    # 2027-05-30 is a Sunday: the follow-up moves to Monday.
    assert default_follow_up_day(date(2026, 11, 30)) == date(2027, 5, 31)
