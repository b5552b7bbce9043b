"""Races against a live server: real gunicorn, several workers and threads, both databases.

Requests start together from threads released by one threading.Barrier. What
must hold whatever the interleaving: one TOTP code signs in once; concurrent
wrong passwords never get past the failure limit; two workers acting on one case
at once give one success and one conflict page (never a 500) that keeps what the
loser typed.
"""

from __future__ import annotations

import html
import secrets
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from itertools import count
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from app import demo, migrate
from app.casework import cases
from app.database import make_engine
from app.extensions import db
from app.models import Case, CaseEvent, StaffSession, StaffUser, ThrottleEvent
from app.people import teams as team_service
from app.saate.schema import CONTACT_REQUEST
from app.tokens import keyed_hash
from tests.conftest import make_app
from tests.support.gunicorn import GunicornServer
from tests.support.journey import CONTACT_REQUEST as CONTACT_ANSWERS
from tests.support.live import LiveClient, LiveResponse, code_step, password_step
from tests.support.postgres import PostgresServer
from tests.support.staff import CLOSING, PASSWORD, make_staff, totp_code

SECRET_KEY = secrets.token_hex(32)
# Three processes of four threads: up to twelve requests truly at once.
SERVER_ARGS = ("--workers", "3", "--threads", "4", "--timeout", "60")
people = count(1)


@dataclass
class Live:
    app: Flask
    server: GunicornServer

    def client(self) -> LiveClient:
        return LiveClient(self.server.url)


def migrated_database(backend: str, directory: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        url = f"sqlite:///{directory / 'saate.sqlite3'}"
    else:
        postgres: PostgresServer = request.getfixturevalue("postgres")
        url = postgres.create_database("saate_races")
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live(request: pytest.FixtureRequest,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    directory = tmp_path_factory.mktemp(f"races-{request.param}")
    url = migrated_database(request.param, directory, request)
    app = make_app(url, {"SECRET_KEY": SECRET_KEY})
    with app.app_context():
        for team in demo.DEMO_TEAMS:
            team_service.create_team(**team)  # type: ignore[arg-type]
        environment = {"SAATE_ENV": "testing", "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY}
        with GunicornServer(directory, environment, SERVER_ARGS) as server:
            yield Live(app, server)
        db.session.remove()


def staff_member(role: str = "worker") -> StaffUser:
    number = next(people)
    return make_staff(f"testi.kilpailija{number}@example.test", role=role,
                      name=f"Testi Kilpailija{number}")


def together(*requests: Callable[[], LiveResponse]) -> list[LiveResponse]:
    """Run the requests from threads released at the same moment."""
    barrier = threading.Barrier(len(requests), timeout=30)

    def run(request: Callable[[], LiveResponse]) -> LiveResponse:
        barrier.wait()
        return request()

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(run, requests))


def fresh() -> None:
    """Forget what this process's session holds: the server wrote since."""
    db.session.rollback()
    db.session.expire_all()


def signed_in(live: Live, user: StaffUser, steps_ahead: int = 0) -> LiveClient:
    client = live.client()
    assert password_step(client, user.email, PASSWORD).location == "/staff/sign-in/code"
    assert code_step(client, totp_code(user, steps_ahead)).location == "/staff/"
    return client


def test_one_totp_code_signs_in_once(live: Live) -> None:
    user = staff_member()
    clients = [live.client() for _ in range(6)]
    for client in clients:
        assert password_step(client, user.email, PASSWORD).location == "/staff/sign-in/code"
    tokens = [client.csrf_token("/staff/sign-in/code") for client in clients]
    code = totp_code(user)
    responses = together(*[partial(code_step, client, code, token)
                           for client, token in zip(clients, tokens, strict=True)])
    statuses = sorted(response.status for response in responses)
    assert 500 not in statuses, statuses
    winners = [client for client, response in zip(clients, responses, strict=True)
               if response.location == "/staff/"]
    assert len(winners) == 1, statuses
    assert set(statuses) <= {200, 302, 429}  # the others: "code used" or a wait
    assert winners[0].get("/staff/").status == 200
    for client in clients:
        if client is not winners[0]:
            assert client.get("/staff/").location == "/staff/sign-in"
    fresh()
    assert db.session.scalar(select(func.count(StaffSession.id))
                             .where(StaffSession.staff_id == user.id)) == 1


def test_concurrent_wrong_passwords_never_pass_the_limit(live: Live) -> None:
    user = staff_member()
    limit = live.app.config["SIGN_IN_MAX_FAILURES_PER_ACCOUNT"]
    clients = [live.client() for _ in range(12)]
    tokens = [client.csrf_token("/staff/sign-in") for client in clients]
    responses = together(*[
        partial(client.post, "/staff/sign-in", {
            "email": user.email, "password": "wrong-password-here", "csrf_token": token})
        for client, token in zip(clients, tokens, strict=True)
    ])
    statuses = [response.status for response in responses]
    assert set(statuses) <= {200, 429}, statuses
    checked = statuses.count(200)  # let through, and wrong
    assert 1 <= checked <= limit, statuses
    fresh()
    kept = db.session.scalar(select(func.count(ThrottleEvent.id)).where(
        ThrottleEvent.key_hash == keyed_hash("sign_in", f"account:{user.email}")))
    assert kept == checked  # every refused attempt was forgotten, every wrong one kept


# Each round: two workers at once, on the same case version. (action, form data); the
# loser's "text" field (if any) must come back in its conflict page.
ROUNDS: list[tuple[tuple[str, dict], tuple[str, dict]]] = [
    (("note", {"text": "Kierros 1: soitin asiakkaalle."}),
     ("note", {"text": "Kierros 1: sovimme tapaamisen."})),
    (("contact-attempt", {"channel": "phone", "reached": "no",
                          "note": "Kierros 2: ei vastannut."}),
     ("note", {"text": "Kierros 2: lähetin tekstiviestin."})),
    (("claim", {}), ("outcomes", {"outcomes": ["kela"], "detail": "Kierros 3: Kelan kuntoutus.",
                                  "no_contact_person_needed": "yes"})),
    (("claim", {}), ("claim", {})),
    (("status", {"status": "waiting_for_client"}),
     ("contact-person", {"staff_member": "outside", "name": "Kierros 5",
                         "title": "sosiaaliohjaaja", "organisation": "Keksityt palvelut"})),
    # Closing as the confirmation page posts it (issue 11: two steps).
    (("close", {"reason": "routed", "note": "Kierros 6: ohjattu Kelaan.", "confirmed": "yes",
                "no_contact_person_needed": "yes", **CLOSING}),
     ("note", {"text": "Kierros 6: asiakas soitti takaisin."})),
]
TYPED = {"text", "note", "detail", "name"}


def test_two_workers_at_once_one_wins_and_the_other_keeps_their_text(live: Live) -> None:
    workers = [staff_member(), staff_member()]
    case = cases.create_case(CONTACT_REQUEST, "fi", dict(CONTACT_ANSWERS),
                             secrets.token_hex(16))
    clients = [signed_in(live, worker) for worker in workers]
    tokens = [client.csrf_token(f"/staff/cases/{case.id}") for client in clients]
    for number, pair in enumerate(ROUNDS, start=1):
        fresh()
        version = db.session.scalar(select(Case.version).where(Case.id == case.id))
        responses = together(*[
            partial(client.post, f"/staff/cases/{case.id}/{action}",
                    {**data, "version": version, "csrf_token": token})
            for client, token, (action, data) in zip(clients, tokens, pair, strict=True)
        ])
        statuses = [response.status for response in responses]
        assert sorted(statuses) == [302, 409], (number, statuses)
        loser = statuses.index(409)
        page = responses[loser].text
        assert 'id="conflict-title"' in page, number
        for name, value in pair[loser][1].items():
            if name in TYPED and value:
                assert html.escape(value) in page, (number, name)
    fresh()
    kinds = db.session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id)).all()
    assert len(kinds) == 1 + len(ROUNDS)  # "sent", then one winner a round: nothing lost
