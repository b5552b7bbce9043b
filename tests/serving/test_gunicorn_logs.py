"""Real gunicorn, served as the README says, with its access log on.

Every request gets one well-formed access line on stdout; nothing secret
(status link secret, query string, cookies) and no forged line reaches any log.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyotp
import pytest

from app import create_app, demo
from app.people import teams
from config import TestingConfig
from tests.support.gunicorn import (
    GunicornServer,
    migrated_sqlite,
    production_environment,
    send_raw,
)
from tests.support.journey import CONTACT_REQUEST, FAKE_PERSON
from tests.support.live import LiveClient, code_step, password_step
from tests.support.pages import csrf_token
from tests.support.staff import PASSWORD, make_staff

ACCESS_LINE = re.compile(
    r'(?P<address>[0-9.]+) \[(?P<time>\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4})\] '
    r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/1\.[01]" (?P<status>\d{3}) (?P<bytes>\d+|-) '
    r'(?P<ms>\d+)ms "(?P<agent>[^"]*)"'
)
QUERY_SECRET = "querysecret-4f1c9a"
COOKIE_SECRET = "cookiesecret-8e2d7b"
# A path whose %0a would start a forged access line if it were written as decoded.
FORGED = '127.0.0.1 [01/Jan/2026:00:00:00 +0000] "GET /forged HTTP/1.1" 200 0 0ms "x"'
INJECTED_PATH = "/fi/%0a" + quote(FORGED, safe="")
SUBMISSION_KEY = re.compile(r'name="submission_key" value="([0-9a-f]{32})"')
STATUS_PATH = re.compile(r'href="https?://[^/"]+(/fi/status/[^"]+)"')


@pytest.fixture
def prepared(tmp_path: Path) -> tuple[dict[str, str], str]:
    """A migrated SQLite file with one team and one worker: the environment to serve it
    in production, and the worker's TOTP secret."""
    url = migrated_sqlite(tmp_path)
    environment = production_environment(url)
    app = create_app(TestingConfig, {"DATABASE_URL": url, "SECRET_KEY": environment["SECRET_KEY"]})
    with app.app_context():
        teams.create_team(**demo.DEMO_TEAMS[0])  # type: ignore[arg-type]
        totp_secret = make_staff("testi.tyontekija@example.test").totp_secret
    app.extensions["saate_db"].engine.dispose()
    return environment, totp_secret


@pytest.fixture
def served(tmp_path: Path, prepared: tuple[dict[str, str], str],
           ) -> Iterator[tuple[GunicornServer, str]]:
    environment, totp_secret = prepared
    with GunicornServer(tmp_path, environment) as server:
        yield server, totp_secret


def send_contact_request(browser: LiveClient) -> str:
    """A contact request over HTTP, as a phone would send it; the status link's path."""
    page = browser.get("/fi/contact").text
    key = SUBMISSION_KEY.search(page).group(1)  # type: ignore[union-attr]
    response = browser.post("/fi/contact", {
        **CONTACT_REQUEST, "submission_key": key, "csrf_token": csrf_token(page)})
    assert response.status == 302 and response.location == "/fi/contact/sent"
    page = browser.get("/fi/contact/sent").text
    return STATUS_PATH.search(page).group(1)  # type: ignore[union-attr]


def sign_in(browser: LiveClient, totp_secret: str) -> None:
    response = password_step(browser, "testi.tyontekija@example.test", PASSWORD)
    assert response.status == 302, response.status
    response = code_step(browser, pyotp.TOTP(totp_secret).now())
    assert response.status == 302 and response.location == "/staff/", response.status


def test_access_lines_are_written_and_hold_no_secret(
    served: tuple[GunicornServer, str],
) -> None:
    server, totp_secret = served
    client = LiveClient(server.url)
    status_path = send_contact_request(client)
    token = status_path.rsplit("/", 1)[1]
    client.cookies["tracking"] = COOKIE_SECRET
    assert client.get(f"{status_path}?code={QUERY_SECRET}").status == 200
    staff = LiveClient(server.url, user_agent="Phone \x1b[2J/fi/status/" + token)
    sign_in(staff, totp_secret)
    assert staff.get("/staff/").status == 200
    assert staff.get(INJECTED_PATH).status == 404
    # No HTTP client sends these: a broken request line, and one with a tab in a header.
    send_raw(server, f"GET {status_path}?code={QUERY_SECRET}\r\n\r\n".encode())
    send_raw(server, f"GET /fi/ HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: s={COOKIE_SECRET}\r\n"
                     "X-Bad\x01: 1\r\n\r\n".encode())
    server.stop()  # every worker has finished and written its lines

    lines = server.stdout().splitlines()
    parsed = [ACCESS_LINE.fullmatch(line) for line in lines]
    assert all(parsed), [line for line, match in zip(lines, parsed, strict=True) if not match]
    requests = Counter((m["method"], m["path"], m["status"]) for m in parsed)  # type: ignore[index]
    assert requests == Counter({
        ("GET", "/fi/contact", "200"): 1, ("POST", "/fi/contact", "302"): 1,
        ("GET", "/fi/contact/sent", "200"): 1, ("GET", "/fi/status/[redacted]", "200"): 1,
        ("GET", "/staff/sign-in", "200"): 1, ("POST", "/staff/sign-in", "302"): 1,
        ("GET", "/staff/sign-in/code", "200"): 1, ("POST", "/staff/sign-in/code", "302"): 1,
        ("GET", "/staff/", "200"): 1, ("GET", INJECTED_PATH, "404"): 1,
    })
    agents = {m["agent"] for m in parsed}  # type: ignore[index]
    assert agents == {"Saate tests", "Phone \\x1b[2J/fi/status/[redacted]"}

    everything = server.output()
    secrets = [token, QUERY_SECRET, COOKIE_SECRET, *client.cookies.values(),
               *staff.cookies.values(), *FAKE_PERSON.values(), CONTACT_REQUEST["about"]]
    for secret in secrets:
        if len(secret) >= 6:
            assert secret not in everything, secret
    assert not any(line.startswith(FORGED[:30]) for line in everything.splitlines())
    assert "Invalid request" in server.stderr()  # the broken requests were logged, safely
    assert "Logging error" not in everything and "Traceback" not in everything


def test_no_access_format_can_reach_a_secret_and_no_forwarded_header_is_trusted(
    tmp_path: Path, prepared: tuple[dict[str, str], str],
) -> None:
    environment, _totp_secret = prepared
    leaky = "%(U)s|%(q)s|%(f)s|%({cookie}i)s|%({x-forwarded-for}i)s|%({http_cookie}e)s|%(h)s"
    with GunicornServer(tmp_path, environment, ("--access-logformat", leaky)) as server:
        client = LiveClient(server.url)
        status_path = send_contact_request(client)
        headers = client.get(f"{status_path}?code={QUERY_SECRET}", headers={
            "Cookie": f"tracking={COOKIE_SECRET}", "Referer": f"https://x.test/?{QUERY_SECRET}",
            "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}).headers
        assert "Strict-Transport-Security" not in headers  # the request stayed plain HTTP
    lines = server.stdout().splitlines()
    assert lines[-1] == "/fi/status/[redacted]|-|-|-|-|-|127.0.0.1"
    assert len(lines) == 4
    assert QUERY_SECRET not in server.output() and COOKIE_SECRET not in server.output()


def test_health_checks_stay_out_of_the_access_log(served: tuple[GunicornServer, str]) -> None:
    """The proxy asks /healthz every few seconds: at info level those lines would bury the
    real requests, so only the page shows."""
    server, _ = served
    client = LiveClient(server.url)
    for _ in range(3):
        response = client.get("/healthz")
        assert response.status == 200 and response.text == '{"status":"ok"}\n'
    assert client.get("/fi/").status == 200
    server.stop()
    paths = [m["path"] for m in map(ACCESS_LINE.fullmatch, server.stdout().splitlines()) if m]
    assert paths == ["/fi/"]
