"""The queue: the cases of the user's teams, urgent first, then by promised date and age."""

from __future__ import annotations

import re

from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user

from app.casework.case_terms import KINDS, STATUSES
from app.casework.cases import local_today
from app.casework.queue import (
    OPEN,
    Cursor,
    InvalidCursor,
    QueueFilters,
    is_overdue,
    queue_page,
    status_counts,
)
from app.i18n import public_languages

from . import bp

ASSIGNED = ("me", "unassigned")
# A Statistics Finland code, or "other" (other or not sure).
MUNICIPALITY_FILTER = re.compile(r"[0-9]{3}|other")


def filters_from_request() -> QueueFilters:
    args = request.args
    status = args.get("status", OPEN)
    municipality = args.get("municipality", "")
    valid_statuses = {OPEN, ""} | {term.code for term in STATUSES}
    return QueueFilters(
        status=status if status in valid_statuses else OPEN,
        kind=args.get("kind", "") if args.get("kind") in {t.code for t in KINDS} else "",
        urgent=args.get("urgent") == "1",
        assigned=args.get("assigned", "") if args.get("assigned") in ASSIGNED else "",
        language=args.get("language", "")
        if args.get("language") in {lang.segment for lang in public_languages()} else "",
        municipality=municipality if MUNICIPALITY_FILTER.fullmatch(municipality) else "",
    )


def filter_args(filters: QueueFilters) -> dict[str, str]:
    """The filters as URL parameters, leaving out the defaults."""
    args = {
        "status": filters.status if filters.status != OPEN else "",
        "kind": filters.kind,
        "urgent": "1" if filters.urgent else "",
        "assigned": filters.assigned,
        "language": filters.language,
        "municipality": filters.municipality,
    }
    kept = {key: value for key, value in args.items() if value}
    if filters.status == "":
        kept["status"] = ""  # every case: an empty status, which is not the default (open)
    return kept


@bp.get("/")
def queue() -> str:
    filters = filters_from_request()
    try:
        after = Cursor.decode(request.args.get("after"))
    except InvalidCursor:
        abort(400)
    page = queue_page(current_user, filters, after, current_app.config["QUEUE_PAGE_SIZE"])
    next_url = (url_for("staff.queue", **filter_args(filters), after=page.next_cursor.encode())
                if page.next_cursor else None)
    municipalities = sorted(
        {(m.code, m.name_in("sv" if current_user.ui_locale == "sv" else "fi"))
         for team in current_user.teams for m in team.municipalities},
        key=lambda pair: pair[1],
    )
    return render_template(
        "staff/queue.html",
        page=page,
        filters=filters,
        counts=status_counts(current_user, filters, current_app.config["QUEUE_COUNT_CAP"]),
        count_cap=current_app.config["QUEUE_COUNT_CAP"],
        next_url=next_url,
        first_page_url=url_for("staff.queue", **filter_args(filters)),
        is_later_page=bool(request.args.get("after")),
        today=local_today(),
        is_overdue=is_overdue,
        statuses=STATUSES,
        kinds=KINDS,
        languages=public_languages(),
        municipalities=municipalities,
    )
