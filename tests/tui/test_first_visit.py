"""A first visit styles only the new screen; a theme change still reaches every screen."""

from __future__ import annotations

from typing import Any

from textual.app import App

from zoomtui.services.context import AppContext
from zoomtui.tui.app import create_app
from zoomtui.tui.screens.runs import RunsScreen

from .conftest import SIZE


async def test_first_visits_do_not_restyle_every_screen(
    demo_ctx: AppContext, monkeypatch: Any
) -> None:
    calls: list[str] = []
    original = App.refresh_css

    def counting(self: App[Any], animate: bool = True) -> None:
        calls.append(type(self.screen).__name__)
        original(self, animate)

    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        monkeypatch.setattr(App, "refresh_css", counting)
        for key in "234567":
            await pilot.press(key)
            await pilot.pause()
        assert app.current_mode == "accounts"
        assert calls == []  # Textual re-parsed the CSS and restyled all screens at each

        # A theme change still restyles a screen built before it, when shown again.
        await pilot.press("2")
        await pilot.pause()
        runs = app.screen
        assert isinstance(runs, RunsScreen)
        dark = runs.styles.background
        await pilot.press("1")
        await pilot.pause()
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert app.screen is runs
        assert runs.styles.background != dark
