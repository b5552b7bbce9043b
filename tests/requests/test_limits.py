"""Rate limits: every public POST and the staff sign-in, per real client address.

The limits are the real ones from app/limits.py. People (one at a hurried pace,
a family behind one address) never meet them; scripts do, and see a page in
their language that keeps what they typed and says how long to wait. Counters
live in memory, or in a real Redis started on loopback, shared by two apps as
by two workers, and an outage of Redis never fails a request.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from limits import parse_many

from app.auth import OPEN_ENDPOINTS
from app.limits import LIMITS, RULE_ATTRIBUTE
from tests.conftest import make_app, sqlite_copy
from tests.support.i18n import translated
from tests.support.journey import CONTACT_REQUEST, VALID_STEPS, Journey
from tests.support.pages import csrf_token
from tests.support.postgres import free_port
from tests.support.redis import RedisServer
from tests.support.staff import PASSWORD, make_staff

pytestmark = pytest.mark.usefixtures("teams")

TOO_MANY = ("For your safety, we stopped accepting tries for a while. "
            "Please wait %(wait)s and try again, or call your team.")


def burst(name: str) -> int:
    """How many POSTs in quick succession the limit allows (its smallest amount)."""
    return min(rate.amount for rate in parse_many(LIMITS[name].rates))


def client_at(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def incomplete_contact(journey: Journey) -> int:
    """A contact request missing its municipality: shown again, nothing stored."""
    return journey.post("/contact", {**CONTACT_REQUEST, "municipality": ""}).status_code


# What is limited ---------------------------------------------------------------------------

def test_every_public_post_and_sign_in_is_limited_and_nothing_else(app: Flask) -> None:
    """Walk the url_map: a new public form is limited, or this test says so."""
    used = set()
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        name = getattr(view, RULE_ATTRIBUTE, None)
        staff_side = rule.rule.startswith("/staff")
        # Open without signing in: the sign-in steps and the staff set-up link.
        public = not staff_side or rule.endpoint in OPEN_ENDPOINTS - {"static"}
        if "POST" in (rule.methods or ()) and public:
            assert name in LIMITS, f"{rule.endpoint} takes POSTs but has no rate limit"
        elif staff_side and rule.endpoint not in OPEN_ENDPOINTS:
            assert name is None, f"{rule.endpoint} is behind sign-in and is never limited"
        if name:
            used.add(name)
    assert used == set(LIMITS), "every row of the table limits something"


def test_pages_static_files_and_staff_work_are_never_counted(app: Flask) -> None:
    client = app.test_client()
    for _ in range(burst("contact") + 5):
        assert client.get("/fi/contact").status_code == 200
        assert client.get("/static/saate.css").status_code == 200
    assert incomplete_contact(Journey(client)) == 200


# Scripts meet the limits -------------------------------------------------------------------

def test_a_script_is_stopped_and_the_page_keeps_what_it_typed(app: Flask) -> None:
    journey = Journey(app.test_client())
    for _ in range(burst("contact")):
        assert incomplete_contact(journey) == 200
    response = journey.post("/contact", CONTACT_REQUEST)
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert translated(app, "fi", TOO_MANY, wait="1 minuutti") in response.text
    # Everything typed is on the page, to send again with one press once the wait is over.
    assert 'value="Haluan jutella."' in response.text
    assert 'value="Testi Asiakas"' in response.text
    assert 'action="/fi/contact"' in response.text
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("lang", "locale", "wait"), [
    ("sv", "sv", "1 minut"), ("selko", "fi@selko", "1 minuutti")])
def test_the_limit_page_is_in_the_visitors_language(sqlite_app: Flask, teams, lang: str,  # type: ignore[no-untyped-def]
                                                    locale: str, wait: str) -> None:
    journey = Journey(sqlite_app.test_client(), lang)
    for _ in range(burst("contact")):
        incomplete_contact(journey)
    response = journey.post("/contact", CONTACT_REQUEST)
    assert response.status_code == 429
    assert translated(sqlite_app, locale, TOO_MANY, wait=wait) in response.text
    assert translated(sqlite_app, locale, "Send again") in response.text


def test_every_limited_form_stops_a_script(app: Flask) -> None:
    """Each public form, posted without end from one address, is refused in time."""
    posts = {
        "saate_start": ("/saate/", {}),
        "saate_step": ("/saate/situation", VALID_STEPS["situation"]),
        "saate_send": ("/saate/check", {}),
        "crisis_send": ("/saate/help-now", {"name": "Testi", "phone": "040 000 1234"}),
        "saate_delete": ("/saate/delete", {}),
        "feedback": ("/feedback/saate", {"rating": "5"}),
        "resume": ("/resume", {"second_factor": "1980"}),
    }
    for number, (name, (path, data)) in enumerate(posts.items()):
        journey = Journey(client_at(app, f"127.0.1.{number}"))
        if name != "saate_start":
            journey.start()
        token = csrf_token(journey.get("/saate/").text)
        # A new resume code each time (where a code is read): one code locks by itself.
        statuses = [
            journey.client.post(f"/fi{path}", data={
                **data, "csrf_token": token, "code": f"AAAAA-AAA{attempt:02d}"}).status_code
            for attempt in range(burst(name) + 1)
        ]
        assert 429 not in statuses[:-1] and statuses[-1] == 429, (name, statuses)


def test_addresses_are_counted_apart(app: Flask) -> None:
    hammering = Journey(client_at(app, "127.0.0.2"))
    for _ in range(burst("contact")):
        incomplete_contact(hammering)
    assert incomplete_contact(hammering) == 429
    assert incomplete_contact(Journey(client_at(app, "127.0.0.3"))) == 200


def test_one_ipv6_network_is_one_client(app: Flask) -> None:
    for number in range(burst("contact")):
        incomplete_contact(Journey(client_at(app, f"2001:db8:1:2::{number + 1:x}")))
    assert incomplete_contact(Journey(client_at(app, "2001:db8:1:2:ffff::1"))) == 429
    assert incomplete_contact(Journey(client_at(app, "2001:db8:1:3::1"))) == 200


def test_without_trusted_proxies_forwarded_headers_pick_nothing(app: Flask) -> None:
    journey = Journey(app.test_client())
    for number in range(burst("contact")):
        journey.client.environ_base["HTTP_X_FORWARDED_FOR"] = f"198.51.100.{number}"
        incomplete_contact(journey)
    journey.client.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.200"
    assert incomplete_contact(journey) == 429


@pytest.mark.parametrize("app_overrides", [{"TRUSTED_PROXIES": 1}])
def test_behind_one_proxy_the_address_it_saw_counts(app: Flask) -> None:
    """The proxy appends the address it saw; what the client wrote before it is ignored."""
    journey = Journey(app.test_client())
    for number in range(burst("contact")):
        journey.client.environ_base["HTTP_X_FORWARDED_FOR"] = f"10.0.0.{number}, 203.0.113.7"
        incomplete_contact(journey)
    assert incomplete_contact(journey) == 429
    journey.client.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.8"
    assert incomplete_contact(journey) == 200


def test_resume_counts_wrong_tries_per_address_not_right_ones(app: Flask) -> None:
    owner = Journey(client_at(app, "127.0.0.3"))
    owner.start()
    owner.step("contact-details")
    code = owner.resume_code()
    guesser = Journey(client_at(app, "127.0.0.2"))
    for attempt in range(burst("resume")):
        wrong = {"code": f"AAAAA-AAA{attempt:02d}", "second_factor": "1980"}
        assert guesser.post("/resume", wrong).status_code == 200
    assert guesser.post("/resume", {"code": code, "second_factor": "1980"}).status_code == 429
    # Right answers never use up the owner's tries.
    for _ in range(burst("resume") + 1):
        assert owner.post("/resume", {"code": code, "second_factor": "1980"}).status_code == 302


def test_sign_in_failures_are_limited_per_address(app: Flask) -> None:
    user = make_staff("testi.tyontekija@example.test")
    guesser = client_at(app, "127.0.0.2")
    for number in range(burst("sign_in")):
        page = guesser.get("/staff/sign-in").text
        guesser.post("/staff/sign-in", data={"email": f"guess{number}@example.test",
                                             "password": "wrong-password-here",
                                             "csrf_token": csrf_token(page)})
    page = guesser.get("/staff/sign-in").text
    refused = guesser.post("/staff/sign-in", data={"email": user.email, "password": PASSWORD,
                                                   "csrf_token": csrf_token(page)})
    assert refused.status_code == 429
    assert PASSWORD not in refused.text
    colleague = client_at(app, "127.0.0.3")
    page = colleague.get("/staff/sign-in").text
    right = {"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(page)}
    assert colleague.post("/staff/sign-in", data=right).status_code == 302


# People never meet them --------------------------------------------------------------------

def test_a_hurried_person_going_back_and_forth_never_meets_a_limit(app: Flask) -> None:
    """A whole saate with every kind of detour, faster than anyone types, from one address."""
    journey = Journey(app.test_client())
    assert incomplete_contact(journey) == 200            # looked at contact first, changed mind
    journey.start()
    for slug in VALID_STEPS:
        assert journey.step(slug, {}).status_code in (200, 302)  # pressed on without answering
        assert journey.step(slug).status_code == 302
    save_for_later = {**VALID_STEPS["health"], "action": "save"}
    assert journey.step("health", save_for_later).status_code == 302
    journey.get("/saate/saved")
    code = journey.resume_code()
    other_device = Journey(app.test_client())
    assert other_device.post("/resume", {"code": code, "second_factor": "1981"}).status_code == 200
    assert other_device.post("/resume", {"code": code, "second_factor": "1980"}).status_code == 302
    for _ in range(2):                                 # back through every step, twice, from check
        for slug in VALID_STEPS:
            assert other_device.step(slug, **{"from": "check"}).status_code == 302
    assert other_device.send().status_code == 302
    feedback = {"rating": "4", "comment": "Selkeä."}
    assert other_device.post("/feedback/saate", feedback).status_code == 303


def test_a_family_behind_one_address_never_meets_a_limit(app: Flask) -> None:
    for member in range(4):
        journey = Journey(client_at(app, "192.0.2.10"))
        journey.fill_all()
        assert journey.send().status_code == 302, member
        assert journey.post("/feedback/saate", {"rating": "5"}).status_code == 303
    for _ in range(2):
        contact = Journey(client_at(app, "192.0.2.10"))
        assert incomplete_contact(contact) == 200
        assert contact.post("/contact", CONTACT_REQUEST).status_code == 302


# Storage: Redis shared by many, and an outage ----------------------------------------------

@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with RedisServer() as server:
        yield server


def app_on_redis(directory: Path, template: Path, url: str) -> Flask:
    directory.mkdir(exist_ok=True)
    return make_app(sqlite_copy(template, directory), {"RATELIMIT_STORAGE_URI": url})


def test_workers_share_their_counts_through_redis(redis_server: RedisServer, tmp_path: Path,
                                                   sqlite_template: Path) -> None:
    redis_server.client().flushall()
    apps = [app_on_redis(tmp_path / name, sqlite_template, redis_server.url)
            for name in ("first", "second")]
    for number in range(burst("contact")):
        assert scripted_contact(apps[number % 2].test_client()) == 400
    assert scripted_contact(apps[1].test_client()) == 429
    keys = [key.decode() for key in redis_server.client().keys("*")]
    assert keys and all("127.0.0.1" not in key for key in keys)


def scripted_contact(client: FlaskClient) -> int:
    """A contact request without the page's token: refused, and counted."""
    return client.post("/fi/contact", data={"about": "Haluan jutella."}).status_code


def test_a_redis_outage_never_fails_a_post_and_limits_carry_on_in_memory(
        tmp_path: Path, sqlite_template: Path, caplog: pytest.LogCaptureFixture) -> None:
    server = RedisServer()
    server.start()
    client = app_on_redis(tmp_path / "app", sqlite_template, server.url).test_client()
    try:
        assert scripted_contact(client) == 400
    finally:
        server.stop()
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        statuses = [scripted_contact(client) for _ in range(burst("contact") + 1)]
        # Wrong resume tries are counted after the answer: that path must not fail either.
        resume = client.post("/fi/resume", data={"code": "AAAAA-AAAAA"})
    assert statuses[:-1] == [400] * burst("contact") and statuses[-1] == 429
    assert resume.status_code == 400
    assert "falling back to in-memory storage" in caplog.text


def test_redis_unreachable_from_the_start_is_not_an_error(tmp_path: Path,
                                                          sqlite_template: Path) -> None:
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    client = app_on_redis(tmp_path / "app", sqlite_template, nowhere).test_client()
    statuses = [scripted_contact(client) for _ in range(burst("contact") + 1)]
    assert statuses[:-1] == [400] * burst("contact") and statuses[-1] == 429
