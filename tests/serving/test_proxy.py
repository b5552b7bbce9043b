"""Behind the documented proxy: real client addresses, trusted hosts, links, plain HTTP.

First through the app's own WSGI stack (ProxyFix and the host check in front of
Flask), then for real: Debian's nginx running docs/deploy/nginx.conf's proxy
blocks on loopback, in front of real gunicorn (two workers, production
settings) sharing rate-limit counts in a real Redis. Clients connect from
different loopback addresses (the whole of 127/8 is loopback).
"""

from __future__ import annotations

import http.client
import re
import shutil
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import Flask
from limits import parse_many
from werkzeug.test import Client

from app import create_app, demo
from app.limits import LIMITS
from app.people import teams
from config import ProductionConfig
from tests.conftest import make_app, sqlite_copy
from tests.support.gunicorn import GunicornServer
from tests.support.journey import CONTACT_REQUEST
from tests.support.nginx import NginxServer
from tests.support.pages import csrf_token
from tests.support.redis import RedisServer

SECRET_KEY = "k" * 64
PUBLIC_HOST = "saate.example.test"
FORGED_HOST = "attacker.example.test"
RESUME_FAILURES = min(rate.amount for rate in parse_many(LIMITS["resume"].rates))


def production_app(database_url: str, **settings: object) -> Flask:
    return create_app(ProductionConfig, {
        "SECRET_KEY": SECRET_KEY, "DATABASE_URL": database_url,
        "BASE_URL": f"https://{PUBLIC_HOST}", "SESSION_COOKIE_SECURE": False, **settings,
    })


@pytest.fixture
def database(tmp_path: Path, sqlite_template: Path) -> str:
    url = sqlite_copy(sqlite_template, tmp_path)
    with make_app(url).app_context():
        for team in demo.DEMO_TEAMS:
            teams.create_team(**team)  # type: ignore[arg-type]
    return url


# The WSGI stack in front of Flask ----------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(("path", "lang"), [("/fi/contact", "fi"), ("/sv/resume", "sv"),
                                            ("/staff/sign-in", "fi"), ("/nowhere", "fi")])
def test_a_forged_host_gets_the_400_page(database: str, method: str, path: str,
                                         lang: str) -> None:
    client = Client(production_app(database))
    response = client.open(path, method=method, headers={"Host": FORGED_HOST},
                           data={"name": "Testi Asiakas"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert FORGED_HOST not in html
    assert response.headers["Content-Security-Policy"]
    assert client.get("/fi/contact", headers={"Host": PUBLIC_HOST}).status_code == 200


def test_more_hosts_may_be_trusted_but_links_keep_the_public_address(database: str) -> None:
    client = Client(production_app(database, EXTRA_TRUSTED_HOSTS=["alias.example.test"]))
    alias = {"Host": "alias.example.test"}
    page = client.get("/fi/contact", headers=alias).get_data(as_text=True)
    sent = client.post("/fi/contact", headers=alias, data={
        **CONTACT_REQUEST, "csrf_token": csrf_token(page), "submission_key": "f" * 32})
    assert sent.status_code == 302
    html = client.get("/fi/contact/sent", headers=alias).get_data(as_text=True)
    assert re.search(rf'href="https://{re.escape(PUBLIC_HOST)}/fi/status/[^"]+"', html)
    assert "alias.example.test" not in html


def test_forwarded_host_headers_are_never_trusted(database: str) -> None:
    client = Client(production_app(database, TRUSTED_PROXIES=1))
    response = client.get("/fi/contact", headers={"Host": FORGED_HOST,
                                                  "X-Forwarded-Host": PUBLIC_HOST})
    assert response.status_code == 400


def test_https_through_a_trusted_proxy_works_without_a_referer(database: str) -> None:
    """Our pages send no Referer (Referrer-Policy), and posts over HTTPS must still work."""
    client = Client(production_app(database, TRUSTED_PROXIES=1, SESSION_COOKIE_SECURE=True))
    proxied = {"Host": PUBLIC_HOST, "X-Forwarded-Proto": "https",
               "X-Forwarded-For": "192.0.2.1"}
    page = client.get("/fi/saate/", headers=proxied)
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    start = client.post("/fi/saate/", headers=proxied,
                        data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert start.status_code == 302 and start.location == "/fi/saate/contact-details"
    assert "Secure" in start.headers["Set-Cookie"]


# For real: nginx, gunicorn, Redis ----------------------------------------------------------

@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    text: str


class Visitor:
    """One browser at one loopback address: keeps its cookies and the last page's token."""

    def __init__(self, port: int, source: str = "127.0.0.1", tls: bool = False) -> None:
        self.port, self.source, self.tls = port, source, tls
        self.cookies: dict[str, str] = {}
        self.set_cookies: list[str] = []
        self.page = ""

    def request(self, method: str, path: str, fields: dict | None = None,
                headers: dict | None = None) -> Reply:
        connection = self._connect()
        body = urlencode(fields, doseq=True) if fields is not None else None
        sent = {**({"Content-Type": "application/x-www-form-urlencoded"} if body else {}),
                **({"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
                   if self.cookies else {}),
                **(headers or {})}
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
            reply = Reply(response.status, response.headers, text)
        finally:
            connection.close()
        for header in reply.headers.get_all("Set-Cookie") or []:
            self.set_cookies.append(header)
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if reply.status == 200:
            self.page = reply.text
        return reply

    def _connect(self) -> http.client.HTTPConnection:
        source = (self.source, 0)
        if self.tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # the test's own throwaway certificate
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=30,
                                               source_address=source, context=context)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30,
                                          source_address=source)

    def get(self, path: str, **headers: str) -> Reply:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, fields: dict, headers: dict | None = None) -> Reply:
        """Post from the page at `path`, as a browser would: with that page's token."""
        self.get(path)
        return self.request("POST", path, {**fields, "csrf_token": csrf_token(self.page)}, headers)


@dataclass
class Stack:
    nginx: NginxServer
    gunicorn: GunicornServer
    base_url: str

    def visitor(self, source: str = "127.0.0.1", tls: bool = False) -> Visitor:
        return Visitor(self.nginx.tls_port if tls else self.nginx.port, source, tls)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Stack]:
    if shutil.which("openssl") is None:
        raise RuntimeError("openssl is not installed: apt-get install openssl")
    directory = tmp_path_factory.mktemp("stack")
    database = sqlite_copy(sqlite_template, directory)
    with make_app(database).app_context():
        for team in demo.DEMO_TEAMS:
            teams.create_team(**team)  # type: ignore[arg-type]
    with RedisServer() as redis_server:
        # Each needs the other's port: gunicorn's environment is completed once nginx has one.
        gunicorn = GunicornServer(directory, {})
        nginx = NginxServer(f"127.0.0.1:{gunicorn.port}")
        base_url = nginx.url
        gunicorn.environment.update({
            "SAATE_ENV": "production", "SECRET_KEY": SECRET_KEY, "DATABASE_URL": database,
            "SAATE_BASE_URL": base_url, "SAATE_TRUSTED_PROXIES": "1",
            "SAATE_SECURE_COOKIES": "0", "SAATE_WORKERS": "2",
            "SAATE_RATELIMIT_STORAGE_URI": redis_server.url,
        })
        with gunicorn, nginx:
            yield Stack(nginx, gunicorn, base_url)


def test_clients_are_told_apart_by_the_address_nginx_saw(stack: Stack) -> None:
    hammering = stack.visitor("127.0.0.2")
    for attempt in range(RESUME_FAILURES):
        # Whatever it claims to be, nginx says where it connected from.
        spoofed = {"X-Forwarded-For": f"10.9.8.{attempt}", "X-Real-IP": f"10.9.7.{attempt}"}
        wrong = hammering.post("/fi/resume", {"code": f"AAAAA-AAA{attempt:02d}",
                                              "second_factor": "1980"}, spoofed)
        assert wrong.status == 200, f"limited after {attempt} wrong codes"
    limited = hammering.post("/fi/resume", {"code": "CCCCC-CCCCC", "second_factor": "1980"},
                             {"X-Forwarded-For": "127.0.0.3"})
    assert limited.status == 429
    assert 'lang="fi"' in limited.text
    other = stack.visitor("127.0.0.3")
    assert other.post("/fi/resume", {"code": "AAAAA-AAAAA", "second_factor": "1980"}).status == 200


def test_a_forged_host_gets_a_400_page_through_nginx_and_from_gunicorn(stack: Stack) -> None:
    through_nginx = stack.visitor().get("/sv/contact", Host=FORGED_HOST)
    assert through_nginx.status == 400 and '<html lang="sv">' in through_nginx.text
    direct = Visitor(stack.gunicorn.port).get("/sv/contact", Host=FORGED_HOST)
    assert direct.status == 400 and '<html lang="sv">' in direct.text
    assert "Traceback" not in stack.gunicorn.output()


def test_a_contact_request_over_plain_http_with_secure_cookies_off(stack: Stack) -> None:
    visitor = stack.visitor("127.0.0.4")
    sent = visitor.post("/fi/contact", CONTACT_REQUEST)
    assert sent.status == 302 and sent.headers["Location"] == "/fi/contact/sent"
    session_cookie = next(c for c in visitor.set_cookies if c.startswith("saate_session="))
    assert "Secure" not in session_cookie and "HttpOnly" in session_cookie
    confirmation = visitor.get("/fi/contact/sent")
    found = re.search(rf'href="{re.escape(stack.base_url)}(/fi/status/[^"]+)"', confirmation.text)
    assert found, "the status link points at SAATE_BASE_URL"
    status = visitor.get(found.group(1))
    assert status.status == 200
    # nginx's one worker logs a request before it serves the next one.
    visitor.get("/fi/")
    token = found.group(1).rsplit("/", 1)[1]
    assert "/fi/status/[redacted]" in stack.nginx.access_log()
    assert token not in stack.nginx.access_log()


def test_https_through_nginx_is_secure_and_posts_need_no_referer(stack: Stack) -> None:
    visitor = stack.visitor("127.0.0.5", tls=True)
    page = visitor.get("/fi/saate/")
    assert page.status == 200
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    started = visitor.post("/fi/saate/", {})
    assert started.status == 302 and started.headers["Location"] == "/fi/saate/contact-details"


def test_nginx_stops_oversized_bodies_at_the_door(stack: Stack) -> None:
    visitor = stack.visitor("127.0.0.6")
    visitor.get("/fi/contact")
    huge = visitor.request("POST", "/fi/contact", {"about": "x" * 1024 * 1024})
    assert huge.status == 413
    assert "nginx" in huge.text


def test_a_body_between_the_apps_limit_and_nginxs_gets_the_apps_own_page(stack: Stack) -> None:
    """nginx's cap sits above SAATE_MAX_REQUEST_KB, so the visitor sees the app's 413 page."""
    visitor = stack.visitor("127.0.0.7")
    visitor.get("/sv/contact")
    over = ProductionConfig.MAX_REQUEST_KB * 1024 + 4096
    answer = visitor.request("POST", "/sv/contact", {"about": "x" * over,
                                                     "csrf_token": csrf_token(visitor.page)})
    assert answer.status == 413
    assert '<html lang="sv">' in answer.text and "nginx" not in answer.text
