"""The queue: the cases of the user's teams, urgent first, then by promised date and age;
"My clients" (`?mine=1`): the user's own open cases by next step; the leads' workload."""

from __future__ import annotations

import re
from datetime import date

from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user

from app.casework.case_terms import KINDS, STATUSES
from app.casework.cases import is_lead, local_today, next_step_days
from app.casework.queue import (
    OPEN,
    OPEN_STATUSES,
    Cursor,
    InvalidCursor,
    MineCursor,
    QueueFilters,
    QueuePage,
    mine_page,
    promise_days_late,
    queue_page,
    status_counts,
    step_days_late,
    workload,
)
from app.i18n import public_languages
from app.people.teams import served_by

from . import bp, worker_language

ASSIGNED = ("me", "unassigned")
# A Statistics Finland code, or "other" (other or not sure).
MUNICIPALITY_FILTER = re.compile(r"[0-9]{3}|other")


def filters_from_request() -> QueueFilters:
    args = request.args
    status = args.get("status", OPEN)
    municipality = args.get("municipality", "")
    mine = args.get("mine") == "1"
    # "My clients" holds open cases only: one open status, or all of them.
    valid_statuses = set(OPEN_STATUSES) if mine else {OPEN, ""} | {t.code for t in STATUSES}
    return QueueFilters(
        status=status if status in valid_statuses else OPEN,
        kind=args.get("kind", "") if args.get("kind") in {t.code for t in KINDS} else "",
        urgent=args.get("urgent") == "1",
        assigned=args.get("assigned", "") if args.get("assigned") in ASSIGNED else "",
        language=args.get("language", "")
        if args.get("language") in {lang.segment for lang in public_languages()} else "",
        municipality=municipality if MUNICIPALITY_FILTER.fullmatch(municipality) else "",
        mine=mine,
    )


def filter_args(filters: QueueFilters) -> dict[str, str]:
    """The filters as URL parameters, leaving out the defaults."""
    args = {
        "mine": "1" if filters.mine else "",
        "status": filters.status if filters.status != OPEN else "",
        "kind": filters.kind,
        "urgent": "1" if filters.urgent else "",
        "assigned": "" if filters.mine else filters.assigned,
        "language": filters.language,
        "municipality": filters.municipality,
    }
    kept = {key: value for key, value in args.items() if value}
    if filters.status == "":
        kept["status"] = ""  # every case: an empty status, which is not the default (open)
    return kept


def page_for(filters: QueueFilters) -> QueuePage:
    """The page asked for: the queue, or "My clients"; a cursor this app did not make is
    a 400."""
    size = current_app.config["QUEUE_PAGE_SIZE"]
    try:
        if filters.mine:
            return mine_page(current_user, filters, MineCursor.decode(request.args.get("after")),
                             size)
        return queue_page(current_user, filters, Cursor.decode(request.args.get("after")), size)
    except InvalidCursor:
        abort(400)


@bp.get("/")
def queue() -> str:
    filters = filters_from_request()
    page = page_for(filters)
    args = filter_args(filters)
    next_url = (url_for("staff.queue", **args, after=page.next_cursor.encode())
                if page.next_cursor else None)
    html_lang = worker_language()
    municipalities = served_by([team.id for team in current_user.teams], html_lang)
    shown_statuses = [s for s in STATUSES if s.code in OPEN_STATUSES or not filters.mine]
    return render_template(
        "staff/queue.html",
        page=page,
        filters=filters,
        counts=status_counts(current_user, filters, current_app.config["QUEUE_COUNT_CAP"]),
        count_cap=current_app.config["QUEUE_COUNT_CAP"],
        # Each status count keeps the other filters.
        status_urls={s.code: url_for("staff.queue", **{**args, "status": s.code})
                     for s in shown_statuses},
        next_url=next_url,
        first_page_url=url_for("staff.queue", **args),
        is_later_page=bool(request.args.get("after")),
        today=local_today(),
        promise_days_late=promise_days_late,
        step_days_late=step_days_late,
        statuses=shown_statuses,
        kinds=KINDS,
        languages=public_languages(),
        municipalities=municipalities,
        municipality_names=dict(municipalities),
        may_see_workload=is_lead(current_user),
        # Leads download the cases under these filters (app/staff/stats.py).
        case_list_csv_url=url_for("staff.case_list_csv", **args) if is_lead(current_user)
        else None,
    )


@bp.get("/workload")
def workload_page() -> str:
    """Open cases, overdue promises and overdue next steps per worker: leads and admins."""
    if not is_lead(current_user):
        abort(403)
    today = local_today()
    return render_template("staff/workload.html", rows=workload(current_user, today),
                           today=today)


@bp.app_template_global("next_step_days")
def next_step_days_from_today() -> tuple[date, date]:
    """Today and the last day a next step may be planned for (the case view's date field)."""
    return next_step_days(local_today())


@bp.app_template_filter("day_from_iso")
def day_from_iso(text: str) -> date | str:
    """A day stored as YYYY-MM-DD in an event, for dateformat; anything else as it is."""
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return text
