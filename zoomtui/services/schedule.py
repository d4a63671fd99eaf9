"""Scheduling: parse the configured interval and decide whether a run is due.

Why: cron and systemd timers fire on a fixed clock, while the operator thinks
in "every 24 hours"; ``zoomtui aggregate --if-due`` bridges the two so an
hourly timer runs the aggregation only when the interval has passed since the
last *complete* run. Everything here is pure: "now" is always passed in.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

# Re-exported: parsing lives on the ground floor, where settings can use it too.
from zoomtui.intervals import MAX_INTERVAL, format_interval, parse_interval

__all__ = [
    "MAX_INTERVAL",
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

_MAX_SLACK = timedelta(hours=1)


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
