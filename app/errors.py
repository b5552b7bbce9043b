"""Error pages, in the page's language."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

TEMPLATES = {
    400: "errors/400.html",
    403: "errors/403.html",
    404: "errors/404.html",
    405: "errors/405.html",
    429: "errors/429.html",
}


def render_http_error(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    return render_template(TEMPLATES.get(code, "errors/500.html"), error=error), code


def render_csrf_error(error: CSRFError) -> tuple[str, int]:
    # Views that hold answers re-render them themselves (security.keeps_answers_...);
    # this page is for the rest, e.g. a staff action with an expired token.
    return render_template("errors/csrf.html"), 400


def render_server_error(error: Exception) -> tuple[str, int]:
    # The exception is logged by Flask; say nothing about the request's data here.
    log.error("unhandled error on %s %s", request.method, request.endpoint)
    return render_template("errors/500.html", error=InternalServerError()), 500


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, render_csrf_error)
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(InternalServerError, render_server_error)
