"""The app shell: modes, footer, help, palette entries, keymap and theme memory at 80x24."""

from __future__ import annotations

from pathlib import Path

import pytest

from zoomtui.services.context import AppContext
from zoomtui.settings import load
from zoomtui.tui.actions import ACTIONS, MODES, bindings_for
from zoomtui.tui.app import create_app
from zoomtui.tui.palette import PaletteProvider
from zoomtui.tui.screens.dialogs import UnsavedDialog
from zoomtui.tui.screens.help import HelpScreen
from zoomtui.tui.widgets.footer import QuickFooter

from .conftest import SIZE, text_of


def test_every_action_has_a_unique_id_per_scope_and_a_category_title() -> None:
    ids = [a.id for a in ACTIONS]
    assert len(ids) == len(set(ids))
    for action in ACTIONS:
        assert action.palette_title.startswith(f"{action.category}: ")
        assert all(b.id == action.id for b in [action.binding()])
    assert [b.id for b in bindings_for("app")][: len(MODES)] == [f"go.{m}" for m, _ in MODES]


async def test_digits_switch_modes_at_80x24(empty_ctx: AppContext) -> None:
    app = create_app(empty_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        for number, (mode, _label) in enumerate(MODES, start=1):
            if mode == "connection":
                continue  # its inputs take digits once focused; reached below
            await pilot.press(str(number))
            await pilot.pause()
            assert app.current_mode == mode
        await pilot.press("6")
        await pilot.pause()
        assert app.current_mode == "connection"
        footer = app.screen.query_one(QuickFooter)  # one line at the bottom, compact keys
        assert footer.region.y == SIZE[1] - 1 and footer.region.height == 1
        first = footer.items()[0]
        assert (first.display, first.description) == ("^s", "Save")


async def test_users_screen_without_runs_says_so(empty_ctx: AppContext) -> None:
    app = create_app(empty_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        counts = app.screen.query_one("#users-counts")
        assert "no complete run" in text_of(counts).lower()


def _help_lines(app: object) -> list[str]:
    from textual.widgets import DataTable

    table = app.screen.query_one("#help-table", DataTable)  # type: ignore[attr-defined]
    return [" ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]


async def test_help_lists_every_action(empty_ctx: AppContext) -> None:
    app = create_app(empty_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(_help_lines(app))
        for action in ACTIONS:
            assert action.id in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_help_is_built_once_and_again_when_the_keys_change(empty_ctx: AppContext) -> None:
    from textual.widgets import DataTable

    app = create_app(empty_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        first = app.screen
        assert isinstance(first, HelpScreen)
        await pilot.press("down", "down")
        row = first.query_one(DataTable).cursor_row
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen is first  # shown again, where the operator left it
        assert first.query_one(DataTable).cursor_row == row == 3
        await pilot.press("escape")
        app.set_keymap({"go.runs": "r"})
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and app.screen is not first
        assert not first.is_attached
        assert any(line.startswith("r ") for line in _help_lines(app))  # the new key
        await pilot.press("escape")
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen is app.get_screen("help")


async def test_palette_offers_category_titles_and_switches_screen(empty_ctx: AppContext) -> None:
    app = create_app(empty_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        provider = PaletteProvider(app.screen)
        hits = [hit async for hit in provider.search("run: Start aggregation")]
        assert hits and hits[0].text == "run: Start aggregation"
        found = [hit async for hit in provider.search("Connection screen")]
        found[0].command()
        await pilot.pause()
        await pilot.pause()
        assert app.current_mode == "connection"


async def test_palette_lists_ours_then_textuals_system_commands_each_once(
    empty_ctx: AppContext,
) -> None:
    """One fixed order (Textual's two providers came in either order from run to run), and
    no system command beside the action that already does it (its Quit, its Keys)."""
    from textual.command import CommandPalette

    from zoomtui.tui.palette import PALETTE_ACTIONS

    app = create_app(empty_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        provider = PaletteProvider(app.screen)
        titles = [hit.text async for hit in provider.discover()]
        ours = [action.palette_title for action in PALETTE_ACTIONS]
        assert titles[: len(ours)] == ours
        system = titles[len(ours) :]
        assert "app: Theme" in system and "app: Screenshot" in system
        assert system == sorted(system) and all(t.startswith("app: ") for t in system)
        assert titles.count("app: Quit") == 1 and "app: Keys" not in titles
        quits = [hit.text async for hit in provider.search("quit")]
        assert quits == ["app: Quit"]
        # No title has "help" in it: the keymap id app.help finds Keys and commands.
        helps = sorted([hit async for hit in provider.search("help")], key=lambda h: -h.score)
        assert helps and helps[0].text == "app: Keys and commands"
        theme = await anext(provider.search("app: Theme"))
        theme.command()
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)  # Textual's theme picker


async def test_keymap_setting_overrides_a_binding(config_path: Path, db_path: Path) -> None:
    config_path.write_text('[keymap]\n"go.runs" = "r"\n')
    ctx = AppContext(settings=load(env={}), db_path=db_path)
    app = create_app(ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert app.current_mode == "runs"
        await pilot.press("1")
        await pilot.press("2")  # the default key is gone
        await pilot.pause()
        assert app.current_mode == "users"


async def test_theme_is_remembered(config_path: Path, empty_ctx: AppContext) -> None:
    app = create_app(empty_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert load(env={}).theme == "nord"
    again = create_app(AppContext(settings=load(env={}), db_path=empty_ctx.db_path), schedule=False)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


async def test_escape_leaves_a_field_so_digits_switch_screens_again(empty_ctx: AppContext) -> None:
    app = create_app(empty_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await pilot.pause()
        await pilot.press("5")  # typed into the first empty field (focused on entry)
        await pilot.pause()
        assert app.current_mode == "connection"
        await pilot.press("escape", "5")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedDialog)  # the typed 5 is an unsaved edit
        await pilot.press("d")
        await pilot.pause()
        assert app.current_mode == "aggregate"


@pytest.mark.parametrize("size", [(60, 20), SIZE, (120, 40)])
async def test_help_shows_keys_as_typed_one_line_each(
    empty_ctx: AppContext, size: tuple[int, int]
) -> None:
    from textual.widgets import DataTable

    app = create_app(empty_ctx, schedule=False)
    async with app.run_test(size=size) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        table = app.screen.query_one("#help-table", DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width  # nothing cut
        lines = _help_lines(app)
        assert len(lines) == table.row_count  # one line per entry, whatever the width
        assert "left_square_bracket" not in "\n".join(lines)
        with_ids = size[0] >= 80
        for action in ACTIONS:  # the title whole, and the id beside it when it fits
            title = [line for line in lines if f" {action.title} " in f" {line} "]
            assert title and any(line.endswith(f" {action.id}") for line in title) == with_ids
        older = next(line for line in lines if "Show an older run" in line)
        assert older.startswith("[ ")
        search = next(line for line in lines if "Search users" in line)
        assert search.startswith("/ ")
        # The whole description of the command under the cursor, below the list.
        row = lines.index(search)
        table.move_cursor(row=row)
        await pilot.pause()
        about = app.screen.query_one("#help-about")
        text = text_of(about, width=about.content_size.width)
        assert "Type part of an email or name." in " ".join(text.split())
        assert "users.search" in text
        # The footer is help's own: how to close it, not the Users screen's keys.
        footer = app.screen.query_one(QuickFooter)
        shown = {b.id for _n, b, _e, _t in footer.screen.active_bindings.values() if b.show}
        assert "help.close" in shown and "users.search" not in shown
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == table.row_count - 1


def test_the_cores_log_never_reaches_the_terminal_outside_the_app(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo's first preparation runs before the app: its warnings stay off the terminal."""
    import logging

    from zoomtui import tui

    logger = logging.getLogger("zoomtui")
    monkeypatch.setattr(logger, "handlers", list(logger.handlers))  # restored after
    monkeypatch.setattr(logger, "propagate", logger.propagate)
    tui._quiet_logging()
    logging.getLogger("zoomtui.zoom.classify").warning("GET /report/users failed: HTTP 400")
    captured = capsys.readouterr()
    assert "failed" not in captured.err + captured.out


async def test_the_palette_is_built_once_and_each_showing_lists_every_command_afresh(
    empty_ctx: AppContext,
) -> None:
    """Shown again (not built at each ctrl+p), with the search cleared, every command
    listed, acting on the screen under it now; after a command ran too."""
    from textual.command import CommandInput, CommandList

    from zoomtui.tui.palette import Palette

    app = create_app(empty_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, Palette)
        everything = palette.query_one(CommandList).option_count
        assert everything > 20

        async def shown_again() -> None:
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.pause()
            assert app.screen is palette
            assert palette.query_one(CommandInput).value == ""
            assert palette.query_one(CommandList).option_count == everything

        await pilot.press(*"seats screen")
        await pilot.pause()
        await pilot.pause()
        assert palette.query_one(CommandList).option_count < everything
        await pilot.press("escape")
        await pilot.pause()
        await shown_again()
        await pilot.press(*"go: seats screen")
        await pilot.pause()
        await pilot.pause()
        await pilot.press("enter")
        for _ in range(4):
            await pilot.pause()
        assert app.current_mode == "seats"
        await shown_again()
        assert palette._calling_screen is app.screen_stack[-2]  # the Seats screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.collector._reads == 0  # paused while shown, each time
