"""Response headers, CSRF policy and the markup allowlist."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, Response, current_app, request

from .extensions import csrf

View = TypeVar("View", bound=Callable)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Status links carry a secret token: never send the URL to anyone else.
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def keeps_answers_on_csrf_failure(view: View) -> View:
    """Mark a view whose FlaskForm checks the CSRF token itself.

    Such a view re-renders the posted answers with a fresh token and asks to
    send again, instead of the generic CSRF error page losing what was typed.
    """
    view.keeps_answers_on_csrf_failure = True  # type: ignore[attr-defined]
    return view


def _protect_posts() -> None:
    if request.method in {"GET", "HEAD", "OPTIONS", "TRACE"}:
        return
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "keeps_answers_on_csrf_failure", False):
        return
    csrf.protect()


def _add_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint != "static":
        # Pages may hold answers about health: never keep them in shared caches.
        response.headers.setdefault("Cache-Control", "no-store")
    if request.is_secure:
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=63072000; includeSubDomains"
        )
    return response


def init_app(app: Flask) -> None:
    app.before_request(_protect_posts)
    app.after_request(_add_headers)
