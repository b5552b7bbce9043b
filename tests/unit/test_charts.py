"""The statistics charts (app/reporting/charts.py): SVG that the strict CSP lets through
(no style attribute, no script), named for screen readers, readable without colour
(numbers written, hidden values hatched and marked), and labels escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import pytest
from flask import Flask

from app.reporting.charts import chart, nice_top
from app.reporting.report import Chart, Column, Row, Table
from app.reporting.small_cells import Cell, Mark, Unit, count

SVG = "{http://www.w3.org/2000/svg}"


def table(kind: str, cells: list[Cell], unit_column: int = 0) -> Table:
    rows = [Row(f"r{n}", f"Rivi <{n}> & \"lainaus\"", [cell], short=f"{n}/2026")
            for n, cell in enumerate(cells)]
    rows.append(Row("total", "Yhteensä", [count(sum(c.value or 0 for c in cells))], total=True))
    return Table("testi-taulukko", "Testi <taulukko>", "Rivi", [Column("cases", "Asiat")], rows,
                 Chart(kind, unit_column))


@pytest.fixture
def context(sqlite_app: Flask):  # type: ignore[no-untyped-def]
    with sqlite_app.test_request_context("/"):
        yield


@pytest.mark.parametrize("kind", ["bars", "weeks"])
def test_a_chart_is_accessible_svg_without_styles_or_scripts(context: None, kind: str) -> None:
    svg = str(chart(table(kind, [count(12), count(3), count(0), count(40)])))
    root = ElementTree.fromstring(svg)  # noqa: S314  (the app's own markup)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Testi <taulukko>"
    assert desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "style=" not in svg and "<script" not in svg and " on" not in svg.lower()
    assert all(element.get("fill") not in ("red", "green") for element in root.iter())


def test_bars_write_each_number_and_hatch_the_hidden_ones(context: None) -> None:
    svg = str(chart(table("bars", [count(12), count(3), count(0), Cell(None, Unit.COUNT,
                                                                       Mark.HIDDEN)])))
    drawn = ElementTree.fromstring(svg)  # noqa: S314  (the app's own markup)
    texts = [element.text for element in drawn.iter(f"{SVG}text")]
    assert texts[:8] == ['Rivi <0> & "lainaus"', "12", 'Rivi <1> & "lainaus"', "< 5",
                         'Rivi <2> & "lainaus"', "0", 'Rivi <3> & "lainaus"', "–"]
    assert "Yhteensä" not in texts  # totals are not drawn
    assert svg.count("-chart-hatch)") == 3  # two hidden bars and the key
    assert texts[-1] == "Viivoitettu: ei näytetä, alle 5 asiakasta."  # the default language
    assert "&lt;0&gt; &amp; &#34;lainaus&#34;" in svg or "&lt;0&gt; &amp; &quot;lainaus" in svg


def test_shares_are_drawn_on_a_scale_of_a_hundred(context: None) -> None:
    svg = str(chart(table("bars", [Cell(50, Unit.PERCENT), Cell(100, Unit.PERCENT)])))
    widths = [float(width) for width in re.findall(r'<rect x="0.0" y="[^"]+" width="([^"]+)"',
                                                   svg)]
    assert widths[1] == 2 * widths[0]


def test_weekly_columns_label_a_few_weeks_and_keep_the_scale(context: None) -> None:
    svg = str(chart(table("weeks", [count(n % 30) for n in range(53)])))
    labels = re.findall(r'text-anchor="middle">([^<]+)<', svg)
    assert labels[0] == "0/2026" and len(labels) <= 9
    assert ">30<" in svg and ">15<" in svg  # the scale's top and middle


@pytest.mark.parametrize(("value", "top"), [(0.5, 1), (1, 1), (7, 8), (24, 30), (41, 50),
                                            (101, 200), (9999, 10000)])
def test_scales_end_on_a_round_number(value: float, top: int) -> None:
    assert nice_top(value) == top


def test_a_table_without_a_chart_draws_nothing(context: None) -> None:
    plain = table("bars", [count(5)])
    plain.chart = None
    assert str(chart(plain)) == ""
