"""The rolling add-on refresh: each run re-reads its share of the oldest settings reads.

Kept apart from ``addons.py`` (the freshness rule and the licence table) so the
two change independently.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from datetime import datetime, timedelta

from zoomtui.services.addons import LastRead


def rolling_refresh(
    reads: Mapping[str, LastRead], now: datetime, max_age: timedelta
) -> frozenset[str]:
    """The oldest reads, as many as the time since the last read is a share of ``max_age``.

    Re-reading only what passed ``max_age`` made every user read on day 1 due
    together on day 8: one run carried a whole account's settings calls. Instead
    each run refreshes the oldest reads in proportion to the time since the last
    run (taken as the newest read): daily runs with a 7-day max age re-read about
    a seventh each, hourly runs a 168th, a run after a long pause everything due.
    Reads refreshed for other reasons (changed users) simply move to the back.
    """
    if not reads or max_age <= timedelta(0):
        return frozenset()
    newest = max(read.read_at for read in reads.values())
    share = min(1.0, max(0.0, (now - newest) / max_age))
    count = math.floor(len(reads) * share)
    if count <= 0:
        return frozenset()
    oldest = heapq.nsmallest(count, reads.items(), key=lambda item: (item[1].read_at, item[0]))
    return frozenset(zoom_id for zoom_id, _read in oldest)
