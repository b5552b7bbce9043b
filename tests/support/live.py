"""A browser-like client for a live server (real gunicorn): keeps its cookies, never
follows redirects, one connection per request so that threads can share nothing."""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from email.message import Message
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from tests.support.pages import csrf_token

TIMEOUT = 60.0


@dataclass
class LiveResponse:
    status: int
    location: str | None
    text: str
    headers: Message
    body: bytes = b""


class LiveClient:
    """`source` binds the client's side of each connection to that loopback address
    (all of 127/8 is loopback), so that clients can be told apart behind a proxy."""

    def __init__(self, base_url: str, user_agent: str = "Saate tests",
                 source: str | None = None) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.user_agent = user_agent
        self.source_address = (source, 0) if source else None
        self.cookies: dict[str, str] = {}
        self.sent = 0  # requests so far

    def get(self, path: str, headers: dict[str, str] | None = None) -> LiveResponse:
        return self.request("GET", path, extra_headers=headers)

    def post(self, path: str, data: dict, headers: dict[str, str] | None = None) -> LiveResponse:
        return self.request("POST", path, data, headers)

    def request(self, method: str, path: str, data: dict | None = None,
                extra_headers: dict[str, str] | None = None) -> LiveResponse:
        headers = {"Accept-Language": "fi", "User-Agent": self.user_agent,
                   **(extra_headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT,
                                                source_address=self.source_address)
        self.sent += 1
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            raw = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                self._keep(header)
            return LiveResponse(response.status, response.getheader("Location"),
                                raw.decode("utf-8", errors="replace"), response.headers, raw)
        finally:
            connection.close()

    def _keep(self, header: str) -> None:
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel.value:
                self.cookies[name] = morsel.value
            else:  # deleted
                self.cookies.pop(name, None)

    def csrf_token(self, path: str) -> str:
        return csrf_token(self.get(path).text)


def password_step(client: LiveClient, email: str, password: str) -> LiveResponse:
    token = client.csrf_token("/staff/sign-in")
    return client.post("/staff/sign-in", {"email": email, "password": password,
                                          "csrf_token": token})


def code_step(client: LiveClient, code: str, token: str | None = None) -> LiveResponse:
    token = token or client.csrf_token("/staff/sign-in/code")
    return client.post("/staff/sign-in/code", {"code": code, "csrf_token": token})
