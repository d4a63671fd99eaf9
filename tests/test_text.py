"""The one sanitiser for Zoom text: what it replaces, with what, and what it leaves alone."""

from __future__ import annotations

import json

import pytest

from zoomtui.emulator.hostile_text import ERROR_PAYLOAD, PAYLOADS
from zoomtui.text import UNSAFE, is_safe, json_safe, safe_text

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_c0_controls_and_del_become_control_pictures() -> None:
    assert safe_text("\x1b]52;c;aGk=\x07") == "␛]52;c;aGk=␇"
    assert safe_text("a\nb\tc\rd\x00\x7f") == "a␊b␉c␍d␀␡"
    assert [safe_text(chr(c)) for c in range(32)] == [chr(0x2400 + c) for c in range(32)]


@pytest.mark.parametrize("char", [chr(c) for c in range(0x80, 0xA0)] + list(BIDI + "\u2028\u2029"))
def test_c1_bidi_and_separators_become_code_points(char: str) -> None:
    assert safe_text(f"x{char}y") == f"x⟨U+{ord(char):04X}⟩y"


def test_lone_surrogates_are_shown_rather_than_failing_to_encode() -> None:
    shown = safe_text("a\ud800b")
    assert shown == "a⟨U+D800⟩b"
    shown.encode("utf-8")  # would raise with the surrogate left in


def test_ordinary_text_is_untouched() -> None:
    for text in ("Zoë Ødegaard", "李静", "👩‍👩‍👧 family", "Bob [/]", "[@click=app.quit]x[/]", ""):
        assert safe_text(text) == text  # markup is not this function's business
        assert is_safe(text)


def test_newlines_may_be_kept_for_multi_line_text() -> None:
    assert safe_text("one\ntwo\x1b[2J", newlines=True) == "one\ntwo␛[2J"


def test_none_and_non_strings() -> None:
    assert safe_text(None) == ""
    assert safe_text(42) == "42"
    assert safe_text(["\x1b"]) == "['\\x1b']"  # str() of a list is its repr: escaped


@pytest.mark.parametrize("payload", [*PAYLOADS, ERROR_PAYLOAD])
def test_every_hostile_payload_comes_out_safe_and_idempotent(payload: str) -> None:
    shown = safe_text(payload)
    assert UNSAFE.search(shown) is None
    assert safe_text(shown) == shown


@pytest.mark.parametrize("indent", [None, 2])
def test_json_safe_keeps_the_data_exact(indent: int | None) -> None:
    data = {"names": [*PAYLOADS, ERROR_PAYLOAD, "\x7f\x9b" + BIDI + "\u2028\ud800"]}
    text = json_safe(json.dumps(data, ensure_ascii=False, indent=indent))
    assert json.loads(text) == data
    inside = text.replace("\n", "")  # an indented document's own line breaks
    assert UNSAFE.search(inside) is None
