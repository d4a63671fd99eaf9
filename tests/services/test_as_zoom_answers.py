"""The client against answers the emulator once spared it (tests/emulator/ twin file)."""

from __future__ import annotations

from typing import Any

from tests.helpers.emuworld import World
from zoomtui.emulator.columns import ACTIVE, user_id
from zoomtui.emulator.meetings import upcoming_meetings
from zoomtui.zoom import admin
from zoomtui.zoom.admin import AdminApi


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
