"""Two session cookies: the public one, and the staff one under /staff (SameSite=Strict).

A client's draft and a worker's sign-in never share a cookie, and the staff
cookie is never sent with a request that starts on another site.
"""

from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

STAFF_PREFIX = "/staff"
STAFF_COOKIE = "saate_staff"


def is_staff_request() -> bool:
    try:
        path = request.path
    except RuntimeError:
        return False
    return path == STAFF_PREFIX or path.startswith(STAFF_PREFIX + "/")


class AudienceSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        # Made once per key, not on every request (it derives its signing key when made).
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self._serializers:
            self._serializers[keys] = super().get_signing_serializer(app)
        return self._serializers[keys]

    def get_cookie_name(self, app: Flask) -> str:
        return STAFF_COOKIE if is_staff_request() else super().get_cookie_name(app)

    def get_cookie_path(self, app: Flask) -> str:
        return STAFF_PREFIX if is_staff_request() else super().get_cookie_path(app)

    def get_cookie_samesite(self, app: Flask) -> str | None:
        return "Strict" if is_staff_request() else super().get_cookie_samesite(app)


def init_app(app: Flask) -> None:
    app.session_interface = AudienceSessionInterface()
