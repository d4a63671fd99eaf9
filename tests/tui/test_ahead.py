"""Screens built ahead while the operator is quiet look and answer as screens built when shown."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from textual import events

from tests.tui.test_accounts import demo_accounts  # noqa: F401  (a fixture)
from zoomtui.services.accounts import DemoAccounts
from zoomtui.services.context import AppContext
from zoomtui.tui.ahead import AheadBuilder
from zoomtui.tui.app import ZoomApp, busy_workers, create_app
from zoomtui.tui.screens.seats import SeatsScreen

from .conftest import SIZE, count_layouts, reads_done, text_of

KEYS = {
    "runs": "2", "diff": "3", "seats": "4", "aggregate": "5", "connection": "6", "accounts": "7"
}  # fmt: skip
BUILT = [
    *KEYS,
    "help",
    "export",
    "detail",
    "columns",
    "switcher",
    "palette",
    "reclaim",
]  # every mode but the one shown, then the dialogs shown again


async def all_built(app: ZoomApp) -> None:
    for _ in range(400):
        if app.ahead.done() and not busy_workers(app, "ahead"):
            await reads_done(app)
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"not built ahead: {app.ahead.pending()}")


async def seen(app: ZoomApp, pilot: Any, key: str) -> tuple[str, str | None]:
    """The screen after ``key``, as text, and the id of the focused widget."""
    await pilot.press(key)
    await pilot.pause()
    await pilot.pause()
    focused = app.screen.focused
    return app.export_screenshot(), focused.id if focused else None


async def test_screens_built_ahead_show_what_screens_built_when_shown_show(
    demo_ctx: AppContext,
) -> None:
    cold: dict[str, tuple[str, str | None]] = {}
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.ahead.enabled
        for mode, key in KEYS.items():
            cold[mode] = await seen(app, pilot, key)

    app = create_app(demo_ctx, schedule=False, build_ahead=True)
    async with app.run_test(size=SIZE) as pilot:
        app.ahead.quiet_s = 0.0
        await pilot.pause()
        await all_built(app)
        assert app.ahead.built == BUILT
        assert app.current_mode == "users"
        built = {mode: app._screen_stacks[mode][0] for mode in KEYS}
        for mode, key in KEYS.items():
            shown = await seen(app, pilot, key)
            assert app.screen is built[mode]  # shown, not built again
            assert shown == cold[mode], mode
        seats = built["seats"]
        assert isinstance(seats, SeatsScreen)
        assert seats.result is not None and seats.result.count > 0


async def test_nothing_is_built_while_the_operator_types(demo_ctx: AppContext) -> None:
    now = [0.0]
    app = create_app(demo_ctx, schedule=False, build_ahead=True)
    app.collector._clock = lambda: now[0]  # the operator's time: keys 0.5 s apart, for 5 s
    app.collector.input_seen()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(10):
            now[0] += 0.5
            await pilot.press("down")
            await asyncio.sleep(0.3)  # the builder looks every CHECK_S (0.25 s)
        assert app.ahead.built == []
        assert app.ahead.pending() == BUILT
        now[0] += 1.0  # quiet for QUIET_S: the next screen is built
        await all_built(app)
        assert app.ahead.built == BUILT


async def test_a_profile_switch_after_building_ahead_builds_the_new_profiles_screens(
    demo_ctx: AppContext,
) -> None:
    app = create_app(demo_ctx, schedule=False, build_ahead=True)
    async with app.run_test(size=SIZE) as pilot:
        app.ahead.quiet_s = 0.0
        await all_built(app)
        old = app._screen_stacks["seats"][0]
        await app._switch(demo_ctx.profile, None)
        await pilot.pause()
        assert app.current_mode == "users"
        await all_built(app)
        assert app._screen_stacks["seats"][0] is not old
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.screen, SeatsScreen) and app.screen.result is not None


async def test_a_textual_without_the_private_api_only_stops_building() -> None:
    app = SimpleNamespace(is_running=True, workers=[])  # no _modes, _screen_stacks, ...
    builder = AheadBuilder(app, ["other"], lambda: 60.0)  # type: ignore[arg-type]
    await builder._build("other")
    assert not builder.enabled and builder.done() and builder.built == []
    assert builder.pending() == []  # and nothing to wait for


async def test_seats_built_ahead_then_resized_shows_its_table_as_built_when_shown(
    demo_ctx: AppContext,
) -> None:
    """Seats built ahead at 70x22, shown at 110x30: its seat table as tall as its lines.

    It kept the height of the table drawn for 70 columns (53 lines for 34), so the
    scroll box scrolled over blank lines: the redraw for 110 columns came while a
    layout was pending, which Textual does not ask for again (widgets/bars.py).
    """
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("4")
        await reads_done(app)
        await pilot.pause()
        cold = app.screen.query_one("#seat-bars").size
    app = create_app(demo_ctx, schedule=False, build_ahead=True)
    async with app.run_test(size=(70, 22)) as pilot:
        app.ahead.quiet_s = 0.0
        await all_built(app)
        await pilot.resize_terminal(110, 30)
        await pilot.pause()
        await pilot.press("4")
        await reads_done(app)
        await pilot.pause()
        assert app.screen.query_one("#seat-bars").size == cold


async def test_seats_built_ahead_narrow_draws_its_bars_for_the_width_it_is_shown_at(
    demo_ctx: AppContext,
) -> None:
    """Built ahead at 60x20, shown at 120x40: 20-cell bars, as when first shown at 120x40.

    The bars' width was chosen when the seat counts were read (12 below 100 columns)
    and kept at every redraw.
    """
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await reads_done(app)
        await pilot.pause()
        cold = str(app.screen.query_one("#seat-bars").render())
    app = create_app(demo_ctx, schedule=False, build_ahead=True)
    async with app.run_test(size=(60, 20)) as pilot:
        app.ahead.quiet_s = 0.0
        await all_built(app)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.press("4")
        await reads_done(app)
        await pilot.pause()
        shown = str(app.screen.query_one("#seat-bars").render())
        assert "━" * 13 in shown or "─" * 13 in shown  # a bar longer than 12 cells
        assert shown == cold


async def test_nothing_is_built_while_the_operator_scrolls_with_the_wheel(
    demo_ctx: AppContext,
) -> None:
    now = [0.0]
    app = create_app(demo_ctx, schedule=False, build_ahead=True)
    app.collector._clock = lambda: now[0]  # the operator's time: the wheel 0.5 s apart, for 5 s
    app.collector.input_seen()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(10):
            now[0] += 0.5
            app.post_message(events.MouseScrollDown(None, 10, 10, 0, 1, 0, False, False, False))
            await asyncio.sleep(0.3)  # the builder looks every CHECK_S (0.25 s)
        assert app.ahead.built == []
        now[0] += 1.0
        await all_built(app)
        assert app.ahead.built == BUILT


async def test_a_screen_that_cannot_be_created_ahead_is_left_to_its_first_visit(
    demo_ctx: AppContext, monkeypatch: Any
) -> None:
    from zoomtui.tui.screens.runs import RunsScreen

    calls: list[int] = []
    original = RunsScreen.__init__

    def failing_once(self: RunsScreen) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("not now")
        original(self)

    monkeypatch.setattr(RunsScreen, "__init__", failing_once)
    app = create_app(demo_ctx, schedule=False, build_ahead=True)
    async with app.run_test(size=SIZE) as pilot:
        app.ahead.quiet_s = 0.0
        await all_built(app)  # done: building stopped
        assert not app.ahead.enabled and calls == [1]  # not retried at every check
        assert "runs" not in app._screen_stacks and app.ahead.built == []
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, RunsScreen) and app.screen.runs


async def test_dialogs_built_ahead_show_what_dialogs_built_when_asked_show(
    demo_ctx: AppContext,
) -> None:
    async def dialogs(app: ZoomApp, pilot: Any) -> list[tuple[str, str | None]]:
        shown = []
        for key in ("f1", "e", "enter", "c", "p", "ctrl+p"):
            shown.append(await seen(app, pilot, key))
            await pilot.press("escape")
            await pilot.pause()
        return shown

    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await reads_done(app)
        cold = await dialogs(app, pilot)

    app = create_app(demo_ctx, schedule=False, build_ahead=True)
    async with app.run_test(size=SIZE) as pilot:
        app.ahead.quiet_s = 0.0
        await pilot.pause()
        await all_built(app)
        built = [app.get_screen(name) for name in BUILT[len(KEYS) :]]
        assert all(screen.is_mounted for screen in built)
        assert await dialogs(app, pilot) == cold
        keys = ("f1", "e", "enter", "c", "p", "ctrl+p")  # reclaim: test_reclaim_again.py
        for key, screen in zip(keys, built[: len(keys)], strict=True):
            await pilot.press(key)
            await pilot.pause()
            await app.workers.wait_for_complete()  # the detail reads its user first
            await pilot.pause()
            assert app.screen is screen, key  # shown, not built again
            await pilot.press("escape")
            await pilot.pause()


async def test_a_dialog_that_cannot_be_built_ahead_is_built_when_asked_for(
    demo_ctx: AppContext, monkeypatch: Any
) -> None:
    from zoomtui.tui.screens.help import HelpScreen

    calls: list[int] = []
    original = HelpScreen.__init__

    def failing_once(self: HelpScreen) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("not now")
        original(self)

    monkeypatch.setattr(HelpScreen, "__init__", failing_once)
    app = create_app(demo_ctx, schedule=False, build_ahead=True)
    async with app.run_test(size=SIZE) as pilot:
        app.ahead.quiet_s = 0.0
        await all_built(app)  # done: the builder stopped at the failure
        assert not app.ahead.enabled and app.ahead.built == list(KEYS)
        assert not app.is_screen_installed("help")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and len(calls) == 2


async def test_help_built_ahead_is_drawn_with_its_rows_before_it_is_first_shown(
    demo_ctx: AppContext, monkeypatch: Any
) -> None:
    """Its rows are added on its first Resize; drawn before that, the table was drawn empty,
    and its scrollbar, updated by the first drawing, laid it out again when shown."""
    from textual.widgets import DataTable

    from zoomtui.tui.screens.help import HelpScreen

    cells: list[int] = []
    original = DataTable._render_cell

    def counting(self: DataTable[Any], *args: Any, **kwargs: Any) -> Any:
        cells.append(1)
        return original(self, *args, **kwargs)

    app = create_app(demo_ctx, schedule=False, build_ahead=True)
    async with app.run_test(size=SIZE) as pilot:
        app.ahead.quiet_s = 0.0
        await pilot.pause()
        await all_built(app)
        monkeypatch.setattr(DataTable, "_render_cell", counting)
        layouts = count_layouts(monkeypatch)
        await pilot.press("f1")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.query_one(DataTable).row_count > 40
        assert cells == []  # every visible cell was drawn ahead (51 drawn when shown before)
        assert layouts.count("HelpScreen") <= 1  # its scrollbar settled ahead too (2 before)


async def test_the_detail_built_ahead_is_laid_out_once_when_it_shows_its_first_user(
    demo_ctx: AppContext, monkeypatch: Any
) -> None:
    """Built ahead with its scrollbar already placed and its title as wide as the box, the
    first user shown lays it out once; built empty, it was laid out three times (the
    scrollbar appearing, then its size) over three frames."""
    from zoomtui.tui.screens.dialogs import UserDetailScreen
    from zoomtui.tui.widgets.user_detail import UserDetail

    app = create_app(demo_ctx, schedule=False, build_ahead=True)
    async with app.run_test(size=SIZE) as pilot:
        app.ahead.quiet_s = 0.0
        await pilot.pause()
        await all_built(app)
        built = app.get_screen("detail")
        assert built.query_one(UserDetail).show_vertical_scrollbar  # placed ahead, unseen
        layouts = count_layouts(monkeypatch)
        await pilot.press("enter")
        await app.workers.wait_for_complete()  # the detail reads its user first
        for _ in range(4):
            await pilot.pause()
        assert app.screen is built and isinstance(built, UserDetailScreen)
        view = built.query_one(UserDetail)
        assert view.show_vertical_scrollbar and view.virtual_size.height > view.size.height
        assert layouts.count("UserDetailScreen") == 1


async def test_a_dialog_asked_for_while_it_is_built_ahead_shows_what_was_asked_for(
    demo_ctx: AppContext,
) -> None:
    """Enter pressed while the detail was still being mounted ahead: ``prepare`` left it
    to be "composed with these", but it had been composed already, for no user: the
    dialog showed the user's record under a blank title (export: another screen's path)."""
    from textual.widgets import Label

    from zoomtui.tui.screens.users import detail_dialog, unprepared_detail_dialog

    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await reads_done(app)
        built = unprepared_detail_dialog()
        app._load_screen_css(built)
        app.install_screen(built, "detail")
        app._get_screen("detail")  # mounting, as AheadBuilder._mount_dialog does
        await asyncio.sleep(0)
        assert built.children and not built.is_mounted  # composed, not yet mounted
        app.push_screen(detail_dialog(app, "bob@example.com", {"record": {"first_name": "Bob"}}))
        await pilot.pause()
        await pilot.pause()
        assert text_of(app.screen.query_one(".dialog-title", Label)).strip() == "bob@example.com"


async def test_seats_built_ahead_is_drawn_with_its_data_before_it_is_first_shown(
    demo_ctx: AppContext, monkeypatch: Any
) -> None:
    """Once its reads landed, the builder lays Seats out and draws it again, unseen: shown,
    it is laid out once, as when shown again. Laid out before its reads only, it was laid
    out three times when first shown, with its seat table and candidates (0.19 s more
    than showing it again, at 100,000 users)."""
    from zoomtui.tui.widgets.bars import SeatBars

    app = create_app(demo_ctx, schedule=False, build_ahead=True)
    async with app.run_test(size=SIZE) as pilot:
        app.ahead.quiet_s = 0.0
        await pilot.pause()
        await all_built(app)
        seats = app._screen_stacks["seats"][0]
        assert seats.query_one(SeatBars)._drawn is not None  # drawn ahead, with its counts
        layouts = count_layouts(monkeypatch)
        await pilot.press("4")
        for _ in range(3):
            await pilot.pause()
        assert app.screen is seats
        first = layouts.count("SeatsScreen")
        await pilot.press("1")
        await pilot.pause()
        layouts.clear()
        await pilot.press("4")
        for _ in range(3):
            await pilot.pause()
        assert layouts.count("SeatsScreen") == first  # as shown again


async def test_each_build_ahead_starts_the_next_without_waiting_for_a_check(
    demo_ctx: AppContext, monkeypatch: Any
) -> None:
    """One check starts them all, one after the other, while the operator stays quiet: a
    quarter of a second between builds made the first seconds, when a key finds a
    screen not built yet, 3.7 s at 100,000 users instead of 2.0-2.3 s."""
    import zoomtui.tui.app as app_module

    monkeypatch.setattr(app_module, "CHECK_S", 3600.0)  # no check of its own in this test
    app = create_app(demo_ctx, schedule=False, build_ahead=True)
    async with app.run_test(size=SIZE) as pilot:
        app.ahead.quiet_s = 0.0
        await pilot.pause()
        await reads_done(app)
        assert app.ahead.built == []
        app.ahead.tick()
        await all_built(app)
        assert app.ahead.built == BUILT


async def test_a_screen_whose_account_was_switched_away_mid_build_is_not_drawn(
    demo_accounts: DemoAccounts,  # noqa: F811
    monkeypatch: Any,
) -> None:
    """A profile switch while the builder waits for a screen's reads removes that screen;
    it is then neither laid out nor drawn, and the new account's screens are built."""
    from textual.screen import Screen

    from tests.tui.test_palette_again import switched

    gate = asyncio.Event()
    landed = AheadBuilder._reads_landed

    async def held(self: AheadBuilder) -> bool:
        await gate.wait()
        return await landed(self)

    monkeypatch.setattr(AheadBuilder, "_reads_landed", held)
    app = create_app(
        demo_accounts.contexts["acme"], schedule=False, accounts=demo_accounts, build_ahead=True
    )
    async with app.run_test(size=SIZE) as pilot:
        app.ahead.quiet_s = 0.0
        await pilot.pause()
        for _ in range(1000):  # 10 s at most: a loaded machine builds slowly
            if "runs" in app._screen_stacks:
                break
            await asyncio.sleep(0.01)
        building = app._screen_stacks["runs"][0]  # built, waiting for its reads
        drawn: list[bool] = []
        layout = Screen._refresh_layout

        def laid_out(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
            if self is building:
                drawn.append(self.is_attached)
            layout(self, *args, **kwargs)

        monkeypatch.setattr(Screen, "_refresh_layout", laid_out)
        await switched(app, pilot, "globex")
        gate.set()
        await all_built(app)
        assert not building.is_attached and False not in drawn  # never laid out once gone
        assert app.ctx.profile == "globex" and app.ahead.built[-len(BUILT) :] == BUILT
