"""Scheduling: parse the configured interval and decide whether a run is due.

Why: cron and systemd timers fire on a fixed clock, while the operator thinks
in "every 24 hours"; ``zoomtui aggregate --if-due`` bridges the two so an
hourly timer runs the aggregation only when the interval has passed since the
last *complete* run. Everything here is pure: "now" is always passed in.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta

__all__ = [
    "NEVER_RUN",
    "describe_due",
    "format_interval",
    "is_due",
    "next_due",
    "parse_interval",
    "slack",
]

# What next_due() returns when there has never been a complete run: long past.
NEVER_RUN = datetime(1970, 1, 1, tzinfo=UTC)

_UNITS = {
    "w": timedelta(weeks=1),
    "d": timedelta(days=1),
    "h": timedelta(hours=1),
    "m": timedelta(minutes=1),
}
_PART = re.compile(r"(\d+)\s*([wdhm])")
_SHAPE = re.compile(r"(\d+\s*[wdhm]\s*)+")
_MAX_SLACK = timedelta(hours=1)
# The longest interval accepted: a year. Longer ones meant nothing useful and
# overflowed date arithmetic (99999999999d failed every command; 3000000d made
# the next due time unrepresentable, so scheduled runs silently stopped).
MAX_INTERVAL = timedelta(days=366)
_EXAMPLES = "30m, 12h, 7d, 1w or 1d12h (or off)"


def parse_interval(text: str) -> timedelta | None:
    """Parse ``30m``, ``12h``, ``7d``, ``1w``, ``1d12h`` or ``off`` (None).

    Units are weeks, days, hours and minutes, each at most once and largest
    first, so that a value reads one way only; seconds are refused because no
    timer worth scheduling an account audit runs that often.
    """
    cleaned = text.strip().lower()
    if cleaned == "off":
        return None
    if not cleaned or _SHAPE.fullmatch(cleaned) is None:
        raise ValueError(f"Interval must look like {_EXAMPLES}, not {text!r}.")
    parts = _PART.findall(cleaned)
    units = [unit for _, unit in parts]
    order = list(_UNITS)
    if len(set(units)) != len(units) or units != sorted(units, key=order.index):
        raise ValueError(
            f"Interval {text!r} must give each unit once, largest first (for example 1d12h)."
        )
    too_long = f"Interval {text!r} is longer than a year (366d); use off to disable it."
    if any(len(number.lstrip("0")) > 6 for number, _ in parts):
        raise ValueError(too_long)
    total = sum((int(number) * _UNITS[unit] for number, unit in parts), timedelta())
    if total > MAX_INTERVAL:
        raise ValueError(too_long)
    if total <= timedelta(0):
        raise ValueError(f"Interval {text!r} must be longer than zero; use off to disable it.")
    return total


def format_interval(interval: timedelta | None) -> str:
    """The canonical text of an interval (``1d12h``), ``off`` for None."""
    if interval is None:
        return "off"
    minutes = int(interval.total_seconds() // 60)
    out = []
    for unit, size in _UNITS.items():
        count, minutes = divmod(minutes, int(size.total_seconds() // 60))
        if count:
            out.append(f"{count}{unit}")
    return "".join(out) or "0m"


def next_due(
    last_complete_finished_at: datetime | None, interval: timedelta | None
) -> datetime | None:
    """When the next run is due: None when scheduling is off, ``NEVER_RUN`` if never run.

    Why ``NEVER_RUN`` rather than None: None already means "not scheduled",
    and an account that was never aggregated is due at once, which a date
    far in the past says without a special case in every caller.
    """
    if interval is None:
        return None
    if last_complete_finished_at is None:
        return NEVER_RUN
    _require_aware(last_complete_finished_at, "last_complete_finished_at")
    return last_complete_finished_at + interval


def slack(interval: timedelta) -> timedelta:
    """How early a run may start: 5% of the interval, at most an hour.

    Why: a timer firing at 03:17 every day would otherwise find yesterday's
    run (which finished at 03:25) not quite 24 hours old and skip a whole day.
    """
    return min(interval / 20, _MAX_SLACK)


def is_due(
    last_complete_finished_at: datetime | None, interval: timedelta | None, *, now: datetime
) -> bool:
    """Whether a scheduled run should start at ``now`` (never when scheduling is off)."""
    _require_aware(now, "now")
    due = next_due(last_complete_finished_at, interval)
    if due is None or interval is None:
        return False
    return now >= due - slack(interval)


def describe_due(now: datetime, next_due: datetime | None) -> str:
    """Say when the next run is due in plain words: ``due now``, ``due in 3 h 20 min``."""
    if next_due is None:
        return "not scheduled"
    _require_aware(now, "now")
    _require_aware(next_due, "next_due")
    seconds = (next_due - now).total_seconds()
    if seconds <= 0:
        return "due now"
    minutes = math.ceil(seconds / 60)  # "due in 1 min" rather than "due in 0 min"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"due in {days} d {hours} h" if hours else f"due in {days} d"
    if hours:
        return f"due in {hours} h {mins} min" if mins else f"due in {hours} h"
    return f"due in {mins} min"


def _require_aware(moment: datetime, name: str) -> None:
    """Refuse naive datetimes: comparing them with aware ones fails far from the cause."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime.")
