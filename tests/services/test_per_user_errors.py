"""One user Zoom will not describe must not end the run (seen: HTTP 400 code 1010)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers.emuworld import make_world
from zoomtui.services.aggregate import aggregate
from zoomtui.zoom.client import ZoomClient
from zoomtui.zoom.errors import ZoomError


@pytest.mark.parametrize(
    ("status", "code", "note"),
    [(400, 1010, False), (400, 3412, True), (422, None, True)],
)
async def test_a_refused_user_is_skipped_not_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, status: int, code: int | None, note: bool
) -> None:
    from zoomtui.zoom.classify import api_error
    from zoomtui.zoom.retry import Reply

    world = make_world(tmp_path / "h.db", users=200)
    victims: set[str] = set()
    original = ZoomClient.get_user_settings

    async def refuse(self: ZoomClient, user_id: str, account_id: str | None = None) -> Any:
        if not victims or user_id in victims:
            victims.add(user_id)
            body = {"code": code, "message": "User not found on this account"}
            reply = Reply(status=status, body=body, headers=httpx.Headers(), tracking_id="t")
            raise api_error(reply, "GET", f"/users/{user_id}/settings", jwt=False)
        return await original(self, user_id, account_id)

    monkeypatch.setattr(ZoomClient, "get_user_settings", refuse)
    result = await aggregate(world.ctx)
    assert result.status == "complete", result.error
    assert victims
    assert ("settings_skipped" in result.notes) is note
    if note:
        assert "1 user(s)' settings not read" in result.notes["settings_skipped"]


async def test_a_server_error_still_ends_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(tmp_path / "h.db", users=100)

    async def broken(self: ZoomClient, user_id: str, account_id: str | None = None) -> Any:
        raise ZoomError("Zoom answered HTTP 500.", status=500)

    monkeypatch.setattr(ZoomClient, "get_user_settings", broken)
    result = await aggregate(world.ctx)
    assert result.status in ("partial", "failed")
