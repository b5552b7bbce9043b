"""/healthz: 200 while the database answers, 503 when it is down or hangs; never a session,
a rate limit or personal data."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import make_app

OK = {"status": "ok"}
UNAVAILABLE = {"status": "unavailable"}


def test_ok_while_the_database_answers(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == OK
    assert "Set-Cookie" not in response.headers
    assert "no-store" in response.headers["Cache-Control"]


def test_asked_often_it_is_never_rate_limited(client: FlaskClient) -> None:
    assert {client.get("/healthz").status_code for _ in range(300)} == {200}


def test_unavailable_when_the_database_is_down() -> None:
    app = make_app(f"postgresql+psycopg://saate@127.0.0.1:{closed_port()}/saate")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json() == UNAVAILABLE
    assert "Set-Cookie" not in response.headers


def test_unavailable_when_the_database_hangs(silent_server: int) -> None:
    """A server that takes the connection and never says a word: the check gives up."""
    app = make_app(f"postgresql+psycopg://saate@127.0.0.1:{silent_server}/saate")
    client = app.test_client()
    for _ in range(2):  # the second check waits behind the first one, and says so too
        response = client.get("/healthz")
        assert response.status_code == 503 and response.get_json() == UNAVAILABLE


def test_it_answers_only_get(app: Flask, client: FlaskClient) -> None:
    assert client.post("/healthz").status_code == 400  # refused before routing: no CSRF token
    assert {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith(
        "health.")} == {"/healthz"}


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A real listening socket on loopback that accepts and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]
