"""The message catalogues: extract, update, compile, status and check.

Built on Babel's own reading and writing of .po files, so translators can keep
using Poedit or any gettext tool. `flask --app wsgi translate …` calls these.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po, write_po

from app.markup import markup_problems

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
}
COMMENT_TAGS = ["Translators:"]
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n,jinja2.ext.do", "trimmed": "true"}
# Header lines that change without any message changing: dates, and the Babel version
# that wrote the file. Comparisons ignore them, so a new Babel release is no change.
HEADER_LINES_THAT_CHURN = ("POT-Creation-Date:", "PO-Revision-Date:", "Generated-By:")


def po_path(locale: str, directory: Path = TRANSLATIONS_DIR) -> Path:
    return directory / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(locale: str, directory: Path = TRANSLATIONS_DIR) -> Path:
    return directory / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"


def read_catalogue(path: Path, locale: str | None = None, strict: bool = False) -> Catalog:
    """A .po or .pot file; `strict` raises PoFileError on a syntax error instead of skipping."""
    with path.open("rb") as fileobj:
        return read_po(fileobj, locale=locale, domain=DOMAIN, abort_invalid=strict)


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
    """Write unless only generator lines in the header (dates, Babel version) would change."""
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
    return all(translated_forms(message))


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


def compile_all(
    locales: list[str], directory: Path = TRANSLATIONS_DIR
) -> dict[str, int | None]:
    """Messages compiled per language; None where a language has no catalogue yet."""
    exists = {locale: po_path(locale, directory).exists() for locale in locales}
    return {
        locale: compile_catalogue(locale, directory) if exists[locale] else None
        for locale in locales
    }


# --- status and check -------------------------------------------------------------

# A message is client-facing when any of its locations is here; every other
# location is the staff side. A language's `sides` (config.py) say which it covers.
PUBLIC_SOURCES = (
    "templates/base.html",
    "templates/components/",
    "templates/errors/",
    "templates/public/",
    "app/casework/access_log.py",
    "app/casework/status_mail.py",  # the e-mail a client asks for, in their language
    "app/casework/followup_mail.py",  # the follow-up e-mail, in the client's language
    "app/public/",
    "app/saate/",
)
NOT_MERGED = "is not in the catalogue: run `flask --app wsgi translate update`"
FUZZY = 'is fuzzy: check it and untick "Needs work" (this removes the fuzzy flag)'
UNTRANSLATED = "has no translation"
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[#0 +-]?\d*(?:\.\d+)?([diouxXeEfFgGcrsa%])|%")


class Language(Protocol):
    """What the catalogue tools need of a configured language (app.i18n.Language)."""

    locale: str
    fallback: str | None
    sides: frozenset[str]


def message_sides(message: Message) -> set[str]:
    sides = {
        "public" if filename.startswith(PUBLIC_SOURCES) else "staff"
        for filename, _line in message.locations
    }
    return sides or {"public", "staff"}


def required_for(language: Language, message: Message) -> bool:
    """Whether a language must have its own text for a message (else it falls back)."""
    return bool(message_sides(message) & language.sides)


def _key(message: Message) -> tuple[str | None, str | tuple[str, ...]]:
    return message.context, message.id


def _comment(message: Message) -> str:
    # write_po wraps long comments over several lines; compare the words.
    return " ".join(" ".join(message.auto_comments).split())


def source_forms(message: Message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def translated_forms(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def short(text: str | tuple[str, ...], length: int = 70) -> str:
    text = text[0] if isinstance(text, tuple) else text
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


@dataclass
class CatalogueStatus:
    """How far one language's catalogue is, against the template (messages.pot)."""

    locale: str
    total: int = 0
    translated: int = 0
    fuzzy: int = 0
    required: int = 0  # messages on the sides this language covers
    falling_back: list[str] = field(default_factory=list)  # required, not yet usable

    @property
    def missing(self) -> int:
        return self.total - self.translated - self.fuzzy

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0

    @property
    def required_percent(self) -> float:
        done = self.required - len(self.falling_back)
        return 100.0 * done / self.required if self.required else 100.0


def status(language: Language, template: Catalog,
           directory: Path = TRANSLATIONS_DIR) -> CatalogueStatus:
    path = po_path(language.locale, directory)
    catalog = read_catalogue(path, language.locale) if path.exists() else Catalog()
    result = CatalogueStatus(language.locale)
    for source in template:
        if not source.id:
            continue
        result.total += 1
        message = catalog.get(source.id, context=source.context)
        if message is not None and message.fuzzy:
            result.fuzzy += 1
        elif message is not None and usable(message):
            result.translated += 1
        if required_for(language, source):
            result.required += 1
            if message is None or not usable(message):
                result.falling_back.append(short(source.id))
    return result


@dataclass(frozen=True)
class Problem:
    """One thing `translate check` found, named so a translator can find it in Poedit."""

    where: str  # "messages.pot" or a locale
    message: str  # the English text, shortened; "" for the whole file
    text: str

    def __str__(self) -> str:
        about = f' "{self.message}"' if self.message else ""
        return f"{self.where}:{about} {self.text}"


def check(languages: list[Language], directory: Path = TRANSLATIONS_DIR,
          root: Path = ROOT) -> list[Problem]:
    """Every reason the catalogues are not ready to ship, in reading order."""
    pot_file = directory / f"{DOMAIN}.pot"
    problems = stale_template_problems(extract_template(root), pot_file)
    if not pot_file.exists():
        return problems
    template = read_catalogue(pot_file)
    for language in languages:
        problems += catalogue_problems(language, template, directory)
    return problems


def stale_template_problems(fresh: Catalog, pot_file: Path) -> list[Problem]:
    where = pot_file.name
    if not pot_file.exists():
        return [Problem(where, "", "is missing: run `flask --app wsgi translate extract`")]
    current = read_catalogue(pot_file)
    in_code = {_key(m): m for m in fresh if m.id}
    in_file = {_key(m): m for m in current if m.id}
    problems = [
        Problem(where, short(key[1]), "is in the code but not in messages.pot")
        for key in in_code.keys() - in_file.keys()
    ]
    problems += [
        Problem(where, short(key[1]), "is in messages.pot but no longer in the code")
        for key in in_file.keys() - in_code.keys()
    ]
    problems += [
        Problem(where, short(key[1]), "has a changed translator comment in the code")
        for key in in_code.keys() & in_file.keys()
        if _comment(in_code[key]) != _comment(in_file[key])
    ]
    if not problems:
        return []
    return [*sorted(problems, key=str), Problem(
        where, "", "is out of date: run `flask --app wsgi translate extract` and then "
                   "`translate update`")]


def catalogue_problems(language: Language, template: Catalog,
                       directory: Path = TRANSLATIONS_DIR) -> list[Problem]:
    where = language.locale
    path = po_path(language.locale, directory)
    if not path.exists():
        return [Problem(where, "", f"has no catalogue at {path.relative_to(directory.parent)}")]
    try:
        catalog = read_catalogue(path, language.locale, strict=True)
    except (PoFileError, UnicodeDecodeError, ValueError) as error:
        return [Problem(where, "", f"cannot be read: {error}")]
    problems: list[Problem] = []
    for source in template:
        if not source.id:
            continue
        message = catalog.get(source.id, context=source.context)
        if message is None:
            found = NOT_MERGED
        elif not required_for(language, source):
            continue
        elif message.fuzzy:
            found = FUZZY
        elif not usable(message):
            found = UNTRANSLATED
        else:
            continue
        problems.append(Problem(where, short(source.id), found))
    for message in catalog:
        if message.id and any(translated_forms(message)):
            problems += [Problem(where, short(message.id), text)
                         for text in translation_problems(message)]
    return problems + compile_problems(language.locale, catalog, path)


def placeholders(text: str) -> list[str]:
    """The %-placeholders of a message, sorted; a lone "%" counts as one (and breaks)."""
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


def translation_problems(message: Message) -> list[str]:
    """Placeholders that differ from the English, and markup outside the allowlist."""
    problems = []
    source = {token for form in source_forms(message) for token in placeholders(form)}
    forms = [form for form in translated_forms(message) if form]
    for form in forms:
        extra = set(placeholders(form)) - source
        if extra:
            problems.append(f"has placeholders the English does not: {', '.join(sorted(extra))}")
    if isinstance(message.id, str):
        expected, found = placeholders(message.id), placeholders(forms[0])
        if expected != found:
            problems.append(
                f"placeholders differ: the English has {' '.join(expected) or 'none'}, "
                f"the translation {' '.join(found) or 'none'}"
            )
    for form in forms:
        problems += markup_problems(form)
    return list(dict.fromkeys(problems))


def compile_problems(locale: str, catalog: Catalog, path: Path) -> list[Problem]:
    """Whether Babel can write the .mo and GNU msgfmt --check accepts the .po."""
    problems = []
    try:
        write_mo(io.BytesIO(), catalog, use_fuzzy=False)
    except (TypeError, ValueError) as error:
        problems.append(Problem(locale, "", f"does not compile: {error}"))
    msgfmt = shutil.which("msgfmt")
    if msgfmt:
        result = subprocess.run(  # noqa: S603  (fixed program, our own file)
            [msgfmt, "--check", "--output-file=/dev/null", str(path)],
            capture_output=True, text=True, check=False,
        )
        if result.returncode != 0:
            problems += [Problem(locale, "", f"GNU msgfmt: {line}")
                         for line in result.stderr.splitlines() if line.strip()]
    return problems
