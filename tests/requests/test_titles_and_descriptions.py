"""Every client page has its own <title> and a <meta name="description"> in its language
(issue 10, point 12): a walk over every page a client can reach."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask import Flask

from app.saate.schema import SAATE
from tests.support.i18n import translated
from tests.support.journey import CONTACT_REQUEST, Journey

pytestmark = pytest.mark.usefixtures("teams")

TITLE = re.compile(r"<title>([^<]+)</title>")
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
DEFAULT_DESCRIPTION = ("Free first contact for people of working age whose ability to work or "
                       "to find work worries them. Tell us about your situation or ask us to "
                       "call you. No referral needed.")


def client_pages(app: Flask, lang: str) -> dict[str, str]:
    """{page: its HTML} for every page of the client side in one language."""
    pages: dict[str, str] = {}
    visitor = Journey(app.test_client(), lang)

    def keep(name: str, path: str) -> None:
        response = visitor.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        pages[name] = response.text

    for name, path in (("landing", "/"), ("contact", "/contact"), ("resume", "/resume"),
                       ("privacy", "/privacy"), ("accessibility", "/accessibility"),
                       ("saate start", "/saate/"), ("not found", "/no-such-page")):
        keep(name, path)
    visitor.start()
    for step in SAATE.steps:
        keep(f"part {step.slug}", f"/saate/{step.slug}")
    visitor.fill_all()
    visitor.step(SAATE.steps[-1].slug, action="save")
    keep("saved", "/saate/saved")
    keep("check", "/saate/check")
    keep("delete", "/saate/delete")
    visitor.send()
    keep("sent", "/saate/sent")
    keep("status", visitor.status_path().removeprefix(f"/{lang}"))

    contact = Journey(app.test_client(), lang)
    contact.post("/contact", CONTACT_REQUEST)
    pages["contact sent"] = contact.get("/contact/sent").text
    deleting = Journey(app.test_client(), lang)
    deleting.start()
    pages["deleted"] = deleting.post("/saate/delete", {}).text
    return pages


@pytest.mark.parametrize("lang", ["fi", "sv", "selko"])
def test_every_client_page_has_its_own_title_and_a_description(app: Flask,
                                                              lang: str) -> None:
    pages = client_pages(app, lang)
    titles = {name: unescape(TITLE.search(html).group(1)) for name, html in pages.items()}  # type: ignore[union-attr]
    repeated = {title for title in titles.values() if list(titles.values()).count(title) > 1}
    assert not repeated, {name: title for name, title in titles.items() if title in repeated}
    for name, html in pages.items():
        found = DESCRIPTION.findall(html)
        assert len(found) == 1 and len(found[0]) > 40, name


def test_the_description_is_in_the_page_language(app: Flask) -> None:
    client = app.test_client()
    descriptions = {lang: DESCRIPTION.search(client.get(f"/{lang}/").text).group(1)  # type: ignore[union-attr]
                    for lang in ("fi", "sv", "selko")}
    assert len(set(descriptions.values())) == 3
    for lang, locale in (("fi", "fi"), ("sv", "sv"), ("selko", "fi@selko")):
        assert unescape(descriptions[lang]) == translated(app, locale, DEFAULT_DESCRIPTION)
