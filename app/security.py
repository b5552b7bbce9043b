"""Response headers, CSRF policy, the proxy and host in front of the app."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, request
from werkzeug.exceptions import BadRequest, SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.sansio.utils import host_is_trusted
from werkzeug.wsgi import get_host

from .extensions import csrf

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

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
    # Pages may hold answers about health: nothing is kept in any cache unless its
    # view says otherwise (only static files do: app/assets.py). Error pages too.
    response.headers.setdefault("Cache-Control", "no-store")
    if request.is_secure:
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=63072000; includeSubDomains"
        )
    return response


UNTRUSTED_HOST = "saate.untrusted_host"


class TrustedHostCheck:
    """Turns a request for a host name we do not serve into the app's own 400 page.

    Flask checks TRUSTED_HOSTS while it builds the URL adapter, before any error
    page can be drawn, so a forged Host would end as a bare 500. This runs first,
    with the same rule: such a request goes on under the service's own host name,
    marked, and `_refuse_untrusted_host` answers it with the ordinary 400 page.
    """

    def __init__(self, wsgi_app: WSGIApplication, trusted_hosts: Iterable[str],
                 own_host: str | None) -> None:
        self.wsgi_app = wsgi_app
        self.trusted_hosts = list(trusted_hosts)
        self.own_host = own_host

    def __call__(self, environ: WSGIEnvironment,
                 start_response: StartResponse) -> Iterable[bytes]:
        try:
            get_host(environ, self.trusted_hosts)
        except SecurityError:
            if self.own_host is None:
                return BadRequest()(environ, start_response)
            environ = {**environ, "HTTP_HOST": self.own_host, UNTRUSTED_HOST: True}
        return self.wsgi_app(environ, start_response)


def own_host(base_url: str, trusted_hosts: list[str]) -> str | None:
    """The host name (and port) that requests for unknown hosts are answered under."""
    candidates = [urlsplit(base_url).netloc, *trusted_hosts]
    return next((host for host in candidates
                 if host and not host.startswith(".") and host_is_trusted(host, trusted_hosts)),
                None)


def _refuse_untrusted_host() -> None:
    if request.environ.get(UNTRUSTED_HOST):
        abort(400)


def wrap_wsgi(app: Flask) -> None:
    """The layers in front of the app: the trusted proxies, then the host check.

    Each trusted proxy appends the address it saw to X-Forwarded-For and says
    the scheme in X-Forwarded-Proto; the host comes from the proxy's Host header
    (X-Forwarded-Host is never trusted). Without trusted proxies nothing is read
    from those headers, so a client cannot pick its own address.
    """
    trusted_hosts = app.config.get("TRUSTED_HOSTS")
    if trusted_hosts is not None:
        app.wsgi_app = TrustedHostCheck(  # type: ignore[method-assign]
            app.wsgi_app, trusted_hosts, own_host(app.config["BASE_URL"], trusted_hosts))
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0, x_port=0, x_prefix=0)


def init_app(app: Flask) -> None:
    # Flask-WTF's strict mode wants a Referer on HTTPS posts, but our pages send none
    # (Referrer-Policy: no-referrer): the CSRF token and SameSite cookies do that job.
    app.config["WTF_CSRF_SSL_STRICT"] = False
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_untrusted_host)
    app.before_request(_protect_posts)
    app.after_request(_add_headers)
    wrap_wsgi(app)
