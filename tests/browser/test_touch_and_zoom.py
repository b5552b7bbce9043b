"""Touch and zoom on every client page (issue 10, point 13), measured in Chromium.

At 360 px: every button, input, select, text area, summary, link outside running text,
and every radio or checkbox (itself or its label, which toggles it) is at least
44 × 44 CSS px. Exempt, as WCAG 2.5.8 allows: a link inside a sentence, i.e. whose
nearest block (a paragraph, list item…) has words or digits outside the link; not
exempt: a link alone in its block (a "Back" link, a link alone in a list item).

At 320 px with the text at 200 % (the root font size doubled: what a phone's large-text
setting does), nothing is wider than the screen: no page scrolls sideways.

Each failure names the page, the element (tag, id, class, text) and its size; one run
lists every failure on every page.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.axe import assert_accessible
from tests.browser.client_pages import PHONE, Walk
from tests.browser.conftest import LiveServer
from tests.support.mail import smtp_inbox

pytestmark = pytest.mark.browser

TARGET = 44
NARROW = {"width": 320, "height": 640}

# The interactive elements and their sizes; links in running text left out (see above).
MEASURE_TARGETS = """(target) => {
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.type && el.tagName !== "BUTTON") name += `[type=${el.type}]`;
    if (el.id) name += "#" + el.id;
    if (el.classList.length) name += "." + [...el.classList].join(".");
    const text = (el.type === "radio" || el.type === "checkbox")
      ? [...el.labels].map((l) => l.innerText).join(" ")
      : el.tagName === "SELECT" ? el.name : (el.innerText || el.value || "").trim();
    return `${name} "${text.replace(/\\s+/g, " ").slice(0, 50)}"`;
  };
  const blockOf = (el) => {
    let node = el.parentElement;
    while (node && getComputedStyle(node).display.startsWith("inline")) node = node.parentElement;
    return node;
  };
  const inRunningText = (link) => {
    const block = blockOf(link);
    if (!block) return false;
    const outside = block.textContent.replace(link.textContent, "");
    return /[\\p{L}\\p{N}]/u.test(outside);
  };
  const shown = (el) => {
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    return style.visibility !== "hidden" && rect.width > 0 && rect.height > 0;
  };
  const found = [];
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  for (const el of document.querySelectorAll(selector)) {
    if (!shown(el)) continue;  // hidden, or a follow-up question that does not apply yet
    if (el.tagName === "A" && inRunningText(el)) continue;
    let boxes = [el.getBoundingClientRect()];
    if (el.type === "radio" || el.type === "checkbox") {
      boxes = boxes.concat([...el.labels].filter(shown).map((l) => l.getBoundingClientRect()));
    }
    const side = (box) => Math.min(box.width, box.height);
    const best = boxes.reduce((a, b) => (side(b) > side(a) ? b : a));
    const small = best.width < target - 0.01 || best.height < target - 0.01;
    found.push({what: describe(el), width: Math.round(best.width * 10) / 10,
                height: Math.round(best.height * 10) / 10, small});
  }
  return found;
}"""

# What sticks out past the right edge of the screen, innermost first.
WIDER_THAN_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const sticking = [];
  for (const el of document.body.querySelectorAll("*")) {
    const rect = el.getBoundingClientRect();
    if (rect.right > width + 0.5 && rect.width > 0
        && ![...el.children].some((child) => child.getBoundingClientRect().right > width + 0.5)) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.classList.length ? "." + [...el.classList].join(".") : "");
      const text = (el.innerText || "").trim().replace(/\\s+/g, " ").slice(0, 50);
      sticking.push(`${name} "${text}" ${Math.round(rect.width)} px wide, `
                    + `right edge at ${Math.round(rect.right)}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, sticking: sticking.slice(0, 8)};
}"""


def small_targets(page: Page) -> list[str]:
    return [f"{t['what']}: {t['width']} × {t['height']} px"
            for t in page.evaluate(MEASURE_TARGETS, TARGET) if t["small"]]


def sideways_at_large_text(page: Page) -> list[str]:
    """At 320 px with the root font size at 200 %: what makes the page scroll sideways.

    The size is set on <html> through the CSS object model, which a strict CSP allows
    (it refuses style attributes and <style> elements, not script-set styles)."""
    page.set_viewport_size(NARROW)
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    try:
        found = page.evaluate(WIDER_THAN_SCREEN)
    finally:
        page.evaluate("document.documentElement.style.fontSize = ''")
        page.set_viewport_size(PHONE)
    if found["scrollWidth"] <= found["width"]:
        return []
    return [f"scrolls sideways ({found['scrollWidth']} px wide at {found['width']} px)",
            *found["sticking"]]


@pytest.fixture
def mailing_server(live_server: LiveServer) -> Iterator[LiveServer]:
    """The live server with an SMTP server, so the sent page offers the e-mail too."""
    with smtp_inbox() as (_inbox, port):
        live_server.app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port,
                                      SMTP_STARTTLS=False)
        yield live_server


def walk_and_measure(browser: Browser, server: LiveServer, lang: str,
                     audit: bool) -> tuple[list[str], list[str]]:
    walk = Walk(browser, server.url, lang)
    problems, seen = [], []
    try:
        for visited in walk.pages():
            seen.append(visited.name)
            where = f"/{lang} {visited.name} ({visited.page.url})"
            problems += [f"{where}: {found}" for found in small_targets(visited.page)]
            problems += [f"{where} at 320 px, text 200 %: {found}"
                         for found in sideways_at_large_text(visited.page)]
            if audit:
                assert_accessible(visited.page)
    finally:
        walk.close()
    return problems, seen


EVERY_PAGE = {"landing", "contact", "contact-errors", "resume", "privacy", "accessibility",
              "not-found", "saate-start", "part-1-errors", "saved", "check", "delete", "sent",
              "status", "contact-sent", "deleted"}


def test_every_client_page_in_finnish(browser: Browser, mailing_server: LiveServer) -> None:
    problems, seen = walk_and_measure(browser, mailing_server, "fi", audit=True)
    assert set(seen) >= EVERY_PAGE, EVERY_PAGE - set(seen)
    assert sum(name.startswith("part-") for name in seen) >= 7
    assert not problems, "\n".join(problems)


# Every page again in the languages with longer words and sentences (axe-core audits them in
# the journeys of test_client_journeys.py).
@pytest.mark.parametrize("lang", ["sv", "selko"])
def test_every_client_page_in_swedish_and_plain_finnish(browser: Browser,
                                                        mailing_server: LiveServer,
                                                        lang: str) -> None:
    problems, seen = walk_and_measure(browser, mailing_server, lang, audit=False)
    assert {"landing", "check", "sent", "status"} <= set(seen)
    assert not problems, "\n".join(problems)
