"""Screenshots of the client journey on a phone, for reviewers: `make screenshots`.

Serves the app on loopback (a throwaway SQLite database with the demo teams, and a
real SMTP server so that the sent page shows its e-mail offer), walks the client's
pages at 360 px in Finnish in Chromium (tests/browser/client_pages.py), saves a PNG of
each page of the journey under docs/screenshots/ and rewrites the list of them in
README.md (between the "screenshots" markers). Pages that no longer exist lose their
picture; new parts of the form get theirs.

    SAATE_ENV=testing .venv/bin/python -m tests.browser.screenshots [--lang fi]
"""

from __future__ import annotations

import argparse
import logging
import re
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app import catalogues, demo, migrate
from app.database import make_engine
from app.i18n import load_languages
from app.people import teams
from config import TestingConfig
from tests.browser.client_pages import PHONE, Walk
from tests.browser.conftest import CHROMIUM_ARGS, chromium_path
from tests.conftest import make_app
from tests.support.mail import smtp_inbox

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
README = ROOT / "README.md"
MARKERS = ("<!-- screenshots:start -->", "<!-- screenshots:end -->")
# The journey's pages in the order a client meets them, and what the list calls them.
CAPTIONS = {
    "landing": "Front page",
    "contact": "Ask to be contacted",
    "saate-start": "The form's start page",
    "part": "Part {number} of the form (`{slug}`)",
    "crisis": "Crisis page (after answering yes to the crisis question)",
    "check": "Check your answers",
    "sent": "Sent: reference code, promised date, status link",
    "status": "Status page",
    "resume": "Continue your form or follow your case (with the code)",
    "privacy": "Privacy notice",
}
# Two phone screens at most: enough to show each page's design, small enough to keep
# in the repository (about 70 kB a page).
LONGEST = 2 * PHONE["height"]


def journey_order(name: str) -> tuple[int, int]:
    part = re.fullmatch(r"part-(\d+)-.+", name)
    if part:
        return list(CAPTIONS).index("part"), int(part.group(1))
    if name == "crisis":  # right after the part that asks
        return list(CAPTIONS).index("part"), 2
    return list(CAPTIONS).index(name), 0


def caption(name: str) -> str:
    part = re.fullmatch(r"part-(\d+)-(.+)", name)
    if part:
        return CAPTIONS["part"].format(number=part.group(1), slug=part.group(2))
    return CAPTIONS[name]


def wanted(name: str) -> bool:
    return name in CAPTIONS or bool(re.fullmatch(r"part-\d+-[a-z0-9-]+", name))


@contextmanager
def serving() -> Iterator[str]:
    """The app on a fresh SQLite file, served on loopback; yields its address."""
    locales = [language.locale for language in load_languages(TestingConfig.LANGUAGES).values()]
    catalogues.compile_all(locales)
    with tempfile.TemporaryDirectory() as directory, smtp_inbox() as (_inbox, smtp_port):
        url = f"sqlite:///{Path(directory) / 'saate.sqlite3'}"
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        app = make_app(url, {"SERVER_NAME": None, "SMTP_HOST": "127.0.0.1",
                             "SMTP_PORT": smtp_port, "SMTP_STARTTLS": False})
        with app.app_context():
            for team in demo.DEMO_TEAMS:
                teams.create_team(**team)  # type: ignore[arg-type]
        server = make_server("127.0.0.1", 0, app, threaded=True)
        address = f"http://127.0.0.1:{server.server_port}"
        app.config["BASE_URL"] = address
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield address
        finally:
            server.shutdown()
            thread.join(timeout=5)


def take(lang: str) -> dict[str, bytes]:
    shots: dict[str, bytes] = {}
    with serving() as address, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        walk = Walk(browser, address, lang)
        try:
            for visited in walk.pages():
                if visited.main_journey and wanted(visited.name):
                    page = visited.page
                    height = min(LONGEST, page.evaluate("document.documentElement.scrollHeight"))
                    shots[visited.name] = page.screenshot(
                        full_page=True, animations="disabled", caret="hide",
                        clip={"x": 0, "y": 0, "width": page.viewport_size["width"],  # type: ignore[index]
                              "height": height})
        finally:
            walk.close()
            browser.close()
    return shots


def save(shots: dict[str, bytes], out: Path) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    names = sorted(shots, key=journey_order)
    for name in names:
        (out / f"{name}.png").write_bytes(shots[name])
    return names


def list_in_readme(names: list[str], out: Path, readme: Path) -> None:
    text = readme.read_text()
    start, end = MARKERS
    if start not in text or end not in text:
        raise SystemExit(f"{readme} has no {start} … {end} markers for the list")
    relative = out.relative_to(readme.parent)
    lines = [f"- [{caption(name)}]({relative}/{name}.png)" for name in names]
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    readme.write_text(before + start + "\n" + "\n".join(lines) + "\n" + end + after)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="fi", help="language segment: fi, sv or selko")
    parser.add_argument("--out", type=Path, default=OUT)
    arguments = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    names = save(take(arguments.lang), arguments.out)
    if arguments.out.resolve() == OUT:
        list_in_readme(names, arguments.out.resolve(), README)
    for name in names:
        size = (arguments.out / f"{name}.png").stat().st_size
        print(f"{arguments.out / name}.png  {size // 1024} kB")


if __name__ == "__main__":
    main()
