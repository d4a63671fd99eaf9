"""Writes queued behind a run: in order, and never silently lost."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from zoomtui.services.storethread import StoreThread
from zoomtui.store import Store, StoreError, UserRow

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


async def test_queued_writes_run_before_later_calls(tmp_path: Path) -> None:
    async with StoreThread(tmp_path / "h.db", depth=2) as db:
        run_id = await db(Store.begin_run, started_at=T0, full=False)
        for n in range(5):  # more than the depth: the caller waits for room
            await db.enqueue(Store.stage_users, run_id, [UserRow(f"z{n}", f"u{n}@example.com")])
        # No await in between: the count must still see every queued page.
        count = await db(Store.complete_run, run_id, finished_at=T0)
        assert count == 5


async def test_a_failed_queued_write_is_raised_by_drain(tmp_path: Path) -> None:
    async with StoreThread(tmp_path / "h.db") as db:
        await db.enqueue(Store.stage_users, 999, [])  # no such run
        with pytest.raises(StoreError, match="Run 999 does not exist"):
            await db.drain()
        await db.drain()  # raised once, then gone


async def test_a_cancelled_queued_write_is_not_success(tmp_path: Path) -> None:
    async with StoreThread(tmp_path / "h.db", depth=4) as db:
        loop = asyncio.get_running_loop()
        # Block the store's thread so the next write is still waiting in the queue.
        blocker = loop.run_in_executor(db._pool, lambda: asyncio.run(asyncio.sleep(0.2)))
        await db.enqueue(Store.latest_complete_run)
        (queued,) = db._behind
        queued.cancel()
        await blocker
        with pytest.raises(asyncio.CancelledError):
            await db.drain()
