"""Charts of the statistics tables as SVG drawn on the server: no JavaScript, no style
attributes (the strict CSP), readable in greyscale.

One dark fill, the numbers written beside the bars, hidden numbers (the small-cell rule)
drawn as a hatched stub with their mark, so nothing depends on colour. Each chart is
role="img" with a <title> and a <desc>; the table beside it carries the same numbers
and is what a screen reader reads.

Two kinds: horizontal bars (a bar a row: counts, or shares on a fixed 0–100 % scale) and
weekly columns (a column a week, with a scale on the left).
"""

from __future__ import annotations

from math import ceil

from markupsafe import Markup

from app.i18n import lazy_gettext as _l

from .report import Row, Table, display
from .small_cells import Cell, Unit

WIDTH = 640
FONT = 14
INK = "#333333"
# Bars: a label line, then the bar and its number.
ROW_HEIGHT = 44
BAR_HEIGHT = 16
BAR_ROOM = 520  # the longest bar; the rest is for its number
STUB = 10  # the width (bars) or height (weeks) of a hidden value's hatched stub
# Weekly columns: the plot's box.
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 56, WIDTH - 8, 12, 190
AXIS_LABELS = 8
NICE = (1, 2, 3, 4, 5, 6, 8, 10)

# Translators: under a chart of the statistics page (staff): what a hatched bar means.
HATCHED = _l("Hatched: not shown, fewer than 5 clients.")


def chart(table: Table) -> Markup:
    """The table's chart as inline SVG; nothing for a table without one."""
    if table.chart is None:
        return Markup("")
    if table.chart.kind == "weeks":
        return _weeks(table)
    return _bars(table)


def _svg(table: Table, height: int, description: str, body: list[Markup]) -> Markup:
    return Markup(
        '<svg class="chart" role="img" aria-labelledby="{ids}-title {ids}-desc" '
        'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-size="{font}" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="{ids}-title">{title}</title><desc id="{ids}-desc">{description}</desc>'
        '<defs><pattern id="{ids}-hatch" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<path d="M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5" stroke="{ink}" stroke-width="1.5"/>'
        '</pattern></defs>{body}</svg>'
    ).format(ids=f"{table.key}-chart", width=WIDTH, height=height, font=FONT, ink=INK,
             title=table.title, description=description, body=Markup("").join(body))


def _hatch(table: Table) -> str:
    return f"url(#{table.key}-chart-hatch)"


def _rect(x: float, y: float, width: float, height: float, fill: str,
          stroke: str = "none") -> Markup:
    return Markup('<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}" '
                  'stroke="{}"/>').format(x, y, width, height, fill, stroke)


def _text(x: float, y: float, text: str, anchor: str = "start") -> Markup:
    return Markup('<text x="{:.1f}" y="{:.1f}" text-anchor="{}">{}</text>').format(
        x, y, anchor, text)


def _legend(table: Table, cells: list[Cell | None], y: int) -> tuple[list[Markup], int]:
    """The hatched key under a chart with a hidden value; (parts, the height it takes)."""
    if all(cell is None or cell.shown for cell in cells):
        return [], 0
    return [_rect(0, y + 6, 14, 14, _hatch(table), INK), _text(20, y + 18, str(HATCHED))], 28


def _bars(table: Table) -> Markup:
    assert table.chart is not None
    column = table.chart.column
    rows = table.charted_rows
    cells = [row.cells[column] for row in rows]
    values = [cell.value for cell in cells if cell is not None and cell.value is not None]
    percent = any(cell is not None and cell.unit == Unit.PERCENT for cell in cells)
    top = 100 if percent else max(values, default=0)
    parts: list[Markup] = []
    for number, (row, cell) in enumerate(zip(rows, cells, strict=True)):
        parts += _bar(table, row, cell, number * ROW_HEIGHT, top)
    legend, legend_height = _legend(table, cells, len(rows) * ROW_HEIGHT)
    # Translators: the description of a bar chart on the statistics page (staff), read by
    # screen readers; %(title)s is the chart's title.
    description = str(_l("Bar chart of the table “%(title)s”. The table next to it has the "
                         "same numbers.", title=table.title))
    return _svg(table, len(rows) * ROW_HEIGHT + legend_height + 4, description, parts + legend)


def _bar(table: Table, row: Row, cell: Cell | None, y: int, top: float) -> list[Markup]:
    parts = [_text(0, y + FONT + 1, row.label)]
    bar_y = y + FONT + 7
    end = 0.0
    if cell is not None and not cell.shown:
        end = STUB
        parts.append(_rect(0, bar_y, STUB, BAR_HEIGHT, _hatch(table), INK))
    elif cell is not None and cell.value and top:
        end = max(BAR_ROOM * cell.value / top, 1)
        parts.append(_rect(0, bar_y, end, BAR_HEIGHT, INK))
    parts.append(_text(end + 6, bar_y + BAR_HEIGHT - 3, display(cell)))
    return parts


def nice_top(value: float) -> int:
    """The top of a scale: the next of 1, 2, 3, 4, 5, 6, 8, 10, 20, 30 … at or above the
    value."""
    magnitude = 1
    while True:
        for step in NICE:
            if step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


def _weeks(table: Table) -> Markup:
    assert table.chart is not None
    rows = table.charted_rows
    cells = [row.cells[table.chart.column] for row in rows]
    top = nice_top(max((cell.value for cell in cells if cell is not None and cell.value),
                       default=1))
    plot_height = PLOT_BOTTOM - PLOT_TOP
    parts: list[Markup] = []
    for tick in (0, top / 2, top):
        y = PLOT_BOTTOM - plot_height * tick / top
        parts.append(Markup('<line x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}" stroke="#767676" '
                            'stroke-width="{}"/>').format(PLOT_LEFT, PLOT_RIGHT, y, y,
                                                          1 if tick else 1.5))
        unit = Unit.COUNT if tick % 1 == 0 else Unit.DAYS  # a half shows its decimal
        parts.append(_text(PLOT_LEFT - 6, y + 5, display(Cell(tick, unit)), "end"))
    slot = (PLOT_RIGHT - PLOT_LEFT) / max(len(rows), 1)
    width = max(slot * 0.75, 1)
    every = ceil(len(rows) / AXIS_LABELS) or 1
    for number, (row, cell) in enumerate(zip(rows, cells, strict=True)):
        x = PLOT_LEFT + number * slot + (slot - width) / 2
        if cell is not None and not cell.shown:
            parts.append(_rect(x, PLOT_BOTTOM - STUB, width, STUB, _hatch(table), INK))
        elif cell is not None and cell.value:
            height = plot_height * cell.value / top
            parts.append(_rect(x, PLOT_BOTTOM - height, width, height, INK))
        if number % every == 0:
            parts.append(_text(x + width / 2, PLOT_BOTTOM + FONT + 4, row.short or row.label,
                               "middle"))
    legend, legend_height = _legend(table, cells, PLOT_BOTTOM + FONT + 10)
    # Translators: the description of a weekly chart on the statistics page (staff), read by
    # screen readers; %(title)s is the chart's title.
    description = str(_l("Column chart of the table “%(title)s”: the cases of each week. The "
                         "table next to it has the same numbers.", title=table.title))
    return _svg(table, PLOT_BOTTOM + FONT + 14 + legend_height, description, parts + legend)
