"""The API's own lower bound on an aggregation's wall time, from what the run had to ask.

Every request needs one round trip (``latency``) and is checked against its
category's bucket when it reaches the server. The emulator's bucket (like
Zoom's) holds one second of budget and refills at the per-second limit ``r``,
so the calls released at or after time ``t`` cannot all be admitted before
``t + (m(t) - r) / r``. Release times follow the dependencies: the token, then
the sub-account list, then each listing's pages one after another, each
user's settings read only after the page that revealed it, the seat counts
after the account list, and each account's sign-in report one page after
another within each month window (windows are independent for the API),
and each account's host report one page after another, month after month.
The bound is the largest such time over every category; with no rate limit it
reduces to the longest chain of sequential pages times the latency.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

PAGE = 300


@dataclass
class Plan:
    """The earliest time each call of a run can reach the server, per category."""

    latency: float
    releases: dict[str, list[float]] = field(default_factory=dict)
    longest_chain: int = 0  # sequential round trips on the longest dependency path

    def add(self, category: str, depth: int, count: int = 1) -> None:
        """``count`` calls whose request can leave after ``depth`` round trips."""
        if count > 0:
            self.releases.setdefault(category, []).extend([(depth + 1) * self.latency] * count)
            self.longest_chain = max(self.longest_chain, depth + 1)

    def calls(self, category: str) -> int:
        return len(self.releases.get(category, []))


def build_plan(
    latency: float,
    listings: dict[tuple[str, str], int],
    sign_in_pages: dict[str, list[int]],
    settings_calls: int,
    extra: dict[str, int] | None = None,
    host_pages: dict[str, list[int]] | None = None,
) -> Plan:
    """Releases for listings {(account, status): users}, report pages per account window.

    ``settings_calls`` is what the run really read; reads are released with the
    listing pages of active and inactive users (the readable ones), and any
    beyond those (recounts) after the last listing page.
    """
    plan = Plan(latency)
    plan.add("Medium", 1)  # sub-account list, after the token
    per_page: list[tuple[int, int]] = []  # (depth of the page, readable users on it)
    last_depth = 2
    for (_account, status), users in sorted(listings.items()):
        pages = max(1, math.ceil(users / PAGE))
        for k in range(pages):
            plan.add("Medium", 2 + k)
            if status != "pending":
                per_page.append((2 + k, min(PAGE, users - k * PAGE)))
        last_depth = max(last_depth, 2 + pages)
    left = settings_calls
    for depth, readable in sorted(per_page):
        take = min(left, readable)
        plan.add("Medium", depth + 1, take)
        left -= take
    plan.add("Medium", last_depth + 1, left)
    accounts = {a for a, _ in listings}
    plan.add("Heavy", 2, len(accounts))  # plan usage per account
    for windows in sign_in_pages.values():
        for pages in windows:
            for k in range(max(1, pages)):
                plan.add("Heavy", 1 + k)
    for months in (host_pages or {}).values():
        depth = 2  # after the account list; an account's months one after another
        for pages in months:
            for _ in range(max(1, pages)):
                plan.add("Heavy", depth)
                depth += 1
    for category, count in (extra or {}).items():
        plan.add(category, 2, count)
    return plan


def category_bound(releases: Iterable[float], rate: float, capacity: float | None = None) -> float:
    """Earliest time the last of these calls can be admitted by a bucket of ``rate``/s.

    ``capacity`` is the bucket's size when it differs from one second of ``rate``:
    with another app using part of the quota the bucket still holds the account's
    second but refills only at what is left (see zoomtui/emulator/ratelimit.py).
    """
    times = sorted(releases, reverse=True)
    if not times:
        return 0.0
    capacity = max(1.0, rate if capacity is None else capacity)
    best = times[0]
    for m, t in enumerate(times, start=1):
        best = max(best, t + (m - capacity) / rate)
    return best


def lower_bound(
    plan: Plan, rates: dict[str, float], capacities: dict[str, float] | None = None
) -> dict[str, Any]:
    """The bound and its parts: per category with and without dependencies, and the chain."""
    per_category: dict[str, dict[str, Any]] = {}
    for category, releases in plan.releases.items():
        rate = rates[category]
        n = len(releases)
        per_category[category] = {
            "calls": n,
            "rate_per_s": round(rate, 1),
            "calls_over_rate_s": round(n / rate, 3),
            "with_dependencies_s": round(
                category_bound(releases, rate, (capacities or {}).get(category)), 3
            ),
        }
    chain_s = plan.longest_chain * plan.latency
    bound = max([chain_s] + [c["with_dependencies_s"] for c in per_category.values()])
    return {
        "bound_s": round(bound, 3),
        "longest_chain_round_trips": plan.longest_chain,
        "longest_chain_s": round(chain_s, 3),
        "categories": per_category,
    }
