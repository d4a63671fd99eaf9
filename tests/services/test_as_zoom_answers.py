"""The client against answers the emulator once spared it (tests/emulator/ twin file)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.emuworld import World, make_world, truth_users
from zoomtui.emulator.columns import ACTIVE, user_id
from zoomtui.emulator.meetings import upcoming_meetings
from zoomtui.services.aggregate import aggregate
from zoomtui.services.connection import test_connection as check
from zoomtui.services.users import UserFilter, query_users
from zoomtui.zoom import admin
from zoomtui.zoom.admin import AdminApi
from zoomtui.zoom.pagination import month_windows, sign_in_windows


async def test_live_meeting_check_reads_every_page(world: World, monkeypatch: Any) -> None:
    """Zoom pages a user's meetings; a blocking meeting on page two must still be seen."""
    ds = world.dataset
    c, now = ds.cols, int(world.ctx.clock().timestamp())
    row = next(
        r
        for r in range(len(c))
        if c.acct[r] == 0 and c.status[r] == ACTIVE and len(upcoming_meetings(ds, r, now)) >= 3
    )
    monkeypatch.setattr(admin, "LIST_PAGE_SIZE", 1)  # each meeting on a page of its own
    async with world.ctx.make_client() as client:
        found = await AdminApi(client).meetings(user_id(ds.seed, c.serial[row]), "upcoming")
    truth = upcoming_meetings(ds, row, now)
    assert sorted(m["duration"] for m in found) == sorted(d for _, d, _ in truth)
    assert world.emulator.stats.calls["GET /users/{userId}/meetings"] == len(truth)


async def test_a_free_account_run_completes_without_its_reports(tmp_path: Path) -> None:
    """Zoom refuses every report to a free account (400, code 200): noted, never a failure."""
    world = make_world(tmp_path / "free.db", users=120, tier="free")
    try:
        result = await aggregate(world.ctx)
        assert result.status == "complete", result.error
        assert "Only available for Paid account" in result.notes["sign_ins"]
        assert "Only available for Paid account" in result.notes["hosting"]
        truth = truth_users(world.dataset)
        page = query_users(world.ctx, UserFilter(statuses=("active", "pending", "inactive")))
        stored = {row["email"].lower(): row for row in page.rows}
        assert set(stored) == set(truth)
        for email, expected in truth.items():
            assert {k: stored[email][k] for k in expected} == expected, email
        report = await check(world.ctx)
        assert report.ok
        for part in ("sign_ins", "hosting", "operation_logs"):
            assert not report.capabilities[part].available
            assert "Only available for Paid account" in report.capabilities[part].detail
    finally:
        world.ctx.close()


def test_every_report_window_the_client_asks_for_is_at_most_thirty_days() -> None:
    """What the emulator now refuses (``to - from`` > 30 days), the client never sends."""
    first_day = date(2025, 1, 1)
    for offset in range(0, 800, 3):
        today = first_day + timedelta(days=offset)
        for split in (sign_in_windows, month_windows):
            for start, end in split(today - timedelta(days=200), today, today):
                assert 0 <= (end - start).days <= 30, (split.__name__, today, start, end)


async def test_a_first_run_copes_when_zoom_counts_six_months_as_180_days(
    tmp_path: Path,
) -> None:
    """The oldest report window starts six calendar months back; when Zoom refuses that
    start (a stricter reading of "the last six months"), it is moved inside, not fatal."""
    world = make_world(tmp_path / "days.db", users=120, report_history_days=180)
    try:
        result = await aggregate(world.ctx)
        assert result.status == "complete", result.error
        assert not any(k.startswith(("sign_ins", "hosting")) for k in result.notes)
        truth = truth_users(world.dataset)
        page = query_users(world.ctx, UserFilter(statuses=("active", "pending", "inactive")))
        assert {row["email"].lower() for row in page.rows} == set(truth)
        # at most the oldest window of the sign-in and host reports of each account, once
        assert 0 < world.emulator.stats.statuses[400] <= 2 * len(world.dataset.accounts)
        conn = world.ctx.open_store().conn
        oldest = conn.execute("SELECT min(time) FROM sign_ins").fetchone()[0]
        reach = (world.ctx.clock() - timedelta(days=181)).strftime("%Y-%m-%d")
        assert oldest is not None and oldest >= reach  # read, from inside Zoom's reach
        assert result.stats["hosting_months"] > 0
    finally:
        world.ctx.close()


async def test_a_refusal_the_later_start_does_not_cure_is_still_an_error(
    tmp_path: Path,
) -> None:
    """Only one retry, from 179 days back: a report kept for 60 days fails as before."""
    world = make_world(tmp_path / "short.db", users=60, report_history_days=60)
    try:
        result = await aggregate(world.ctx)
        assert result.status == "partial"
        assert result.error and "within the last 6 months" in result.error
    finally:
        world.ctx.close()


async def test_sub_accounts_that_pay_themselves_count_seats_from_the_summary(
    tmp_path: Path,
) -> None:
    """Zoom refuses plan usage for them (2100): the run falls back, it does not fail."""
    world = make_world(tmp_path / "self.db", users=120, self_paid_subs=True)
    try:
        result = await aggregate(world.ctx)
        assert result.status == "complete", result.error
        subs = [a.id for a in world.dataset.accounts[1:]]
        for sub in subs:
            assert "paid by self" in result.notes[f"seats:{sub}"]
            assert "/users/summary" in result.notes[f"seats:{sub}"]
        assert f"seats:{world.dataset.accounts[0].id}" not in result.notes
        from zoomtui.services.seats import seat_report

        estimated = [s for s in seat_report(world.ctx) if s.account_id in subs]
        assert {s.type for s in estimated} == {"users_summary"}
        for seat in estimated:  # purchases unknown: neither free seats nor over-assignment
            assert seat.free == 0 and seat.over_assigned == 0
            assert seat.purchased == seat.assigned + seat.pending
        report = await check(world.ctx)
        assert report.capabilities["seats"].available  # the master's own plan usage
    finally:
        world.ctx.close()


@pytest.mark.parametrize("today", [date(2026, 11, 30), date(2026, 8, 31), date(2027, 3, 1)])
async def test_every_month_starting_outside_180_days_is_moved_inside(today: date) -> None:
    """On 30 November, 180 days back is 3 June: June's window (from the 1st) is refused
    too, not only the clipped May window before it; both must be moved, not be fatal."""
    from zoomtui.zoom.errors import ZoomError
    from zoomtui.zoom.pagination import window_pages

    bound = today - timedelta(days=180)
    asked: list[str] = []

    async def get(path: str, query: dict, started: object) -> dict:
        asked.append(query["from"])
        if date.fromisoformat(query["from"]) < bound:
            raise ZoomError("Not within the last 6 months.", status=400, code=300)
        return {"users": [], "total_records": 0, "next_page_token": ""}

    def clock() -> datetime:
        return datetime(today.year, today.month, today.day, tzinfo=UTC)

    for first, last in month_windows(today - timedelta(days=200), today, today):
        params = {"from": first.isoformat(), "to": last.isoformat(), "page_size": 300}
        pages = window_pages(get, "/report/users", params, "users", dict, id, clock, today=today)
        assert [p async for p in pages] == []
        assert date.fromisoformat(params["from"]) >= bound or params["from"] > params["to"]
    assert all(date.fromisoformat(a) >= bound for a in asked[-5:])
