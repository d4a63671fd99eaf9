"""Make text that came from Zoom safe to show on a terminal or to hand to a markup parser.

Why: every Zoom user can edit their own name, and Zoom's error texts and account names are
Zoom's. A name holding ``ESC ] 52 ; c ; … BEL`` writes the operator's clipboard, one holding
``ESC ] 0 ;`` retitles the window, CSI codes move the cursor or recolour the screen, and
bidi overrides make ``evil.exe`` read as ``exe.live``. So every text from Zoom goes through
:func:`safe_text` where it meets a terminal (TUI widgets, CLI tables, stderr) — never in
storage, JSON or CSV files, which keep the data exact.

What is replaced, and by what (one visible placeholder per character, so nothing is hidden
and the width stays predictable):

- C0 controls U+0000–U+001F and DEL U+007F → the Unicode "control pictures"
  U+2400–U+241F and U+2421: ESC shows as ``␛``, BEL as ``␇``, a newline as ``␊``.
- C1 controls U+0080–U+009F (8-bit CSI, OSC, …), the bidi marks, embeddings, overrides and
  isolates (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), the line and paragraph
  separators U+2028/U+2029 and lone surrogates → ``⟨U+XXXX⟩``, e.g. ``⟨U+202E⟩``.

Markup is a separate matter: Textual widgets get ``rich.text.Text`` objects (or
``markup=False``), never a string parsed as markup, so ``[@click=app.quit]`` stays text.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["UNSAFE", "is_safe", "json_safe", "safe_text"]

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff]")
"""Every character :func:`safe_text` replaces."""

_NEWLINE_OK = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff]")
# what json.dumps leaves raw inside strings (it escapes C0; raw C0 is its own whitespace)
_JSON_RAW = re.compile(f"[\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff]")


def _placeholder(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"⟨U+{code:04X}⟩"


def safe_text(value: Any, *, newlines: bool = False) -> str:
    """``value`` as text with every control, bidi and separator character made visible.

    ``newlines=True`` keeps ``\\n`` for multi-line text (a log, a paragraph); everything
    else is replaced as the module docstring says. None becomes an empty string.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    pattern = _NEWLINE_OK if newlines else UNSAFE
    return pattern.sub(_placeholder, text)


def is_safe(text: str) -> bool:
    """True when ``text`` holds nothing :func:`safe_text` would replace."""
    return UNSAFE.search(text) is None


def json_safe(document: str) -> str:
    r"""JSON text with the unsafe characters JSON leaves raw written as ``\uXXXX`` escapes.

    ``json.dumps(..., ensure_ascii=False)`` escapes C0 controls but writes DEL, C1 controls,
    bidi overrides and lone surrogates as they are; a terminal acts on some of them. These
    characters can only occur inside JSON strings (the raw C0 characters of a document are
    its own indentation), where the escape decodes to the very same character, so the data
    stays exact.
    """
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
