"""Zoom's operation logs report (``GET /report/operationlogs``) read as hints.

An entry records one admin action: ``time``, ``operator``, ``category_type``,
``action`` and ``operation_detail`` (docs/zoom-operation-logs.md). The detail
is free text whose wording Zoom does not specify; what peers that parse real
entries rely on is that it names the target user by e-mail address ("Update
User x@y  - User Type: from Basic to Licensed", "Delete User x@y  - ..."). So
zoomtui takes every e-mail address in it as a *hint* that this user may have
changed, never as the change itself: the user's settings are read again and
the seat counts decide whether anything was missed.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from datetime import datetime
from typing import Any, NamedTuple

from zoomtui.zoom.models import parse_time

DETAIL_LIMIT = 2_000  # never stored nor shown; only searched for addresses
# Deliberately loose: a hint too many costs one settings read, a hint too few
# is caught by the seat counts.
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


class OperationLog(NamedTuple):
    """One admin operation as the report lists it."""

    time: datetime
    operator: str
    category_type: str
    action: str
    detail: str

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> OperationLog | None:
        """The entry, or None when it has no readable time or its fields are not text."""
        when = parse_time(d.get("time"))
        fields = [d.get(k) or "" for k in ("operator", "category_type", "action")]
        detail = d.get("operation_detail") or ""
        if when is None or any(type(v) is not str for v in (*fields, detail)):
            return None
        operator, category, action = (v[:200] for v in fields)
        return cls(when, operator, category, action, detail[:DETAIL_LIMIT])


def entry_key(entry: OperationLog) -> Hashable:
    return entry


def hinted_emails(entries: Iterable[OperationLog]) -> set[str]:
    """Every e-mail address the entries' details name, case-folded."""
    found: set[str] = set()
    for entry in entries:
        found.update(m.casefold() for m in _EMAIL.findall(entry.detail))
    return found
