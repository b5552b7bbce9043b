"""The workbench at 1280 px (issue 11, points 2–5): contacts recorded by a worker (a phone
call, a referral, the saate filled in with the client), closing in two steps, and an
asiakasvastaava from outside the team shown on the client's status page. Every page reached
is audited with axe-core (0 violations) and must not scroll sideways."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pyotp
import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from sqlalchemy import select

from app.casework import cases
from app.extensions import db
from app.models import Case, StaffUser
from app.people import accounts
from app.saate.schema import CONTACT_REQUEST
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer, new_context
from tests.support.i18n import translated
from tests.support.journey import CONTACT_REQUEST as CONTACT_ANSWERS
from tests.support.staff import PASSWORD

pytestmark = pytest.mark.browser

DESK = {"width": 1280, "height": 900}
WORKER_EMAIL = "testi.tyontekija@example.test"
CASE_PAGE = re.compile(r".*/staff/cases/\d+$")


class Desk:
    """A worker's browser at 1280 px: every page it reaches is audited."""

    def __init__(self, page: Page, server: LiveServer) -> None:
        self.page = page
        self.server = server

    def arrived(self) -> None:
        assert_accessible(self.page)
        assert self.page.evaluate("document.documentElement.scrollWidth") <= DESK["width"], \
            self.page.url

    def goto(self, path: str) -> None:
        self.page.goto(self.server(path))
        self.arrived()

    def click(self, selector: str) -> None:
        with self.page.expect_navigation():
            self.page.locator(selector).first.click()
        self.arrived()

    def press_enter(self, selector: str) -> None:
        """Keyboard: focus the control and press Enter."""
        self.page.locator(selector).first.focus()
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        self.arrived()

    def open_action(self, action: str) -> None:
        """Open the case page's <details> that holds the action's form, by keyboard."""
        self.page.locator(f"details:has(form[action$='/{action}']) > summary").focus()
        self.page.keyboard.press("Enter")

    def fi(self, msgid: str, context: str | None = None, **variables: object) -> str:
        return translated(self.server.app, "fi", msgid, context, **variables)

    def text(self, selector: str) -> str:
        return self.page.locator(selector).inner_text()


@pytest.fixture
def worker(live_server: LiveServer) -> StaffUser:
    with live_server.app.app_context():
        return accounts.create_staff(
            email=WORKER_EMAIL, name="Testi Työntekijä", title="terveydenhoitaja",
            role="worker", team_slugs=["jyvaskyla"], password=PASSWORD, ui_locale="fi")


@pytest.fixture
def desk_context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=DESK, bypass_csp=True, locale="fi-FI")
    yield context
    context.close()


@pytest.fixture
def desk(desk_context: BrowserContext, live_server: LiveServer, worker: StaffUser) -> Desk:
    """Signed in with password and TOTP, on the queue."""
    desk = Desk(desk_context.new_page(), live_server)
    desk.goto("/staff/")
    assert desk.page.url.endswith("/staff/sign-in")
    desk.page.fill("#email", WORKER_EMAIL)
    desk.page.fill("#password", PASSWORD)
    desk.click("main button[type=submit]")
    desk.page.fill("#code", pyotp.TOTP(worker.totp_secret).now())
    desk.press_enter("#code")
    assert desk.page.url.endswith("/staff/")
    return desk


def web_case(server: LiveServer) -> tuple[int, str]:
    """A contact request sent by a client of the Jyväskylä team: (id, status page path)."""
    with server.app.app_context():
        case = cases.create_case(CONTACT_REQUEST, "fi", {**CONTACT_ANSWERS, "municipality": "179"},
                                 "1".rjust(32, "0"))
        return case.id, f"/fi/status/{cases.status_token(case)}"


@dataclass(frozen=True)
class Stored:
    """What the database holds for a case, read outside the browser."""

    reference: str
    status: str
    close_reason: str | None
    kind: str
    channel: str
    referrer: tuple[str | None, str | None]
    first_event: tuple[str, int | None]


def stored(server: LiveServer, case_id: int) -> Stored:
    with server.app.app_context():
        case = db.session.get(Case, case_id)
        assert case is not None
        first = case.events[0]
        return Stored(case.display_reference, case.status, case.close_reason, case.kind,
                      case.channel, (case.referrer_organisation, case.referrer_name),
                      (first.kind, first.actor_id))


def worker_id(server: LiveServer) -> int:
    with server.app.app_context():
        return db.session.scalars(select(StaffUser.id).where(
            StaffUser.email == WORKER_EMAIL)).one()


def case_id_of(page: Page) -> int:
    return int(page.url.rsplit("/", 1)[1])


def record_contact(desk: Desk, channel: str, about: str) -> None:
    """From the staff menu to the short form: the client in short, by phone number."""
    desk.press_enter("nav a[href='/staff/cases/new']")
    page = desk.page
    page.locator(f"input[name=channel][value={channel}]").focus()
    page.keyboard.press("Space")
    page.check("input[name=urgent][value=no]")
    page.fill("#name", "Testi Asiakas")
    page.fill("#phone", "040 000 1234")
    page.select_option("#municipality", "179")
    page.check("input[name=language][value=fi]")
    page.fill("#about", about)


def fill_closing(desk: Desk, reason: str) -> None:
    """The close form: the reason, where the client moved on (studies, a work trial), that
    they saw a doctor; the follow-up stays six months on."""
    page = desk.page
    page.select_option("#close-reason", reason)
    page.check("#close-moved_on_to-0")
    page.check("#close-moved_on_to-6")
    page.check("#close-saw_doctor-0")
    assert page.locator("#close-follow_up-0").is_checked()
    # The date field shows only for "On another day" (CSS, no script).
    assert not page.locator("#close-follow_up_on").is_visible()
    page.check("#close-follow_up-1")
    assert page.locator("#close-follow_up_on").is_visible()
    page.check("#close-follow_up-0")


def close_with_confirmation(desk: Desk, reason: str, nobody_needed: bool) -> None:
    page = desk.page
    desk.open_action("close/confirm")
    fill_closing(desk, reason)
    desk.click("form[action$='/close/confirm'] button")
    assert page.url.endswith("/close/confirm")  # the second step, its own page
    facts = desk.text(".confirm-facts")
    for shown in (desk.fi("Studies", "moved on"), desk.fi("Work trial", "moved on"),
                  desk.fi("Yes", "saw doctor")):
        assert shown in facts, shown
    if nobody_needed:
        page.check("#no_contact_person_needed")
    desk.click("main form[action$='/close'] button[type=submit]")
    assert CASE_PAGE.match(page.url)
    summary = desk.text(".case-summary")
    assert desk.fi("Where the client moved on") in summary
    assert desk.fi("Moved on: %(places)s", places=", ".join(
        (desk.fi("Studies", "moved on"), desk.fi("Work trial", "moved on")))) \
        in desk.text(".timeline")


# --- (a) A phone contact, recorded and triaged to closed ------------------------------------


def test_a_phone_contact_is_recorded_and_triaged_to_closed(desk: Desk,
                                                           live_server: LiveServer) -> None:
    record_contact(desk, "phone", "Soitti jaksamisesta (keksitty esimerkki).")
    desk.click("#new-case-form button[type=submit]")
    page = desk.page
    assert CASE_PAGE.match(page.url)
    case_id = case_id_of(page)
    assert page.locator(".flash").is_visible()
    card = desk.text(".call-card")
    assert "Testi Asiakas" in card
    assert page.locator(".call-card a.phone-link").get_attribute("href") == "tel:0400001234"
    # The call card first; then the actions and the timeline side by side at 1280 px.
    actions, timeline = (page.locator(s).bounding_box() for s in (".actions", ".timeline-section"))
    card_box = page.locator(".call-card").bounding_box()
    assert actions and timeline and card_box
    assert card_box["y"] < actions["y"] and actions["x"] + actions["width"] <= timeline["x"]
    assert abs(actions["y"] - timeline["y"]) < 50
    facts = desk.text(".case-summary")
    assert desk.fi("Phone call", "case channel") in facts
    assert desk.fi("Recorded by") in facts and "Testi Työntekijä" in facts

    # In the same queue as the web's cases.
    desk.click("nav a[href='/staff/']")
    reference = stored(live_server, case_id).reference
    desk.press_enter(f"main a[href='/staff/cases/{case_id}']")
    assert page.locator("h1").inner_text().startswith(desk.fi("Case %(reference)s",
                                                              reference=reference))

    desk.click("form[action$='/claim'] button")
    # Routed onward with nobody named: only on the worker's word that none is needed.
    desk.open_action("outcomes")
    page.check("#outcomes-outcomes-2")
    page.check("#outcomes-no_contact_person_needed")
    desk.click("form[action$='/outcomes'] button")
    assert page.locator(".flash").is_visible()
    close_with_confirmation(desk, "routed", nobody_needed=True)
    assert page.locator(".flash").is_visible()
    closed = stored(live_server, case_id)
    assert (closed.status, closed.close_reason, closed.channel) == ("closed", "routed", "phone")
    assert closed.first_event == ("recorded", worker_id(live_server))
    assert desk.fi("No contact person needed (confirmed)") in desk.text(".timeline")


# --- (b) A referral, with its referrer ---------------------------------------------------------


def test_a_referral_is_recorded_with_its_referrer(desk: Desk, live_server: LiveServer) -> None:
    record_contact(desk, "phone", "Ohjattu työkyvyn arvioon (keksitty esimerkki).")
    page = desk.page
    # The referrer's fields show for a referral only (CSS, no script).
    assert not page.locator("#referrer_organisation").is_visible()
    page.check("input[name=channel][value=referral]")
    assert page.locator("#referrer_organisation").is_visible()
    desk.arrived()
    # Without the referrer: refused at its fields, everything typed kept.
    desk.click("#new-case-form button[type=submit]")
    assert page.url.endswith("/staff/cases/new")
    assert desk.fi("Write the referrer's organisation") in desk.text(".error-summary")
    assert page.input_value("#name") == "Testi Asiakas"
    page.fill("#referrer_organisation", "Keksityt TE-palvelut")
    page.fill("#referrer_name", "Testi Ohjaaja")
    desk.click("#new-case-form button[type=submit]")
    assert CASE_PAGE.match(page.url)
    facts = desk.text(".case-summary")
    assert desk.fi("Professional's referral or consultation", "case channel") in facts
    assert desk.fi("Referrer") in facts and "Keksityt TE-palvelut, Testi Ohjaaja" in facts
    case = stored(live_server, case_id_of(page))
    assert (case.channel, case.referrer) == ("referral", ("Keksityt TE-palvelut",
                                                          "Testi Ohjaaja"))


# --- (c) The saate filled in on the client's behalf ---------------------------------------------


def fill_saate_for_the_client(page: Page) -> None:
    page.check("input[name=channel][value=walk_in]")
    page.check("input[name=urgent][value=no]")
    page.fill("#name", "Testi Asiakas")
    page.fill("#phone", "040 000 1234")
    page.select_option("#municipality", "179")
    page.check("#best_time-0")
    page.fill("#birth_year", "1980")
    page.check("#acute_distress-1")
    page.check("#situation-1")
    page.check("#not_working_for-2")
    page.check("#occupational_health-1")
    page.check("#work_ability_score-4")
    page.check("#affecting-1")
    page.fill("#work_history", "Varastotyötä ja siivousta.")
    page.check("#hoped_help-9")
    page.check("#share_with-0")


def test_a_saate_filled_in_with_the_client_is_marked_as_filled_by_staff(
        desk: Desk, live_server: LiveServer) -> None:
    desk.click("nav a[href='/staff/cases/new']")
    desk.click("main a[href='/staff/cases/new/saate']")
    page = desk.page
    assert page.is_checked("input[name=contact_language][value=fi]")  # the worker's language
    fill_saate_for_the_client(page)
    desk.click("#new-saate-form button[type=submit]")
    assert CASE_PAGE.match(page.url), desk.text("main")
    facts = desk.text(".case-summary")
    assert desk.fi("Saate", "case kind") in facts
    assert desk.fi("Walk-in visit", "case channel") in facts
    assert desk.fi("Recorded by") in facts and "Testi Työntekijä" in facts
    timeline = desk.text(".timeline")
    assert "Testi Työntekijä" in timeline
    assert "Varastotyötä ja siivousta." in desk.text("section[aria-labelledby=answers-title]")
    case = stored(live_server, case_id_of(page))
    assert (case.kind, case.channel) == ("saate", "walk_in")
    assert case.first_event == ("recorded", worker_id(live_server))  # the worker is logged


# --- (d) Closing needs a reason and a second step -------------------------------------------


def test_closing_is_refused_without_a_reason_and_without_confirmation(
        desk: Desk, live_server: LiveServer) -> None:
    case_id, _ = web_case(live_server)
    desk.goto(f"/staff/cases/{case_id}")
    page = desk.page
    desk.open_action("close/confirm")
    assert page.locator("#close-reason").input_value() == ""  # nothing preselected
    desk.press_enter("form[action$='/close/confirm'] button")
    # Refused at the reason, where the client moved on and the doctor, on the case page, its
    # form open and the error summary first; on a phone too.
    assert desk.fi("Choose a reason for closing") in desk.text(
        "form[action$='/close/confirm'] #reason-error")
    assert desk.fi("Choose whether the client saw a doctor") in desk.text(".error-summary")
    assert stored(live_server, case_id).status == "new"
    page.set_viewport_size({"width": 360, "height": 740})
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size(DESK)

    # Everything chosen, then "Change the answers": back on the case page with them kept.
    fill_closing(desk, "duplicate")
    desk.click("form[action$='/close/confirm'] button")
    desk.click("main button[name=change]")
    assert page.url.endswith("/close/confirm")  # the case page, answered by that post
    assert page.locator("#close-reason").input_value() == "duplicate"
    assert page.locator("#close-moved_on_to-6").is_checked()
    assert stored(live_server, case_id).status == "new"

    # Back from the confirmation page: still open.
    desk.click("form[action$='/close/confirm'] button")
    desk.click("main a.back-link")
    assert stored(live_server, case_id).status == "new"

    # Confirmed without the word that no contact person is needed: still open, asked again.
    desk.open_action("close/confirm")
    fill_closing(desk, "duplicate")
    desk.click("form[action$='/close/confirm'] button")
    desk.click("main form[action$='/close'] button[type=submit]")
    assert page.locator("#no_contact_person_needed-error").is_visible()
    assert stored(live_server, case_id).status == "new"
    page.check("#no_contact_person_needed")
    desk.click("main form[action$='/close'] button[type=submit]")
    assert CASE_PAGE.match(page.url)
    closed = stored(live_server, case_id)
    assert (closed.status, closed.close_reason) == ("closed", "duplicate")


# --- (e) An asiakasvastaava outside the team, on the client's status page ---------------------


def name_outside(desk: Desk, shareable: bool) -> None:
    page = desk.page
    desk.open_action("contact-person")
    assert page.locator("#person-staff_member").input_value() == ""  # nobody preselected
    page.select_option("#person-staff_member", "outside")
    page.fill("#person-name", "Testi Ohjaaja")
    page.fill("#person-title", "työkykykoordinaattori")
    page.fill("#person-organisation", "Keksityt TE-palvelut")
    page.fill("#person-phone", "040 000 9876")
    if shareable:
        page.check("#person-phone_shareable")
    desk.click("form[action$='/contact-person'] button")
    assert page.locator(".flash").is_visible()


def status_page_text(browser: Browser, server: LiveServer, path: str) -> str:
    context = new_context(browser)  # the client, on a phone
    page = context.new_page()
    page.goto(server(path))
    assert_accessible(page)
    text = page.locator("main").inner_text()
    context.close()
    return text


def test_an_outside_contact_person_is_shown_on_the_status_page(
        desk: Desk, live_server: LiveServer, browser: Browser) -> None:
    case_id, status_path = web_case(live_server)
    desk.goto(f"/staff/cases/{case_id}")
    name_outside(desk, shareable=False)
    facts = desk.text(".case-summary")
    assert "Testi Ohjaaja, työkykykoordinaattori, Keksityt TE-palvelut" in facts
    assert desk.fi("(not shown to the client)") in facts

    shown = status_page_text(browser, live_server, status_path)
    assert "Testi, työkykykoordinaattori, Keksityt TE-palvelut" in shown
    assert "Ohjaaja" not in shown and "040 000 9876" not in shown

    name_outside(desk, shareable=True)
    assert desk.fi("(the client sees this number)") in desk.text(".case-summary")
    shown = status_page_text(browser, live_server, status_path)
    assert "040 000 9876" in shown and "Ohjaaja" not in shown
