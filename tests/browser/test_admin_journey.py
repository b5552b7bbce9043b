"""Issue 11, points 7-8 in a browser at 1280 px, axe-core on every page: an admin adds a staff
member, who sets up their own password and authenticator from the one-time link, signs in and
claims cases; later the admin deactivates them after reassigning their cases with a reason,
and the timeline keeps their name. Then the admin pauses a team's intake and a client sees the
team's message and phone number instead of sending.
"""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from sqlalchemy import select

from app.casework import cases
from app.extensions import db
from app.models import Case, Team
from app.people import accounts
from app.saate.schema import CONTACT_REQUEST
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer, new_context, sign_in_staff
from tests.browser.test_client_journeys import Visit
from tests.support.i18n import translated, translated_plural
from tests.support.journey import CONTACT_REQUEST as CONTACT_ANSWERS
from tests.support.staff import PASSWORD

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
ADMIN_EMAIL = "testi.yllapitaja@example.test"
NEW_EMAIL = "testi.uusi@example.test"
NEW_NAME = "Testi Uusi"
NEW_PASSWORD = "kolme satunnaista sanaa"
COLLEAGUE = "Testi Kollega"
REASON = "Työsuhde päättyi."
PAUSE_MESSAGE = "Tiimi on kesätauolla 31.7. asti."
PAUSE_PHONE = "014 266 1111"


def desktop(browser: Browser) -> BrowserContext:
    return browser.new_context(viewport=DESKTOP, bypass_csp=True, locale="fi-FI")


def arrived(page: Page) -> None:
    """Every staff page: 0 axe violations and nothing wider than the window."""
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"], page.url


def goto(page: Page, url: str) -> None:
    page.goto(url)
    arrived(page)


def press(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()
    arrived(page)


def flash(page: Page) -> str:
    return page.locator(".flash").inner_text()


def set_up_data(server: LiveServer) -> tuple[str, list[tuple[int, str]], int]:
    """The first admin and a colleague (as `flask staff create` would make them) and two
    contact requests for the Jyväskylä team; returns the admin's secret, the cases (id,
    reference) and the Jyväskylä team's id."""
    with server.app.app_context():
        admin = accounts.create_staff(email=ADMIN_EMAIL, name="Testi Ylläpitäjä",
                                      title="palvelupäällikkö", role="admin",
                                      team_slugs=["jyvaskyla"], password=PASSWORD,
                                      ui_locale="fi")
        accounts.create_staff(email="testi.kollega@example.test", name=COLLEAGUE,
                              title="sosiaaliohjaaja", role="worker", team_slugs=["jyvaskyla"],
                              password=PASSWORD, ui_locale="fi")
        made = [cases.create_case(CONTACT_REQUEST, "fi", dict(CONTACT_ANSWERS), key * 32)
                for key in "ab"]
        team_id = db.session.scalar(select(Team.id).where(Team.slug == "jyvaskyla"))
        return admin.totp_secret, [(c.id, c.display_reference) for c in made], team_id


def test_a_staff_member_comes_and_goes_and_a_team_pauses_intake(
        browser: Browser, live_server: LiveServer) -> None:
    app = live_server.app
    admin_secret, made, team_id = set_up_data(live_server)
    shots = live_server.screenshots

    # The admin adds the new staff member and gets the set-up link.
    admin_context = desktop(browser)
    admin = admin_context.new_page()
    sign_in_staff(admin, live_server, ADMIN_EMAIL, pyotp.TOTP(admin_secret).now(),
                  check=arrived)
    press(admin, "nav.staff-nav a[href='/staff/admin/staff']")
    press(admin, "main a[href='/staff/admin/staff/new']")
    admin.fill("#new-email", NEW_EMAIL)
    admin.fill("#new-name", NEW_NAME)
    admin.fill("#new-title", "terveydenhoitaja")
    admin.check("input[name=role][value=worker]")
    admin.check(f"input[name=teams][value='{team_id}']")
    admin.check("input[name=ui_locale][value=fi]")
    press(admin, "main form button[type=submit]")
    link = admin.input_value("#setup-link")
    assert re.fullmatch(re.escape(live_server("/staff/setup/")) + r"[A-Za-z0-9_-]{43}", link)

    # The newcomer, in a browser of their own, chooses a password and enrols the authenticator
    # from the QR code or the key typed by hand.
    newcomer_context = desktop(browser)
    newcomer = newcomer_context.new_page()
    goto(newcomer, link)
    assert newcomer.locator("main .qr svg.qr-code").is_visible()
    assert newcomer.locator("main .qr svg.qr-code").get_attribute("role") == "img"
    key = newcomer.locator("#totp-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7 ]+", key)
    totp = pyotp.TOTP(key.replace(" ", ""))
    newcomer.screenshot(path=str(shots / "setup-1280.png"), full_page=True)
    newcomer.fill("#setup-password", NEW_PASSWORD)
    newcomer.fill("#setup-password_again", NEW_PASSWORD)
    newcomer.fill("#setup-code", totp.now())
    press(newcomer, "main form button[type=submit]")
    assert newcomer.url.endswith("/staff/sign-in")
    assert translated(app, "fi", "Your account is ready. Sign in with your e-mail address, "
                      "your new password and a code from your app.") in flash(newcomer)
    # The code of the set-up is spent: the next one signs in.
    sign_in_staff(newcomer, live_server, NEW_EMAIL, totp.at(time.time() + 30), NEW_PASSWORD,
                  check=arrived)
    assert made[0][1] in newcomer.locator("main").inner_text()
    for case_id, _ in made:
        goto(newcomer, live_server(f"/staff/cases/{case_id}"))
        press(newcomer, "form[action$='/claim'] button")
        assert NEW_NAME in newcomer.locator(".timeline").inner_text()
    goto(newcomer, live_server("/staff/?assigned=me"))
    assert made[1][1] in newcomer.locator("main").inner_text()

    # Later the admin deactivates them: the page shows their open cases and asks to reassign.
    goto(admin, live_server("/staff/admin/staff"))
    press(admin, f"main table a:has-text('{NEW_NAME}')")
    member_url = admin.url
    press(admin, "main a[href$='/deactivate']")
    main = admin.locator("main").inner_text()
    assert translated_plural(app, "fi", "They still handle %(num)d open case",
                             "They still handle %(num)d open cases", 2) % {"num": 2} in main
    admin.screenshot(path=str(shots / "deactivate-1280.png"), full_page=True)
    press(admin, "main form button.warning")  # no choice made: refused, still active
    assert translated(app, "fi", "Reassign their open cases first, or choose to deactivate "
                      "anyway.") in admin.locator(".error-summary").inner_text()
    press(admin, "main a[href$='/reassign']")
    for case_id, _ in made:
        assert admin.is_checked(f"#reassign-case-{case_id}")
    admin.select_option("#reassign-assignee", label=f"{COLLEAGUE}, sosiaaliohjaaja")
    admin.fill("#reassign-reason", REASON)
    press(admin, "main form button[type=submit]")
    assert COLLEAGUE in flash(admin)
    assert translated(app, "fi", "They have no open cases in your teams.") in admin.locator(
        "main").inner_text()

    goto(admin, member_url + "/deactivate")
    press(admin, "main form button.warning")
    assert admin.url == member_url
    assert NEW_NAME in flash(admin)
    assert translated(app, "fi", "This account is deactivated. Their name stays on every case "
                      "timeline and in the access log.") in admin.locator("main").inner_text()
    for case_id, _ in made:
        goto(admin, live_server(f"/staff/cases/{case_id}"))
        timeline = admin.locator(".timeline").inner_text()
        assert f"{NEW_NAME} → {COLLEAGUE}" in timeline and REASON in timeline
        assert timeline.count(NEW_NAME) >= 2  # their claim and the hand-over
    admin.screenshot(path=str(shots / "reassigned-case-1280.png"), full_page=True)
    with app.app_context():
        for case_id, _ in made:
            assert db.session.get(Case, case_id).handler.name == COLLEAGUE  # type: ignore[union-attr]
    newcomer.goto(live_server("/staff/"))
    assert newcomer.url.endswith("/staff/sign-in")  # their session ended
    newcomer_context.close()

    # The admin pauses the Jyväskylä team's intake.
    press(admin, "nav.staff-nav a[href='/staff/admin/teams']")
    press(admin, f"main a[href='/staff/admin/teams/{team_id}']")
    admin.check("#team-intake_paused")
    admin.fill("#team-pause_message_fi", PAUSE_MESSAGE)
    admin.fill("#team-pause_phone", PAUSE_PHONE)
    press(admin, f"main form[action$='/admin/teams/{team_id}'] button[type=submit]")
    assert translated(app, "fi", "Saved.") in flash(admin)
    # Its routing destinations: Ohjaamo hidden, one of its own added (the worker's outcome
    # form follows: tests/requests/test_destinations.py).
    admin.uncheck("main input[name=shown][value=ohjaamo]")
    press(admin, "main form[action$='/destinations'] button[type=submit]")
    assert not admin.is_checked("main input[name=shown][value=ohjaamo]")
    admin.fill("#new-dest-name_fi", "Nuorten talo (keksitty)")
    admin.fill("#new-dest-name_sv", "Ungdomens hus (påhittat)")
    press(admin, "main form[action$='/destinations/new'] button[type=submit]")
    assert translated(app, "fi", "Saved.") in flash(admin)
    assert admin.is_checked(f"main input[name=shown][value=team-{team_id}-1]")
    assert translated(app, "fi", "Routing destination added") in admin.locator(
        "#audit-title + .table-scroll").inner_text()
    goto(admin, live_server("/staff/admin/teams"))
    assert translated(app, "fi", "Paused") in admin.locator("main table").first.inner_text()
    admin_context.close()

    # A client of that team sees the message and the phone number instead of sending.
    client_context = new_context(browser)
    visit = Visit(client_context.new_page(), live_server)
    visit.goto("/fi/contact")
    visit.page.fill("#name", "Testi Asiakas")
    visit.page.fill("#phone", "040 000 1234")
    visit.page.select_option("#municipality", "179")
    visit.submit()
    notice = visit.page.locator("#pause-notice")
    assert PAUSE_MESSAGE in notice.inner_text()
    assert notice.locator("a[href='tel:0142661111']").inner_text() == PAUSE_PHONE
    assert visit.page.input_value("#name") == "Testi Asiakas"  # nothing typed is lost
    assert not visit.foreign
    client_context.close()
    with app.app_context():
        assert len(db.session.scalars(select(Case)).all()) == 2
