"""What may be kept in caches, and for how long (issue 12).

Static files under their fingerprinted names for a year (immutable), under their plain
names for five minutes, and pages never: they may hold answers about health. The URL
shape, and why an unknown hash is a 404, are in app/assets.py. That only static files
are ever cacheable is walked over every route in test_headers.py.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app import assets
from app.security import SECURITY_HEADERS
from tests.support.journey import client_pages
from tests.support.pages import linked

pytestmark = pytest.mark.usefixtures("teams")

STATIC = Path(__file__).resolve().parents[2] / "static"
FILES = sorted(path.name for path in STATIC.iterdir() if not path.name.startswith("."))
# The regex app/assets.py documents for the proxy (docs/deploy/nginx.conf serves from disk).
DOCUMENTED = re.compile(next(line.strip() for line in (assets.__doc__ or "").splitlines()
                             if line.strip().startswith("^/static/")))


@pytest.fixture
def app(sqlite_app: Flask) -> Flask:
    """What is cached does not depend on the database: SQLite only."""
    return sqlite_app


def fingerprint(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def fingerprinted_url(name: str) -> str:
    stem, ext = name.rsplit(".", 1)
    return f"/static/{stem}.{fingerprint(name)}.{ext}"


def directives(response: TestResponse) -> set[str]:
    value = response.headers.get("Cache-Control", "")
    return {part.strip().split("=")[0].lower() for part in value.split(",") if part.strip()}


def test_pages_link_every_static_file_by_its_fingerprint(client: FlaskClient) -> None:
    html = client.get("/fi/").text
    assert linked(html, "stylesheet") == [fingerprinted_url("saate.css"),
                                          fingerprinted_url("print.css")]
    assert linked(html, "icon") == [fingerprinted_url("favicon.svg")]
    assert not re.search(r"/static/[\w/-]+\.(css|svg)\b", html), "a plain static name"


@pytest.mark.parametrize("name", FILES)
def test_fingerprinted_files_are_kept_for_a_year(client: FlaskClient, name: str) -> None:
    response = client.get(fingerprinted_url(name))
    assert response.status_code == 200
    assert response.data == (STATIC / name).read_bytes()
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for header, value in SECURITY_HEADERS.items():
        assert response.headers[header] == value, header


@pytest.mark.parametrize("name", FILES)
def test_the_documented_regex_maps_each_url_to_its_file(name: str) -> None:
    """What the proxy relies on: the hash sits just before the last extension."""
    found = DOCUMENTED.fullmatch(fingerprinted_url(name))
    assert found, fingerprinted_url(name)
    assert f"{found['name']}.{found['ext']}" == name


def test_plain_names_keep_working_for_a_short_while(client: FlaskClient) -> None:
    response = client.get("/static/saate.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert response.data == (STATIC / "saate.css").read_bytes()
    assert response.headers["Cache-Control"] == "public, max-age=300"
    again = client.get("/static/saate.css", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/static/favicon.svg").mimetype == "image/svg+xml"


def stale_or_odd_paths() -> list[str]:
    digest = fingerprint("saate.css")
    return [
        "/static/saate.000000000000.css",  # a stale (or future) hash
        f"/static/print.{digest}.css",  # another file's hash
        f"/static/saate.{digest.upper()}.css", f"/static/saate.{digest[:11]}.css",
        f"/static/saate.{digest}0.css", f"/static/saate.{digest}.CSS", f"/static/{digest}.css",
        f"/static/saate.css.{digest}", f"/static/saate.{digest}.css/", "/static/saate..css",
        "/static/../../etc/passwd", "/static/..%2F..%2Fetc%2Fpasswd", "/static/.%2e/config.py",
        "/static/%00", "/static/saate.css%00.png", "/static/nothing.css", "/static/.gitkeep",
        "/static/" + "x" * 5000 + ".css", "/static/" + "a." * 3000 + "css",
        "/static/" + "a/" * 1000 + "saate.css",
    ]


@pytest.mark.parametrize("path", stale_or_odd_paths())
def test_stale_hashes_and_odd_names_are_not_found_and_not_kept(client: FlaskClient,
                                                              path: str) -> None:
    for method in ("GET", "HEAD"):
        response = client.open(path, method=method)
        assert response.status_code == 404, (method, path)
        assert response.headers["Cache-Control"] == "no-store", path


@pytest.mark.parametrize("lang", ["fi", "sv", "selko"])
def test_client_pages_are_never_kept_in_shared_caches(client: FlaskClient, lang: str) -> None:
    for name, response in client_pages(client, lang):
        assert response.status_code == 200, name
        assert response.mimetype == "text/html", name
        assert "no-store" in directives(response), (name, response.headers.get("Cache-Control"))
        assert not directives(response) & {"public", "immutable", "s-maxage"}, name
