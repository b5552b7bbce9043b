"""Reading pages in request tests: CSRF tokens, error summaries, links."""

from __future__ import annotations

import re
from html import unescape

CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
VALUE = re.compile(r'value="([^"]+)"')
LINK = re.compile(r"<link\b[^>]*>")


def csrf_token(html: str) -> str:
    found = CSRF_INPUT.search(html)
    assert found, "no CSRF token on the page"
    return VALUE.search(found.group(0)).group(1)  # type: ignore[union-attr]


def error_summary(html: str) -> list[str]:
    """The linked messages in the page's error summary."""
    start = html.find('class="error-summary"')
    if start == -1:
        return []
    block = html[start : html.find("</div>", start)]
    return [unescape(m) for m in re.findall(r'<a href="[^"]*">([^<]+)</a>', block)]


def main_text(html: str) -> str:
    """The visible text of <main>, tags removed, whitespace folded."""
    main = html[html.find("<main") : html.find("</main>")]
    main = re.sub(r"<[^>]+>", " ", main)
    return " ".join(unescape(main).split())


def linked(html: str, rel: str) -> list[str]:
    """The href of every <link rel="…"> of that kind ("stylesheet", "icon"), in order."""
    tags = [tag for tag in LINK.findall(html) if f'rel="{rel}"' in tag]
    return [unescape(re.search(r'href="([^"]+)"', tag).group(1))  # type: ignore[union-attr]
            for tag in tags]
