"""Three languages from the first page: text, lang, switch, fallback, choice of language."""

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from flask import Flask

from app import catalogues
from tests.conftest import make_app, sqlite_copy
from tests.support.pages import main_text

ROOT = Path(__file__).resolve().parents[2]

# segment: (html lang, a glossary term the page must use)
LANDING_TEXT = {
    "fi": ("fi", "työkyvy"),
    "sv": ("sv", "arbetsförmåga"),
    "selko": ("fi", "kyky tehdä työtä"),
}


@pytest.mark.parametrize("segment", LANDING_TEXT)
def test_landing_page_in_each_language(sqlite_app: Flask, segment: str) -> None:
    response = sqlite_app.test_client().get(f"/{segment}/")
    html = response.get_data(as_text=True)
    html_lang, term = LANDING_TEXT[segment]
    assert response.status_code == 200
    assert f'<html lang="{html_lang}">' in html
    assert term.casefold() in main_text(html).casefold()
    assert "Worried about your work ability" not in html


def test_each_language_has_its_own_landing_text(sqlite_app: Flask) -> None:
    client = sqlite_app.test_client()
    headings = {re.search(r"<h1>([^<]+)</h1>", client.get(f"/{s}/").text).group(1)
                for s in LANDING_TEXT}
    assert len(headings) == 3


def test_plain_finnish_and_finnish_pages_differ(sqlite_app: Flask) -> None:
    client = sqlite_app.test_client()
    assert main_text(client.get("/fi/").text) != main_text(client.get("/selko/").text)


PAGES = ["/", "/privacy", "/accessibility", "/contact", "/saate/", "/resume"]


@pytest.mark.parametrize("path", PAGES)
def test_language_switch_keeps_the_page(sqlite_app: Flask, path: str) -> None:
    html = sqlite_app.test_client().get(f"/sv{path}").text
    switch = html[html.find('class="language-switch"') : html.find("</nav>")]
    links = dict(re.findall(r'<a href="([^"]+)" lang="[^"]+"[^>]*>([^<]+)</a>', switch))
    assert links == {f"/fi{path}": "Suomi", f"/sv{path}": "Svenska", f"/selko{path}": "Selkosuomi"}
    assert 'aria-current="true">Svenska' in switch


def test_root_follows_accept_language(sqlite_app: Flask) -> None:
    client = sqlite_app.test_client()
    assert client.get("/", headers={"Accept-Language": "sv-FI,sv;q=0.9"}).location == "/sv/"
    assert client.get("/", headers={"Accept-Language": "fi-FI,fi;q=0.9"}).location == "/fi/"
    assert client.get("/", headers={"Accept-Language": "de-DE"}).location == "/fi/"
    assert client.get("/").location == "/fi/"


def test_root_remembers_the_last_language_used(sqlite_app: Flask) -> None:
    client = sqlite_app.test_client()
    client.get("/selko/")
    assert client.get("/", headers={"Accept-Language": "sv"}).location == "/selko/"
    client.get("/sv/privacy")
    assert client.get("/").location == "/sv/"


def test_unknown_language_is_not_found(sqlite_app: Flask) -> None:
    assert sqlite_app.test_client().get("/en/").status_code == 404


def test_error_page_speaks_the_language_of_the_path(sqlite_app: Flask) -> None:
    response = sqlite_app.test_client().get("/sv/no-such-page")
    assert response.status_code == 404
    assert '<html lang="sv">' in response.text
    assert "Page not found" not in response.text


def test_footer_gives_emergency_and_crisis_numbers_in_the_page_language(sqlite_app: Flask) -> None:
    client = sqlite_app.test_client()
    finnish, swedish = client.get("/fi/").text, client.get("/sv/").text
    assert "112" in finnish and "09 2525 0111" in finnish
    assert "112" in swedish and "09 2525 0112" in swedish
    for html in (finnish, swedish):
        assert "/privacy" in html and "/accessibility" in html


def test_dates_are_formatted_for_the_language(sqlite_app: Flask) -> None:
    from datetime import date

    from flask_babel import force_locale, format_date

    with sqlite_app.test_request_context("/fi/"):
        with force_locale("fi"):
            assert format_date(date(2026, 12, 3), "long") == "3. joulukuuta 2026"
        with force_locale("sv"):
            assert format_date(date(2026, 12, 3), "long") == "3 december 2026"
        with force_locale("fi@selko"):
            assert format_date(date(2026, 12, 3), "long") == "3. joulukuuta 2026"


def test_a_message_missing_in_plain_finnish_falls_back_to_finnish(
    tmp_path: Path, sqlite_template: Path
) -> None:
    """Plain Finnish shows standard Finnish for a message it lacks, message by message."""
    directory = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", directory,
                    ignore=shutil.ignore_patterns("*.mo"))
    msgid = "It is free. You do not need a referral."
    selko_po = catalogues.po_path("fi@selko", directory)
    with selko_po.open("rb") as fileobj:
        catalog = read_po(fileobj, locale="fi@selko")
    selko_text = catalog[msgid].string
    catalog.delete(msgid)
    with selko_po.open("wb") as fileobj:
        write_po(fileobj, catalog)
    catalogues.compile_all(["fi", "sv", "fi@selko"], directory)
    app = make_app(sqlite_copy(sqlite_template, tmp_path),
                   {"BABEL_TRANSLATION_DIRECTORIES": str(directory)})
    finnish_text = catalogues.read_catalogue(catalogues.po_path("fi", directory))[msgid].string

    page = app.test_client().get("/selko/").text
    assert finnish_text and finnish_text in page
    assert selko_text not in page
    assert '<html lang="fi">' in page
    # Other messages still come from plain Finnish.
    other = catalog["You know your own situation best."].string
    assert other in page
