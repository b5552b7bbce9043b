"""The case list as a CSV for leads: every case of their teams under the queue's filters,
with what each case is and where it stands, and nothing the client wrote or who they are
(no name, phone, e-mail, answers, notes or comments).

Built for a million cases: the cases are read in batches by id (keyset, never OFFSET),
only the columns written, and streamed out as they come (app/spreadsheet.py csv_stream),
so an export never holds the whole list. The export is counted first, up to the largest id
then, and recorded once in the access log with that count; cases that come in while the
file is streamed are left for the next export. Everything the rows need from the request
(the filters, the labels in the reader's language) is settled before the first row: the
rows are read in an app context of their own, after the request has ended.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import aliased

from app.casework import access_log
from app.casework.case_terms import CASE_CHANNELS, CLOSE_REASONS, KINDS, STATUSES
from app.casework.cases import HELSINKI
from app.casework.queue import QueueFilters, filtered
from app.extensions import db
from app.i18n import lazy_gettext as _l
from app.i18n import lazy_pgettext as _lp
from app.i18n import public_languages
from app.models import Case, StaffUser, Team
from app.people.teams import OTHER_MUNICIPALITY, municipality_choices
from app.saate.schema import Choice

BATCH = 2000


@dataclass(frozen=True)
class CaseListExport:
    """What an export covers: the queue's conditions and their values, the cases counted
    and the largest id among them."""

    conditions: list[ColumnElement[bool]]
    parameters: dict[str, Any]
    count: int
    last_id: int


def start(user: StaffUser, filters: QueueFilters, described: str) -> CaseListExport:
    """Count the export and record it in the access log (one entry, with the count and the
    filters as `described`, codes only)."""
    conditions, parameters = filtered(user, filters)
    count, last_id = db.session.execute(
        select(func.count(Case.id), func.coalesce(func.max(Case.id), 0)).where(*conditions),
        parameters).one()
    access_log.record(user, access_log.Action.EXPORT, None,
                      f"case list CSV; {count} cases; {described or 'default filters'}")
    return CaseListExport(conditions, parameters, count, last_id)


def header() -> list[str]:
    return [str(text) for text in (
        _l("Reference code"),
        # Translators: a column header (staff statistics, the case-list CSV): a contact request
        # or a saate.
        _lp("statistics", "Kind"),
        # Translators: a column header (staff statistics, the case-list CSV): how a case came in.
        _lp("statistics", "Channel"),
        # Translators: a column header (staff statistics, the case-list CSV): the case's status.
        _lp("statistics", "Status"),
        # Translators: a column header of the case-list CSV (staff): whether the case is urgent.
        _lp("case list", "Urgent"),
        _l("Client's language"),
        _l("Municipality"),
        # Translators: a column header of the case-list CSV (staff): the team of the case.
        _lp("case list", "Team"),
        _l("Handler"),
        # Translators: a column header of the case-list CSV (staff): when the case came in.
        _lp("case list", "Came in"),
        # Translators: a column header of the case-list CSV (staff).
        _lp("case list", "Promised contact date"),
        # Translators: a column header of the case-list CSV (staff): when the client was first
        # reached.
        _lp("case list", "First contact"),
        # Translators: a column header of the case-list CSV (staff): when the first triage
        # outcome was recorded.
        _lp("case list", "Routed"),
        # Translators: a column header of the case-list CSV (staff): when the case was closed.
        _lp("case list", "Closed"),
        # Translators: a column header of the case-list CSV (staff).
        _lp("case list", "Close reason"),
    )]


def _local(moment: datetime | None) -> str:
    return moment.astimezone(HELSINKI).strftime("%Y-%m-%d %H:%M") if moment else ""


@dataclass(frozen=True)
class Labels:
    """The codes of the rows in the reader's language."""

    kinds: dict[str, str]
    channels: dict[str, str]
    statuses: dict[str, str]
    close_reasons: dict[str, str]
    languages: dict[str, str]
    municipalities: dict[str, str]
    yes: str
    no: str


def labels(html_lang: str) -> Labels:
    def of(choices: tuple[Choice, ...]) -> dict[str, str]:
        return {choice.code: str(choice.label) for choice in choices}

    municipalities = dict(municipality_choices(html_lang))
    municipalities[OTHER_MUNICIPALITY] = str(_l("Other municipality or not sure"))
    return Labels(
        of(KINDS), of(CASE_CHANNELS), of(STATUSES), of(CLOSE_REASONS),
        {language.segment: language.name for language in public_languages()}, municipalities,
        # Translators: a value in the case-list CSV (staff): the case is urgent.
        str(_lp("case list", "yes")),
        # Translators: a value in the case-list CSV (staff): the case is not urgent.
        str(_lp("case list", "no")))


def rows(export: CaseListExport, names: Labels) -> Iterator[list[Any]]:
    """The export's rows by id, BATCH at a time, read in an app context of their own."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    handler = aliased(StaffUser)
    statement = (
        select(Case.id, Case.reference, Case.kind, Case.channel, Case.status, Case.urgent,
               Case.language, Case.municipality_code, Team.name.label("team"),
               handler.name.label("handler"), Case.created_at, Case.promised_contact_date,
               Case.contacted_at, Case.routed_at, Case.closed_at, Case.close_reason)
        .join(Team, Team.id == Case.team_id)
        .outerjoin(handler, handler.id == Case.handler_id)
        .where(*export.conditions, Case.id <= export.last_id)
        .order_by(Case.id)
        .limit(BATCH)
    )
    with app.app_context():
        after = 0
        while True:
            batch = db.session.execute(statement.where(Case.id > after), export.parameters).all()
            for row in batch:
                yield [f"{row.reference[:4]}-{row.reference[4:]}",
                       names.kinds.get(row.kind, row.kind),
                       names.channels.get(row.channel, row.channel),
                       names.statuses.get(row.status, row.status),
                       names.yes if row.urgent else names.no,
                       names.languages.get(row.language, row.language),
                       names.municipalities.get(row.municipality_code, row.municipality_code),
                       row.team, row.handler or "", _local(row.created_at),
                       row.promised_contact_date.isoformat(), _local(row.contacted_at),
                       _local(row.routed_at), _local(row.closed_at),
                       names.close_reasons.get(row.close_reason or "", row.close_reason or "")]
            if len(batch) < BATCH:
                return
            after = batch[-1].id
