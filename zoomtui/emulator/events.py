"""Sign-in / sign-out events packed one per 64-bit integer, sorted by time.

Six months of events for 100,000 users are several hundred thousand records;
packing (time, serial, account, kind, client) into one ``array('q')`` keeps
them in a few megabytes, and because time sits in the high bits the array is
sorted by time and a report window is two bisections.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable

EPOCH0 = 1_577_836_800  # 2020-01-01T00:00:00Z; packed times are seconds since then
THREE_DAYS = 3 * 86_400
SIGN_IN, SIGN_OUT = 0, 1


def pack(when: int, serial: int, acct: int, kind: int, client: int) -> int:
    """One event as an integer whose order is the event's time order."""
    return ((when - EPOCH0) << 32) | (serial << 8) | (acct << 5) | (kind << 4) | client


def unpack(key: int) -> tuple[int, int, int, int, int]:
    """(when, serial, acct, kind, client) of a packed event."""
    low = key & 0xFFFFFFFF
    return (key >> 32) + EPOCH0, low >> 8, low >> 5 & 7, low >> 4 & 1, low & 15


def window(events: array[int], start: int, end: int) -> tuple[int, int]:
    """Index range of events with start <= time < end (epoch seconds)."""
    lo = bisect_left(events, (max(start, EPOCH0) - EPOCH0) << 32)
    hi = bisect_left(events, (max(end, EPOCH0) - EPOCH0) << 32)
    return lo, hi


def extend_sorted(events: array[int], new: Iterable[int], keep_from: int) -> array[int]:
    """A new array: events at or after ``keep_from`` followed by ``new`` sorted.

    ``new`` must all be later than the existing events (the next period).
    """
    lo, _ = window(events, keep_from, keep_from)
    out = array("q", events[lo:])
    out.extend(sorted(new))
    return out


def recorded_login(previous: int, sign_ins: Iterable[int]) -> int:
    """last_login_time after sign-ins, with Zoom's three-day buffer.

    A sign-in within three days of the recorded one does not move it.
    """
    recorded = previous
    for when in sign_ins:
        if recorded == 0 or when - recorded >= THREE_DAYS:
            recorded = when
    return recorded
