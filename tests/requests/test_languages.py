"""Three languages from the first page: text, lang, switch, fallback, choice of language."""

import re
from pathlib import Path

import pytest
from flask import Flask

from app import catalogues
from config import TestingConfig
from tests.support.catalogues import app_reading, copy_translations, edit_message
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


# Pages without typed answers; on the contact page and the saate's parts the switch is the
# form's buttons (tests/requests/test_language_switch.py).
PAGES = ["/", "/privacy", "/accessibility", "/saate/", "/resume"]


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
    directory = copy_translations(tmp_path)
    msgid = "It is free. You do not need a referral."
    selko_text = edit_message(directory, "fi@selko", msgid, delete=True)
    app = app_reading(directory, sqlite_template, tmp_path)
    finnish_text = catalogues.read_catalogue(catalogues.po_path("fi", directory))[msgid].string

    page = app.test_client().get("/selko/").text
    assert finnish_text and finnish_text in page
    assert selko_text not in page
    assert '<html lang="fi">' in page
    # Other messages still come from plain Finnish.
    selko = catalogues.read_catalogue(catalogues.po_path("fi@selko", directory))
    assert selko["You know your own situation best."].string in page


def test_a_hostile_translation_cannot_inject_markup(tmp_path: Path,
                                                     sqlite_template: Path) -> None:
    directory = copy_translations(tmp_path)
    edit_message(directory, "fi", "This is not an emergency service", string=(
        '<script>steal()</script>Tämä <a href="javascript:steal()" onclick="steal()">ei</a>'
        ' ole <strong>hätäpalvelu</strong>'
    ))
    app = app_reading(directory, sqlite_template, tmp_path)
    page = app.test_client().get("/fi/").text
    assert "<script" not in page
    assert "onclick" not in page
    assert "javascript:" not in page
    assert "Tämä <a>ei</a> ole <strong>hätäpalvelu</strong>" in page


def test_phone_numbers_in_translations_are_links(sqlite_app: Flask) -> None:
    page = sqlite_app.test_client().get("/sv/").text
    assert '<a href="tel:112">112</a>' in page
    assert '<a href="tel:0925250112">09 2525 0112</a>' in page


EASY_SWEDISH = {
    "segment": "lattlast", "locale": "sv@lattlast", "name": "Lättläst svenska",
    "html_lang": "sv", "fallback": "sv", "sides": ["public"], "crisis_line": "sv",
}


def test_a_new_language_takes_a_catalogue_and_one_entry(tmp_path: Path,
                                                         sqlite_template: Path) -> None:
    """Easy-to-read Swedish, added the way docs/TRANSLATING.md tells, with no code change."""
    directory = copy_translations(tmp_path)
    languages = [*TestingConfig.LANGUAGES, EASY_SWEDISH]
    app = app_reading(directory, sqlite_template, tmp_path, languages)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["translate", "update"]).exit_code == 0
    easy_text = "Här får du inte hjälp i en nödsituation"
    edit_message(directory, "sv@lattlast", "This is not an emergency service", string=easy_text)
    assert runner.invoke(args=["translate", "compile"]).exit_code == 0

    status = runner.invoke(args=["translate", "status"]).output
    assert "Lättläst svenska (sv@lattlast): 1 of" in status
    assert "still fall back to sv" in status
    check = runner.invoke(args=["translate", "check"])
    assert check.exit_code == 1
    assert 'sv@lattlast: "Accessibility statement" has no translation' in check.output
    assert 'sv@lattlast: "Claim this case"' not in check.output  # staff side: not its side

    page = app.test_client().get("/lattlast/").text
    assert '<html lang="sv">' in page
    assert easy_text in page
    swedish = catalogues.read_catalogue(catalogues.po_path("sv", directory))
    assert swedish["You know your own situation best."].string in page  # falls back to sv
    assert "Lättläst svenska" in page  # in the language switch
    assert app.test_client().get("/sv/").status_code == 200
