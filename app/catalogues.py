"""The message catalogues: extract, update, compile, status and check.

Built on Babel's own reading and writing of .po files, so translators can keep
using Poedit or any gettext tool. `flask --app wsgi translate …` calls these.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS_DIR = ROOT / "translations"
POT_FILE = TRANSLATIONS_DIR / "messages.pot"
DOMAIN = "messages"
PROJECT = "Saate"

# Where messages come from, and how each kind of file is read.
EXTRACT_SOURCES: list[tuple[str, str]] = [
    ("app/**.py", "python"),
    ("templates/**.html", "jinja2"),
]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "lazy_gettext": None,
    "lazy_pgettext": ((1, "c"), 2),
    "lazy_ngettext": (1, 2),
    "_l": None,
    "_lp": ((1, "c"), 2),
    "markup_gettext": None,
}
COMMENT_TAGS = ["Translators:"]
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n,jinja2.ext.do", "trimmed": "true"}
HEADER_LINES_THAT_CHURN = ("POT-Creation-Date:", "PO-Revision-Date:")


def po_path(locale: str, directory: Path = TRANSLATIONS_DIR) -> Path:
    return directory / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(locale: str, directory: Path = TRANSLATIONS_DIR) -> Path:
    return directory / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"


def read_catalogue(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fileobj:
        return read_po(fileobj, locale=locale, domain=DOMAIN)


def render_catalogue(catalog: Catalog, **options: object) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, **options)  # type: ignore[arg-type]
    return buffer.getvalue()


def _without_churn(content: bytes) -> bytes:
    lines = content.decode("utf-8").splitlines()
    return "\n".join(
        line for line in lines if not line.strip('"').startswith(HEADER_LINES_THAT_CHURN)
    ).encode()


def write_if_changed(path: Path, content: bytes) -> bool:
    """Write unless only the dates in the header would change."""
    if path.exists() and _without_churn(path.read_bytes()) == _without_churn(content):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def _only_source_dirs(dirpath: str) -> bool:
    top = Path(dirpath).parts[-1] if dirpath else ""
    return not top.startswith((".", "_")) and top not in {"node_modules", "tests", "bench"}


def extract_template(root: Path = ROOT) -> Catalog:
    """Every translatable message in the code and templates, with translator comments."""
    catalog = Catalog(project=PROJECT, charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        root,
        method_map=EXTRACT_SOURCES,
        options_map={"templates/**.html": JINJA_OPTIONS},
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
        directory_filter=_only_source_dirs,
    ):
        catalog.add(
            message, None, [(filename, lineno)], auto_comments=comments, context=context
        )
    return catalog


def extract(root: Path = ROOT, pot_file: Path = POT_FILE) -> bool:
    """Write translations/messages.pot; True when it changed."""
    return write_if_changed(pot_file, render_catalogue(extract_template(root), sort_output=True))


def update(locales: list[str], directory: Path = TRANSLATIONS_DIR) -> list[str]:
    """Merge the template into each catalogue (new messages, fuzzy matches off)."""
    template = read_catalogue(directory / f"{DOMAIN}.pot")
    changed = []
    for locale in locales:
        path = po_path(locale, directory)
        if path.exists():
            catalog = read_catalogue(path, locale)
        else:
            catalog = Catalog(locale=locale, project=PROJECT, charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        # Obsolete messages are dropped: git keeps the history.
        catalog.obsolete.clear()
        content = render_catalogue(catalog, sort_output=True, ignore_obsolete=True)
        if write_if_changed(path, content):
            changed.append(locale)
    return changed


def usable(message: Message) -> bool:
    """A message the app may show: translated in full, not fuzzy, not the header."""
    if not message.id or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def compile_catalogue(locale: str, directory: Path = TRANSLATIONS_DIR) -> int:
    """Write the .mo with only usable messages, so missing ones fall back.

    (pybabel compile writes empty plural messages with the English text, which
    would defeat the plain-Finnish fallback: Babel issue #697.)
    """
    catalog = read_catalogue(po_path(locale, directory), locale)
    for message in list(catalog):
        if message.id and not usable(message):
            catalog.delete(message.id, context=message.context)
    with mo_path(locale, directory).open("wb") as fileobj:
        write_mo(fileobj, catalog, use_fuzzy=False)
    return sum(1 for message in catalog if message.id)


def compile_all(locales: list[str], directory: Path = TRANSLATIONS_DIR) -> dict[str, int]:
    return {locale: compile_catalogue(locale, directory) for locale in locales}


@dataclass
class CatalogueStatus:
    locale: str
    total: int = 0
    translated: int = 0
    fuzzy: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0
