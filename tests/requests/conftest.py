"""Fixtures the request tests share: a worker of the Jyväskylä team, signed in, an admin of
two teams, signed in, and a real SMTP inbox. A module that needs another worker or inbox
defines its own fixture of the same name."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.models import StaffUser
from tests.support.mail import Inbox, smtp_inbox
from tests.support.staff import make_staff, sign_in


@pytest.fixture
def worker(app: Flask) -> StaffUser:
    return make_staff("testi.tyontekija@example.test")


@pytest.fixture
def signed_in(client: FlaskClient, worker: StaffUser) -> FlaskClient:
    sign_in(client, worker)
    return client


@pytest.fixture
def admin(app: Flask) -> StaffUser:
    return make_staff("testi.yllapitaja@example.test", role="admin", name="Testi Ylläpitäjä",
                      teams=("jyvaskyla", "laukaa-hankasalmi"))


@pytest.fixture
def admin_client(app: Flask, admin: StaffUser) -> FlaskClient:
    client = app.test_client()
    sign_in(client, admin)
    return client


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    with smtp_inbox() as found:
        yield found
