"""The access log for admins: per case and per staff member, with CSV download."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Response, abort, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.casework import access_log
from app.casework.cases import REFERENCE_LENGTH
from app.extensions import db
from app.models import AccessLogEntry, Case, StaffRole, StaffUser
from app.spreadsheet import csv_download
from app.tokens import is_code, normalise_code

from . import bp, id_arg

PAGE_SIZE = 100
CSV_LIMIT = 100_000


def require_admin() -> None:
    if current_user.role != StaffRole.ADMIN:
        abort(403)


class MalformedReference(Exception):
    """The reference typed is not the shape of one: nothing was looked up."""


def requested_filters() -> tuple[int | None, int | None, str]:
    """(case id, staff id, reference typed) from the query string.

    A malformed staff id is a 400; a reference is checked for length and
    characters before it is looked up (MalformedReference otherwise).
    """
    staff_id = id_arg("staff")
    reference = normalise_code(request.args.get("reference", ""))
    case_id = None
    if reference:
        if not is_code(reference, REFERENCE_LENGTH):
            raise MalformedReference
        case_id = db.session.scalar(select(Case.id).where(Case.reference == reference)) or -1
    return case_id, staff_id, reference


@bp.get("/access-log")
def access_log_page() -> str | tuple[str, int]:
    require_admin()
    try:
        case_id, staff_id, reference = requested_filters()
    except MalformedReference:
        return render_access_log([], reference=request.args.get("reference", "")[:40],
                                 staff_id=id_arg("staff"), next_url=None, csv_url=None,
                                 reference_error=True), 400
    entries = access_log.page(case_id=case_id, staff_id=staff_id, before_id=id_arg("before"),
                              limit=PAGE_SIZE)
    args = {k: v for k, v in {"reference": reference, "staff": staff_id}.items() if v}
    next_url = (url_for("staff.access_log_page", **args, before=entries[-1].id)
                if len(entries) == PAGE_SIZE else None)
    return render_access_log(entries, reference=reference, staff_id=staff_id, next_url=next_url,
                             csv_url=url_for("staff.access_log_csv", **args))


def render_access_log(entries: Sequence[AccessLogEntry], *, reference: str,
                      staff_id: int | None, next_url: str | None, csv_url: str | None,
                      reference_error: bool = False) -> str:
    return render_template(
        "staff/access_log.html", entries=entries, reference=reference, staff_id=staff_id,
        staff_members=db.session.scalars(select(StaffUser).order_by(StaffUser.name)).all(),
        next_url=next_url, csv_url=csv_url, reference_error=reference_error,
        references=case_references([e.case_id for e in entries]),
    )


def case_references(case_ids: list[int | None]) -> dict[int, str]:
    ids = {case_id for case_id in case_ids if case_id}
    if not ids:
        return {}
    rows = db.session.execute(select(Case.id, Case.reference).where(Case.id.in_(ids)))
    return {case_id: f"{ref[:4]}-{ref[4:]}" for case_id, ref in rows}


@bp.get("/access-log.csv")
def access_log_csv() -> Response:
    require_admin()
    try:
        case_id, staff_id, reference = requested_filters()
    except MalformedReference:
        abort(400)
    entries = access_log.page(case_id=case_id, staff_id=staff_id, limit=CSV_LIMIT)
    # The download itself is an export of access data: log it.
    access_log.record(current_user, access_log.Action.EXPORT, case_id if case_id != -1 else None,
                      f"access log CSV; reference={reference or '-'}; staff={staff_id or '-'}")
    references = case_references([e.case_id for e in entries])
    return csv_download(
        "access-log.csv",
        ["time_utc", "staff_id", "staff_name", "staff_title", "action", "case_id",
         "case_reference", "detail"],
        ([entry.at.isoformat(), entry.staff_id, entry.staff.name, entry.staff.title,
          entry.action, entry.case_id or "", references.get(entry.case_id or 0, ""),
          entry.detail] for entry in entries),
    )
