"""Clean text (app/text.py): examples, then properties over any text (hypothesis)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.text import clean_text, clean_value, isolated
from tests.support.hostile import (
    BIDI_CONTROLS,
    DIRECTION_MARKS,
    LINE_BREAKS,
    ZERO_WIDTH,
    forbidden,
)

# No example database on disk, and no time limits: a slow machine is not a failure.
PROPERTY = settings(max_examples=400, deadline=None, database=None)

# The troublemakers, mixed into generated text far more often than chance would.
HOSTILE = [*BIDI_CONTROLS, *DIRECTION_MARKS, *ZERO_WIDTH, *LINE_BREAKS, "\x00", "\x1b", "\x7f",
           "\x9b", "\t", "\n", "e\u0301", "A\u030a", "\u0958", "\ud800", "\U000e0041",
           "\U0001f469\U0001f3fd\u200d\u2695\ufe0f", " "]

any_character = st.characters(exclude_categories=())  # surrogates too
any_text = st.lists(st.one_of(any_character, st.sampled_from(HOSTILE)), max_size=40).map("".join)


# --- Examples -------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "kept"), [
    ("Testi\x00Asiakas", "TestiAsiakas"),
    ("a\x01b\x07c\x1bd\x7fe\x80f\x9fg", "abcdefg"),
    ("rivi 1\r\nrivi 2\rrivi 3\x85rivi 4\u2028rivi 5", "rivi 1\nrivi 2\nrivi 3\nrivi 4\nrivi 5"),
    ("sarake\tsarake\n", "sarake\tsarake\n"),
    ("Testi \u202eakissa\u202c \u2066x\u2069", "Testi akissa x"),
    ("nolla\u200bleveys\u200c\u200d\u2060\ufeff", "nollaleveys"),
    ("\u200fسلام\u200e 040\u061c", "سلام 040"),
    ("Cafe\u0301 A\u030angström", "Café Ångström"),
    ("\U0001f469\U0001f3fd\u200d\u2695\ufe0f", "\U0001f469\U0001f3fd\u2695\ufe0f"),
    ("<script>alert(1)</script> {{7*7}}", "<script>alert(1)</script> {{7*7}}"),
])
def test_clean_text_examples(typed: str, kept: str) -> None:
    assert clean_text(typed) == kept


def test_single_line_fields_fold_lines_and_tabs_into_spaces() -> None:
    assert clean_text("Testi\r\n\tAsiakas\n\nx", multiline=False) == "Testi Asiakas x"


def test_field_data_of_any_shape() -> None:
    assert clean_value(["a\x00", 3, None, "a", 3]) == ["a", 3, None]
    assert clean_value(7) == 7
    assert clean_value("x\ny", multiline=False) == "x y"


def test_isolated_escapes_and_wraps() -> None:
    assert str(isolated("<b>Testi</b>")) == "<bdi>&lt;b&gt;Testi&lt;/b&gt;</bdi>"
    assert str(isolated(None)) == "<bdi></bdi>"


# --- Properties ---------------------------------------------------------------------


@PROPERTY
@given(any_text, st.booleans())
def test_cleaning_is_idempotent(text: str, multiline: bool) -> None:
    once = clean_text(text, multiline=multiline)
    assert clean_text(once, multiline=multiline) == once


@PROPERTY
@given(any_text, st.booleans())
def test_no_forbidden_code_point_survives_and_the_result_is_nfc(text: str,
                                                                multiline: bool) -> None:
    cleaned = clean_text(text, multiline=multiline)
    assert not [hex(ord(char)) for char in cleaned if forbidden(char)]
    assert unicodedata.is_normalized("NFC", cleaned)
    cleaned.encode("utf-8")  # storable anywhere: no lone surrogates


@PROPERTY
@given(any_text)
def test_newlines_and_tabs_are_kept(text: str) -> None:
    breaks = text.replace("\r\n", "\n")
    expected_lines = sum(breaks.count(char) for char in "\n\r\x85\u2028\u2029")
    cleaned = clean_text(text)
    assert cleaned.count("\n") == expected_lines
    assert cleaned.count("\t") == text.count("\t")


@PROPERTY
@given(any_text)
def test_single_line_text_has_no_line_breaks_or_tabs(text: str) -> None:
    assert not {"\n", "\t"} & set(clean_text(text, multiline=False))


@PROPERTY
@given(any_text, st.booleans())
def test_length_never_grows(text: str, multiline: bool) -> None:
    # NFC itself lengthens a few characters (U+0958 becomes two code points): compare
    # with the text in NFC, which is the same as the text for anything typed in NFC.
    nfc = unicodedata.normalize("NFC", text)
    assert len(clean_text(text, multiline=multiline)) <= len(nfc)
    assert len(clean_text(nfc, multiline=multiline)) <= len(nfc)


@PROPERTY
@given(st.text(alphabet=st.characters(categories=["L", "M", "N", "P", "S", "Zs"]), max_size=60))
def test_ordinary_text_only_becomes_nfc(text: str) -> None:
    assert clean_text(text) == unicodedata.normalize("NFC", text)


@PROPERTY
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=60))
def test_the_ascii_shortcut_agrees_with_the_general_rule(text: str) -> None:
    expected = "".join(char for char in text.replace("\r\n", "\n").replace("\r", "\n")
                       if not forbidden(char))
    assert clean_text(text) == expected
