"""A client sends a saate in Swedish; a worker with a Finnish UI handles it to the end."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import Browser, Page

from app.people import accounts
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer, new_context
from tests.browser.test_client_journeys import Visit, fill_contact_details, fill_rest_of_saate
from tests.support.staff import PASSWORD

pytestmark = pytest.mark.browser


def send_saate_in_swedish(browser: Browser, live_server: LiveServer) -> tuple[str, str]:
    context = new_context(browser)
    visit = Visit(context.new_page(), live_server)
    visit.goto("/sv/saate/")
    visit.submit()
    fill_contact_details(visit.page)
    visit.page.select_option("#municipality", "179")
    visit.submit("button[value=continue]")
    fill_rest_of_saate(visit)
    visit.submit()
    reference = visit.page.locator(".success-panel .reference").inner_text()
    status_url = visit.page.locator(".status-link a").get_attribute("href")
    context.close()
    return reference, status_url or ""


def staff_page_ok(page: Page) -> None:
    assert_accessible(page)
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_worker_handles_a_swedish_saate(browser: Browser, live_server: LiveServer) -> None:
    reference, status_url = send_saate_in_swedish(browser, live_server)
    with live_server.app.app_context():
        worker = accounts.create_staff(
            email="testi.tyontekija@example.test", name="Testi Työntekijä",
            title="terveydenhoitaja", role="worker", team_slugs=["jyvaskyla"],
            password=PASSWORD, ui_locale="fi")
        secret = worker.totp_secret

    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(live_server("/staff/"))
    assert page.url.endswith("/staff/sign-in")
    staff_page_ok(page)
    page.fill("#email", "testi.tyontekija@example.test")
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/staff/sign-in/code")
    staff_page_ok(page)
    page.fill("#code", pyotp.TOTP(secret).now())
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/staff/")
    assert page.get_attribute("html", "lang") == "fi"
    staff_page_ok(page)
    page.screenshot(path=str(live_server.screenshots / "queue-1280.png"), full_page=True)

    first = page.locator(".queue-table .case-ref a").first
    assert first.inner_text() == reference
    first.click()
    page.wait_for_url(re.compile(r".*/staff/cases/\d+$"))
    staff_page_ok(page)
    assert "Svenska" in page.locator(".call-card").inner_text()
    page.screenshot(path=str(live_server.screenshots / "case-1280.png"), full_page=True)

    def open_action(action: str) -> None:
        """Open the folded part of the actions that holds the action's form."""
        form = page.locator(f"form[action$='/{action}']")
        page.locator(".actions details", has=form).locator("summary").click()

    def act(action: str | None, fill, submit_text_selector: str) -> None:  # type: ignore[no-untyped-def]
        if action is not None:
            open_action(action)
        fill()
        with page.expect_navigation():
            page.locator(submit_text_selector).click()
        assert page.locator(".flash").is_visible()
        staff_page_ok(page)

    act(None, lambda: None, "form[action$='/claim'] button")
    act("contact-attempt", lambda: (page.select_option("#attempt-channel", "phone"),
                    page.check("#attempt-reached-0"),
                    page.fill("#attempt-note", "Sovittiin tapaaminen.")),
        "form[action$='/contact-attempt'] button")
    # The contact person first: routing with nobody named would ask for the worker's word.
    act("contact-person", lambda: page.select_option("#person-staff_member", str(worker.id)),
        "form[action$='/contact-person'] button")
    act("outcomes", lambda: (page.check("#outcomes-outcomes-2"), page.check("#outcomes-outcomes-8"),
                    page.fill("#outcomes-detail", "Terveystarkastus ja Kela.")),
        "form[action$='/outcomes'] button")
    # Closing in two steps: the reason, then the confirmation page's own button.
    open_action("close/confirm")
    page.select_option("#close-reason", "routed")
    page.check("#close-moved_on_to-5")  # paid work
    page.check("#close-saw_doctor-1")  # no
    with page.expect_navigation():
        page.locator("form[action$='/close/confirm'] button").click()
    staff_page_ok(page)
    act(None, lambda: None, "form[action$='/close'] button:not([name=change])")
    timeline = page.locator(".timeline").inner_text()
    assert "Sovittiin tapaaminen." in timeline

    page.set_viewport_size({"width": 360, "height": 740})
    staff_page_ok(page)
    page.screenshot(path=str(live_server.screenshots / "case-360.png"), full_page=True)
    page.goto(live_server("/staff/?status="))
    staff_page_ok(page)
    page.screenshot(path=str(live_server.screenshots / "queue-360.png"), full_page=True)
    context.close()

    client = new_context(browser)
    status_page = client.new_page()
    status_page.goto(status_url)
    text = status_page.locator("main").inner_text()
    assert "Testi, terveydenhoitaja" in text
    assert len(status_page.locator(".access-list li").all()) >= 6
    assert_accessible(status_page)
    client.close()
