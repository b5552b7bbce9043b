"""Clean text: the one rule for everything a person types into Saate.

Every form field passes through `clean_text` (app/forms.py binds it to every
field), so what is stored and shown is valid, visible Unicode:

- NFC, so the same letters are always the same code points;
- every line break (CR LF, CR, NEL, U+2028, U+2029) becomes "\\n";
- control characters go (C0, DEL, C1: NUL makes PostgreSQL refuse a save),
  except tab and newline;
- every format character goes (Unicode category Cf): the bidi embeddings,
  overrides and isolates (U+202A-U+202E, U+2066-U+2069) that make text read
  backwards, the zero-width characters (U+200B-U+200D, U+2060, U+FEFF), soft
  hyphens and the invisible tag characters. The direction marks U+200E,
  U+200F and U+061C go as well: they are invisible, so an equal-looking name
  or e-mail address would differ from the real one, and staff pages isolate
  every typed text (<bdi>, dir="auto"), which gives right-to-left text its
  direction without them. The price: emoji sequences joined with ZWJ fall
  apart into their parts, and Persian loses its non-joiners (still readable);
- lone surrogates go (no database can store them).

Single-line fields also turn tabs and newlines into spaces.
"""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup

# Categories removed wherever they are: controls, format characters, surrogates.
REMOVED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
KEPT_CONTROLS = frozenset("\t\n")
LINE_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029]")
ASCII_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
LINE_SPACE = re.compile("[\t\n]+")


def is_removed(char: str) -> bool:
    """True for a code point that clean text never holds (tab and newline are kept)."""
    return char not in KEPT_CONTROLS and unicodedata.category(char) in REMOVED_CATEGORIES


def clean_text(text: str, *, multiline: bool = True) -> str:
    """Text as Saate keeps it (see the module's docstring). Idempotent; in NFC."""
    text = LINE_BREAKS.sub("\n", text)
    if text.isascii():
        text = ASCII_CONTROLS.sub("", text)
    else:
        text = "".join(char for char in text if not is_removed(char))
        text = unicodedata.normalize("NFC", text)
    if not multiline:
        text = LINE_SPACE.sub(" ", text)
    return text


def clean_value(value: object, *, multiline: bool = True) -> object:
    """A form field's data cleaned: text, or each text in a list (a value sent twice is
    kept once); anything else as it is."""
    if isinstance(value, str):
        return clean_text(value, multiline=multiline)
    if isinstance(value, list):
        cleaned = [clean_value(item, multiline=multiline) for item in value]
        return [item for index, item in enumerate(cleaned) if item not in cleaned[:index]]
    return value


def isolated(text: object) -> Markup:
    """Typed text for a page, escaped and in <bdi>: its direction never spills around it.

    For inline places, e.g. a name inside a sentence; blocks of typed text use dir="auto".
    """
    return Markup("<bdi>{}</bdi>").format("" if text is None else text)
