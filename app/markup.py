"""Markup in translations: the few tags a translator may use, and nothing else.

Every message a template shows passes through `safe_translation`, so a
catalogue (edited by hand, by a tool, or by someone hostile) can add a link, a
phone link or emphasis, but never a script, a style or an event handler. The
values filled into a message are escaped separately (Jinja's Markup does that).
`translate check` uses `markup_problems` to name what a catalogue should not hold.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import urlsplit

import bleach
from markupsafe import Markup

ALLOWED_TAGS = frozenset({"a", "strong", "em"})
ALLOWED_ATTRIBUTES = {"a": ["href"]}
# Relative links and placeholders such as href="%(url)s" have no scheme and are allowed.
ALLOWED_PROTOCOLS = frozenset({"https", "mailto", "tel"})


@lru_cache(maxsize=8192)
def _cleaned(text: str) -> str:
    return bleach.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )


def safe_translation(text: str) -> Markup:
    """A translated message as HTML, with only the allowed markup kept."""
    if "<" not in text and "&" not in text:
        return Markup(text)  # noqa: S704  (no markup at all, the usual case)
    return Markup(_cleaned(text))  # noqa: S704  (cleaned by bleach just above)


def tel_href(number: str) -> str:
    """A tel: link for a phone number written for people, e.g. "09 2525 0111"."""
    return "tel:" + re.sub(r"[^\d+]", "", number)


class _MarkupReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"the tag <{tag}> is not allowed")
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, [])
        for name, value in attrs:
            if name not in allowed:
                self.problems.append(f'the attribute {name}="…" on <{tag}> is not allowed')
            elif name == "href" and not _allowed_link(value or ""):
                self.problems.append(f'the link href="{value}" is not allowed')

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        self.problems.append("HTML comments are not allowed")


def _allowed_link(href: str) -> bool:
    scheme = urlsplit(href.strip()).scheme.lower()
    return not scheme or scheme in ALLOWED_PROTOCOLS


def markup_problems(text: str) -> list[str]:
    """What in a translation's markup the allowlist would remove, in words."""
    if "<" not in text:
        return []
    reader = _MarkupReader()
    reader.feed(text)
    reader.close()
    return reader.problems
