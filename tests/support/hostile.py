"""Hostile input for the bad-input battery, and what every page must do with it.

Payloads are what a visitor can type or forge; the checks say what a page may
never contain (a character clean text never holds, markup from a payload, a
template that ran) and that every message it shows is ours, in its language.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote_plus

from babel.messages.pofile import read_po
from markupsafe import escape

BIDI_CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
DIRECTION_MARKS = ["\u200e", "\u200f", "\u061c"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
LINE_BREAKS = ["\r\n", "\r", "\x85", "\u2028", "\u2029"]


def forbidden(char: str) -> bool:
    """What clean text may never hold, written out from the rule (not from app.text)."""
    if char in "\t\n":
        return False
    return (unicodedata.category(char) in {"Cc", "Cf", "Cs"}
            or char in {*BIDI_CONTROLS, *DIRECTION_MARKS, *ZERO_WIDTH, "\u2028", "\u2029"})


@cache
def forbidden_pattern() -> re.Pattern:
    """`forbidden` as one regular expression, for searching whole pages quickly."""
    ranges: list[tuple[int, int]] = []
    for code in range(sys.maxunicode + 1):
        if forbidden(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return re.compile("[" + "".join(f"\\U{first:08x}-\\U{last:08x}"
                                    for first, last in ranges) + "]")


def forbidden_in(text: str) -> list[str]:
    return [hex(ord(match.group())) for match in forbidden_pattern().finditer(text)]


# --- Payloads ----------------------------------------------------------------------------

OUT_OF_CHOICES = "not-a-choice"
SECOND_VALUE = "Toinen arvo"


@dataclass(frozen=True)
class Payload:
    """What is sent to every field: `text` to text fields, `choice` to choice fields."""

    name: str
    text: str
    choice: str | None = None  # None: choice fields get the text too
    # Every field is sent twice (text: the payload, then SECOND_VALUE; choices: three times).
    repeated: bool = False
    # The body carries percent-encoded bytes that are not UTF-8; `text` is as the server
    # decodes it, `wire` as it is sent.
    wire: str | None = None
    # Too big to send every field at once within the request limit: one field per request.
    one_field_per_request: bool = False
    language: str = "fi"

    @property
    def choice_value(self) -> str:
        return self.text if self.choice is None else self.choice


LONG_TEXT = ("Pitkä teksti, joka jatkuu ja jatkuu. " * 300)[:10_000]

PAYLOADS = [
    Payload("long", LONG_TEXT, one_field_per_request=True, language="fi"),
    Payload("control", "Testi\x00Asiakas\x01\x08\x0b\x0c \x1b[31mpunainen\x7f\x80\x9b "
                       "rivi\r\ntoinen\rkolmas\x85neljäs\ttab", language="sv"),
    Payload("bidi", "Testi \u202eakissa\u202c \u202a\u202b\u202d\u2066\u2067\u2068x\u2069 "
                    "nolla\u200bleveys\u200c\u200d\u2060\ufeff \u200fسلام\u200e\u061c loppu",
            language="selko"),
    Payload("emoji", "Testi \U0001f469\U0001f3fd\u200d\u2695\ufe0f \U0001f1eb\U0001f1ee "
                     "Cafe\u0301 A\u030angstro\u0308m Z\u0324\u0354\u0367\u0311\u0353 \ufdfd "
                     "\U0001d518\U0001d52b\U0001d526", language="fi"),
    Payload("html", '<script>alert("xss")</script><img src=x onerror=alert(1)> &amp; '
                    '"lainaus" \'heittomerkki\' </textarea><b>lihava</b>', language="sv"),
    Payload("sql", "Robert'); DROP TABLE \"case\"; -- ' OR '1'='1' /* */ "
                   "UNION SELECT password_hash FROM staff_user;", language="selko"),
    Payload("template", "{{ 7*'zq' }} {{7*7}} {% if true %}zq-tag{% endif %} ${7*7} #{7*7} "
                        "%(name)s %s {0} {{ config.SECRET_KEY }}", language="fi"),
    Payload("out_of_choices", "Testi Asiakas", choice=OUT_OF_CHOICES, language="sv"),
    Payload("repeated", "Ensimmäinen arvo", choice=OUT_OF_CHOICES, repeated=True,
            language="selko"),
    Payload("invalid_utf8", "Testi %FF%FE %C3( %E2%82 loppu",
            wire="Testi+%FF%FE+%C3%28+%E2%82+loppu", language="fi"),
]

# Raw, these mean a payload reached a page unescaped or a template ran it.
NEVER_IN_A_PAGE = [
    "<script>alert", "<img src=x", "</textarea><b>", "<b>lihava", '"lainaus"',
    "'heittomerkki'", "zqzqzq", "DROP TABLE \"case\"",
]


def body(fields: list[tuple[str, str]], payload: Payload | None = None) -> str:
    """An url-encoded body; the invalid-UTF-8 payload's bytes go on the wire as they are."""
    def encoded(value: str) -> str:
        if payload is not None and payload.wire is not None and value == payload.text:
            return payload.wire
        return quote_plus(value)

    return "&".join(f"{quote_plus(name)}={encoded(value)}" for name, value in fields)


# --- Messages in the page's language ------------------------------------------------------

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")


@cache
def catalogue_patterns(locale: str) -> tuple[re.Pattern, ...]:
    """Every translated message of the locale (plain Finnish falls back to Finnish)."""
    locales = [locale, "fi"] if locale == "fi@selko" else [locale]
    patterns = []
    for name in locales:
        with (TRANSLATIONS / name / "LC_MESSAGES" / "messages.po").open("rb") as po:
            catalogue = read_po(po, locale=name)
        for message in catalogue:
            texts = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in texts:
                if text:
                    pieces = PLACEHOLDER.split(folded(text.replace("%%", "%")))
                    patterns.append(re.compile(".+?".join(map(re.escape, pieces)), re.S))
    return tuple(patterns)


def in_catalogue(text: str, locale: str) -> bool:
    return any(pattern.fullmatch(text) for pattern in catalogue_patterns(locale))


def folded(text: str) -> str:
    return " ".join(text.split())


def tag_text(html: str) -> str:
    return folded(unescape(re.sub(r"<[^>]+>", " ", html)))


def shown_messages(html: str) -> list[str]:
    """Messages a page shows about what was sent: error summary, field errors, flashes."""
    html = re.sub(r'<span class="visually-hidden">.*?</span>', "", html, flags=re.S)
    messages = []
    start = html.find('class="error-summary"')
    if start != -1:
        block = html[start: html.find("</div>", start)]
        messages += re.findall(r"<(?:h2|p|li)\b[^>]*>(.*?)</(?:h2|p|li)>", block, re.S)
    messages += re.findall(r'<p class="error-message"[^>]*>(.*?)</p>', html, re.S)
    start = html.find('class="flash"')
    if start != -1:
        messages += re.findall(r"<p>(.*?)</p>", html[start: html.find("</div>", start)], re.S)
    heading = re.search(r"<h1[^>]*>([^<]*)</h1>", html)
    if heading:
        messages.append(heading.group(1))
    return [text for text in map(tag_text, messages) if text]


def refused(html: str, name: str) -> bool:
    """Whether the page says the field is wrong: at the field or linked from the summary."""
    return any(marker in html for marker in (
        f'id="{name}-error"', f'href="#{name}"', f'href="#{name}-0"'))


# --- Checks for every page ----------------------------------------------------------------


def check_page(html: str, locale: str, html_lang: str, where: str) -> None:
    """No clean-text rule broken, nothing raw from a payload, every message in the language."""
    assert not forbidden_in(html), where
    for raw in NEVER_IN_A_PAGE:
        assert raw not in html, (where, raw)
    assert html.count("zq-tag") == html.count("{% if true %}zq-tag"), where
    assert f'<html lang="{html_lang}">' in html, where
    for message in shown_messages(html):
        assert in_catalogue(message, locale), (where, locale, message)


def shown_escaped(html: str, text: str) -> bool:
    return str(escape(text)) in html


def isolated_everywhere(html: str, text: str) -> bool:
    """Every place the text is shown sits in <bdi> or in an element with dir="auto"."""
    shown = str(escape(text))
    positions = [m.start() for m in re.finditer(re.escape(shown), html)]
    if not positions:
        return False
    for position in positions:
        opening = html.rfind("<", 0, position)
        tag = html[opening: html.find(">", opening) + 1]
        if not (tag.startswith("<bdi") or 'dir="auto"' in tag):
            return False
    return True


# --- Reading the forms of a page -----------------------------------------------------------


class FormReader(HTMLParser):
    """Each form's action and, per field name, the values the page offers or holds."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: dict[str, dict[str, list[str]]] = {}
        self.methods: dict[str, str] = {}
        self.current: dict[str, list[str]] | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            action = attributes.get("action", "")
            self.current = self.forms.setdefault(action, {})
            self.methods[action] = attributes.get("method", "get").lower()
        elif self.current is None:
            return
        elif tag in {"input", "textarea"} and attributes.get("name"):
            self.current.setdefault(attributes["name"], []).append(attributes.get("value", ""))
        elif tag == "select":
            self.select = attributes.get("name")
            self.current.setdefault(self.select or "", [])
        elif tag == "option" and self.select:
            self.current[self.select].append(attributes.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def page_forms(html: str, method: str | None = None) -> dict[str, dict[str, list[str]]]:
    """{action: {field name: values}} of the page's forms (of one method, if given)."""
    reader = FormReader()
    reader.feed(html)
    return {action: fields for action, fields in reader.forms.items()
            if method is None or reader.methods[action] == method}
