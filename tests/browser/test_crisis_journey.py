"""The crisis path on a 360 × 640 phone, in each language, axe-core on every page:
yes on the crisis question → the crisis page → send now → the sent page with the
urgent promise → the case first in the team's queue, marked urgent."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from flask_babel import force_locale, format_date
from playwright.sync_api import Browser, BrowserContext, Page
from sqlalchemy import select

from app.casework import cases
from app.extensions import db
from app.models import Case
from app.people import accounts
from app.saate.schema import CONTACT_REQUEST
from tests.browser.conftest import LiveServer, sign_in_staff
from tests.browser.test_client_journeys import Visit, fill_contact_details
from tests.browser.test_staff_journey import staff_page_ok
from tests.support.journey import CONTACT_REQUEST as CONTACT_ANSWERS
from tests.support.staff import PASSWORD

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 640}
LOCALES = {"fi": "fi", "sv": "sv", "selko": "fi@selko"}
TEAM_PHONE = "014 266 0001"  # laukaa-hankasalmi, the team of Laukaa (410)


def phone_context(browser: Browser) -> BrowserContext:
    # bypass_csp lets the axe helper inject its script under our strict CSP.
    return browser.new_context(viewport=SMALL_PHONE, bypass_csp=True, locale="fi-FI")


def an_older_case_due_sooner(server: LiveServer) -> str:
    """A case of the same team, sent earlier and already overdue: still after the urgent one."""
    with server.app.app_context():
        answers = {**CONTACT_ANSWERS, "municipality": "410"}
        case = cases.create_case(CONTACT_REQUEST, "fi", answers, "b" * 32)
        case.promised_contact_date -= timedelta(days=10)
        case.created_at -= timedelta(days=14)
        db.session.commit()
        return case.display_reference


def first_in_queue(browser: Browser, server: LiveServer) -> tuple[str, bool]:
    """A worker of the team signs in: the first case of the queue, and whether it is marked
    urgent (the tag's text, not only its colour)."""
    with server.app.app_context():
        worker = accounts.create_staff(
            email="testi.tyontekija@example.test", name="Testi Työntekijä",
            title="sosiaaliohjaaja", role="worker", team_slugs=["laukaa-hankasalmi"],
            password=PASSWORD, ui_locale="fi")
        secret = worker.totp_secret
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    sign_in_staff(page, server, "testi.tyontekija@example.test", pyotp.TOTP(secret).now())
    staff_page_ok(page)
    first = page.locator(".queue-table .case-row").first
    reference = first.locator(".case-ref a").inner_text()
    marked = first.locator(".tag-urgent").is_visible() and "urgent" in (
        first.get_attribute("class") or "")
    context.close()
    return reference, marked


def question_on_first_screen(page: Page) -> None:
    """The crisis question's top, and its answers, within the first 640 px."""
    legend = page.locator("fieldset legend").first.bounding_box()
    answers = page.locator("#acute_distress-1").bounding_box()
    assert legend and answers
    assert 0 <= legend["y"] < SMALL_PHONE["height"], legend
    assert answers["y"] + answers["height"] <= SMALL_PHONE["height"], answers


@pytest.mark.parametrize("lang", LOCALES)
def test_the_crisis_path_on_a_small_phone(browser: Browser, live_server: LiveServer,
                                          lang: str) -> None:
    older = an_older_case_due_sooner(live_server)
    context = phone_context(browser)
    visit = Visit(context.new_page(), live_server)
    page = visit.page
    visit.goto(f"/{lang}/saate/")
    visit.submit()
    fill_contact_details(page)
    visit.submit("button[value=continue]")
    assert page.url.endswith(f"/{lang}/saate/right-now")
    question_on_first_screen(page)

    page.check("#acute_distress-0")
    visit.submit("button[value=continue]")
    assert page.url.endswith(f"/{lang}/saate/help-now")
    crisis = page.locator("#crisis")
    assert crisis.is_visible()
    assert crisis.bounding_box()["y"] < SMALL_PHONE["height"]  # type: ignore[index]
    config = live_server.app.config
    crisis_line = config["CRISIS_LINE_SV" if lang == "sv" else "CRISIS_LINE_FI"]
    for number in ("112", crisis_line, TEAM_PHONE):
        assert crisis.locator(f"a[href^='tel:']:text-is('{number}')").count() == 1, number
    send_now = page.locator("main form button[type=submit]")
    assert send_now.count() == 1  # one button; name and phone were given already

    visit.submit("main form button[type=submit]")
    assert page.url.endswith(f"/{lang}/saate/sent")
    reference = page.locator(".success-panel .reference").inner_text()
    with live_server.app.app_context():
        case = db.session.scalar(select(Case).where(Case.urgent.is_(True)))
        assert case is not None and case.display_reference == reference
        with live_server.app.test_request_context("/"), force_locale(LOCALES[lang]):
            promised = format_date(case.promised_contact_date, "full")
    promise = page.locator("#urgent-promise")
    assert promise.is_visible()
    assert promised in promise.inner_text()
    assert promise.locator("a[href='tel:112']").count() == 1
    assert not visit.foreign
    context.close()

    first, marked = first_in_queue(browser, live_server)
    assert first == reference != older
    assert marked
