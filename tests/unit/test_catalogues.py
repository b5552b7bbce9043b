"""`flask --app wsgi translate check` and `status`: what translators run."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from click.testing import Result
from flask import Flask

from app import catalogues
from app.i18n import load_languages
from config import TestingConfig
from tests.support.catalogues import ROOT, app_reading, copy_translations, edit_message

LANGUAGES = list(load_languages(TestingConfig.LANGUAGES).values())
PLACEHOLDER_MESSAGE = "Unsent answers are deleted after %(days)d days."
PLAIN_MESSAGE = "This is not an emergency service"
STAFF_MESSAGE = "Claim this case"


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    return copy_translations(tmp_path)


def run(app: Flask, command: str) -> Result:
    return app.test_cli_runner().invoke(args=["translate", command])


@pytest.fixture
def copied_app(directory: Path, sqlite_template: Path, tmp_path: Path) -> Flask:
    return app_reading(directory, sqlite_template, tmp_path)


def problems(directory: Path) -> list[str]:
    return [str(problem) for problem in catalogues.check(LANGUAGES, directory)]


def test_the_catalogues_in_the_repository_pass() -> None:
    assert problems(catalogues.TRANSLATIONS_DIR) == []


def test_check_command_passes_and_says_so(copied_app: Flask) -> None:
    result = run(copied_app, "check")
    assert result.exit_code == 0, result.output
    assert "All 3 catalogues are complete and valid." in result.output


def test_a_stale_template_fails_naming_the_message(directory: Path, copied_app: Flask) -> None:
    pot = directory / "messages.pot"
    template = catalogues.read_catalogue(pot)
    template.delete(PLAIN_MESSAGE)
    pot.write_bytes(catalogues.render_catalogue(template))
    result = run(copied_app, "check")
    assert result.exit_code == 1
    expected = f'messages.pot: "{PLAIN_MESSAGE}" is in the code but not in messages.pot'
    assert expected in result.output
    assert "translate extract" in result.output


def test_a_missing_swedish_message_fails(directory: Path, copied_app: Flask) -> None:
    edit_message(directory, "sv", STAFF_MESSAGE, string="")
    result = run(copied_app, "check")
    assert result.exit_code == 1
    assert f'sv: "{STAFF_MESSAGE}" has no translation' in result.output


def test_a_message_not_merged_into_a_catalogue_fails(directory: Path) -> None:
    edit_message(directory, "sv", STAFF_MESSAGE, delete=True)
    assert f'sv: "{STAFF_MESSAGE}" {catalogues.NOT_MERGED}' in problems(directory)


def test_a_fuzzy_finnish_message_fails(directory: Path, copied_app: Flask) -> None:
    edit_message(directory, "fi", PLAIN_MESSAGE, fuzzy=True)
    result = run(copied_app, "check")
    assert result.exit_code == 1
    assert f'fi: "{PLAIN_MESSAGE}" is fuzzy' in result.output


def test_plain_finnish_may_leave_staff_messages_to_finnish(directory: Path) -> None:
    edit_message(directory, "fi@selko", STAFF_MESSAGE, string="")
    assert problems(directory) == []


def test_plain_finnish_must_cover_client_facing_messages(directory: Path) -> None:
    edit_message(directory, "fi@selko", PLAIN_MESSAGE, string="")
    assert problems(directory) == [f'fi@selko: "{PLAIN_MESSAGE}" has no translation']


@pytest.mark.parametrize("broken", [
    "Lähettämättömät vastaukset poistetaan %(day)d päivän kuluttua.",
    "Lähettämättömät vastaukset poistetaan pian.",
    "Lähettämättömät vastaukset poistetaan %(days)d päivän kuluttua, 100 % varmasti.",
])
def test_a_placeholder_mismatch_fails(directory: Path, copied_app: Flask, broken: str) -> None:
    edit_message(directory, "fi", PLACEHOLDER_MESSAGE, string=broken)
    result = run(copied_app, "check")
    assert result.exit_code == 1
    assert f'fi: "{PLACEHOLDER_MESSAGE}" placeholders differ' in result.output


@pytest.mark.parametrize(("hostile", "named"), [
    ("Tämä ei ole <script>alert(1)</script> hätäpalvelu", "the tag <script> is not allowed"),
    ('Tämä <a href="/" onclick="steal()">ei</a> ole hätäpalvelu',
     'the attribute onclick="…" on <a> is not allowed'),
    ('Tämä <a href="javascript:steal()">ei</a> ole hätäpalvelu',
     'the link href="javascript:steal()" is not allowed'),
    ('<img src="x" onerror="steal()">', "the tag <img> is not allowed"),
])
def test_markup_outside_the_allowlist_fails(directory: Path, copied_app: Flask,
                                            hostile: str, named: str) -> None:
    edit_message(directory, "fi", PLAIN_MESSAGE, string=hostile)
    result = run(copied_app, "check")
    assert result.exit_code == 1
    assert f'fi: "{PLAIN_MESSAGE}" {named}' in result.output


def test_a_catalogue_that_does_not_compile_fails(directory: Path) -> None:
    path = catalogues.po_path("sv", directory)
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "Unclosed\n', encoding="utf-8")
    found = problems(directory)
    assert any(problem.startswith("sv:") and "cannot be read" in problem for problem in found)


def test_msgfmt_rejects_what_babel_lets_through(directory: Path) -> None:
    # A c-format flag on a message whose translation drops the %s: GNU msgfmt --check objects.
    path = catalogues.po_path("sv", directory)
    with path.open("rb") as fileobj:
        catalog = read_po(fileobj, locale="sv")
    catalog.add("Only for msgfmt %s", "Bara för msgfmt", flags=["c-format"])
    with path.open("wb") as fileobj:
        write_po(fileobj, catalog, width=100)
    assert any("GNU msgfmt" in problem for problem in problems(directory))


@pytest.mark.parametrize("locale", ["fi", "sv", "fi@selko"])
def test_gnu_msgfmt_check_accepts_every_catalogue(locale: str) -> None:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext is missing: make test installs it"
    result = subprocess.run(
        [msgfmt, "--check", "--check-header", "--output-file=/dev/null",
         str(catalogues.po_path(locale))],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_status_reports_every_language(copied_app: Flask) -> None:
    result = run(copied_app, "status")
    assert result.exit_code == 0
    total = len([m for m in catalogues.read_catalogue(ROOT / "translations/messages.pot") if m.id])
    assert f"Suomi (fi): {total} of {total} translated (100 %)" in result.output
    assert f"Svenska (sv): {total} of {total} translated (100 %)" in result.output
    assert "client-facing messages:" in result.output
    template = catalogues.read_catalogue(catalogues.POT_FILE)
    selko = catalogues.status(LANGUAGES[2], template, catalogues.TRANSLATIONS_DIR)
    assert selko.required_percent == 100.0
    assert f"{selko.required} of {selko.required} (100 %)" in result.output


def test_status_names_plain_finnish_messages_that_fall_back(directory: Path,
                                                             copied_app: Flask) -> None:
    edit_message(directory, "fi@selko", PLAIN_MESSAGE, string="")
    result = copied_app.test_cli_runner().invoke(args=["translate", "status", "--list"])
    assert "1 of those still fall back to fi:" in result.output
    assert f'"{PLAIN_MESSAGE}"' in result.output


def test_messages_are_sorted_into_client_facing_and_staff() -> None:
    template = catalogues.read_catalogue(catalogues.POT_FILE)
    assert catalogues.message_sides(template[PLAIN_MESSAGE]) == {"public"}
    assert catalogues.message_sides(template[STAFF_MESSAGE]) == {"staff"}


def test_extract_leaves_an_unchanged_template_alone(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    shutil.copyfile(catalogues.POT_FILE, pot)
    before = pot.read_bytes()
    assert catalogues.extract(pot_file=pot) is False  # no creation-date churn
    assert pot.read_bytes() == before


@pytest.mark.parametrize("header", ["POT-Creation-Date: 1999-01-01 00:00+0000",
                                    "Generated-By: Babel 0.1.0"])
def test_a_new_generator_or_date_in_the_header_is_no_change(tmp_path: Path, header: str) -> None:
    """A Babel release writes another Generated-By line: that alone must not count."""
    pot = tmp_path / "messages.pot"
    name = header.split(":")[0]
    lines = [f'"{header}\\n"' if line.startswith(f'"{name}:') else line
             for line in catalogues.POT_FILE.read_text().splitlines()]
    pot.write_text("\n".join(lines) + "\n")
    before = pot.read_bytes()
    assert header in before.decode()
    assert catalogues.extract(pot_file=pot) is False
    assert pot.read_bytes() == before


def test_short_messages_and_placeholders_have_translator_comments() -> None:
    """A button, a label or a message with a gap to fill needs a word on where it appears."""
    template = catalogues.read_catalogue(catalogues.POT_FILE)
    lacking = [
        catalogues.short(message.id)
        for message in template
        if message.id and not message.auto_comments
        and (catalogues.placeholders(" ".join(catalogues.source_forms(message)))
             or len(catalogues.source_forms(message)[0].split()) <= 3)
    ]
    assert lacking == []


def test_plain_finnish_copies_of_standard_finnish_say_so() -> None:
    """Plain Finnish is written, not copied: a kept standard text carries a translator comment."""
    finnish = catalogues.read_catalogue(catalogues.po_path("fi"), "fi")
    unmarked = []
    for message in catalogues.read_catalogue(catalogues.po_path("fi@selko"), "fi@selko"):
        standard = finnish.get(message.id, context=message.context) if message.id else None
        if standard and message.string == standard.string and not message.user_comments:
            unmarked.append(catalogues.short(message.id))
    assert unmarked == []
