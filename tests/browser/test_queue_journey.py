"""The queue as a table, next steps and "My clients" in Chromium at 1280 px (and 1024 px),
axe-core on every page: a worker reaches a case by keyboard alone (one tab stop per row),
plans its next step, and finds it on "My clients" after an overdue one; a lead reads the
workload."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from playwright.sync_api import Browser, Page

from app.casework import cases
from app.extensions import db
from app.models import StaffUser
from app.people import accounts
from tests.browser.conftest import LiveServer, sign_in_staff
from tests.browser.test_staff_journey import staff_page_ok
from tests.requests.test_staff import new_case
from tests.support.staff import PASSWORD

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
SMALL_DESKTOP = {"width": 1024, "height": 768}


def make_worker(server: LiveServer, email: str, name: str, role: str = "worker") -> StaffUser:
    with server.app.app_context():
        user = accounts.create_staff(email=email, name=name, title="sosiaaliohjaaja", role=role,
                                     team_slugs=["jyvaskyla"], password=PASSWORD, ui_locale="fi")
        db.session.expunge(user)
        return user


def signed_in_page(browser: Browser, server: LiveServer, user: StaffUser) -> Page:
    page = browser.new_context(viewport=DESKTOP, bypass_csp=True).new_page()
    sign_in_staff(page, server, user.email, pyotp.TOTP(user.totp_secret).now())
    return page


def seed_cases(server: LiveServer, worker: StaffUser, colleague: StaffUser) -> dict[str, str]:
    """Six cases of the team: the worker handles three (one with an overdue next step, one
    overdue on its promise), a colleague one, two wait; one urgent. References by role."""
    with server.app.app_context():
        today = cases.local_today()
        made = [new_case(key=str(n), kind="saate" if n % 2 else "contact_request",
                         language="sv" if n == 4 else "fi", urgent=n == 5) for n in range(6)]
        mine = [made[0], made[1], made[2]]
        for case in mine:
            cases.claim(case, db.session.get(StaffUser, worker.id), case.version)
        cases.claim(made[3], db.session.get(StaffUser, colleague.id), made[3].version)
        made[0].next_step, made[0].next_step_date = "Soita Kelan päätöksen jälkeen", (
            today - timedelta(days=3))
        made[2].promised_contact_date = today - timedelta(days=2)
        db.session.commit()
        return {"overdue_step": made[0].display_reference, "to_plan": made[1].display_reference,
                "late_promise": made[2].display_reference, "urgent": made[5].display_reference}


def focused(page: Page) -> dict:
    return page.evaluate("""() => {
        const element = document.activeElement;
        const row = element.closest("tbody tr");
        return {tag: element.tagName, text: element.innerText || "",
                inRow: !!row, row: row ? row.rowIndex : -1};
    }""")


def tab_to_first_row(page: Page) -> dict:
    """Tab from the top of the page until a row of the table has the focus."""
    page.locator("body").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["inRow"]:
            return now
    raise AssertionError("no row of the queue could be reached with Tab")


def no_sideways_scroll(page: Page) -> None:
    """Neither the page nor the table's own region scrolls sideways."""
    staff_page_ok(page)
    assert page.evaluate("""() => [...document.querySelectorAll(".table-scroll")]
        .every(region => region.scrollWidth <= region.clientWidth)"""), page.url


def test_queue_table_next_step_and_my_clients(browser: Browser, live_server: LiveServer) -> None:
    worker = make_worker(live_server, "testi.tyontekija@example.test", "Testi Työntekijä")
    colleague = make_worker(live_server, "testi.kollega@example.test",
                            "Testi Kollega Pitkänimisempi-Esimerkki")
    references = seed_cases(live_server, worker, colleague)
    page = signed_in_page(browser, live_server, worker)
    shots = live_server.screenshots

    # The queue: a table, urgent first, the overdue promise in words.
    staff_page_ok(page)
    table = page.locator(".queue-table")
    assert table.locator("caption").is_visible()
    assert table.locator("thead th[scope=col]").count() == 9
    rows = table.locator("tbody tr")
    assert rows.count() == 6
    assert rows.first.locator(".case-ref").inner_text() == references["urgent"]
    assert "Kiireellinen" in rows.first.inner_text()
    late = table.locator("tr", has_text=references["late_promise"])
    assert "2 päivää myöhässä" in late.locator(".overdue-text").inner_text()
    page.screenshot(path=str(shots / "queue-table-1280.png"), full_page=True)

    # Keyboard alone: one tab stop per row, the reference; Enter opens the case.
    first = tab_to_first_row(page)
    assert first == {"tag": "A", "text": references["urgent"], "inRow": True, "row": 1}
    for row in range(2, 7):
        page.keyboard.press("Tab")
        now = focused(page)
        assert (now["tag"], now["row"]) == ("A", row), now
    assert page.evaluate("""() => [...document.querySelectorAll(".queue-table tbody tr")]
        .every(row => row.querySelectorAll("a, button, input, select, textarea, summary,"
                                           + " [tabindex]").length === 1)""")
    page.keyboard.press("Shift+Tab")  # back to the row of the case to plan
    while focused(page)["text"] != references["to_plan"]:
        page.keyboard.press("Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    staff_page_ok(page)

    # Plan the next step on the case: the date field is a real date input.
    page.locator(".actions summary", has_text="Suunnittele seuraava askel").click()
    assert page.get_attribute("#step-next_step_date", "type") == "date"
    page.fill("#step-next_step", "Varaa aika työkykykoordinaattorille")
    with live_server.app.app_context():
        day = cases.local_today() + timedelta(days=4)
    page.fill("#step-next_step_date", day.isoformat())
    with page.expect_navigation():
        page.locator("form[action$='/next-step'] button").click()
    assert page.locator(".flash").is_visible()
    staff_page_ok(page)
    assert "Varaa aika työkykykoordinaattorille" in page.locator(".case-summary").inner_text()
    assert "Seuraava askel kirjattu" in page.locator(".timeline").inner_text()
    page.screenshot(path=str(shots / "case-next-step-1280.png"), full_page=True)

    # A step without its date is refused at the field, with the text kept.
    page.locator(".actions summary", has_text="Suunnittele seuraava askel").click()
    page.fill("#step-next_step", "Soita uudelleen")
    page.fill("#step-next_step_date", "")
    with page.expect_navigation():
        page.locator("form[action$='/next-step'] button").click()
    assert page.locator("#next_step_date-error").is_visible()
    assert page.input_value("#step-next_step") == "Soita uudelleen"
    staff_page_ok(page)

    # My clients, from the staff menu: the overdue step first, then the one just planned,
    # then the case without a step; the colleague's case is not there.
    with page.expect_navigation():
        page.locator(".staff-nav a", has_text="Omat asiakkaat").click()
    assert page.url.endswith("/staff/?mine=1")
    staff_page_ok(page)
    refs = page.locator(".queue-table tbody .case-ref").all_inner_texts()
    assert refs == [references["overdue_step"], references["to_plan"],
                    references["late_promise"]]
    overdue_row = page.locator(".queue-table tbody tr").first
    assert "Soita Kelan päätöksen jälkeen" in overdue_row.inner_text()
    assert "3 päivää myöhässä" in overdue_row.locator(".overdue-text").inner_text()
    assert "Varaa aika työkykykoordinaattorille" in page.locator(
        ".queue-table tbody tr").nth(1).inner_text()
    page.screenshot(path=str(shots / "my-clients-1280.png"), full_page=True)

    # At 1024 px the queue and My clients fit: no sideways scrolling, cells wrap.
    page.set_viewport_size(SMALL_DESKTOP)
    no_sideways_scroll(page)
    page.screenshot(path=str(shots / "my-clients-1024.png"), full_page=True)
    page.goto(live_server("/staff/?status="))
    no_sideways_scroll(page)
    page.screenshot(path=str(shots / "queue-table-1024.png"), full_page=True)
    page.context.close()


def test_lead_reads_the_workload(browser: Browser, live_server: LiveServer) -> None:
    worker = make_worker(live_server, "testi.tyontekija@example.test", "Testi Työntekijä")
    colleague = make_worker(live_server, "testi.kollega@example.test", "Testi Kollega")
    seed_cases(live_server, worker, colleague)
    lead = make_worker(live_server, "testi.vetaja@example.test", "Testi Vetäjä", role="lead")
    page = signed_in_page(browser, live_server, lead)
    with page.expect_navigation():
        page.locator(".queue-links a", has_text="Työtilanne").click()
    staff_page_ok(page)
    row = page.locator(".workload-table tbody tr", has_text="Testi Työntekijä")
    assert row.locator("td").all_inner_texts() == ["3", "1", "1"]
    page.set_viewport_size(SMALL_DESKTOP)
    no_sideways_scroll(page)
    page.context.close()
