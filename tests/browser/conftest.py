"""A real browser: Playwright driving Debian's Chromium against a live server.

The bundled browser download is not available here, so Playwright launches
/usr/bin/chromium by executable_path. The server runs the app on a SQLite file
in a thread on loopback.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from werkzeug.serving import BaseWSGIServer, make_server

from app import demo
from app.people import teams
from tests.conftest import make_app, sqlite_copy
from tests.support.staff import PASSWORD

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 360, "height": 740}

pytestmark = pytest.mark.browser


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Chromium is not installed: run `make test` (apt-get install chromium).")
    return path


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class LiveServer:
    app: Flask
    url: str
    screenshots: Path

    def __call__(self, path: str) -> str:
        return self.url + path


@pytest.fixture
def live_server(tmp_path: Path, sqlite_template: Path) -> Iterator[LiveServer]:
    app = make_app(sqlite_copy(sqlite_template, tmp_path), {"SERVER_NAME": None})
    with app.app_context():
        for team in demo.DEMO_TEAMS:
            teams.create_team(**team)  # type: ignore[arg-type]
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = url  # status links point at the service's public address
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(app, url, tmp_path)
    server.shutdown()
    thread.join(timeout=5)


def new_context(browser: Browser, javascript: bool = True) -> BrowserContext:
    # bypass_csp lets the axe helper inject its script under our strict CSP.
    return browser.new_context(viewport=PHONE, java_script_enabled=javascript, bypass_csp=True,
                               locale="fi-FI")


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = new_context(browser)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def sign_in_staff(page: Page, server: LiveServer, email: str, code: str,
                  password: str = PASSWORD,
                  check: Callable[[Page], None] = lambda page: None) -> None:
    """Password, then the authenticator's code: the page ends on the queue. `check` (an axe
    audit, say) runs on each of the three pages."""
    page.goto(server("/staff/sign-in"))
    check(page)
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/staff/sign-in/code")
    check(page)
    page.fill("#code", code)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/staff/")
    check(page)
