"""Scale out: nginx in front of two app instances sharing one PostgreSQL and one Redis.

All real and on loopback, started here: a PostgreSQL database, a Redis, instances A
and B (gunicorn with gunicorn.conf.py, SAATE_ENV=production, SAATE_TRUSTED_PROXIES=1,
the rate limits in Redis), and Debian's nginx running docs/deploy/nginx.conf's blocks
with both instances in its upstream. nginx's access log names the instance that
answered each request, and every instance it tried first: that is how these tests
know where each request went. Clients connect from their own loopback addresses.
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from limits import parse_many
from sqlalchemy import func, select

from app import assets, demo, migrate
from app.database import make_engine
from app.extensions import db
from app.limits import LIMITS
from app.models import Case
from app.people import teams
from tests.conftest import make_app
from tests.support.gunicorn import GunicornServer
from tests.support.journey import CONTACT_REQUEST, VALID_STEPS
from tests.support.live import LiveClient, LiveResponse, code_step, password_step
from tests.support.nginx import NginxServer
from tests.support.pages import csrf_token
from tests.support.postgres import PostgresServer
from tests.support.redis import RedisServer
from tests.support.staff import PASSWORD, handled_and_closed, make_staff, totp_code

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "s" * 64
RESUME_FAILURES = min(rate.amount for rate in parse_many(LIMITS["resume"].rates))
CONTACTS_PER_MINUTE = min(rate.amount for rate in parse_many(LIMITS["contact"].rates))
STEPS = list(VALID_STEPS)
FIRST_HALF, SECOND_HALF = STEPS[:3], STEPS[3:]
# Traffic kept up while the retention job runs: at most this many rounds.
TRAFFIC_ROUNDS = 40


@dataclass
class Cluster:
    nginx: NginxServer
    a: GunicornServer
    b: GunicornServer

    def client(self, source: str) -> LiveClient:
        """A visitor at its own loopback address, through nginx."""
        return LiveClient(self.nginx.url, source=source)

    def name(self, address: str | None) -> str:
        """Which instance, A or B, an address in nginx's log is."""
        names = {f"127.0.0.1:{self.a.port}": "A", f"127.0.0.1:{self.b.port}": "B"}
        return names.get(address or "", f"not an instance: {address}")

    def instance(self, name: str) -> GunicornServer:
        return {"A": self.a, "B": self.b}[name]


@pytest.fixture(scope="module")
def database(postgres: PostgresServer) -> Iterator[Flask]:
    """One PostgreSQL database for every instance; an app context on it for the tests."""
    url = postgres.create_database("saate_scale_out")
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    app = make_app(url, {"SECRET_KEY": SECRET_KEY})
    with app.app_context():
        for team in demo.DEMO_TEAMS:
            teams.create_team(**team)  # type: ignore[arg-type]
        yield app
        db.session.remove()


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with RedisServer() as server:
        yield server


@contextmanager
def running_cluster(directory: Path, database: Flask,
                    redis_server: RedisServer) -> Iterator[Cluster]:
    a = GunicornServer(directory / "a", {})
    b = GunicornServer(directory / "b", {})
    nginx = NginxServer([f"127.0.0.1:{a.port}", f"127.0.0.1:{b.port}"])
    for instance in (a, b):
        instance.output_path.parent.mkdir()
        instance.environment.update({
            "SAATE_ENV": "production", "SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": database.config["DATABASE_URL"], "SAATE_BASE_URL": nginx.url,
            "SAATE_TRUSTED_PROXIES": "1", "SAATE_SECURE_COOKIES": "0",
            "SAATE_WORKERS": "2", "SAATE_THREADS": "2",
            "SAATE_RATELIMIT_STORAGE_URI": redis_server.url,
        })
    with a, b, nginx:
        yield Cluster(nginx, a, b)
    for instance in (a, b):
        assert "Traceback" not in instance.stderr()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, database: Flask,
            redis_server: RedisServer) -> Iterator[Cluster]:
    with running_cluster(tmp_path_factory.mktemp("cluster"), database, redis_server) as running:
        yield running


def fresh() -> None:
    """Forget what this process's session holds: the instances wrote since."""
    db.session.rollback()
    db.session.expire_all()


def case_count() -> int:
    fresh()
    return db.session.scalar(select(func.count(Case.id)))  # type: ignore[return-value]


def start_saate(client: LiveClient) -> None:
    started = client.post("/fi/saate/", {"csrf_token": client.csrf_token("/fi/saate/")})
    assert started.location == f"/fi/saate/{STEPS[0]}", started.status


def fill(client: LiveClient, slug: str, token: str | None = None) -> LiveResponse:
    """One part of the saate as a browser sends it: from that part's page, with its token."""
    token = token or client.csrf_token(f"/fi/saate/{slug}")
    return client.post(f"/fi/saate/{slug}", {**VALID_STEPS[slug], "csrf_token": token})


def next_page(slug: str) -> str:
    position = STEPS.index(slug)
    return f"/fi/saate/{STEPS[position + 1]}" if position + 1 < len(STEPS) else "/fi/saate/check"


# An instance dies mid-journey ---------------------------------------------------------------

def test_a_client_loses_nothing_when_an_instance_dies_mid_journey(
        tmp_path: Path, database: Flask, redis_server: RedisServer) -> None:
    # A cluster of its own: this test kills one of its instances.
    with running_cluster(tmp_path, database, redis_server) as cluster:
        cases_before = case_count()
        client = cluster.client("127.0.0.11")
        since, sent = cluster.nginx.log_length(), client.sent
        start_saate(client)
        for slug in FIRST_HALF:
            assert fill(client, slug).location == next_page(slug)
        first_half = cluster.nginx.logged(since, client.sent - sent)
        assert {cluster.name(entry.answered_by) for entry in first_half} == {"A", "B"}
        saved_by = {entry.path: cluster.name(entry.answered_by)
                    for entry in first_half if entry.method == "POST"}
        # The instance that saved the client's contact details dies, with the client on
        # the next part's page, its form filled in.
        dying = saved_by[f"/fi/saate/{FIRST_HALF[0]}"]
        survivor = "B" if dying == "A" else "A"
        token = client.csrf_token(f"/fi/saate/{SECOND_HALF[0]}")
        since, sent = cluster.nginx.log_length(), client.sent
        cluster.instance(dying).kill()

        # The client taps "Continue" twice: nginx, taking the instances in turn, tries the
        # dead one with one of the two posts.
        for _ in range(2):
            assert fill(client, SECOND_HALF[0], token).location == next_page(SECOND_HALF[0])
        for slug in SECOND_HALF[1:]:
            assert fill(client, slug).location == next_page(slug)
        check = client.get("/fi/saate/check")
        assert check.status == 200
        for slug, answers in VALID_STEPS.items():
            for code in answers:
                assert f'href="/fi/saate/{slug}?from=check&amp;row={code}#' in check.text, code
        for typed in ("Testi Asiakas", "040 000 1234", "Varastotyötä", "Työkokeilu", "Koira"):
            assert typed in check.text
        token = csrf_token(check.text)
        assert client.post("/fi/saate/check", {"csrf_token": token}).location == "/fi/saate/sent"
        # Sent twice (a double tap, or a retry): still one case.
        assert client.post("/fi/saate/check", {"csrf_token": token}).location == "/fi/saate/sent"
        confirmation = client.get("/fi/saate/sent")
        reference = re.search(r'<p class="reference">([A-Z0-9]{4})-([A-Z0-9]+)</p>',
                              confirmation.text)
        assert reference, confirmation.status

        second_half = cluster.nginx.logged(since, client.sent - sent)
        assert all(entry.status < 500 for entry in second_half), second_half
        assert {cluster.name(entry.answered_by) for entry in second_half} == {survivor}
        # nginx did try the dead instance and passed the post on: it had never reached the app.
        passed_on = [entry for entry in second_half if len(entry.upstreams) > 1]
        assert any(entry.method == "POST" for entry in passed_on), second_half
        assert all(cluster.name(entry.upstreams[0]) == dying for entry in passed_on)

    assert case_count() == cases_before + 1
    case = db.session.scalars(select(Case).where(
        Case.reference == reference.group(1) + reference.group(2))).one()
    assert case.answers["name"] == "Testi Asiakas"
    assert case.answers["situation"] == VALID_STEPS["situation"]["situation"]
    assert case.answers["six_months"] == VALID_STEPS["hopes"]["six_months"]


# Staff sessions -------------------------------------------------------------------------------

def test_a_staff_session_signed_in_on_one_instance_works_on_the_other(
        cluster: Cluster, database: Flask) -> None:
    user = make_staff("testi.kaksi.palvelinta@example.test", name="Testi Kaksipalvelin")
    browser = cluster.client("127.0.0.31")
    since, sent = cluster.nginx.log_length(), browser.sent
    assert password_step(browser, user.email, PASSWORD).location == "/staff/sign-in/code"
    assert code_step(browser, totp_code(user)).location == "/staff/"
    signed_in = cluster.nginx.logged(since, browser.sent - sent)[-1]
    assert signed_in.path == "/staff/sign-in/code" and signed_in.status == 302

    since = cluster.nginx.log_length()
    for _ in range(4):
        assert browser.get("/staff/").status == 200
    served = cluster.nginx.logged(since, 4)
    assert {cluster.name(entry.answered_by) for entry in served} == {"A", "B"}

    # The session lives in the database: signed out on one instance, it is over on both,
    # even for a copy of the cookie kept from before.
    signed_in_cookie = dict(browser.cookies)
    assert browser.post("/staff/sign-out", {
        "csrf_token": browser.csrf_token("/staff/")}).location == "/staff/sign-in"
    browser.cookies = signed_in_cookie
    since = cluster.nginx.log_length()
    for _ in range(2):
        assert browser.get("/staff/").location == "/staff/sign-in"
    refused = cluster.nginx.logged(since, 2)
    assert {cluster.name(entry.answered_by) for entry in refused} == {"A", "B"}


# Rate limits ------------------------------------------------------------------------------

def wrong_resume_codes(client: LiveClient, count: int, forged: bool = False) -> list[int]:
    """Wrong resume codes one after another, each from the form the last answer showed."""
    page = client.get("/fi/resume").text
    statuses = []
    for attempt in range(count):
        # Whatever a client claims to be, nginx says where it connected from.
        headers = ({"X-Forwarded-For": f"10.9.8.{attempt}", "X-Real-IP": f"10.9.7.{attempt}",
                    "Forwarded": f"for=10.9.6.{attempt}"} if forged else None)
        answer = client.post("/fi/resume", {"code": f"AAAAA-AA{attempt:03d}",
                                            "second_factor": "1980",
                                            "csrf_token": csrf_token(page)}, headers)
        statuses.append(answer.status)
        # The wait page (429) has no form: the visitor goes back to the resume page.
        page = answer.text if answer.status == 200 else client.get("/fi/resume").text
    return statuses


def test_rate_limits_are_shared_by_both_instances_through_redis(
        cluster: Cluster, redis_server: RedisServer) -> None:
    client = cluster.client("127.0.0.21")
    since, sent = cluster.nginx.log_length(), client.sent
    statuses = wrong_resume_codes(client, RESUME_FAILURES + 1)
    assert statuses == [200] * RESUME_FAILURES + [429]
    posts = [entry for entry in cluster.nginx.logged(since, client.sent - sent)
             if entry.method == "POST"]
    # Each instance's workers counted only some of the tries, and together they said no.
    counted_by = [cluster.name(entry.answered_by) for entry in posts[:-1]]
    assert set(counted_by) == {"A", "B"}
    assert max(counted_by.count("A"), counted_by.count("B")) < RESUME_FAILURES
    with redis_server.client() as redis:
        assert list(redis.scan_iter(match="*saate*"))


def test_each_client_is_limited_by_its_own_address_whatever_it_forwards(
        cluster: Cluster) -> None:
    hammering, other = cluster.client("127.0.0.22"), cluster.client("127.0.0.23")
    assert wrong_resume_codes(hammering, RESUME_FAILURES + 1, forged=True)[-1] == 429
    assert wrong_resume_codes(other, 1) == [200]
    # The one over the limit stays there, on either instance, whoever it claims to be.
    assert wrong_resume_codes(hammering, 2, forged=True) == [429, 429]


# Retention while serving ----------------------------------------------------------------------

def test_retention_runs_on_one_instance_while_both_serve(cluster: Cluster) -> None:
    worker = make_staff("testi.sailytys@example.test", name="Testi Säilytys")
    expired = [handled_and_closed(worker, 400, f"{'e' * 28}{n:04d}").id for n in range(20)]
    recent = [handled_and_closed(worker, 10, f"{'r' * 28}{n:04d}").id for n in range(5)]
    cases_before = case_count()
    filling = cluster.client("127.0.0.40")
    start_saate(filling)

    since = cluster.nginx.log_length()
    job = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "retention", "run"],
        cwd=ROOT, env=cluster.a.environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    rounds = sent_contacts = 0
    answers: list[int] = []
    # Traffic on both instances until the job is done (and for two rounds at least).
    while rounds < TRAFFIC_ROUNDS and (job.poll() is None or rounds < 2):
        # Contact requests from ever new addresses, each well under its limit.
        contact = cluster.client(f"127.0.1.{rounds // CONTACTS_PER_MINUTE + 1}")
        sent = contact.post("/fi/contact", {**CONTACT_REQUEST,
                                           "csrf_token": contact.csrf_token("/fi/contact")})
        sent_contacts += sent.location == "/fi/contact/sent"
        answers.append(fill(filling, STEPS[rounds % len(STEPS)]).status)
        rounds += 1
    output, errors = job.communicate(timeout=120)
    for slug in STEPS[rounds:]:  # the parts not posted yet, had the job been quicker
        answers.append(fill(filling, slug).status)

    assert job.returncode == 0, errors
    assert "Traceback" not in errors
    assert "closed cases anonymised: 20;" in output
    assert sent_contacts == rounds
    assert set(answers) == {302}
    assert {cluster.name(entry.answered_by) for entry in cluster.nginx.logged(since, 0)} \
        == {"A", "B"}
    # Every case made while the job ran is there, once; the old ones are kept, anonymised.
    assert case_count() == cases_before + sent_contacts
    assert all(db.session.get(Case, case_id).answers == {} for case_id in expired)
    assert all(db.session.get(Case, case_id).answers["name"] == "Testi Asiakas"
               for case_id in recent)
    # The draft being filled in while the job ran is whole, and can be sent.
    check = filling.get("/fi/saate/check")
    assert "Testi Asiakas" in check.text and "Koira" in check.text
    assert filling.post("/fi/saate/check", {"csrf_token": csrf_token(check.text)}).location \
        == "/fi/saate/sent"


# Static files and compression -----------------------------------------------------------------

def body_of(response: LiveResponse) -> bytes:
    if response.headers.get("Content-Encoding") == "gzip":
        return gzip.decompress(response.body)
    return response.body


def test_static_files_come_from_disk_under_the_names_and_headers_the_app_gives(
        cluster: Cluster) -> None:
    client = cluster.client("127.0.0.51")
    manifest = assets.load_manifest()
    linked = set(re.findall(r'(?:href|src)="/static/([^"]+)"', client.get("/fi/").text))
    assert linked and linked <= set(manifest.by_fingerprint)
    since, sent = cluster.nginx.log_length(), client.sent
    for asset in manifest.by_name.values():
        for name, cached in ((asset.fingerprinted, assets.IMMUTABLE),
                             (asset.name, assets.REVALIDATED)):
            answer = client.get(f"/static/{name}", {"Accept-Encoding": "gzip"})
            assert answer.status == 200, name
            assert body_of(answer) == asset.content, name
            assert answer.headers["Cache-Control"] == cached, name
            assert answer.headers["Content-Type"].split(";")[0] == asset.mimetype, name
            assert answer.headers["X-Content-Type-Options"] == "nosniff"
    # Served by nginx itself: no instance was asked.
    assert all(not entry.upstreams for entry in cluster.nginx.logged(since, client.sent - sent))

    stylesheet = f"/static/{manifest.by_name['saate.css'].fingerprinted}"
    compressed = client.get(stylesheet, {"Accept-Encoding": "gzip"})
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed.headers["Vary"]
    assert "Content-Encoding" not in client.get(stylesheet).headers
    missing = client.get("/static/nothing.0123456789ab.css")
    assert missing.status == 404 and "immutable" not in missing.headers.get("Cache-Control", "")


def test_pages_are_never_compressed(cluster: Cluster) -> None:
    """They carry CSRF tokens and personal data and echo input: no BREACH over TLS."""
    client = cluster.client("127.0.0.52")
    gzip_please = {"Accept-Encoding": "gzip, deflate, br"}
    page = client.get("/fi/contact", gzip_please)
    assert page.status == 200 and "Content-Encoding" not in page.headers
    echoed = client.post("/fi/contact", {**CONTACT_REQUEST, "name": "",
                                         "csrf_token": csrf_token(page.text)}, gzip_please)
    assert echoed.status == 200 and "Content-Encoding" not in echoed.headers
    assert CONTACT_REQUEST["about"] in echoed.text
