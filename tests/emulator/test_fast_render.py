"""The fast JSON paths write exactly what the straightforward dict + ``json.dumps`` wrote."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest

from zoomtui.emulator.handler import encode

AWKWARD = ["O'Brien", 'say "hi"', "back\\slash", "😀 emoji", "李静", "tab\there", "nl\n",
           "\x01\x7f", "\u2028", "/slash/", ""]  # fmt: skip


def old_encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


@pytest.mark.parametrize("text", AWKWARD)
def test_encode_writes_the_same_bytes_as_json_dumps(text: str) -> None:
    body = {"name": text, "n": 2**59 + 1, "f": [1.5, None, True], "nested": {text: [text]}}
    assert encode(body) == old_encode(body)


def test_encode_falls_back_for_what_orjson_refuses() -> None:
    body: dict[Any, Any] = {"big": 2**70, 3: "int key"}
    assert encode(body) == old_encode(body)


def test_encode_splices_fragments() -> None:
    body = {"a": 1, "rows": orjson.Fragment(b'[{"x":"\\u00e9"}]')}
    assert json.loads(encode(body)) == {"a": 1, "rows": [{"x": "é"}]}
