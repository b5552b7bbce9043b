"""A private copy of translations/ that a test may break, and ways to break it."""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.pofile import read_po, write_po
from flask import Flask

from app import catalogues
from tests.conftest import make_app, sqlite_copy

ROOT = Path(__file__).resolve().parents[2]


def copy_translations(tmp_path: Path) -> Path:
    directory = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", directory, ignore=shutil.ignore_patterns("*.mo"))
    return directory


def edit_message(directory: Path, locale: str, msgid: str, *, string: str | None = None,
                 fuzzy: bool = False, delete: bool = False) -> str:
    """Change one message of a copied catalogue; returns its text before the change."""
    path = catalogues.po_path(locale, directory)
    with path.open("rb") as fileobj:
        catalog = read_po(fileobj, locale=locale)
    message = catalog[msgid]
    before = message.string
    if delete:
        catalog.delete(msgid)
    if string is not None:
        message.string = string
    if fuzzy:
        message.flags.add("fuzzy")
    with path.open("wb") as fileobj:
        write_po(fileobj, catalog, width=100, sort_output=True)
    return before


def app_reading(directory: Path, sqlite_template: Path, tmp_path: Path,
                languages: list[dict] | None = None) -> Flask:
    """An app whose catalogues (and optionally languages) come from `directory`."""
    locales = [entry["locale"] for entry in languages] if languages else ["fi", "sv", "fi@selko"]
    catalogues.compile_all(locales, directory)
    overrides: dict = {"BABEL_TRANSLATION_DIRECTORIES": str(directory)}
    if languages:
        overrides["LANGUAGES"] = languages
    return make_app(sqlite_copy(sqlite_template, tmp_path), overrides)
