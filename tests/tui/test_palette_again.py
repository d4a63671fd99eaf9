"""The command palette shown again (``palette.Palette``) across profile switches."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.tui.conftest import SIZE
from tests.tui.test_accounts import demo_accounts, wait_for  # noqa: F401  (a fixture)
from zoomtui.services.accounts import DemoAccounts
from zoomtui.tui.app import ZoomApp, create_app
from zoomtui.tui.palette import Palette


def slow_mode_removal(app: ZoomApp) -> None:
    """Each mode's screens take 0.1 s to go, as a big account's do: keys land mid-switch."""
    original = app.remove_mode

    async def slow(mode: str) -> Any:
        await asyncio.sleep(0.1)
        return await original(mode)

    app.remove_mode = slow  # type: ignore[assignment,method-assign]


async def switched(app: ZoomApp, pilot: Any, name: str) -> set[str]:
    """Switch to profile ``name``; the kinds of screen on show meanwhile."""
    seen: set[str] = set()
    app.switch_profile(name)
    for _ in range(500):
        await asyncio.sleep(0.01)
        seen.add(type(app.screen).__name__)
        if app.ctx.profile == name and app.current_mode == "users" and not app.workers:
            break
    await pilot.pause()
    return seen


async def test_a_palette_opened_mid_switch_does_not_come_back_over_the_next_switch(
    demo_accounts: DemoAccounts,  # noqa: F811
) -> None:
    app = create_app(demo_accounts.contexts["acme"], schedule=False, accounts=demo_accounts)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        slow_mode_removal(app)
        app.switch_profile("globex")
        for _ in range(200):
            await asyncio.sleep(0.01)
            if app.current_mode != "users":
                break
        await pilot.press("ctrl+p")  # over "Switching profile…"
        await wait_for(app, pilot, lambda: app.ctx.profile == "globex")
        await wait_for(app, pilot, lambda: app.current_mode == "users")
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, Palette)
        stacks = [s for s in app._screen_stacks.values() if palette in s]
        assert len(stacks) == 1  # one screen in two stacks answers neither well
        await pilot.press("escape")
        await pilot.pause()
        assert "Palette" not in await switched(app, pilot, "initech")
        assert not isinstance(app.screen, Palette)
        assert app.collector._reads == 0
