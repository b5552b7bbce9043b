"""The small-cell rule (app/reporting/small_cells.py): counts of 1-4 shown as "< 5", the one
other count of a group that adds up to a shown total hidden too, shares, means and
percentiles of fewer than five clients hidden; rounding half up as shown."""

from __future__ import annotations

import pytest

from app.reporting.small_cells import (
    Cell,
    Group,
    Mark,
    Unit,
    count,
    mean,
    protect,
    rounded,
    share,
    statistic,
)


def marks(cells: dict) -> dict:
    return {key: cell.mark.value if not cell.shown else cell.value
            for key, cell in cells.items()}


@pytest.mark.parametrize(("n", "shown"), [(0, 0), (1, None), (4, None), (5, 5), (1234, 1234)])
def test_counts_of_one_to_four_are_small(n: int, shown: int | None) -> None:
    cell = count(n)
    assert cell.value == shown
    assert cell.mark == (Mark.SMALL if shown is None else Mark.SHOWN)


def test_one_small_count_in_a_group_hides_the_next_smallest() -> None:
    counts = {"a": 3, "b": 7, "c": 20, "d": 0, "total": 30}
    cells = protect(counts, [Group(("a", "b", "c", "d"), "total")])
    assert marks(cells) == {"a": "small", "b": "hidden", "c": 20, "d": 0, "total": 30}


def test_two_small_counts_protect_each_other() -> None:
    counts = {"a": 3, "b": 2, "c": 20, "total": 25}
    cells = protect(counts, [Group(("a", "b", "c"), "total")])
    assert marks(cells) == {"a": "small", "b": "small", "c": 20, "total": 25}


def test_a_small_total_needs_no_second_cell() -> None:
    counts = {"a": 3, "b": 0, "total": 3}
    assert marks(protect(counts, [Group(("a", "b"), "total")])) == {
        "a": "small", "b": 0, "total": "small"}


def test_without_a_group_only_small_counts_are_hidden() -> None:
    counts = {"a": 3, "b": 7, "total": 10}
    assert marks(protect(counts)) == {"a": "small", "b": 7, "total": 10}


def test_a_zero_is_hidden_when_nothing_else_is_left() -> None:
    # b was hidden for another group; here it is the only hidden one, and only zeros remain.
    counts = {"a": 2, "b": 9, "c": 0, "d": 11, "other": 11}
    groups = [Group(("a", "b"), "d"), Group(("b", "c"), "other")]
    cells = protect(counts, groups)
    assert marks(cells) == {"a": "small", "b": "hidden", "c": "hidden", "d": 11, "other": 11}


def test_rows_and_columns_are_protected_until_nothing_changes() -> None:
    """A 2 × 2 table with its margins: one small cell hides one more in its row, which
    needs one more in its column, which needs the fourth in the other row."""
    counts = {("x", 1): 2, ("x", 2): 10, ("y", 1): 8, ("y", 2): 9,
              ("x", "all"): 12, ("y", "all"): 17, ("all", 1): 10, ("all", 2): 19,
              ("all", "all"): 29}
    groups = [Group((("x", 1), ("x", 2)), ("x", "all")), Group((("y", 1), ("y", 2)), ("y", "all")),
              Group((("x", 1), ("y", 1)), ("all", 1)), Group((("x", 2), ("y", 2)), ("all", 2))]
    cells = protect(counts, groups)
    inner = {key: cells[key].mark for key in (("x", 1), ("x", 2), ("y", 1), ("y", 2))}
    assert inner == {("x", 1): Mark.SMALL, ("x", 2): Mark.HIDDEN, ("y", 1): Mark.HIDDEN,
                     ("y", 2): Mark.HIDDEN}
    for group in groups:  # no group is left with one unknown
        assert sum(not cells[key].shown for key in group.members) != 1


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (count(5), 8, 63),  # 62.5 rounds half up
    (count(0), 7, 0),
    (count(10), 10, 100),
    (count(3), 50, None),  # the count itself is hidden
    (count(5), 4, None),  # fewer than five clients
    (Cell(None, Unit.COUNT, Mark.HIDDEN), 20, None),
])
def test_shares(part: Cell, whole: int, expected: int | None) -> None:
    cell = share(part, whole)
    assert cell.unit == Unit.PERCENT and cell.value == expected
    assert cell.mark == (Mark.SHOWN if expected is not None else Mark.HIDDEN)


def test_means_and_percentiles_need_five_clients() -> None:
    assert mean(22, 6, Unit.RATING) == Cell(3.7, Unit.RATING)
    assert mean(3, 5, Unit.SCORE) == Cell(0.6, Unit.SCORE)
    assert mean(-3, 5, Unit.SCORE) == Cell(-0.6, Unit.SCORE)
    assert mean(10, 4, Unit.SCORE) == Cell(None, Unit.SCORE, Mark.HIDDEN)
    assert statistic(0.625, 8, Unit.DAYS) == Cell(0.6, Unit.DAYS)
    assert statistic(0.65, 8, Unit.DAYS) == Cell(0.7, Unit.DAYS)
    assert statistic(None, 8, Unit.DAYS).mark == Mark.HIDDEN
    assert statistic(1.0, 4, Unit.DAYS).mark == Mark.HIDDEN


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (2.5, Unit.PERCENT, 3), (62.5, Unit.PERCENT, 63), (0.05, Unit.DAYS, 0.1),
    (4.45, Unit.SCORE, 4.5), (-0.25, Unit.SCORE, -0.3), (12, Unit.COUNT, 12),
])
def test_rounding_is_half_up_as_shown(value: float, unit: Unit, expected: float) -> None:
    assert rounded(value, unit) == expected
