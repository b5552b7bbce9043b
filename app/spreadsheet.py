"""CSV files that are safe to open in a spreadsheet.

Every CSV the app produces goes through here. A cell that starts with `=`,
`+`, `-`, `@`, a tab or a carriage return would be read as a formula by
Excel or LibreOffice (CSV injection); such a cell gets a leading apostrophe,
which spreadsheets show as plain text.

The statistics and case-list exports start with a byte order mark: without it Excel
reads UTF-8 as the Windows code page and shows "Ã¤" for "ä". Large exports are
streamed a thousand rows at a time instead of being built in memory.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
STREAMED_ROWS = 1000


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet shows it literally; numbers and None pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_chunks(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The CSV text, STREAMED_ROWS rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    for number, row in enumerate(rows, start=1):
        writer.writerow([safe_cell(cell) for cell in row])
        if number % STREAMED_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_text(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    return "".join(csv_chunks(header, rows))


def _headers(filename: str) -> dict[str, str]:
    # Never cached: a CSV may hold personal data.
    return {"Content-Disposition": f"attachment; filename={filename}", "Cache-Control": "no-store"}


def csv_download(filename: str, header: list[str], rows: Iterable[Iterable[Any]], *,
                 bom: bool = False) -> Response:
    """A CSV attachment; with `bom`, for spreadsheets (see above)."""
    return Response((BOM if bom else "") + csv_text(header, rows), mimetype="text/csv",
                    headers=_headers(filename))


def csv_stream(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> Response:
    """A CSV attachment for spreadsheets, streamed as `rows` gives them: they are read
    after the request has ended, so they need nothing of it."""
    return Response(chain([BOM], csv_chunks(header, rows)), mimetype="text/csv",
                    headers=_headers(filename))
