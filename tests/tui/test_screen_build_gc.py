"""The cycle collector pauses while a screen is built or the palette is open, then runs again."""

from __future__ import annotations

import gc

from zoomtui.services.context import AppContext
from zoomtui.tui.app import create_app

from .conftest import SIZE


async def test_the_collector_runs_again_once_a_screen_is_built(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in "234567":
            await pilot.press(key)
            await pilot.pause()
            assert app.collector._reads == 0
            assert gc.isenabled()


async def test_no_collector_pass_while_a_screen_is_built(demo_ctx: AppContext) -> None:
    from zoomtui.tui.screens.connection import ConnectionScreen

    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.collector._reads == 0 and gc.isenabled()
        with app._context():  # created as Textual creates a mode's screen, in the app
            screen = ConnectionScreen()
        assert app.collector._reads == 1 and not gc.isenabled()
        await app.push_screen(screen)
        await pilot.pause()
        assert app.collector._reads == 0 and gc.isenabled()


async def test_no_collector_pass_while_the_command_palette_is_open(demo_ctx: AppContext) -> None:
    from zoomtui.tui.palette import Palette

    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.collector._reads == 0 and gc.isenabled()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, Palette)
        assert app.collector._reads == 1 and not gc.isenabled()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, Palette)
        assert app.collector._reads == 0 and gc.isenabled()
        assert app.collector._frozen_since_pass  # what it left is freed in quiet time
