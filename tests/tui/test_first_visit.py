"""A first visit styles only the new screen; a theme change still reaches screens and dialogs."""

from __future__ import annotations

from collections.abc import Callable
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


async def test_the_footer_is_one_widget_redrawn_only_when_its_keys_change(
    demo_ctx: AppContext,
) -> None:
    from zoomtui.tui.widgets.footer import QuickFooter

    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        footer = app.screen.query_one(QuickFooter)
        # Textual's Footer mounted a widget per key, and built them 5 times here.
        assert list(footer.children) == []
        shown = [(i.display, i.description) for i in footer.items()]
        assert ("space", "Mark") in shown and ("f1", "Help") in shown
        listed = footer._listed
        await pilot.press("down", "down", "up")
        await pilot.pause()
        assert footer._listed is listed  # the same keys: nothing listed or drawn anew
        await pilot.press("1")
        await pilot.pause()
        users = app.screen.query_one(QuickFooter)
        before = users.items()
        await pilot.press("slash")  # the focus in the search field: its own keys
        await pilot.pause()
        assert users.items() != before and "f" not in {i.key for i in users.items()}


def restyle_counter() -> tuple[list[str], Callable[..., None]]:
    """The class names of the nodes restyled, and ``App.update_styles`` noting them."""
    restyled: list[str] = []
    original = App.update_styles

    def counting(self: App[Any], node: Any, animate: bool = True) -> None:
        restyled.append(type(node).__name__)
        original(self, node, animate)

    return restyled, counting


async def test_a_return_restyles_the_screen_only_when_the_app_changed(
    demo_ctx: AppContext, monkeypatch: Any
) -> None:
    restyled, counting = restyle_counter()

    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        monkeypatch.setattr(App, "update_styles", counting)
        await pilot.press("2")
        await pilot.pause()
        assert "RunsScreen" not in restyled  # Textual restyled all of it at each return
        await pilot.press("1")
        await pilot.pause()
        app.add_class("-sixteen-colours")  # as app.tcss may restyle Runs by an app class
        await pilot.pause()
        restyled.clear()
        await pilot.press("2")
        await pilot.pause()
        assert app.current_mode == "runs"
        assert "RunsScreen" in restyled


async def test_a_seat_table_taller_than_its_box_is_drawn_once_for_the_scrollbar(
    demo_ctx: AppContext, monkeypatch: Any
) -> None:
    from zoomtui.tui.widgets.bars import SeatBars, SeatLine

    from .conftest import reads_done

    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await reads_done(app)
        await pilot.pause()
        bars = app.screen.query_one(SeatBars)
        bars.show([SeatLine("plan", 100, 90, 0)], bar_width=12)  # no scrollbar yet
        await pilot.pause()
        scroll = bars.parent
        assert scroll is not None and not scroll.show_vertical_scrollbar
        drawn: list[int] = []
        original = SeatBars._flat

        def counting(self: SeatBars, table: Any, width: int) -> Any:
            drawn.append(width)
            return original(self, table, width)

        monkeypatch.setattr(SeatBars, "_flat", counting)
        plans = [SeatLine(f"plan {n}", 100, 90, n % 3) for n in range(40)]
        bars.show(plans, bar_width=12)
        await pilot.pause()
        await pilot.pause()
        assert scroll.show_vertical_scrollbar  # 41 lines, at most 45% of 24
        # Drawn once, for the width the scrollbar leaves (it was drawn again at each resize).
        assert drawn == [bars.content_size.width]
        assert max(len(line) for line in str(bars.content).splitlines()) <= drawn[0]


async def test_a_dialog_shown_again_is_restyled_only_when_the_app_changed(
    demo_ctx: AppContext, monkeypatch: Any
) -> None:
    from zoomtui.tui.screens.help import HelpScreen

    restyled, counting = restyle_counter()

    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        monkeypatch.setattr(App, "update_styles", counting)
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen is help_screen
        assert "HelpScreen" not in restyled  # Textual restyled all of it at each showing
        await pilot.press("escape")
        await pilot.pause()
        dark = help_screen.query_one("#help-table").styles.background
        app.theme = "textual-light"
        await pilot.pause()
        restyled.clear()
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen is help_screen
        assert "HelpScreen" in restyled
        assert help_screen.query_one("#help-table").styles.background != dark
