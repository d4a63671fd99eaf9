"""What zoomtui accepts from Zoom before anything stores it: text limits, ids, counts, times.

Split from ``models.py`` (which builds the records): a field of the wrong type or a
count beyond any real account is a ``ProtocolError``; an over-long text is cut to
``FIELD_LIMITS`` with ``TRUNCATED`` at its end; a time outside 1970–2200 reads as None.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from zoomtui.zoom.errors import ProtocolError

# Longest text kept per field (characters). Zoom's own forms cap names at 64 and
# e-mail addresses follow RFC 5321 (320); the rest is slack for Zoom's growth,
# not for a 10 MB name, which would otherwise be stored (and held) in full.
FIELD_LIMITS: dict[str, int] = {
    "email": 320,
    "first_name": 256,
    "last_name": 256,
    "display_name": 512,
    "dept": 512,
    "status": 32,
    "plan_united_type": 64,
    "account_name": 512,
    "owner_email": 320,
    "account_type": 128,
    "type": 128,  # a seat pool's or a sign-in event's type
    "ip_address": 64,
    "client_type": 128,
    "version": 128,
}
TEXT_LIMIT = 1024  # any other text
ID_LIMIT = 128  # ids are refused, not cut: a cut id could name someone else
TRUNCATED = "…[truncated]"
MAX_COUNT = 10_000_000  # seats, users: no account holds more
# Timestamps outside these years are unreadable: nothing Zoom records lies there,
# and date arithmetic near year 1 or 9999 overflows.
FIRST_YEAR, LAST_YEAR = 1970, 2200


def parse_time(value: Any) -> datetime | None:
    """Parse Zoom's ISO-8601 timestamp into an aware UTC datetime; None when absent or bad."""
    if not value or not isinstance(value, str) or len(value) > 64:
        return None
    try:
        parsed = datetime.fromisoformat(value)
        tz = parsed.tzinfo
        if tz is not UTC:
            if tz is None:
                parsed = parsed.replace(tzinfo=UTC)
            elif parsed.utcoffset():
                parsed = parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    if not FIRST_YEAR <= parsed.year < LAST_YEAR:
        return None
    return parsed


def bounded(field: str, value: Any, what: str) -> str:
    """A text field as stored: refused when not text, cut at its limit with a marker."""
    if type(value) is not str:
        raise ProtocolError(
            f"Zoom sent {what} whose {field} is not text ({type(value).__name__}), "
            "so the run cannot trust it."
        )
    limit = FIELD_LIMITS.get(field, TEXT_LIMIT)
    if len(value) <= limit:
        return value
    return value[: limit - len(TRUNCATED)] + TRUNCATED


def checked_id(value: Any, what: str) -> str | None:
    """An id as Zoom sends it (a short string), None when absent; anything else is refused."""
    if value is None or value == "":
        return None
    if type(value) is not str or len(value) > ID_LIMIT:
        raise ProtocolError(
            f"Zoom sent {what} with an id that is not a short string, so the run cannot trust it."
        )
    return value


def checked_count(field: str, value: int, what: str, low: int = 0, high: int = MAX_COUNT) -> int:
    """A count or code within what a real account can hold; refused otherwise."""
    if not low <= value <= high:
        shown = value if abs(value) < 10**15 else "out of range"
        raise ProtocolError(
            f"Zoom sent {what} with an impossible value of {field} ({shown}), so the run "
            "cannot trust it."
        )
    return value


def as_int(value: Any, default: int | None = None) -> int | None:
    """Read an integer Zoom may send as a number or a numeric string, without float rounding."""
    if value is None or value == "":
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float) and not -(2**53) < value < 2**53:
        return default  # no longer exact: an integer too long for the JSON parser
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
