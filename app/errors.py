"""Error pages, in the page's language."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db
from .text import clean_text

log = logging.getLogger(__name__)

TEMPLATES = {
    400: "errors/400.html",
    403: "errors/403.html",
    404: "errors/404.html",
    405: "errors/405.html",
    413: "errors/413.html",
    429: "errors/429.html",
    503: "errors/503.html",
}
# Never echoed back into a page: secrets the visitor types again.
NOT_KEPT = frozenset({"csrf_token", "password", "code", "second_factor"})


def posted_fields() -> list[tuple[str, str]]:
    """What the visitor posted, to keep on an error page and send again with one press."""
    if request.method != "POST" or request.mimetype != "application/x-www-form-urlencoded":
        return []
    # Clean as any form field is (app/text.py): the page repeats it, the next post keeps it.
    return [(clean_text(name), clean_text(value))
            for name, value in request.form.items(multi=True) if name not in NOT_KEPT]


def render_keeping_answers(template: str, code: int, **context: Any) -> tuple[str, int]:
    """An error page that keeps what was posted (a busy database, a rate limit)."""
    action = request.full_path.rstrip("?")
    return render_template(template, fields=posted_fields(), action=action, **context), code


def render_http_error(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    if code in {429, 503}:
        return render_keeping_answers(TEMPLATES[code], code, error=error)
    return render_template(TEMPLATES.get(code, "errors/500.html"), error=error), code


def render_csrf_error(error: CSRFError) -> tuple[str, int]:
    # Views that hold answers re-render them themselves (security.keeps_answers_...);
    # this page is for the rest, e.g. a staff action with an expired token.
    return render_template("errors/csrf.html"), 400


def render_server_error(error: Exception) -> tuple[str, int]:
    # The exception is logged by Flask; say nothing about the request's data here.
    log.error("unhandled error on %s %s", request.method, request.endpoint)
    return render_template("errors/500.html", error=InternalServerError()), 500


def render_database_unavailable(error: OperationalError) -> tuple[str, int]:
    """The database is busy, locked or unreachable: keep the answers, ask to send again."""
    db.session.rollback()
    # app.logs withholds the values; the statement and the driver's reason stay.
    log.warning("database unavailable on %s %s: %s", request.method, request.endpoint, error)
    return render_keeping_answers(TEMPLATES[503], 503)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, render_csrf_error)
    app.register_error_handler(OperationalError, render_database_unavailable)
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(InternalServerError, render_server_error)
