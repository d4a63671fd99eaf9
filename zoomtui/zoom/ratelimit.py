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
    "GET /report/operationlogs": HEAVY,
    "GET /accounts": MEDIUM,
    "GET /accounts/{accountId}": LIGHT,
    "GET /accounts/{accountId}/plans": MEDIUM,
    "GET /accounts/{accountId}/plans/usage": HEAVY,
    # licence reclaim (docs/reclaim.md): Zoom's User API spec and meeting list docs
    "GET /users/{userId}/meetings": MEDIUM,
    "GET /users/{userId}/webinars": MEDIUM,
    "PATCH /users/{userId}": LIGHT,
    "PATCH /users/{userId}/settings": MEDIUM,
    "PUT /users/{userId}/status": LIGHT,
    "DELETE /users/{userId}": LIGHT,
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
    """Counters a run reports: calls per category, retries and time spent waiting.

    ``throttled`` counts per-second 429s per category and ``rates`` holds the
    requests per second each category's pacing settled on, so a run shows what
    the account really allowed rather than what the configured tier promised.
    """

    calls: dict[str, int] = field(default_factory=dict)
    retries: int = 0
    waits: int = 0
    wait_seconds: float = 0.0
    token_requests: int = 0
    throttled: dict[str, int] = field(default_factory=dict)
    rates: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-ready copy, for run records and `--json` output."""
        return {
            "calls": dict(self.calls),
            "retries": self.retries,
            "waits": self.waits,
            "wait_seconds": round(self.wait_seconds, 3),
            "token_requests": self.token_requests,
            "throttled": dict(self.throttled),
            "rates": {c: round(r, 2) for c, r in self.rates.items()},
        }

    def count_wait(self, seconds: float) -> None:
        self.waits += 1
        self.wait_seconds += seconds


# How the pacing of a category reacts to what Zoom answers. A per-second 429 means
# the category's share of the account is smaller than the pace: cut it by BACKOFF,
# once for everything sent before the cut (those requests left at the old pace, so
# their 429s say nothing new). While replies succeed and callers are waiting for
# budget, the pace grows by PROBE x the ceiling per second, to find room that other
# apps left or that a tier set too low hid. Zoom's limits are per account and shared
# by all its apps (zoom-api.md section 6), so the tier is only where pacing starts.
BACKOFF = 0.75
PROBE = 0.05
BUSY_WINDOW = 1.0  # seconds since a caller last waited for budget that still count as busy


class TokenBucket:
    """`limit` tokens per `period` seconds; each spent token comes back one period later.

    The rate is adjustable: `throttled` cuts it, `succeeded` probes it back up
    (additive increase, multiplicative decrease) between `floor` and `ceiling`.
    Every request of the category, first tries and retries alike, takes a token
    here, so retries wait their turn instead of piling up on top of the pace.
    """

    def __init__(
        self,
        rate: float,
        now: Callable[[], float],
        *,
        floor: float | None = None,
        ceiling: float | None = None,
    ) -> None:
        self._now = now
        self._spent: deque[float] = deque()
        self.blocked_until = 0.0
        self.start = rate
        self.floor = min(rate, floor if floor is not None else rate)
        self.ceiling = max(rate, ceiling if ceiling is not None else rate)
        self.tickets = 0  # tokens handed out so far: orders requests by when they left
        self.cut_at = -1  # the ticket count when the pace was last cut
        self.busy_at = -math.inf  # when a caller last had to wait for a token
        self.advertised: float | None = None
        self.queue = asyncio.Lock()  # callers waiting for a token, first come first served
        self.rate = rate
        self.limit = max(1, int(rate))
        self.period = self.limit / rate

    def _set(self, rate: float) -> None:
        self.rate = rate
        self.limit = max(1, int(rate))
        self.period = self.limit / rate

    def delay(self) -> float:
        """Take a token and return 0, or return how long to wait before trying again."""
        now = self._now()
        if now < self.blocked_until:
            self.busy_at = now
            return self.blocked_until - now
        spent = self._spent
        while spent and now - spent[0] >= self.period:
            spent.popleft()
        if self.cut_at >= 0 and spent:
            # Once Zoom has refused this category its bucket is known to be low, and a
            # burst of a second's tokens would mostly be refused again: from then on
            # requests leave evenly spaced, at most one per 1/rate.
            gap = spent[-1] + 1.0 / self.rate - now
            if gap > 0:
                self.busy_at = now
                return gap
        if len(spent) < self.limit:
            spent.append(now)
            self.tickets += 1
            return 0.0
        self.busy_at = now
        return spent[0] + self.period - now

    def throttled(self, ticket: int) -> bool:
        """A per-second 429 for the request that took token `ticket`: cut the pace once.

        Returns whether it cut.

        A burst of 429s for requests sent before the last cut is one signal, not
        many: only a request that left after the cut can say the new pace is
        still too fast.
        """
        if ticket <= self.cut_at:
            return False
        self._set(max(self.floor, self.rate * BACKOFF))
        self.cut_at = self.tickets
        return True

    def succeeded(self, advertised: float | None = None) -> None:
        """A reply that was not a 429: adopt Zoom's stated limit, or probe up while busy.

        `advertised` is the per-second limit a reply's `X-RateLimit-Limit` header
        states for the category (zoom-api.md section 6; not every reply carries it).
        It is the account's limit, not this app's share, so it becomes the ceiling;
        the pace jumps to it only before any 429 (a shared quota is learnt from 429s).
        """
        if advertised is not None and advertised > 0 and advertised != self.advertised:
            self.advertised = advertised
            self.ceiling = advertised
            self.floor = min(self.floor, advertised)
            if self.rate > advertised or self.cut_at < 0:
                self._set(advertised)
            return
        if self.rate >= self.ceiling or self._now() - self.busy_at > BUSY_WINDOW:
            return
        step = PROBE * self.ceiling
        self._set(min(self.ceiling, self.rate + step / self.rate))


class RateLimiter:
    """Per-category paced buckets, starting at one tier's limits, plus the in-flight bound."""

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
        # Pacing never drops below the lowest tier's limits nor probes past the
        # highest tier's without a reply saying the account allows more.
        self.buckets: dict[str, TokenBucket] | None = (
            None
            if math.isinf(rate_scale)
            else {
                c: TokenBucket(
                    r * rate_scale,
                    now,
                    floor=min(t[c] for t in LIMITS.values()) * rate_scale,
                    ceiling=max(t[c] for t in LIMITS.values()) * rate_scale,
                )
                for c, r in LIMITS[tier].items()
            }
        )
        if self.buckets is not None:
            self.stats.rates.update({c: b.rate for c, b in self.buckets.items()})

    def _bucket(self, category: str) -> TokenBucket | None:
        if self.buckets is None:
            return None
        return self.buckets.get(category) or self.buckets[MEDIUM]

    async def acquire(self, category: str) -> int:
        """Wait until `category` has budget, count the call and return its ticket.

        The ticket (the bucket's running count of tokens) tells `throttled` whether
        the request left before or after the pace was last cut.
        """
        stats = self.stats
        stats.calls[category] = stats.calls.get(category, 0) + 1
        bucket = self._bucket(category)
        if bucket is None:
            return 0
        if bucket.queue.locked() or bucket.delay() > 0:
            # Callers short of budget queue in order and only the first one sleeps
            # until the next token: each waking up to re-check its own delay cost
            # a timer and a task switch per waiter for every token handed out.
            async with bucket.queue:
                while (wait := bucket.delay()) > 0:
                    # A pause Zoom asked for (Retry-After) is reported as Zoom's;
                    # pacing as ours.
                    held = self._now() < bucket.blocked_until
                    reason = f"Zoom rate limit ({category})" if held else f"rate limit ({category})"
                    await self.wait(reason, wait, report=held or wait >= 1.0)
        return bucket.tickets

    def throttled(self, category: str, ticket: int) -> bool:
        """Count a per-second 429 and cut the category's pace unless already cut since."""
        stats = self.stats
        stats.throttled[category] = stats.throttled.get(category, 0) + 1
        bucket = self._bucket(category)
        if bucket is None or not bucket.throttled(ticket):
            return False
        stats.rates[category] = bucket.rate
        return True

    def succeeded(self, category: str, advertised: float | None = None) -> None:
        """A non-429 reply of `category`: let its pace learn from it."""
        bucket = self._bucket(category)
        if bucket is not None:
            bucket.succeeded(advertised)
            self.stats.rates[category] = bucket.rate

    def rate(self, category: str) -> float | None:
        """The category's current pace in requests per second (None when unlimited)."""
        bucket = self._bucket(category)
        return None if bucket is None else bucket.rate

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
