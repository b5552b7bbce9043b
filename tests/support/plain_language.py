"""Measuring rendered text against glossary.md's plain-language rules."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements that end whatever sentence came before them, as a reader or screen reader meets it.
BLOCKS = {
    "address", "br", "button", "caption", "dd", "details", "div", "dl", "dt", "fieldset",
    "figcaption", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "label",
    "legend", "li", "main", "nav", "ol", "option", "p", "section", "summary", "table", "td",
    "th", "tr", "ul",
}
SKIPPED = {"script", "style", "template", "select"}  # a <select>'s options are not prose
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
WORD = re.compile(r"\w", re.UNICODE)


class _Chunks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = [""]
        self.inside: list[str] = []
        self.skipping = 0
        self.reading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("main", "footer"):
            self.reading = True
        if tag in SKIPPED:
            self.skipping += 1
        if tag in BLOCKS:
            self.chunks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping -= 1
        if tag in BLOCKS:
            self.chunks.append("")
        if tag in ("main", "footer"):
            self.reading = False

    def handle_data(self, data: str) -> None:
        if self.reading and not self.skipping:
            self.chunks[-1] += data


def sentences(html: str) -> list[str]:
    """The sentences of a page's <main> and <footer>; headings, labels and buttons count."""
    parser = _Chunks()
    parser.feed(html)
    found = []
    for chunk in parser.chunks:
        for sentence in SENTENCE_END.split(" ".join(chunk.split())):
            if WORD.search(sentence):
                found.append(sentence)
    return found


def word_count(sentence: str) -> int:
    return sum(1 for token in sentence.split() if WORD.search(token))


def prose_sentences(html: str) -> list[str]:
    """Only full sentences (ending in . ! or ?): headings, labels and buttons would flatter."""
    return [sentence for sentence in sentences(html) if sentence.endswith((".", "!", "?"))]


def average_sentence_length(html: str) -> float:
    found = prose_sentences(html)
    return sum(word_count(sentence) for sentence in found) / len(found) if found else 0.0


def longest_sentences(html: str, count: int = 5) -> list[str]:
    return sorted(prose_sentences(html), key=word_count, reverse=True)[:count]
