"""The client's private status page: never the answers themselves."""

from __future__ import annotations

from flask import abort, render_template

from app.casework import access_log, cases

from . import bp


@bp.get("/<lang:lang>/status/<token>")
def status(token: str) -> str:
    case = cases.find_by_status_token(token)
    if case is None:
        abort(404)
    return render_template("public/status.html", case=case,
                           accesses=access_log.for_case(case.id))
