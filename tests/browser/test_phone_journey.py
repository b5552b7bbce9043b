"""Issue 10 on a phone (360 px) in Chromium, in fi, sv and selko, axe-core on every page:
resuming into the first part not done and the same code opening the status page once
sent (points 9 and 10), the language switch keeping typed text (11), and the front page's
first screen (12)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.client_pages import Walk
from tests.browser.conftest import LiveServer, new_context
from tests.browser.test_client_journeys import Visit, fill_contact_details

pytestmark = pytest.mark.browser
LANGUAGES = ["fi", "sv", "selko"]
OTHER = {"fi": ("sv", "Svenska"), "sv": ("selko", "Selkosuomi"), "selko": ("fi", "Suomi")}
HTML_LANG = {"fi": "fi", "sv": "sv", "selko": "fi"}
TYPED = "Kirjoitin tämän ennen kuin vaihdoin kieltä (keksitty)."


def resume_with(visit: Visit, lang: str, code: str, second_factor: str) -> None:
    visit.goto(f"/{lang}/resume")
    visit.page.get_by_role("textbox").first.fill(code.lower())
    visit.page.locator("#second_factor").fill(second_factor)
    visit.submit()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_resume_at_the_first_part_not_done_and_the_same_code_opens_the_status_page(
        browser: Browser, live_server: LiveServer, lang: str) -> None:
    first = new_context(browser)
    visit = Visit(first.new_page(), live_server)
    visit.goto(f"/{lang}/saate/")
    visit.submit()
    fill_contact_details(visit.page)
    visit.submit("button[value=continue]")
    visit.page.check("#acute_distress-1")
    visit.submit("button[value=continue]")  # two parts done, the third saved for later
    assert visit.page.url.endswith(f"/{lang}/saate/situation")
    code = visit.page.locator("#resume-panel-title ~ p.reference").inner_text()
    visit.submit("button[value=save]")
    first.close()

    second = new_context(browser)
    visit = Visit(second.new_page(), live_server)
    resume_with(visit, lang, code, "1980")
    assert visit.page.url.endswith(f"/{lang}/saate/situation")
    Walk(browser, live_server.url, lang).answer_the_rest(visit.page)
    visit.submit()
    assert visit.page.url.endswith(f"/{lang}/saate/sent")
    reference = visit.page.locator(".success-panel .reference").inner_text()
    assert code in visit.page.locator("main").inner_text()  # the one code to keep
    second.close()

    third = new_context(browser)
    visit = Visit(third.new_page(), live_server)
    resume_with(visit, lang, code, "")  # sent: the code alone opens the status page
    assert f"/{lang}/status/" in visit.page.url
    assert reference in visit.page.locator("main").inner_text()
    assert not visit.foreign
    third.close()


def switch_language(visit: Visit, name: str) -> None:
    with visit.page.expect_navigation():
        visit.page.get_by_role("navigation").get_by_role("button", name=name,
                                                         exact=True).click()
    visit.arrived()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_switching_language_on_a_part_keeps_what_was_typed(page: Page,
                                                           live_server: LiveServer,
                                                           lang: str) -> None:
    visit = Visit(page, live_server)
    visit.goto(f"/{lang}/saate/")
    visit.submit()
    page.fill("#name", "Testi Asiakas")
    page.fill("#birth_year", "19")  # not valid yet: kept, not judged
    other, name = OTHER[lang]
    switch_language(visit, name)
    assert page.url.endswith(f"/{other}/saate/contact-details")
    assert page.get_attribute("html", "lang") == HTML_LANG[other]
    assert page.input_value("#name") == "Testi Asiakas"
    assert page.input_value("#birth_year") == "19"
    assert page.locator(".error-summary").count() == 0
    # A longer text on a later part, and back again.
    visit.goto(f"/{other}/saate/hopes")
    textarea = page.get_by_role("main").get_by_role("textbox").first
    textarea.fill(TYPED)
    switch_language(visit, OTHER[other][1])
    assert page.get_by_role("main").get_by_role("textbox").first.input_value() == TYPED


@pytest.mark.parametrize("lang", LANGUAGES)
def test_switching_language_on_the_contact_page_keeps_what_was_typed(
        page: Page, live_server: LiveServer, lang: str) -> None:
    visit = Visit(page, live_server)
    visit.goto(f"/{lang}/contact")
    page.fill("#name", "Testi Asiakas")
    page.fill("#phone", "040 000 1234")
    page.select_option("#municipality", "931")
    page.fill("#about", TYPED)
    other, name = OTHER[lang]
    switch_language(visit, name)
    assert page.get_attribute("html", "lang") == HTML_LANG[other]
    assert page.input_value("#name") == "Testi Asiakas"
    assert page.input_value("#municipality") == "931"
    assert page.input_value("#about") == TYPED
    assert page.locator(".error-summary").count() == 0  # nothing judged, nothing sent
    visit.submit()
    assert page.url.endswith(f"/{other}/contact/sent")


def test_enter_in_a_field_continues_rather_than_switching_language(
        page: Page, live_server: LiveServer) -> None:
    visit = Visit(page, live_server)
    visit.goto("/fi/saate/")
    visit.submit()
    fill_contact_details(page)
    with page.expect_navigation():
        page.locator("#name").press("Enter")
    visit.arrived()
    assert page.url.endswith("/fi/saate/right-now")
    assert page.get_attribute("html", "lang") == "fi"


PRIMARY_STYLE = """() => {
  const brand = getComputedStyle(document.querySelector(".site-header")).backgroundColor;
  return [...document.querySelectorAll("main a, main button")]
    .filter((el) => getComputedStyle(el).backgroundColor === brand)
    .map((el) => ({text: el.innerText, bottom: el.getBoundingClientRect().bottom}));
}"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_front_page_shows_its_primary_action_in_the_first_screen(
        page: Page, live_server: LiveServer, lang: str) -> None:
    page.set_viewport_size({"width": 360, "height": 640})
    visit = Visit(page, live_server)
    visit.goto(f"/{lang}/")
    # One action in the primary style, within the first screen; the others lighter.
    [primary] = page.evaluate(PRIMARY_STYLE)
    assert primary["bottom"] <= 640, primary
    secondary = page.get_by_role("main").get_by_role("link").nth(1)
    expect(secondary).to_have_attribute("href", f"/{lang}/contact")
    # The way back with a code appears once.
    assert page.locator(f"main a[href='/{lang}/resume']").count() == 1
    assert re.fullmatch(r".+ – Saate", page.title())
    assert page.locator("meta[name=description]").get_attribute("content")
