"""Zoom's per-account rate limits: per-second token buckets and optional daily quotas.

Limits are per category (Light, Medium, Heavy, Resource-intensive) and per
plan tier, as in Zoom's published table (zoom-api.md section 6); ``scale``
multiplies them so a benchmark can run a large account quickly while keeping
the same shape.

Zoom's limits are "per account, shared by all users and all apps installed on
the account" (section 6). ``shared`` models another app of the account as a
steady background consumer of that fraction of every per-second limit: each
category's bucket refills at ``(1 - shared)`` of the rate for this client.
The background app is served first (it is not the one under test). The
replies still state the account's limit in ``X-RateLimit-Limit``, as Zoom
states the account's limit, not what is left of it; ``X-RateLimit-Remaining``
shows what is left. Daily quotas are not shared this way: the per-second
share is what the issue being modelled needs, and Zoom documents nothing of
how other apps' daily use shows.

The tier the emulator enforces is its own setting, independent of the tier
any client budgets for, so a client configured for the wrong tier meets the
account's real limits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

LIGHT, MEDIUM, HEAVY, INTENSIVE = "Light", "Medium", "Heavy", "Resource-intensive"

# requests per second
LIMITS: dict[str, dict[str, float]] = {
    "free": {LIGHT: 4, MEDIUM: 2, HEAVY: 1, INTENSIVE: 10 / 60},
    "pro": {LIGHT: 30, MEDIUM: 20, HEAVY: 10, INTENSIVE: 10 / 60},
    "business": {LIGHT: 80, MEDIUM: 60, HEAVY: 40, INTENSIVE: 20 / 60},
}
# category -> (shared quota name, requests per UTC day)
DAILY: dict[str, dict[str, tuple[str, int]]] = {
    "free": {
        LIGHT: (LIGHT, 6_000),
        MEDIUM: (MEDIUM, 2_000),
        HEAVY: (HEAVY, 1_000),
        INTENSIVE: (INTENSIVE, 30_000),
    },
    "pro": {HEAVY: ("Heavy+", 30_000), INTENSIVE: ("Heavy+", 30_000)},
    "business": {HEAVY: ("Heavy+", 60_000), INTENSIVE: ("Heavy+", 60_000)},
}


@dataclass(frozen=True)
class Verdict:
    """Outcome of one rate-limit check; ``kind`` is None when the call may proceed."""

    category: str
    kind: str | None  # None, "QPS" or "Daily-limit"
    limit: int
    remaining: int
    reset_at: datetime | None = None  # for Daily-limit: next 00:00 UTC
    quota: str = "QPS"  # which budget limit/remaining describe: "QPS" or "Daily-limit"


class RateLimiter:
    """Per-category token buckets (capacity one second of traffic) plus daily counters."""

    def __init__(
        self,
        tier: str,
        *,
        scale: float = 1.0,
        daily: bool = False,
        shared: float = 0.0,
        monotonic: Callable[[], float],
        clock: Callable[[], datetime],
    ) -> None:
        if tier not in LIMITS:
            raise ValueError(f"unknown rate tier {tier!r}; use free, pro or business")
        if not 0.0 <= shared < 1.0:
            raise ValueError("the shared quota must be a fraction from 0 up to (not including) 1")
        self.tier = tier
        self.scale = scale
        self.shared = shared
        self.daily = daily
        self._monotonic = monotonic
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # category -> (tokens, at)
        self._days: dict[tuple[str, str], int] = {}

    def rate(self, category: str) -> float:
        """Allowed requests per second for a category at this tier and scale."""
        return LIMITS[self.tier][category] * self.scale

    def check(self, category: str) -> Verdict:
        """Take one request from the category's budget, or say why not."""
        daily = self._check_daily(category)
        if daily is not None and daily.kind:
            return daily
        rate = self.rate(category)
        capacity = max(1.0, rate)
        now = self._monotonic()
        tokens, at = self._buckets.get(category, (capacity, now))
        # another app of the account takes its share of every second first
        tokens = min(capacity, tokens + (now - at) * rate * (1.0 - self.shared))
        if tokens < 1.0:
            self._buckets[category] = (tokens, now)
            return Verdict(category, "QPS", max(1, round(rate)), 0)
        self._buckets[category] = (tokens - 1.0, now)
        if daily is not None:
            return daily
        return Verdict(category, None, max(1, round(rate)), int(tokens - 1.0))

    def _check_daily(self, category: str) -> Verdict | None:
        quota = DAILY[self.tier].get(category) if self.daily else None
        if quota is None:
            return None
        name, limit = quota
        now = self._clock()
        key = (name, now.date().isoformat())
        used = self._days.get(key, 0)
        if used >= limit:
            midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
            reset = midnight.replace(tzinfo=now.tzinfo)
            return Verdict(category, "Daily-limit", limit, 0, reset, "Daily-limit")
        self._days[key] = used + 1
        return Verdict(category, None, limit, limit - used - 1, None, "Daily-limit")
