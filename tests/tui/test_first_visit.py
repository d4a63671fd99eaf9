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


async def test_a_first_visit_reads_once_and_a_return_reads_again(
    demo_ctx: AppContext, monkeypatch: Any
) -> None:
    from zoomtui.tui.screens import accounts, runs

    reads: list[str] = []
    for module, name in ((runs, "runs_with_trends"), (accounts, "account_summaries")):
        original = getattr(module, name)

        def counting(*args: Any, _fn: Any = original, _name: str = name) -> Any:
            reads.append(_name)
            return _fn(*args)

        monkeypatch.setattr(module, name, counting)
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("7")
        await pilot.pause()
        # Mounting and Textual's two resumes of a new screen used to read three times each.
        assert reads == ["runs_with_trends", "account_summaries"]
        await pilot.press("2")
        await pilot.pause()
        assert reads[-1] == "runs_with_trends" and len(reads) == 3
