"""Every page a client can meet, walked in a real Chromium: for the touch-and-zoom test
and for the screenshots (tests/browser/screenshots.py).

The walk goes as a client does (the front page, the saate part by part, checking,
sending, the status page) and also reaches the pages a client meets only sometimes
(errors, saved for later, delete, the crisis page where the saate has one). Answers
are posted as the browser's own requests (sharing its cookies) from
tests/support/journey.py, so the walk follows the form's parts whatever their
questions are; buttons are found by role, not by their words or classes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from playwright.sync_api import Browser, BrowserContext, Page

from tests.support.journey import CONTACT_REQUEST, VALID_STEPS

PHONE = {"width": 360, "height": 740}
FORM_BODY = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass(frozen=True)
class ClientPage:
    """Where the walk is: a short name ("landing", "part-3-situation") and the page."""

    name: str
    page: Page
    # Pages a client meets on the way through (not errors or side pages).
    main_journey: bool = True


def new_client_context(browser: Browser, javascript: bool = True) -> BrowserContext:
    # bypass_csp lets the tests inject axe-core and measuring scripts under our strict CSP.
    return browser.new_context(viewport=PHONE, java_script_enabled=javascript,
                               bypass_csp=True, locale="fi-FI")


class Walk:
    """One language's walk over a live server at `base_url`."""

    def __init__(self, browser: Browser, base_url: str, lang: str) -> None:
        self.browser = browser
        self.base_url = base_url.rstrip("/")
        self.lang = lang
        self.contexts: list[BrowserContext] = []

    def url(self, path: str) -> str:
        return f"{self.base_url}/{self.lang}{path}"

    def new_page(self) -> Page:
        context = new_client_context(self.browser)
        self.contexts.append(context)
        return context.new_page()

    def close(self) -> None:
        for context in self.contexts:
            context.close()

    # --- Moving about ------------------------------------------------------------------

    @staticmethod
    def open(page: Page, url: str) -> None:
        page.goto(url)
        page.wait_for_load_state("load")

    @staticmethod
    def press_main_button(page: Page) -> None:
        """The page's own first button (Start, Send…), found by its role inside <main>."""
        with page.expect_navigation():
            page.get_by_role("main").get_by_role("button").first.click()

    def post(self, page: Page, path_or_url: str, fields: dict) -> str:
        """Post fields with the page's CSRF token as this browser; returns where it leads."""
        token = page.locator("input[name=csrf_token]").first.get_attribute("value") or ""
        url = path_or_url if path_or_url.startswith("http") else self.url(path_or_url)
        response = page.request.post(url, data=urlencode({**fields, "csrf_token": token},
                                                         doseq=True),
                                     headers=FORM_BODY, max_redirects=0)
        location = response.headers.get("location")
        assert 300 <= response.status < 400 and location, (
            f"{url} did not accept the answers ({response.status}): are they still valid "
            "in tests/support/journey.py?")
        return location if location.startswith("http") else self.base_url + location

    def path(self, page: Page) -> str:
        return urlsplit(page.url).path

    def answer_the_rest(self, page: Page) -> None:
        """From the part the page is on, answer each part (tests/support/journey.py) and go
        on until check answers."""
        for _ in range(20):
            if self.path(page) == f"/{self.lang}/saate/check":
                return
            slug = self.path(page).rsplit("/", 1)[1]
            self.open(page, self.post(page, f"/saate/{slug}", VALID_STEPS.get(slug, {})))
        raise AssertionError("the saate never reached check answers")

    # --- The walk ----------------------------------------------------------------------

    def pages(self) -> Iterator[ClientPage]:
        page = self.new_page()
        for name, path in (("landing", "/"), ("contact", "/contact"), ("resume", "/resume"),
                           ("privacy", "/privacy"), ("accessibility", "/accessibility")):
            self.open(page, self.url(path))
            yield ClientPage(name, page, main_journey=name != "accessibility")
        self.open(page, self.url("/no-such-page"))
        yield ClientPage("not-found", page, main_journey=False)
        self.open(page, self.url("/contact"))
        self.press_main_button(page)  # nothing filled in: the page with its errors
        yield ClientPage("contact-errors", page, main_journey=False)
        yield from self.saate(page)
        yield from self.contact_sent()
        yield from self.crisis()
        yield from self.deleted()

    def saate(self, page: Page) -> Iterator[ClientPage]:
        self.open(page, self.url("/saate/"))
        yield ClientPage("saate-start", page)
        self.press_main_button(page)
        number = 0
        while f"/{self.lang}/saate/check" != self.path(page):
            number += 1
            slug = self.path(page).rsplit("/", 1)[1]
            yield ClientPage(f"part-{number}-{slug}", page)
            if number == 1:
                # Continued with nothing filled in: the part with its error summary.
                with page.expect_navigation():
                    page.get_by_role("main").get_by_role("button").first.click()
                yield ClientPage(f"part-{number}-errors", page, main_journey=False)
            answers = VALID_STEPS.get(slug, {})
            if number == 2:
                # Saved for later: the saved page, then on from where it says.
                self.open(page, self.post(page, f"/saate/{slug}",
                                          {**answers, "action": "save"}))
                yield ClientPage("saved", page, main_journey=False)
                self.open(page, self.url(f"/saate/{slug}"))
            self.open(page, self.post(page, f"/saate/{slug}", answers))
            assert number <= 20, "the saate never reached check answers"
        yield ClientPage("check", page)
        self.open(page, self.url("/saate/delete"))
        yield ClientPage("delete", page, main_journey=False)
        self.open(page, self.url("/saate/check"))
        self.press_main_button(page)
        assert self.path(page) == f"/{self.lang}/saate/sent", page.url
        yield ClientPage("sent", page)
        status_link = page.locator("main a[href*='/status/']").first.get_attribute("href")
        assert status_link, "no status link on the sent page"
        self.open(page, status_link)
        yield ClientPage("status", page)

    def contact_sent(self) -> Iterator[ClientPage]:
        page = self.new_page()
        self.open(page, self.url("/contact"))
        self.open(page, self.post(page, "/contact", CONTACT_REQUEST))
        yield ClientPage("contact-sent", page, main_journey=False)

    def crisis(self) -> Iterator[ClientPage]:
        """A "yes" to the crisis question: where it leads, if not simply to the next part."""
        page = self.new_page()
        self.open(page, self.url("/saate/"))
        self.press_main_button(page)
        first = self.path(page).rsplit("/", 1)[1]
        self.open(page, self.post(page, f"/saate/{first}", VALID_STEPS.get(first, {})))
        crisis_part = self.path(page).rsplit("/", 1)[1]
        after_no = self.post(page, f"/saate/{crisis_part}", VALID_STEPS.get(crisis_part, {}))
        self.open(page, self.url(f"/saate/{crisis_part}"))
        after_yes = self.post(page, f"/saate/{crisis_part}", {"acute_distress": "yes"})
        if urlsplit(after_yes).path != urlsplit(after_no).path:
            self.open(page, after_yes)
            yield ClientPage("crisis", page)

    def deleted(self) -> Iterator[ClientPage]:
        page = self.new_page()
        self.open(page, self.url("/saate/"))
        self.press_main_button(page)
        self.open(page, self.url("/saate/delete"))
        self.press_main_button(page)
        yield ClientPage("deleted", page, main_journey=False)
