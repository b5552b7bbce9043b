"""The statistics page in Chromium at 1280 px (issue 13, point 4): a lead opens it from the
staff menu, reads the charts beside their tables, narrows it to a team and a period, and
axe-core finds nothing; printed on A4 it keeps the figures and leaves out the menus and
the filters. In Swedish too."""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import Browser, Page

from app import demo_bulk
from app.extensions import db
from app.models import StaffUser
from app.people import accounts
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer, sign_in_staff
from tests.support import stats_dataset
from tests.support.staff import PASSWORD

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
# A4 portrait at 96 px to the inch, less the print stylesheet's margins.
A4_CONTENT_WIDTH = round((210 - 2 * 12) / 25.4 * 96)
# What reaches past the right edge (for the failure message).
PAST_THE_EDGE = """(limit) => [...document.querySelectorAll("main *")]
    .filter(element => element.getBoundingClientRect().right > limit + 1)
    .map(element => `${element.tagName}.${element.className}#${element.id}`).slice(0, 12)"""


def make_lead(server: LiveServer, locale: str = "fi") -> StaffUser:
    with server.app.app_context():
        lead = accounts.create_staff(
            email=f"testi.esihenkilo.{locale}@example.test", name="Testi Esihenkilö",
            title="tiimin esihenkilö", role="lead",
            team_slugs=["jyvaskyla", "laukaa-hankasalmi", "pohjoinen"], password=PASSWORD,
            ui_locale=locale)
        db.session.expunge(lead)
        return lead


def seeded(server: LiveServer) -> stats_dataset.Dataset:
    """The hand-built dataset, and a year of bulk cases behind it."""
    with server.app.app_context():
        worker = accounts.create_staff(
            email="testi.tyontekija@example.test", name="Testi Työntekijä",
            title="terveydenhoitaja", role="worker", team_slugs=["jyvaskyla"],
            password=PASSWORD, ui_locale="fi")
        dataset = stats_dataset.build(worker)
        demo_bulk.seed_cases(600)
        return dataset


def signed_in(browser: Browser, server: LiveServer, lead: StaffUser) -> Page:
    page = browser.new_context(viewport=DESKTOP, bypass_csp=True).new_page()
    sign_in_staff(page, server, lead.email, pyotp.TOTP(lead.totp_secret).now())
    return page


def test_a_lead_reads_the_statistics_with_charts(browser: Browser,
                                                 live_server: LiveServer) -> None:
    dataset = seeded(live_server)
    lead = make_lead(live_server)
    page = signed_in(browser, live_server, lead)
    page.get_by_role("link", name="Tilastot").click()
    page.wait_for_url("**/staff/stats")
    charts = page.locator("svg.chart[role=img]")
    assert charts.count() >= 15
    assert page.locator("table.stats-table").count() >= 20
    # Each chart is named by its title and sits beside (or above) its table.
    first = page.locator(".stats-figure").first
    assert first.locator("svg title").text_content() == first.locator("caption").text_content()
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    assert_accessible(page)
    # A team and the dataset's two weeks, by the form (no JavaScript needed: a GET form).
    page.select_option("#stats-team", label="Jyväskylän työkyvyn tuen tiimi")
    page.fill("#stats-from", dataset.period.first.isoformat())
    page.fill("#stats-to", dataset.period.last.isoformat())
    page.locator("form.stats-filters button[type=submit]").click()
    page.wait_for_url("**/staff/stats?**team=**")
    rows = page.locator("#promise-caption").locator("xpath=..").locator("tbody tr")
    counted = rows.first.locator("td").all_text_contents()[0]
    assert int(counted) >= 12  # the dataset's twelve, and bulk cases of the same weeks
    assert_accessible(page)
    # Printed: the figures on A4, without the menus, the filters or the contents.
    page.emulate_media(media="print")
    for hidden in (".staff-nav", "form.stats-filters", ".stats-contents", ".site-footer"):
        assert not page.locator(hidden).is_visible(), hidden
    page.set_viewport_size({"width": A4_CONTENT_WIDTH, "height": 1100})
    assert page.locator("svg.chart").first.bounding_box()["width"] <= A4_CONTENT_WIDTH
    wide = page.evaluate(PAST_THE_EDGE, A4_CONTENT_WIDTH)
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_CONTENT_WIDTH + 1, wide
    assert page.pdf(format="A4").startswith(b"%PDF")


def test_the_swedish_page_and_a_refused_period(browser: Browser,
                                               live_server: LiveServer) -> None:
    seeded(live_server)
    page = signed_in(browser, live_server, make_lead(live_server, "sv"))
    page.goto(live_server("/staff/stats"))
    assert page.locator("h1").text_content() == "Statistik"
    assert_accessible(page)
    page.goto(live_server("/staff/stats?from=2026-02-01&to=2026-01-01"))
    summary = page.locator(".error-summary")
    assert summary.is_visible() and "den första dagen" in (summary.text_content() or "")
    assert_accessible(page)
