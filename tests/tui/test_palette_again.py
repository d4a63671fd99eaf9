"""The command palette shown again (``palette.Palette``) across profile switches."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual.command import CommandInput, CommandList

from tests.tui.conftest import SIZE, count_layouts
from tests.tui.test_accounts import demo_accounts, wait_for  # noqa: F401  (a fixture)
from zoomtui.services.accounts import DemoAccounts
from zoomtui.services.context import AppContext
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


async def opened_in_one_stack_then_switched(app: ZoomApp, pilot: Any) -> None:
    """``ctrl+p``: the palette sits in one stack; closed, it stays out of the next switch."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    palette = app.screen
    assert isinstance(palette, Palette)
    stacks = [s for s in app._screen_stacks.values() if palette in s]
    assert len(stacks) == 1  # one screen in two stacks answers neither well
    await pilot.press("escape")
    await pilot.pause()
    assert "Palette" not in await switched(app, pilot, "initech")


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
        await opened_in_one_stack_then_switched(app, pilot)
        assert not isinstance(app.screen, Palette)
        assert app.collector._reads == 0


@pytest.mark.parametrize("query", ["seats", "zzqqxx"])  # some commands; none ("No matches")
async def test_a_palette_shown_again_never_shows_the_last_search_s_list(
    empty_ctx: AppContext, query: str
) -> None:
    """Its first frame had the last search's commands (or "No matches found", or an empty
    box) under the cleared search, until the list was gathered again."""
    app = create_app(empty_ctx, schedule=False)
    frames: list[tuple[str, int | None]] = []  # (search, commands listed) at each frame
    display = app._display

    def seen(screen: Any, renderable: Any) -> None:
        if isinstance(app.screen, Palette):
            listed = app.screen.query_one(CommandList)
            shown = listed.option_count if listed.has_class("--visible") else None
            frames.append((app.screen.query_one(CommandInput).value, shown))
        display(screen, renderable)

    app._display = seen  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        everything = app.screen.query_one(CommandList).option_count
        await pilot.press(*query)
        await asyncio.sleep(0.7)  # "No matches found" shows after 0.5 s
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        frames.clear()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert frames and all(frame in (("", None), ("", everything)) for frame in frames)
        assert frames[-1] == ("", everything)


async def test_each_command_in_the_palette_built_ahead_has_all_its_lines(
    demo_ctx: AppContext,
) -> None:
    """Its list measured the commands for a width without the scrollbar: at 80 columns the
    last line of "app: Leave the field"'s help was cut off (and ``test_ahead`` flaked)."""
    from tests.tui.test_ahead import all_built

    app = create_app(demo_ctx, schedule=False, build_ahead=True)
    async with app.run_test(size=SIZE) as pilot:
        app.ahead.quiet_s = 0.0
        await pilot.pause()
        await all_built(app)
        for _ in range(2):  # built ahead, then shown again
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.pause()
            listed = app.screen.query_one(CommandList)
            assert listed.show_vertical_scrollbar
            heights = dict(listed._heights)
            listed._clear_caches()  # measured again, for the width it has now
            assert heights == listed._heights
            await pilot.press("escape")
            await pilot.pause()


async def test_a_palette_shown_again_with_the_same_commands_is_not_laid_out_again(
    empty_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each showing gathers the commands again (for the screen under it); the same commands
    take the new actions in place instead of the list being emptied and filled, which laid
    the palette out twice more when shown (about 30 ms each at 120x40)."""
    from zoomtui.tui.actions import ACTIONS

    app = create_app(empty_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        listed = palette.query_one(CommandList)
        first = listed.get_option_at_index(0)
        action = first.hit.command  # type: ignore[attr-defined]
        await pilot.press("escape")
        await pilot.pause()
        layouts = count_layouts(monkeypatch)
        await pilot.press("ctrl+p")
        for _ in range(3):
            await pilot.pause()
        assert app.screen is palette and layouts.count("Palette") == 0
        assert listed.get_option_at_index(0) is first  # the same line...
        assert first.hit.command is not action  # type: ignore[attr-defined]  # ...new action
        assert listed.highlighted == 0 and palette.query_one(CommandInput).value == ""
        users = next(a for a in ACTIONS if a.id == "go.users")
        assert str(first.hit.text) == users.palette_title  # type: ignore[attr-defined]


async def test_a_textual_without_what_the_palette_uses_gets_a_new_palette_each_time(
    empty_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``Palette`` uses Textual's private parts; without them, Textual's way: one per ctrl+p."""
    from zoomtui.tui import palette

    monkeypatch.setattr(palette, "REUSABLE", False)
    app = create_app(empty_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = []
        for _ in range(2):
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.pause()
            shown.append(app.screen)
            assert isinstance(app.screen, palette.FreshPalette)
            assert app.screen.query_one(CommandList).option_count > 20
            await pilot.press("escape")
            await pilot.pause()
        assert shown[0] is not shown[1] and not isinstance(shown[0], Palette)
        assert app.collector._reads == 0
    assert palette._reusable()  # this Textual has them
