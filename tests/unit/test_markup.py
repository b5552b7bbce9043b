"""Markup in translations: kept within the allowlist, whatever a catalogue says."""

from __future__ import annotations

import pytest

from app.markup import markup_problems, safe_translation, tel_href

HOSTILE = [
    '<script>alert("x")</script>Soita meille',
    'Soita <a href="tel:0141234" onclick="steal()">meille</a>',
    'Soita <a href="javascript:steal()">meille</a>',
    'Soita <a href="tel:0141234" style="display:none">meille</a>',
    '<img src="x" onerror="steal()">Soita meille',
    '<iframe src="https://example.invalid/"></iframe>Soita meille',
    "<!-- <script>steal()</script> -->Soita meille",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_markup_is_removed(hostile: str) -> None:
    html = str(safe_translation(hostile))
    for forbidden in ("<script", "onclick", "javascript:", "style=", "<img", "onerror",
                      "<iframe", "<!--"):
        assert forbidden not in html
    assert "Soita" in html


def test_allowed_markup_is_kept() -> None:
    text = 'Soita <a href="%(tel)s">%(number)s</a>, <strong>heti</strong> <em>nyt</em>.'
    assert str(safe_translation(text)) == text


def test_text_without_markup_is_unchanged() -> None:
    assert safe_translation("Tämä ei ole hätäpalvelu") == "Tämä ei ole hätäpalvelu"


def test_filled_in_values_are_escaped() -> None:
    html = safe_translation('Soita <a href="%(tel)s">%(number)s</a>.') % {
        "tel": 'tel:1" onclick="x', "number": "<b>112</b>",
    }
    assert 'onclick="x' not in html
    assert "&lt;b&gt;112&lt;/b&gt;" in html


def test_problems_are_named() -> None:
    assert markup_problems('<a href="/" onclick="x()">') == [
        'the attribute onclick="…" on <a> is not allowed'
    ]
    assert markup_problems("<script>x</script>") == ["the tag <script> is not allowed"]
    assert markup_problems('<a href="https://suomi.fi/">') == []
    assert markup_problems("5 < 6") == []


def test_tel_links_drop_spaces() -> None:
    assert tel_href("09 2525 0111") == "tel:0925250111"
    assert tel_href("+358 14 266 0000") == "tel:+358142660000"
