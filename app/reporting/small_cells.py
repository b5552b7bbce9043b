"""The small-cell rule, in one place: what the statistics page, its charts and its CSV may
show of a number, so that no client can be recognised from them.

1. A count of 1 to 4 clients is shown as "< 5" (Mark.SMALL). Zero is shown: it tells
   about nobody.
2. Where counts add up to a total that is shown (a week's new cases by channel, the
   period's saates by age group, closed cases by close reason, …) and exactly one count of
   the group is hidden, the smallest other count is hidden too ("–", Mark.HIDDEN): the
   hidden one cannot then be had by subtracting the others from the total. Groups are
   checked again until none has a single hidden count, so a table whose rows and columns
   both add up (weeks × channels) is covered both ways. Lists where several answers may
   apply (kinds of difficulty, routing destinations, outcomes) do not add up to a total:
   they get rule 1 only.
3. A share, mean, median or percentile is shown only when it is computed from at least
   five clients, and a share only when its own count is shown ("–" otherwise).

What this does not do: protect against combining different periods or teams (as with any
published statistics, two overlapping periods can differ by one client). The page says so
to the lead; the CSV carries the same cells as the page.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

THRESHOLD = 5


class Mark(enum.StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # a count of 1-4: "< 5"
    HIDDEN = "hidden"  # hidden so a small count cannot be worked out, or too few clients: "–"


class Unit(enum.StrEnum):
    COUNT = "count"
    PERCENT = "percent"  # a whole number of per cent
    DAYS = "days"  # one decimal
    SCORE = "score"  # a mean of 0-10 scores, or a mean change of them; one decimal
    RATING = "rating"  # a mean of 1-5 ratings; one decimal


DECIMALS = {Unit.COUNT: 0, Unit.PERCENT: 0, Unit.DAYS: 1, Unit.SCORE: 1, Unit.RATING: 1}


@dataclass(frozen=True)
class Cell:
    """A number as it may be shown: its value (rounded as shown), or None with the mark
    saying why it is not."""

    value: int | float | None
    unit: Unit = Unit.COUNT
    mark: Mark = Mark.SHOWN

    @property
    def shown(self) -> bool:
        return self.mark == Mark.SHOWN


@dataclass(frozen=True)
class Group:
    """Counts (by key) that add up to a total shown elsewhere (its key)."""

    members: tuple[Hashable, ...]
    total: Hashable


def protect(counts: Mapping[Hashable, int], groups: Iterable[Group] = ()) -> dict[Hashable, Cell]:
    """The counts as cells under rules 1 and 2; every member and total of a group must be a
    key of `counts`."""
    marks = {key: Mark.SMALL if 0 < n < THRESHOLD else Mark.SHOWN for key, n in counts.items()}
    groups = list(groups)
    changed = True
    while changed:
        changed = False
        for group in groups:
            if marks[group.total] != Mark.SHOWN:
                continue  # a hidden total: nothing to subtract from
            if sum(marks[key] != Mark.SHOWN for key in group.members) != 1:
                continue
            shown = [key for key in group.members if marks[key] == Mark.SHOWN]
            if shown:
                # The smallest count above zero; a zero only when nothing else is left.
                marks[min(shown, key=lambda key: (counts[key] == 0, counts[key]))] = Mark.HIDDEN
                changed = True
    return {key: Cell(n if marks[key] == Mark.SHOWN else None, Unit.COUNT, marks[key])
            for key, n in counts.items()}


def count(n: int) -> Cell:
    """One count on its own (rule 1)."""
    return Cell(n, Unit.COUNT) if not 0 < n < THRESHOLD else Cell(None, Unit.COUNT, Mark.SMALL)


def rounded(value: float, unit: Unit) -> int | float:
    """Half up, to the decimals the unit is shown with (the page and the CSV agree)."""
    places = DECIMALS[unit]
    exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return int(exact) if places == 0 else float(exact)


def hidden(unit: Unit) -> Cell:
    return Cell(None, unit, Mark.HIDDEN)


def share(part: Cell, whole: int) -> Cell:
    """`part` out of `whole` clients in per cent (rule 3)."""
    if not part.shown or whole < THRESHOLD or part.value is None:
        return hidden(Unit.PERCENT)
    return Cell(rounded(100 * part.value / whole, Unit.PERCENT), Unit.PERCENT)


def mean(total: float, n: int, unit: Unit) -> Cell:
    """The mean of `n` clients' values summing to `total` (rule 3)."""
    if n < THRESHOLD:
        return hidden(unit)
    return Cell(rounded(total / n, unit), unit)


def statistic(value: float | None, n: int, unit: Unit) -> Cell:
    """A median or a percentile of `n` clients' values (rule 3)."""
    if n < THRESHOLD or value is None:
        return hidden(unit)
    return Cell(rounded(value, unit), unit)
