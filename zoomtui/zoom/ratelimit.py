"""Zoom's rate limits in one place: categories, per-tier budgets, buckets and backoff.

Every request of a client goes through one `RateLimiter`, so no call path can
forget the budget. Each category's bucket holds `limit` tokens and a spent
token returns exactly one period later, which keeps every one-second window at
or under Zoom's per-second limit (a refill-at-rate bucket with a burst would
allow up to twice the limit in the first second) while still reaching the full
rate. A global semaphore bounds requests in flight so high latency can be met
with concurrency instead of by slowing down.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from zoomtui.zoom.models import parse_time

LIGHT, MEDIUM, HEAVY = "Light", "Medium", "Heavy"

# Endpoint templates (sub-account `/accounts/{accountId}/users...` and `.../report/...`
# paths share the main account's ones).
CATEGORY: dict[str, str] = {
    "GET /users": MEDIUM,
    "GET /users/summary": MEDIUM,
    "GET /users/{userId}": LIGHT,
    "GET /users/{userId}/settings": MEDIUM,
    "GET /report/activities": HEAVY,
    "GET /report/users": HEAVY,
    "GET /accounts": MEDIUM,
    "GET /accounts/{accountId}": LIGHT,
    "GET /accounts/{accountId}/plans": MEDIUM,
    "GET /accounts/{accountId}/plans/usage": HEAVY,
}

# Requests per second by plan tier (zoom-api.md section 6).
LIMITS: dict[str, dict[str, float]] = {
    "free": {LIGHT: 4, MEDIUM: 2, HEAVY: 1},
    "pro": {LIGHT: 30, MEDIUM: 20, HEAVY: 10},
    "business": {LIGHT: 80, MEDIUM: 60, HEAVY: 40},
}


def endpoint_template(method: str, path: str) -> str:
    """Reduce a concrete path such as `/accounts/a1/users/u1/settings` to its template."""
    parts = [p for p in path.split("?", 1)[0].split("/") if p and p != "v2"]
    if len(parts) > 2 and parts[0] == "accounts" and parts[2] in ("users", "report"):
        parts = parts[2:]
    if parts and parts[0] == "users" and len(parts) > 1 and parts[1] != "summary":
        parts[1] = "{userId}"
    elif parts and parts[0] == "accounts" and len(parts) > 1:
        parts[1] = "{accountId}"
    return f"{method.upper()} /" + "/".join(parts)


def category_for(method: str, path: str) -> str:
    """Zoom's rate-limit category of a request; unknown endpoints count as Medium."""
    return CATEGORY.get(endpoint_template(method, path), MEDIUM)


@dataclass
class CallStats:
    """Counters a run reports: calls per category, retries and time spent waiting."""

    calls: dict[str, int] = field(default_factory=dict)
    retries: int = 0
    waits: int = 0
    wait_seconds: float = 0.0
    token_requests: int = 0

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-ready copy, for run records and `--json` output."""
        return {
            "calls": dict(self.calls),
            "retries": self.retries,
            "waits": self.waits,
            "wait_seconds": round(self.wait_seconds, 3),
            "token_requests": self.token_requests,
        }

    def count_wait(self, seconds: float) -> None:
        self.waits += 1
        self.wait_seconds += seconds


class TokenBucket:
    """`limit` tokens per `period` seconds; each spent token comes back one period later."""

    def __init__(self, rate: float, now: Callable[[], float]) -> None:
        self.limit = max(1, int(rate))
        self.period = self.limit / rate
        self._now = now
        self._spent: deque[float] = deque()
        self.blocked_until = 0.0

    def delay(self) -> float:
        """Take a token and return 0, or return how long to wait before trying again."""
        now = self._now()
        if now < self.blocked_until:
            return self.blocked_until - now
        spent = self._spent
        while spent and now - spent[0] >= self.period:
            spent.popleft()
        if len(spent) < self.limit:
            spent.append(now)
            return 0.0
        return spent[0] + self.period - now


class RateLimiter:
    """Per-category buckets for one tier plus the global in-flight semaphore."""

    def __init__(
        self,
        tier: str = "pro",
        *,
        now: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
        rate_scale: float = 1.0,
        max_concurrency: int = 32,
        stats: CallStats | None = None,
        on_wait: Callable[[str, float], None] | None = None,
    ) -> None:
        if tier not in LIMITS:
            raise ValueError(f"unknown rate tier {tier!r}; use one of {', '.join(LIMITS)}")
        if not rate_scale > 0:
            raise ValueError("rate_scale must be positive")
        self.tier = tier
        self._sleep = sleep
        self._now = now
        self.stats = stats or CallStats()
        self.on_wait = on_wait
        self.semaphore = asyncio.Semaphore(max(1, max_concurrency))
        self.buckets: dict[str, TokenBucket] | None = (
            None
            if math.isinf(rate_scale)
            else {c: TokenBucket(r * rate_scale, now) for c, r in LIMITS[tier].items()}
        )

    async def acquire(self, category: str) -> None:
        """Wait until `category` has budget, then count the call."""
        stats = self.stats
        stats.calls[category] = stats.calls.get(category, 0) + 1
        if self.buckets is None:
            return
        bucket = self.buckets.get(category) or self.buckets[MEDIUM]
        while (wait := bucket.delay()) > 0:
            await self.wait(f"rate limit ({category})", wait, report=wait >= 1.0)

    def pause(self, category: str, seconds: float) -> None:
        """Hold back every request of `category` for `seconds` (after a 429)."""
        if self.buckets is not None and category in self.buckets:
            bucket = self.buckets[category]
            bucket.blocked_until = max(bucket.blocked_until, self._now() + seconds)

    async def wait(self, reason: str, seconds: float, *, report: bool = True) -> None:
        """Sleep through the injected `sleep`, counting it and telling `on_wait` when asked."""
        self.stats.count_wait(seconds)
        if report and self.on_wait is not None:
            self.on_wait(reason, seconds)
        await self._sleep(seconds)


def backoff_delay(
    attempt: int, rng: Callable[[], float], base: float = 1.0, cap: float = 30.0
) -> float:
    """Exponential backoff with jitter: half the step fixed, half random, capped at `cap`."""
    step = min(cap, base * (2**attempt))
    return step / 2 + rng() * step / 2


def parse_retry_after(value: str | None, now: datetime) -> tuple[float | None, datetime | None]:
    """Read Retry-After as seconds, an ISO-8601 timestamp or an HTTP date.

    Returns (seconds to wait, absolute time) — either may be None when absent or unreadable.
    """
    if not value or not value.strip():
        return None, None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        if math.isfinite(seconds):
            seconds = max(0.0, seconds)
            if seconds > 10 * 86_400:  # no absolute time: it would overflow a datetime
                return seconds, None
            return seconds, now + timedelta(seconds=seconds)
        return None, None
    when = parse_time(text)
    if when is None:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None, None
        when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return max(0.0, (when - now).total_seconds()), when


def next_utc_midnight(now: datetime) -> datetime:
    """The next 00:00 UTC after `now`: when Zoom's daily quotas reset."""
    day = now.astimezone(UTC).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
