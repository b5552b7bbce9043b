"""Page throughput as production serves it: `make bench`.

Serves the app with gunicorn and the repository's gunicorn.conf.py (SAATE_ENV=production,
the settings README gives, one trusted proxy as behind nginx) on a throwaway PostgreSQL
(or SQLite) seeded with the demo teams and N fake cases, and next to it the smallest Flask
app (bench/hello.py) under the same gunicorn settings. Debian's `wrk` then drives each
page from its own process on loopback, 50 connections for a few seconds after a short
warm-up, through bench/requests.lua. One table gives each page's throughput, p50 and p95
latency and its ratio to hello world measured in the same run (before and after the
pages; the mean is the baseline). Ratios, not absolute figures, compare between machines.

Every request carries the cookies a returning browser has and comes from its own
made-up client address, so the rate limits stay on and never stop the load. Clients
are prepared through the server first, as a browser would: 50 with a whole saate
saved (for the step pages), a few hundred more with a saate ready to send (each sent
once), one staff lead signed in with the two-factor code.

    .venv/bin/python bench/pages.py [--cases 100000] [--engine postgresql|sqlite]
        [--database-url URL] [--seconds 8] [--only "landing,staff queue"]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyotp  # noqa: E402

from app import create_app, demo, demo_bulk, migrate  # noqa: E402
from app.cli import with_progress  # noqa: E402
from app.database import make_engine  # noqa: E402
from tests.support.gunicorn import GunicornServer  # noqa: E402
from tests.support.journey import CONTACT_REQUEST, VALID_STEPS  # noqa: E402
from tests.support.live import LiveClient, code_step, password_step  # noqa: E402
from tests.support.pages import csrf_token  # noqa: E402
from tests.support.postgres import PostgresServer  # noqa: E402

CONNECTIONS = 50
WRK_THREADS = 2
WARM_UP_SECONDS = 2
LEAD = demo.DEMO_STAFF[2]["email"]  # the lead sees every team's queue
STEP_SESSIONS = CONNECTIONS
SEND_SESSIONS = 300
DEEP_PAGES = 25
LUA = ROOT / "bench" / "requests.lua"
MEASURED = re.compile(r"SAATE-BENCH served=(\d+) unexpected=(\d+) errors=(\d+) "
                      r"duration_us=(\d+) p50_us=(\d+) p95_us=(\d+)")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    cookie: str = ""
    body: str | None = None
    # Staff sessions hold to the address and browser they signed in from (Flask-Login's
    # strong session protection); public requests each come from a made-up address.
    address: str = ""


@dataclass
class Plan:
    """What wrk sends for one page (bench/requests.lua reads it)."""

    requests: list[Request]
    expect: int = 200
    once: bool = False
    fresh_key: bool = False


@dataclass
class Figures:
    page: str
    per_second: float
    p50_ms: float
    p95_ms: float
    unexpected: int
    errors: int
    ratio: float = 0.0


@dataclass
class Prepared:
    """The clients and links the pages need, made through the running server."""

    saved: list[LiveClient] = field(default_factory=list)  # a whole saate saved
    ready: list[LiveClient] = field(default_factory=list)  # ready to send, once each
    contact: list[LiveClient] = field(default_factory=list)
    staff: LiveClient | None = None
    status_path: str = ""
    deep_queue_path: str = ""
    case_path: str = ""
    stats_path: str = ""


# --- the server ------------------------------------------------------------------------


def seed(url: str, cases: int) -> None:
    """Migrate, add the demo teams and staff, then `cases` fake cases (half the handled ones
    the lead's, as bench/staff_queue.py seeds them)."""
    from app.people import accounts

    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    app = create_app("development", {"DATABASE_URL": url})
    with app.app_context():
        demo.seed()
        lead = accounts.find_by_email(LEAD)
        assert lead is not None
        if cases:
            with_progress("Seeding cases", lambda progress: demo_bulk.seed_cases(
                cases, main_handler=lead.id, progress=progress), unit="cases")


def lead_totp_secret(url: str) -> str:
    """The demo lead's two-factor secret (the bench signs in as the lead: every team)."""
    from app.people import accounts

    app = create_app("development", {"DATABASE_URL": url})
    with app.app_context():
        user = accounts.find_by_email(LEAD)
        assert user is not None, "the database has no demo lead: run `flask demo seed`"
        return user.totp_secret


def production_settings(url: str, port: int) -> dict[str, str]:
    return {
        "SAATE_ENV": "production",
        "DATABASE_URL": url,
        "SAATE_BASE_URL": f"http://127.0.0.1:{port}",
        "SAATE_SECURE_COOKIES": "0",
        "SAATE_TRUSTED_PROXIES": "1",
    }


def start_servers(directory: Path, url: str) -> tuple[GunicornServer, GunicornServer]:
    (directory / "app").mkdir(exist_ok=True)
    (directory / "hello").mkdir(exist_ok=True)
    app_server = GunicornServer(directory / "app", {})
    app_server.environment.update(production_settings(url, app_server.port))
    hello = GunicornServer(directory / "hello", {}, app_module="bench.hello:app")
    app_server.start()
    hello.start()
    return app_server, hello


# --- clients, prepared as a browser would ------------------------------------------------


class BenchClient(LiveClient):
    """A browser from its own address (behind the one trusted proxy)."""

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url, user_agent="Saate bench")
        self.address = ".".join(str(random.randrange(1, 255)) for _ in range(3))
        self.address = f"10.{self.address}"
        self.page = ""

    def request(self, method, path, data=None, extra_headers=None):  # type: ignore[no-untyped-def, override]
        headers = {"X-Forwarded-For": self.address, **(extra_headers or {})}
        response = super().request(method, path, data, headers)
        if response.status == 200:
            self.page = response.text
        return response

    def post_form(self, path: str, data: dict) -> int:
        self.get(path)
        return self.post(path, {**data, "csrf_token": csrf_token(self.page)}).status

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


def saved_saate(base_url: str) -> BenchClient:
    client = BenchClient(base_url)
    client.get("/fi/")
    assert client.post_form("/fi/saate/", {}) == 302, "the saate did not start"
    for slug, answers in VALID_STEPS.items():
        assert client.post_form(f"/fi/saate/{slug}", answers) == 302, f"step {slug} failed"
    client.get("/fi/saate/check")
    return client


def contact_client(base_url: str) -> BenchClient:
    client = BenchClient(base_url)
    client.get("/fi/")
    client.get("/fi/contact")
    return client


def signed_in_lead(base_url: str, totp_secret: str) -> BenchClient:
    client = BenchClient(base_url)
    assert password_step(client, LEAD, demo.DEMO_PASSWORD).status == 302
    assert code_step(client, pyotp.TOTP(totp_secret).now()).status == 302, "sign-in failed"
    return client


def prepare(base_url: str, pages: set[str], totp_secret: str) -> Prepared:
    prepared = Prepared()
    with ThreadPoolExecutor(max_workers=4) as pool:
        if pages & {"saate step GET", "saate step POST", "status page"}:
            prepared.saved = list(pool.map(lambda _: saved_saate(base_url), range(STEP_SESSIONS)))
        if "send a saate" in pages:
            prepared.ready = list(pool.map(lambda _: saved_saate(base_url), range(SEND_SESSIONS)))
        if pages & {"landing", "contact request GET", "contact request POST"}:
            prepared.contact = list(pool.map(lambda _: contact_client(base_url),
                                             range(CONNECTIONS)))
    if "status page" in pages:
        prepared.status_path = sent_status_path(base_url)
    if any(page.startswith("staff") for page in pages):
        prepared.staff = signed_in_lead(base_url, totp_secret)
        prepared.deep_queue_path = deep_queue_path(prepared.staff)
        prepared.case_path = first_case_path(prepared.staff)
        prepared.stats_path = one_team_stats_path(prepared.staff)
    return prepared


def sent_status_path(base_url: str) -> str:
    client = saved_saate(base_url)
    client.post("/fi/saate/check", {"csrf_token": csrf_token(client.page)})
    page = client.get("/fi/saate/sent").text
    found = re.search(r'href="[^"]*?(/fi/status/[^"]+)"', page)
    assert found, "no status link on the sent page"
    return found.group(1)


def deep_queue_path(staff: BenchClient) -> str:
    path = "/staff/?status=closed"
    for _ in range(DEEP_PAGES):
        found = re.search(r'href="(/staff/\?[^"]*after=[^"]+)"', staff.get(path).text)
        if not found:
            break
        path = found.group(1).replace("&amp;", "&")
    return path


def one_team_stats_path(staff: BenchClient) -> str:
    """The statistics of the lead's first team for the last twelve months (the default)."""
    found = re.search(r'<option value="(\d+)"', staff.get("/staff/stats").text)
    assert found, "no team on the statistics page"
    return f"/staff/stats?team={found.group(1)}"


def first_case_path(staff: BenchClient) -> str:
    found = re.search(r'href="(/staff/cases/\d+)"', staff.get("/staff/").text)
    assert found, "no case in the lead's queue"
    return found.group(1)


# --- the pages ---------------------------------------------------------------------------


def get_each(clients: list[BenchClient], path: str, same_address: bool = False) -> Plan:
    return Plan([Request("GET", path, client.cookie_header(),
                         address=client.address if same_address else "")
                 for client in clients])


def post_each(clients: list[BenchClient], path: str, answers: dict, **plan: object) -> Plan:
    requests = []
    for client in clients:
        token = csrf_token(client.page) if "csrf_token" in client.page else ""
        body = urlencode({**answers, "csrf_token": token}, doseq=True)
        requests.append(Request("POST", path, client.cookie_header(), body))
    return Plan(requests, expect=302, **plan)  # type: ignore[arg-type]


def with_csrf_from(clients: list[BenchClient], path: str) -> list[BenchClient]:
    for client in clients:
        client.get(path)
    return clients


def plans(prepared: Prepared) -> dict[str, Callable[[], Plan]]:
    staff = [prepared.staff] if prepared.staff else []
    step = "contact-details"

    def as_staff(path: str) -> Plan:
        return get_each(staff, path, same_address=True)

    return {
        "landing": lambda: get_each(prepared.contact, "/fi/"),
        "saate step GET": lambda: get_each(prepared.saved, f"/fi/saate/{step}"),
        "saate step POST": lambda: post_each(with_csrf_from(prepared.saved, f"/fi/saate/{step}"),
                                             f"/fi/saate/{step}", VALID_STEPS[step]),
        "send a saate": lambda: post_each(prepared.ready, "/fi/saate/check", {}, once=True),
        "contact request GET": lambda: get_each(prepared.contact, "/fi/contact"),
        "contact request POST": lambda: post_each(
            with_csrf_from(prepared.contact, "/fi/contact"), "/fi/contact",
            {**CONTACT_REQUEST, "submission_key": "KEY"}, fresh_key=True),
        "status page": lambda: get_each(prepared.saved[:1], prepared.status_path),
        "staff queue": lambda: as_staff("/staff/"),
        "staff queue: deep page": lambda: as_staff(prepared.deep_queue_path),
        "staff queue: filtered": lambda: as_staff(
            "/staff/?status=all&kind=saate&language=sv&urgent=1"),
        "staff case view": lambda: as_staff(prepared.case_path),
        "staff statistics": lambda: as_staff(prepared.stats_path),
    }


# --- wrk ---------------------------------------------------------------------------------


def lua_string(text: str) -> str:
    level = "=" * 3
    assert f"]{level}]" not in text
    return f"[{level}[{text}]{level}]"


def write_plan(plan: Plan, path: Path) -> None:
    rows = []
    for request in plan.requests:
        parts = [f"method={lua_string(request.method)}", f"path={lua_string(request.path)}"]
        if request.cookie:
            parts.append(f"cookie={lua_string(request.cookie)}")
        if request.body is not None:
            parts.append(f"body={lua_string(request.body)}")
        if request.address:
            parts.append(f"address={lua_string(request.address)}")
        rows.append("{" + ", ".join(parts) + "}")
    share = -(-len(plan.requests) // WRK_THREADS)
    path.write_text(
        "return {\n"
        f"  threads = {WRK_THREADS}, share = {share}, expect = {plan.expect},\n"
        f"  once = {str(plan.once).lower()}, fresh_key = {str(plan.fresh_key).lower()},\n"
        "  requests = {\n    " + ",\n    ".join(rows) + "\n  }\n}\n")


def run_wrk(name: str, url: str, plan: Plan, seconds: int, directory: Path) -> Figures:
    plan_path = directory / "plan.lua"
    write_plan(plan, plan_path)
    environment = {**os.environ, "SAATE_BENCH_PLAN": str(plan_path)}
    if not plan.once:
        wrk(url, WARM_UP_SECONDS, environment)
    output = wrk(url, seconds, environment)
    found = MEASURED.search(output)
    if not found:
        raise RuntimeError(f"wrk said:\n{output}")
    served, unexpected, errors, duration_us, p50, p95 = map(int, found.groups())
    return Figures(name, served / (duration_us / 1e6), p50 / 1000, p95 / 1000, unexpected, errors)


def wrk(url: str, seconds: int, environment: dict[str, str]) -> str:
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s",
               "--timeout", "10s", "-s", str(LUA), url]
    return subprocess.run(command, env=environment, capture_output=True, text=True,  # noqa: S603
                          check=True, timeout=seconds + 60).stdout


def hello_plan() -> Plan:
    return Plan([Request("GET", "/")])


# --- the table ---------------------------------------------------------------------------


def print_table(rows: list[Figures], baseline: float, hellos: list[Figures]) -> None:
    print()
    print(f"Hello world: {' and '.join(f'{h.per_second:,.0f}' for h in hellos)} req/s "
          f"(baseline {baseline:,.0f}); {CONNECTIONS} connections, wrk on loopback")
    print(f"{'page':<26} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'× hello':>8}  notes")
    for row in rows:
        notes = []
        if row.unexpected:
            notes.append(f"{row.unexpected} unexpected answers")
        if row.errors:
            notes.append(f"{row.errors} socket errors")
        print(f"{row.page:<26} {row.per_second:>8,.0f} {row.p50_ms:>8.1f} {row.p95_ms:>8.1f} "
              f"{row.ratio:>8.2f}  {', '.join(notes)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--engine", choices=("postgresql", "sqlite"), default="postgresql",
                        help="a throwaway database of this kind, seeded (default: PostgreSQL, "
                             "as in production)")
    parser.add_argument("--database-url",
                        help="an existing database with the demo data instead (not seeded)")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--only", default="", help="comma-separated page names")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `apt-get install wrk` (make bench does it as root)")
    chosen = {name.strip() for name in options.only.split(",") if name.strip()}
    unknown = chosen - set(PAGES)
    if unknown:
        sys.exit(f"no such page: {', '.join(sorted(unknown))}; pages: {', '.join(PAGES)}")

    started = time.monotonic()
    os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))
    with tempfile.TemporaryDirectory(prefix="saate-bench-") as working, \
            ExitStack() as resources:
        directory = Path(working)
        url = options.database_url or new_database(options.engine, directory, resources)
        if not options.database_url:
            print(f"Seeding {options.cases:,} cases ({options.engine}) …", file=sys.stderr)
            seed(url, options.cases)
        secret = lead_totp_secret(url)
        app_server, hello = start_servers(directory, url)
        resources.callback(hello.stop)
        resources.callback(app_server.stop)
        print("Preparing clients …", file=sys.stderr)
        prepared = prepare(app_server.url, chosen or set(PAGES), secret)
        rows, hellos = measure(app_server, hello, plans(prepared), chosen, options.seconds,
                               directory)
    baseline = statistics.mean(h.per_second for h in hellos)
    for row in rows:
        row.ratio = row.per_second / baseline
    print_table(rows, baseline, hellos)
    print(f"\n(whole run {time.monotonic() - started:.0f} s)")


def new_database(engine: str, directory: Path, resources: ExitStack) -> str:
    if engine == "sqlite":
        return f"sqlite:///{directory / 'saate.sqlite3'}"
    server = PostgresServer()
    server.start()
    resources.callback(server.stop)
    return server.create_database("saate_bench")


def measure(app_server: GunicornServer, hello: GunicornServer,
            pages: dict[str, Callable[[], Plan]], chosen: set[str], seconds: int,
            directory: Path) -> tuple[list[Figures], list[Figures]]:
    """Hello world, then each page, then hello world again (the machine may drift)."""
    hellos = [run_wrk("hello world", hello.url + "/", hello_plan(), seconds, directory)]
    rows = []
    for name, make_plan in pages.items():
        if chosen and name not in chosen:
            continue
        print(f"  {name} …", file=sys.stderr)
        rows.append(run_wrk(name, app_server.url, make_plan(), seconds, directory))
    hellos.append(run_wrk("hello world", hello.url + "/", hello_plan(), seconds, directory))
    return rows, hellos


PAGES = ("landing", "saate step GET", "saate step POST", "send a saate",
         "contact request GET", "contact request POST", "status page", "staff queue",
         "staff queue: deep page", "staff queue: filtered", "staff case view",
         "staff statistics")

if __name__ == "__main__":
    main()
