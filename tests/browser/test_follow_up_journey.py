"""The six-month follow-up in a real browser (issue 13): a client on a phone (360 px) in each
language goes from the status page of their finished case to the follow-up questions, sends
once with nothing answered (the error summary), then answers, and gives the end-of-service
feedback; a worker at 1280 px opens the team's follow-up list and enters another client's
answers from a phone call. Every page reached is audited with axe-core (0 violations) and
must not scroll sideways."""

from __future__ import annotations

from collections.abc import Iterator

import pyotp
import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from app.casework import cases
from app.extensions import db
from app.models import CaseCode, Feedback, FollowUp, StaffUser
from app.people import accounts
from app.saate.schema import CONTACT_REQUEST
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer, sign_in_staff
from tests.browser.test_client_journeys import Visit
from tests.browser.test_workbench_journey import DESK, Desk
from tests.support.follow_up import close_with_follow_up
from tests.support.i18n import translated
from tests.support.journey import CONTACT_REQUEST as CONTACT_ANSWERS
from tests.support.staff import PASSWORD

pytestmark = pytest.mark.browser

LOCALES = {"fi": "fi", "sv": "sv", "selko": "fi@selko"}
COMMENT = "Työkokeilu alkoi keväällä (keksitty)"


@pytest.fixture
def worker(live_server: LiveServer) -> StaffUser:
    with live_server.app.app_context():
        return accounts.create_staff(
            email="testi.tyontekija@example.test", name="Testi Työntekijä",
            title="terveydenhoitaja", role="worker", team_slugs=["jyvaskyla"],
            password=PASSWORD, ui_locale="fi")


@pytest.fixture
def desk(browser: Browser, live_server: LiveServer, worker: StaffUser) -> Iterator[Desk]:
    """The worker signed in at 1280 px, on the queue."""
    context = browser.new_context(viewport=DESK, bypass_csp=True, locale="fi-FI")
    desk = Desk(context.new_page(), live_server)
    sign_in_staff(desk.page, live_server, worker.email, pyotp.TOTP(worker.totp_secret).now(),
                  check=assert_accessible)
    yield desk
    context.close()


def finished_case(server: LiveServer, worker: StaffUser, lang: str, key: str) -> tuple[int, str]:
    """A contact request in `lang`, closed with a follow-up whose day has come: (id, the
    status page's path)."""
    with server.app.app_context():
        staff = db.session.get(StaffUser, worker.id)
        case = cases.create_case(CONTACT_REQUEST, lang, {**CONTACT_ANSWERS, "municipality": "179"},
                                 key.rjust(32, "0"))
        close_with_follow_up(case, staff)  # type: ignore[arg-type]
        return case.id, f"/{lang}/status/{cases.status_token(case)}"


@pytest.mark.parametrize("lang", list(LOCALES))
def test_a_client_answers_the_follow_up_on_a_phone(page: Page, live_server: LiveServer,
                                                   worker: StaffUser, lang: str) -> None:
    case_id, status_path = finished_case(live_server, worker, lang, "1")
    locale = LOCALES[lang]
    visit = Visit(page, live_server)
    visit.goto(status_path)
    visit.submit(f"a[href='{status_path}/follow-up']")
    assert page.locator("h1").inner_text() == translated(live_server.app, locale,
                                                        "How are you now?")
    visit.submit("#follow-up-form button[type=submit]")  # nothing answered
    assert page.locator(".error-summary li").inner_text() == translated(
        live_server.app, locale, "Answer at least one question")
    page.check("#got_help-1")  # partly
    page.check("#work_ability_score-7")
    page.check("#doing_now-2")  # a work trial
    page.check("#would_recommend-0")
    page.fill("#comment", COMMENT)
    visit.submit("#follow-up-form button[type=submit]")
    assert page.url.endswith(f"{status_path}/follow-up/thanks")
    assert translated(live_server.app, locale, "Thank you for your answers") in page.content()
    with live_server.app.app_context():
        follow_up = db.session.scalars(select(FollowUp).where(FollowUp.case_id == case_id)).one()
        assert (follow_up.got_help, follow_up.work_ability_score, follow_up.would_recommend,
                follow_up.comment) == ("partly", 7, True, COMMENT)
        assert list(db.session.scalars(select(CaseCode.code).where(
            CaseCode.case_id == case_id, CaseCode.kind == "follow_up"))) == ["work_trial"]
    # The end-of-service feedback on the status page, once.
    visit.goto(status_path)
    page.check("#rating-4")
    page.check("#would_recommend-yes")
    visit.submit("#end-feedback button[type=submit]")
    assert translated(live_server.app, locale, "Thank you for your feedback.") in \
        page.locator("#end-feedback").inner_text()
    with live_server.app.app_context():
        given = db.session.scalars(select(Feedback)).one()
        assert (given.moment, given.rating, given.would_recommend) == ("end_of_service", 4, True)
    assert visit.foreign == []  # nothing loaded from elsewhere


def test_a_worker_enters_answers_from_a_call(desk: Desk, live_server: LiveServer,
                                             worker: StaffUser) -> None:
    case_id, _ = finished_case(live_server, worker, "fi", "2")
    desk.click("nav.staff-nav a[href='/staff/follow-ups']")
    desk.click(f"a[href='/staff/cases/{case_id}']")
    desk.click(f"a[href='/staff/cases/{case_id}/follow-up']")
    desk.page.check("#got_help-0")
    desk.page.check("#doing_now-0")  # studies
    desk.click("#follow-up-answers-form button[type=submit]")
    assert desk.page.url.endswith(f"/staff/cases/{case_id}")
    assert desk.fi("Answered by phone on %(date)s.", date="§").split("§")[0] in \
        desk.page.content()
    desk.goto("/staff/follow-ups")
    assert desk.fi("No follow-ups are due.") in desk.page.content()
