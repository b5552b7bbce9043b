"""The landing page on a phone, in every language, with zero axe-core violations."""

import pytest
from playwright.sync_api import Page

from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("segment", "lang"), [("fi", "fi"), ("sv", "sv"), ("selko", "fi")])
def test_landing_on_a_phone_is_accessible(page: Page, live_server: LiveServer,
                                          segment: str, lang: str) -> None:
    page.goto(live_server(f"/{segment}/"))
    assert page.get_attribute("html", "lang") == lang
    assert page.viewport_size == {"width": 360, "height": 740}
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)


def test_skip_link_moves_to_main_content(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server("/fi/"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switch_in_the_browser(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server("/fi/privacy"))
    page.get_by_role("link", name="Svenska").click()
    assert page.url == live_server("/sv/privacy")
    assert page.get_attribute("html", "lang") == "sv"
