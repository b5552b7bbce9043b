"""Every route answers with the security headers, and with Cache-Control: no-store unless it
is a static file (immutable only under its fingerprinted name) or the public FHIR
Questionnaire (a few minutes). The walk covers app.url_map, so new routes join by themselves.
"""

from __future__ import annotations

import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from app import assets
from app.casework import cases
from app.extensions import db
from app.fhir import routes as fhir_routes
from app.models import Case
from app.security import SECURITY_HEADERS
from tests.support.journey import Journey
from tests.support.pages import csrf_token
from tests.support.routes import routes
from tests.support.staff import make_staff, sign_in

pytestmark = pytest.mark.usefixtures("teams")

# The only endpoints whose answers may be kept: static files (app/assets.py), immutable
# only under their fingerprinted names, and the FHIR Questionnaire, the same for everyone
# (app/fhir/routes.py). Everything else, error pages too, is no-store.
CACHEABLE = {"static", "fhir.questionnaire"}
LAST = {"auth.sign_out"}  # walked last: it ends the staff session


def assert_safe_headers(response: TestResponse, endpoint: str, secure: bool) -> None:
    where = f"{endpoint} {response.request.method} {response.request.path}"
    assert response.status_code < 500, where
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (where, name)
    if endpoint not in CACHEABLE or response.status_code != 200:
        assert response.headers.get("Cache-Control") == "no-store", where
    elif endpoint == "fhir.questionnaire":
        assert response.headers.get("Cache-Control") \
            == f"public, max-age={fhir_routes.MAX_AGE_SECONDS}", where
    elif assets.FINGERPRINTED.fullmatch(response.request.path.removeprefix("/static/")):
        assert response.headers.get("Cache-Control") == assets.IMMUTABLE, where
    else:
        assert response.headers.get("Cache-Control") == assets.REVALIDATED, where
    hsts = response.headers.get("Strict-Transport-Security")
    assert bool(hsts) == secure, where


def asset_name(name: str) -> str:
    """The fingerprinted name pages link a static file by."""
    return current_app.extensions[assets.EXTENSION].by_name[name].fingerprinted


@pytest.fixture
def sent_case(client: FlaskClient) -> Case:
    """A saate sent in this client's session, so the after-sending pages show it."""
    journey = Journey(client)
    journey.fill_all()
    assert journey.send().status_code == 302
    return db.session.scalars(select(Case).order_by(Case.id.desc())).one()


def test_every_route_sends_the_security_headers(app: Flask, client: FlaskClient,
                                               sent_case: Case) -> None:
    admin = make_staff("testi.otsakkeet@example.test", role="admin")
    worker = make_staff("testi.otsaketyontekija@example.test")
    staff = app.test_client()
    sign_in(staff, admin)
    examples = {"lang": "fi", "slug": "contact-details", "token": cases.status_token(sent_case),
                "case_id": sent_case.id, "action": "note", "kind": "saate",
                "filename": asset_name("saate.css"), "staff_id": worker.id,
                "team_id": sent_case.team_id}
    walked = sorted(routes(app, examples), key=lambda route: route.endpoint in LAST)
    for route in walked:
        visitor = staff if route.url.startswith("/staff") else client
        token = csrf_token(visitor.get("/staff/" if visitor is staff else "/fi/contact").text)
        for method in route.methods:
            for secure in (False, True):
                base_url = "https://localhost" if secure else "http://localhost"
                data = {"csrf_token": token, "text": "Testimuistio"} if method == "POST" else None
                response = visitor.open(route.url, method=method, base_url=base_url, data=data)
                assert_safe_headers(response, route.endpoint, secure)
    assert len(walked) >= 25


@pytest.mark.parametrize("path", ["/fi/no-such-page", "/fi/saate/no-such-step", "/xx/",
                                  "/static/saate.000000000000.css"])
def test_error_pages_send_them_too(sqlite_app: Flask, path: str) -> None:
    response = sqlite_app.test_client().get(path)
    assert response.status_code == 404
    assert_safe_headers(response, "error", secure=False)
