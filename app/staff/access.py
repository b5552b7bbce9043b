"""The access log for admins: per case and per staff member, with CSV download."""

from __future__ import annotations

from flask import Response, abort, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app import access_log
from app.extensions import db
from app.models import Case, StaffRole, StaffUser
from app.spreadsheet import csv_download
from app.tokens import normalise_code

from . import bp

PAGE_SIZE = 100
CSV_LIMIT = 100_000


def require_admin() -> None:
    if current_user.role != StaffRole.ADMIN:
        abort(403)


def requested_filters() -> tuple[int | None, int | None, str]:
    """(case id, staff id, reference typed) from the query string."""
    reference = normalise_code(request.args.get("reference", ""))[:8]
    case_id = None
    if reference:
        case_id = db.session.scalar(select(Case.id).where(Case.reference == reference)) or -1
    staff_arg = request.args.get("staff", "")
    staff_id = int(staff_arg) if staff_arg.isdigit() else None
    return case_id, staff_id, reference


@bp.get("/access-log")
def access_log_page() -> str:
    require_admin()
    case_id, staff_id, reference = requested_filters()
    before = request.args.get("before", "")
    entries = access_log.page(case_id=case_id, staff_id=staff_id,
                              before_id=int(before) if before.isdigit() else None,
                              limit=PAGE_SIZE)
    args = {k: v for k, v in {"reference": reference, "staff": staff_id}.items() if v}
    next_url = (url_for("staff.access_log_page", **args, before=entries[-1].id)
                if len(entries) == PAGE_SIZE else None)
    return render_template(
        "staff/access_log.html", entries=entries, reference=reference, staff_id=staff_id,
        staff_members=db.session.scalars(select(StaffUser).order_by(StaffUser.name)).all(),
        next_url=next_url, csv_url=url_for("staff.access_log_csv", **args),
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
    case_id, staff_id, reference = requested_filters()
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
