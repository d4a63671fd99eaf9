"""Hosting end to end: the history's months equal the emulator's truth, run after run."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest

from tests.helpers.emuworld import World, make_world, truth_users
from zoomtui.services.aggregate import aggregate
from zoomtui.services.context import ServiceError
from zoomtui.services.usage import since_month
from zoomtui.services.users import UserFilter, query_users, user_detail

ALL = UserFilter(statuses=("active", "pending", "inactive"))
REPORT_CALLS = ("GET /report/users", "GET /accounts/{accountId}/report/users")


def report_calls(world: World) -> int:
    return sum(world.emulator.stats.calls[key] for key in REPORT_CALLS)


def full_months(world: World) -> set[str]:
    """Months stored from their first day, for every account."""
    store = world.ctx.open_store()
    months: dict[str, set[bool]] = {}
    for m in store.hosting_months():
        months.setdefault(m["month"], set()).add(m["first_day"].endswith("-01"))
    return {month for month, firsts in months.items() if firsts == {True}}


def assert_months_equal(
    stored: dict, truth: dict, months: set[str], users: set[str] | None = None
) -> int:
    """Every user's figures of these months, stored versus truth; returns how many compared.

    ``users``: compare only these (the emulator's truth leaves out users deleted
    since, whose months the history rightly keeps).
    """
    compared = 0
    for month in months:
        want = {e: m[month] for e, m in truth.items() if month in m}
        got = {
            e: m[month] for e, m in stored.items() if month in m and (users is None or e in users)
        }
        assert got == want, month
        compared += len(want)
    return compared


async def run(world: World) -> Any:
    result = await aggregate(world.ctx)
    assert result.status == "complete", result.error
    return result


async def test_first_run_hosting_equals_truth(world: World) -> None:
    await run(world)
    store = world.ctx.open_store()
    months = full_months(world)
    assert len(months) == 7  # June 1: six whole months back (December from its 1st) and June
    compared = assert_months_equal(store.all_hosting(), world.dataset.hosting_truth(), months)
    assert compared > 50
    current = [m for m in store.hosting_months() if m["month"] == "2026-06"]
    assert current and not any(m["complete"] for m in current)
    assert all(m["complete"] for m in store.hosting_months() if "2026-01" <= m["month"] < "2026-06")


async def test_history_outlives_zoom_six_months_and_reruns_fetch_only_what_is_open(
    world: World,
) -> None:
    await run(world)
    first_truth = world.dataset.hosting_truth()
    first_months = {m for m in full_months(world) if m < "2026-06"}
    accounts = len(world.dataset.accounts)

    calls = report_calls(world)
    await run(world)  # unchanged rerun, same month: the current month only, one page each
    assert report_calls(world) - calls == accounts

    world.advance(40)  # July 11: June has ended, July is current
    calls = report_calls(world)
    await run(world)
    assert report_calls(world) - calls == 2 * accounts
    assert_months_equal(
        world.ctx.open_store().all_hosting(), world.dataset.hosting_truth(), {"2026-06"}
    )
    for _ in range(4):
        world.advance(50)  # well past six months after the first run
        await run(world)
    stored = world.ctx.open_store().all_hosting()
    assert world.dataset.now.month == 1  # January 2027: the first run's months are gone at Zoom
    assert_months_equal(stored, first_truth, first_months)
    recent = {m for m in full_months(world) if m >= "2026-08"}
    present = set(truth_users(world.dataset))
    assert_months_equal(stored, world.dataset.hosting_truth(), recent, present)


async def test_user_figures_and_combined_filters(world: World) -> None:
    await run(world)
    now = world.ctx.clock()
    days = 60
    since = since_month(now, days)
    truth = world.dataset.hosting_truth()

    def minutes(email: str) -> int:
        return sum(f[2] for month, f in truth.get(email, {}).items() if month >= since)

    page = query_users(world.ctx, ALL)
    for row in page.rows:
        email = row["email"].lower()
        # the truth reaches further back than Zoom serves (six months: from December)
        hosted = [m for m, f in truth.get(email, {}).items() if f[0] and m >= "2025-12"]
        assert row["last_hosted_month"] == (max(hosted) if hosted else None)
    licensed = query_users(world.ctx, UserFilter(plans=("Licensed",))).rows
    idle = {
        r["email"]
        for r in query_users(world.ctx, UserFilter(plans=("Licensed",), inactive_days=days)).rows
    }
    flt = UserFilter(plans=("Licensed",), not_hosted_days=days, inactive_days=days)
    both = {r["email"] for r in query_users(world.ctx, flt).rows}
    not_hosting = {r["email"] for r in licensed if minutes(r["email"].lower()) == 0}
    assert both == idle & not_hosting
    assert not_hosting - idle  # signed in lately but hosted nothing: only hosting tells
    below = query_users(
        world.ctx, UserFilter(plans=("Licensed",), hosted_minutes_below=120, hosting_days=days)
    ).rows
    assert {r["email"] for r in below} == {
        r["email"] for r in licensed if minutes(r["email"].lower()) < 120
    }
    rows = query_users(world.ctx, UserFilter(plans=("Licensed",), not_hosted_days=days)).rows
    assert all(r["meetings_last_n_days"] == 0 for r in rows)
    heavy = [r for r in licensed if r["needs_licence"]]
    assert heavy
    for r in heavy:
        months = [f for m, f in truth[r["email"].lower()].items() if m >= since_month(now, 90)]
        assert any(f[2] > 40 * f[0] or f[1] > 100 * f[0] for f in months)
    detail = user_detail(world.ctx, heavy[0]["email"])
    assert detail["hosting"] and detail["record"]["needs_licence"]


async def test_missing_report_scope_switches_hosting_off(tmp_path: Any) -> None:
    from zoomtui.emulator.auth import ALL_SCOPES

    scopes = frozenset(s for s in ALL_SCOPES if "report:read:list_users" not in s)
    world = make_world(tmp_path / "h.db", scopes=scopes)
    result = await aggregate(world.ctx)
    assert result.status == "complete", result.error
    assert "report:read:list_users:admin" in result.notes["hosting"]
    assert "sign_ins" not in result.notes
    row = query_users(world.ctx, UserFilter()).rows[0]
    assert row["last_hosted_month"] is None and row["needs_licence"] is None
    with pytest.raises(ServiceError, match="not known"):
        query_users(world.ctx, UserFilter(not_hosted_days=30))
    world.ctx.close()


async def test_connection_names_the_host_report_scope(tmp_path: Any) -> None:
    from zoomtui.emulator.auth import ALL_SCOPES
    from zoomtui.services.connection import test_connection as check

    scopes = frozenset(s for s in ALL_SCOPES if "report:read:list_users" not in s)
    world = make_world(tmp_path / "h.db", scopes=scopes)
    report = await check(world.ctx)
    assert report.ok and report.capabilities["sign_ins"].available
    hosting = report.capabilities["hosting"]
    assert not hosting.available and hosting.scope == "report:read:list_users:admin"
    assert any("host report" in line and "list_users" in line for line in report.lines())
    world.ctx.close()


async def test_reclaim_definitions_and_their_savings(world: World) -> None:
    from zoomtui.services.seats import reclaim

    await run(world)
    days = 60
    idle = reclaim(world.ctx, inactive_days=days, price_per_seat=10.0)
    unused = reclaim(world.ctx, inactive_days=days, price_per_seat=10.0, definition="unused")
    both = reclaim(world.ctx, inactive_days=days, price_per_seat=10.0, definition="both")
    emails = {name: {r["email"] for r in res.candidates} for name, res in
              (("idle", idle), ("unused", unused), ("both", both))}  # fmt: skip
    assert emails["both"] == emails["idle"] & emails["unused"]
    assert emails["unused"] - emails["idle"]  # attend, sign in, but host nothing
    for res in (idle, unused, both):
        assert res.yearly_savings == (res.count + res.invitations_count) * 10.0
    assert all(r["meetings_last_n_days"] == 0 for r in unused.candidates)
    with pytest.raises(ServiceError, match="definition"):
        reclaim(world.ctx, definition="whatever")


async def test_run_stats_count_every_host_row(world: World) -> None:
    result = await run(world)
    months = world.ctx.open_store().hosting_months()
    assert result.stats["hosting_months"] == len(months)
    assert result.stats["hosting_rows"] == sum(m["hosts"] for m in months) > 0


@pytest.mark.parametrize(("minutes", "participants"), [(40, 100), (10, 5), (36500, 36500)])
async def test_needs_licence_follows_the_admins_thresholds(
    world: World, minutes: int, participants: int
) -> None:
    """The ``licence_min_*`` settings decide, exactly, from the month averages."""
    await run(world)
    world.ctx.settings = world.ctx.settings.updated(
        licence_min_minutes=minutes, licence_min_participants=participants
    )
    since = since_month(world.ctx.clock(), world.ctx.settings.inactive_days)
    truth = world.dataset.hosting_truth()
    rows = query_users(world.ctx, UserFilter(plans=("Licensed",))).rows
    flagged = {r["email"].lower() for r in rows if r["needs_licence"]}
    expected = {
        r["email"].lower()
        for r in rows
        if any(
            m >= since and f[0] and (f[2] > minutes * f[0] or f[1] > participants * f[0])
            for m, f in truth.get(r["email"].lower(), {}).items()
        )
    }
    assert flagged == expected
    assert bool(flagged) == (minutes < 36500)  # the thresholds matter: some, or none at all


@pytest.mark.parametrize("definition", ["idle", "unused", "both"])
async def test_reclaim_counted_in_sql_and_read_by_pages_equals_the_full_read(
    world: World, definition: str
) -> None:
    """What the Seats screen reads (counts in SQL, then pages) is what the CLI's full read
    lists and counts, for every definition; low thresholds so some still need a licence."""
    from zoomtui.services.seats import (
        reclaim,
        reclaim_counts,
        reclaim_page,
        reclaim_query,
        with_invitations,
    )

    await run(world)
    world.ctx.settings = world.ctx.settings.updated(
        licence_min_minutes=5, licence_min_participants=2
    )
    for days in (1, 30, 60):
        full = reclaim(world.ctx, inactive_days=days, price_per_seat=7.5, definition=definition)
        q = reclaim_query(world.ctx, None, days, 7.5, definition)
        counted = reclaim_counts(world.ctx, q)
        assert (counted.run_id, counted.count, counted.needs_licence_count) == (
            full.run_id, full.count, full.needs_licence_count,
        )  # fmt: skip
        assert counted.invitations_count == full.invitations_count
        assert counted.yearly_savings == full.yearly_savings
        q = dataclasses.replace(q, run_id=counted.run_id)
        first = reclaim_page(world.ctx, q, None, 0, 7)
        assert (first.count, first.total) == (full.count, len(full.rows))
        # As Seats reads them: the invitations counted by the first page only.
        alone = reclaim_counts(world.ctx, q, count_invitations=False)
        assert alone.invitations_count == 0
        assert with_invitations(alone, first) == counted
        pages = first.rows
        while len(pages) < first.total:  # across the candidates' end into the invitations
            page = reclaim_page(world.ctx, q, counted.count, len(pages), 7)
            assert page.rows and page.total == first.total
            pages += page.rows
        assert pages == full.rows
        cut = (world.ctx.clock() - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
        if definition == "unused":  # a new hire has had no time to host yet
            assert all(not r["user_created_at"] or r["user_created_at"] < cut for r in pages)
    idle = reclaim(world.ctx, inactive_days=60, definition="idle")
    assert idle.needs_licence_count > 0  # the count above was not of zeros only


async def test_daily_limit_mid_report_keeps_the_months_read_and_the_next_run_resumes(
    tmp_path: Any,
) -> None:
    """The host report spends the Heavy daily quota like any Heavy call: Zoom's daily 429
    ends the run partial; the months already read stay, and the next run asks only the rest."""
    from zoomtui.emulator.faults import Fault

    world = make_world(
        tmp_path / "h.db", faults=(Fault("429_daily", "*/report/users", at_calls=(4,)),)
    )
    result = await aggregate(world.ctx)
    assert result.status == "partial" and "daily" in (result.error or "").lower()
    store = world.ctx.open_store()
    kept = {(m["account_id"], m["month"]) for m in store.hosting_months()}
    assert kept  # what was read before the limit is history already

    world.emulator.config = dataclasses.replace(world.emulator.config, faults=())  # a new day
    calls = report_calls(world)
    await run(world)
    accounts = len(world.dataset.accounts)
    complete_kept = sum(
        1 for m in store.hosting_months() if (m["account_id"], m["month"]) in kept and m["complete"]
    )
    # 7 months per account in all; the complete ones kept are not asked again
    assert report_calls(world) - calls == 7 * accounts - complete_kept
    assert len(full_months(world)) == 7
    assert_months_equal(store.all_hosting(), world.dataset.hosting_truth(), full_months(world))
