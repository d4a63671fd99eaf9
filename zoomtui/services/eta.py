"""Time left in a run: the calls still to make over the pace the account allows.

A first run of a real account is bound by Zoom's per-second limits, not by
this machine: 3,000 users at Pro's Medium 20/s are 150 s of settings reads
however fast the client is. So the estimate is the calls left per category
divided by the pace the client's rate control is using for that category
right now (learnt from Zoom's replies, see zoom/ratelimit.py); categories are
paced independently and run at once, so the slowest one decides.
"""

from __future__ import annotations

import math
from collections.abc import Mapping


def seconds_left(calls_left: Mapping[str, int], rates: Mapping[str, float]) -> float | None:
    """The slowest category's calls left over its pace; None when a pace is unknown.

    A category without calls left costs nothing; one with calls left but no
    known pace (unlimited in tests, or not yet started) makes the estimate unknown.
    """
    worst = 0.0
    for category, calls in calls_left.items():
        if calls <= 0:
            continue
        rate = rates.get(category)
        if rate is None or not math.isfinite(rate) or rate <= 0:
            return None
        worst = max(worst, calls / rate)
    return worst


def words(seconds: float | None) -> str:
    """``about 2 min 30 s left`` — coarse on purpose: the pace moves as Zoom answers."""
    if seconds is None:
        return ""
    if seconds < 1:
        return "almost done"
    if seconds < 60:
        return f"about {max(5, 5 * round(seconds / 5))} s left"
    if seconds < 600:
        total = 10 * round(seconds / 10)
        minutes, secs = divmod(total, 60)
        return f"about {minutes} min {secs} s left" if secs else f"about {minutes} min left"
    if seconds < 3600:
        return f"about {round(seconds / 60)} min left"
    total_min = 5 * round(seconds / 300)
    hours, minutes = divmod(total_min, 60)
    return f"about {hours} h {minutes} min left" if minutes else f"about {hours} h left"
