"""A profile switch lets the old account's screens go, with what they had read."""

from __future__ import annotations

import gc
import weakref
from typing import Any

from tests.tui.conftest import SIZE
from tests.tui.test_accounts import demo_accounts  # noqa: F401  (a fixture)
from tests.tui.test_palette_again import switched
from zoomtui.services.accounts import DemoAccounts
from zoomtui.tui.app import create_app
from zoomtui.tui.screens.users import UsersScreen


def alive(ref: weakref.ref[Any]) -> bool:
    gc.unfreeze()  # the app freezes what its reads brought back (tui/collector.py)
    gc.collect()
    return ref() is not None


async def test_the_old_account_s_screens_go_after_a_profile_switch(
    demo_accounts: DemoAccounts,  # noqa: F811
) -> None:
    """Held by the run events' signal (until the next run) and by the dialogs built once
    (the palette's commands, each dialog's dimmed backdrop), they stayed in memory."""
    app = create_app(demo_accounts.contexts["acme"], schedule=False, accounts=demo_accounts)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        users = app.screen
        assert isinstance(users, UsersScreen)
        for key in ("ctrl+p", "escape", "enter", "escape", "f1", "escape", "c", "escape"):
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
        assert app.screen is users
        old = weakref.ref(users)
        del users
        await switched(app, pilot, "globex")
        assert isinstance(app.screen, UsersScreen) and app.ctx.profile == "globex"
        assert not alive(old)
        for key in ("ctrl+p", "escape", "enter", "escape"):  # the dialogs, built again
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
        assert isinstance(app.screen, UsersScreen)
