"""The saate's questions in a real Chromium on a phone (issue 10, points 3, 4 and 8).

Follow-up questions appear only when the answer they follow applies (CSS :has, no
JavaScript involved), the 0–10 scale fits a 320 px screen as one radio group of 44 px
targets, and each row of the check page has a change link that leads to its question and
back to the row. Every page is audited with axe-core (the Visit helper).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import LiveServer
from tests.browser.test_client_journeys import LANGUAGES, Visit, fill_contact_details

pytestmark = pytest.mark.browser

# (part, lead input to check, follow-up element, lead input that closes it again)
FOLLOW_UPS = [
    ("contact-details", "#interpreter-0", "#interpreter_language", "#interpreter-1"),
    ("contact-details", "#named_worker-0", "#named_worker_who", "#named_worker-1"),
    ("situation", "#situation-1", "#not_working_for-0", "#situation-0"),
    ("situation", "#occupational_health-0", "#occupational-health-note",
     "#occupational_health-1"),
    ("health", "#affecting-8", "#affecting_other", "#affecting-8"),
    ("consent", "#share_with-0", "#share_health_with-0", "#share_with-0"),
]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_follow_ups_appear_only_when_they_apply(page: Page, live_server: LiveServer,
                                                lang: str) -> None:
    visit = Visit(page, live_server)
    visit.goto(f"/{lang}/saate/")
    visit.submit()
    audited = set()
    for slug, lead, follow_up, closing in FOLLOW_UPS:
        if slug not in audited:
            visit.goto(f"/{lang}/saate/{slug}")
            audited.add(slug)
        assert not page.locator(follow_up).is_visible(), follow_up
        page.check(lead)
        assert page.locator(follow_up).is_visible(), follow_up
        visit.arrived()  # axe again, with the follow-up shown
        if closing == lead:
            page.uncheck(lead)
        else:
            page.check(closing)
        assert not page.locator(follow_up).is_visible(), follow_up
    # "None of these" alone does not open the health question.
    page.check("#share_with-6")
    assert not page.locator("#share_health_with-0").is_visible()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_follow_up_left_open_by_the_server_is_shown(page: Page, live_server: LiveServer,
                                                      lang: str) -> None:
    """A saved answer that opens a follow-up shows it at once when the page is opened."""
    visit = Visit(page, live_server)
    visit.goto(f"/{lang}/saate/")
    visit.submit()
    fill_contact_details(page)
    page.check("#interpreter-0")
    page.fill("#interpreter_language", "arabia")
    visit.submit("button[value=continue]")
    visit.goto(f"/{lang}/saate/contact-details")
    assert page.locator("#interpreter_language").is_visible()
    assert page.input_value("#interpreter_language") == "arabia"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("text_size", ["100%", "200%"])
def test_the_scale_fits_a_320_px_screen(browser: Browser, live_server: LiveServer, lang: str,
                                        text_size: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640}, bypass_csp=True)
    page = context.new_page()
    page.goto(live_server(f"/{lang}/saate/health"))
    page.evaluate("size => { document.documentElement.style.fontSize = size; }", text_size)
    if text_size == "100%":
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # (The whole page at 200 % text is the touch-and-zoom check's; here: the scale itself.)
    group = page.locator("fieldset:has(#work_ability_score-0)")
    assert group.count() == 1
    assert group.evaluate("e => e.scrollWidth <= e.clientWidth")
    for part in (group, group.locator("legend"), group.locator(".scale-ends")):
        box = part.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320, box
    assert group.locator("input[type=radio]").count() == 11
    boxes = [group.locator(f"label[for=work_ability_score-{n}]").bounding_box()
             for n in range(11)]
    for number, box in enumerate(boxes):
        assert box and box["width"] >= 44 and box["height"] >= 44, (number, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, (number, box)
    low, high = (group.locator(".scale-ends span").nth(n).bounding_box() for n in (0, 1))
    assert low and high
    apart = (low["x"] + low["width"] <= high["x"]) or (low["y"] + low["height"] <= high["y"])
    assert apart, (low, high)  # side by side or one above the other, never overlapping
    first_option = min(box["y"] for box in boxes if box)
    assert max(low["y"] + low["height"], high["y"] + high["height"]) <= first_option
    # The whole tile is the target: a tap on its edge chooses the number.
    label = group.locator("label[for=work_ability_score-7]")
    label.scroll_into_view_if_needed()
    tile = label.bounding_box()
    assert tile
    page.mouse.click(tile["x"] + 3, tile["y"] + tile["height"] - 3)
    assert page.is_checked("#work_ability_score-7")
    context.close()


def fill_all_parts(visit: Visit, lang: str) -> None:
    page = visit.page
    visit.goto(f"/{lang}/saate/")
    visit.submit()
    fill_contact_details(page)
    visit.submit("button[value=continue]")
    page.check("#acute_distress-1")
    visit.submit("button[value=continue]")
    page.check("#situation-1")
    page.check("#not_working_for-2")
    visit.submit("button[value=continue]")
    page.check("#work_ability_score-4")
    visit.submit("button[value=continue]")
    page.fill("#work_history", "Varastotyötä.")
    visit.submit("button[value=continue]")
    page.check("#hoped_help-9")
    visit.submit("button[value=continue]")
    page.check("#share_with-0")
    visit.submit("button[value=continue]")
    assert page.url.endswith(f"/{lang}/saate/check")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_row_of_the_check_page_changes_its_own_answer(page: Page, live_server: LiveServer,
                                                           lang: str) -> None:
    visit = Visit(page, live_server)
    fill_all_parts(visit, lang)
    # Unanswered optional questions are not listed.
    assert page.locator("#answer-support_person").count() == 0
    for row, target, change in [
        ("not_working_for", "#not_working_for-0", lambda: page.check("#not_working_for-3")),
        ("work_history", "#work_history", lambda: page.fill("#work_history", "Siivousta.")),
        ("name", "#name", lambda: page.fill("#name", "Testi Uusinimi")),
    ]:
        before = page.locator(f"#answer-{row} dd").first.inner_text()
        link = page.locator(f"#answer-{row} a")
        assert link.count() == 1
        with page.expect_navigation():
            link.click()
        visit.arrived()
        assert f"row={row}" in page.url and page.url.endswith(target)
        assert page.locator(target).is_visible()
        change()
        visit.submit("button[value=continue]")
        assert page.url.endswith(f"/{lang}/saate/check#answer-{row}"), page.url
        after = page.locator(f"#answer-{row} dd").first.inner_text()
        assert after != before, row
    assert "Testi Uusinimi" in page.locator("#answer-name").inner_text()
    assert not visit.foreign
