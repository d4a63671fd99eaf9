"""What a finished run had to ask the API: listings, report pages, settings reads."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from typing import Any

from _bound import PAGE, Plan, build_plan

from zoomtui.services.context import AppContext
from zoomtui.services.phases import SIGN_IN_HISTORY
from zoomtui.zoom.client import USER_STATUSES as STATUSES
from zoomtui.zoom.pagination import sign_in_windows


def listings(ctx: AppContext, run_id: int) -> dict[tuple[str, str], int]:
    """Users per (account, status) the run listed."""
    store = ctx.open_store()
    accounts = [a["id"] if isinstance(a, dict) else a.id for a in store.accounts()]
    return {
        (a, s): store.count_users(run_id, account=a, statuses=[s])
        for a in accounts
        for s in STATUSES
    }


def sign_in_pages(ctx: AppContext, start: date, today: date) -> dict[str, list[int]]:
    """Report pages per account and month window, from the stored events of each account."""
    conn = ctx.open_store().conn
    rows = conn.execute(
        "SELECT v.account_id, substr(s.time, 1, 10) FROM sign_ins s "
        "JOIN identities i ON i.email_lc = lower(s.email) "
        "JOIN user_versions v ON v.identity = i.id AND v.valid_to_run IS NULL"
    ).fetchall()
    per_day: dict[str, Counter[str]] = {}
    for account, day in rows:
        per_day.setdefault(account, Counter())[day] += 1
    windows = sign_in_windows(start, today, today)
    out: dict[str, list[int]] = {}
    for account, days in per_day.items():
        spans = [(a.isoformat(), b.isoformat()) for a, b in windows]
        out[account] = [
            max(1, math.ceil(sum(n for d, n in days.items() if a <= d <= b) / PAGE))
            for a, b in spans
        ]
    return out


def host_pages(ctx: AppContext, fetched_after: str | None = None) -> dict[str, list[int]]:
    """Host report pages per account, one entry per month read (``fetched_after``: by a
    later run only), oldest month first."""
    out: dict[str, list[int]] = {}
    for month in ctx.open_store().hosting_months():
        if fetched_after is None or month["fetched_at"] > fetched_after:
            out.setdefault(month["account_id"], []).append(max(1, math.ceil(month["hosts"] / PAGE)))
    return out


def first_run_plan(
    ctx: AppContext,
    run_id: int,
    calls: dict[str, int],
    latency: float,
    hosting_fetched_after: str | None = None,
) -> tuple[Plan, dict[str, Any]]:
    """The dependency plan of a first run, and the counts it was built from.

    ``hosting_fetched_after`` (ISO time): count only host report months read
    since then — a rerun's, not every month the history holds.
    """
    today = ctx.clock().date()
    listed = listings(ctx, run_id)
    pages = sign_in_pages(ctx, (ctx.clock() - SIGN_IN_HISTORY).date(), today)
    listing_pages = sum(max(1, math.ceil(n / PAGE)) for n in listed.values())
    settings = calls.get("Medium", 0) - listing_pages - 1
    hosting = host_pages(ctx, hosting_fetched_after)
    plan = build_plan(latency, listed, pages, settings, host_pages=hosting)
    info = {
        "listing_pages": listing_pages,
        "settings_reads": settings,
        "report_pages": sum(sum(p) for p in pages.values()),
        "plan_usage_calls": len({a for a, _ in listed}),
        "host_report_pages": sum(sum(p) for p in hosting.values()),
    }
    return plan, info
