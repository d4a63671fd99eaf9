"""Row encodings shared by writes and reads: add-on sets, search text, JSON blobs."""

from __future__ import annotations

import json
from typing import Any

SEP = ","


def encode_addons(addons: tuple[str, ...] | list[str] | None) -> str | None:
    """``(b, a)`` → ``",a,b,"``; None stays None (not read). ``","`` is the empty set.

    Delimiters on both ends make "has add-on X" a plain ``instr`` test in SQL.
    """
    if addons is None:
        return None
    names = sorted(set(addons))
    for name in names:
        if not name or SEP in name:
            raise ValueError(f"invalid add-on name {name!r}")
    return SEP + SEP.join(names) + SEP if names else SEP


def decode_addons(value: str | None) -> list[str] | None:
    """Inverse of :func:`encode_addons`, as a sorted list."""
    if value is None:
        return None
    return [name for name in value.split(SEP) if name]


def search_text(email: str, first: str, last: str, display: str) -> str:
    """Case-folded text the free-text search looks in; newline-separated fields.

    Python's ``casefold`` handles non-ASCII letters, which SQLite's ``lower`` and
    ``LIKE`` do not, and ``instr`` needs no pattern escaping at all.
    """
    return "\n".join((email, first, last, display)).casefold()


def fold_needle(text: str) -> str:
    """The search needle in the same folding; newlines cannot match across fields."""
    return " ".join(text.casefold().split("\n"))


def dumps(value: dict[str, Any] | None) -> str:
    """Compact JSON for the ``stats`` and ``notes`` columns."""
    return json.dumps(value or {}, sort_keys=True, default=str)


def loads(value: str | None) -> dict[str, Any]:
    """Inverse of :func:`dumps`; tolerant of NULL."""
    return json.loads(value) if value else {}
