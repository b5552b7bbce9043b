"""Spreadsheet-safe CSV: one helper, used by every CSV the app writes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from app.spreadsheet import csv_text, safe_cell

APP_DIR = Path(__file__).resolve().parents[2] / "app"


@pytest.mark.parametrize("dangerous", ["=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1",
                                       "=HYPERLINK(\"http://example.test\")"])
def test_cells_that_a_spreadsheet_would_run_are_made_text(dangerous: str) -> None:
    assert safe_cell(dangerous) == "'" + dangerous


@pytest.mark.parametrize("harmless", ["Testi Asiakas", "a=b", " =1", "", 42, None])
def test_other_cells_pass_unchanged(harmless: object) -> None:
    assert safe_cell(harmless) == harmless


def test_header_and_rows_are_neutralised_and_still_valid_csv() -> None:
    text = csv_text(["=header"], [["=1+1", "plain, with comma"], ["-2", 3]])
    assert list(csv.reader(io.StringIO(text))) == [
        ["'=header"], ["'=1+1", "plain, with comma"], ["'-2", "3"]]


def test_no_module_writes_csv_but_the_helper() -> None:
    writers = [path.relative_to(APP_DIR).as_posix() for path in APP_DIR.rglob("*.py")
               if "csv.writer" in path.read_text() or "csv.DictWriter" in path.read_text()]
    assert writers == ["spreadsheet.py"]
