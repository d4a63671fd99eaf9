"""Nothing that says what a screen shows is cut at 80x24, and numbers survive 60x20."""

from __future__ import annotations

import pytest

from zoomtui.services.context import AppContext
from zoomtui.tui.actions import MODES
from zoomtui.tui.app import create_app
from zoomtui.tui.widgets.bars import SeatBars, Trend
from zoomtui.tui.widgets.filter_bar import FilterState
from zoomtui.tui.widgets.top_bar import TopBar

from .conftest import SIZE, text_of

NARROW = (60, 20)


def _lines(widget: object, width: int) -> list[str]:
    return [line.rstrip() for line in text_of(widget, width=width).splitlines() if line.strip()]


@pytest.mark.parametrize(("mode", "label"), [("seats", "4 Seats"), ("accounts", "7 Accounts")])
async def test_the_tab_bar_keeps_every_screen_at_60_columns(
    demo_ctx: AppContext, mode: str, label: str
) -> None:
    app = create_app(demo_ctx, start_mode=mode, schedule=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(TopBar)
        text = text_of(bar, width=200).strip()
        assert len(text) <= NARROW[0] and "…" not in text
        assert demo_ctx.profile in text  # which demo account this is
        for number in range(1, len(MODES) + 1):
            assert f" {number} " in f" {text} "
        assert label in text  # the current screen keeps its whole name


async def test_seat_numbers_and_share_survive_60_columns(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        bars = app.screen.query_one(SeatBars)
        lines = _lines(bars, bars.content_size.width)
        assert lines[0].split() == ["Plan", "Seats", "Used", "Pend", "Free", "Use"]
        rows = [line for line in lines if "%" in line]
        assert rows
        for row in rows:
            cells = row.split()
            share = next(i for i, cell in enumerate(cells) if cell.endswith("%"))
            numbers = cells[share - 4 : share]  # purchased, assigned, pending, free
            assert all(n.lstrip("-").replace(",", "").isdigit() for n in numbers), row


async def test_trend_captions_shorten_but_keep_the_change(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, start_mode="runs", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        trend = max(app.screen.query(Trend), key=lambda t: len(t.label))  # Inactive licensed
        trend.show([1000.0, 12259.0, 12189.0])
        await pilot.pause()
        label = trend.query_one("Label")
        caption = text_of(label, width=200).strip()
        assert "-70" in caption and len(caption) <= trend.size.width


async def test_aggregate_status_is_whole_after_a_run(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, start_mode="aggregate", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = app.screen.query_one("#run-status")
        text = text_of(status, width=200).strip()
        assert text.endswith("users") and len(text) < status.size.width
        assert status.size.width >= len(" run 12345 complete · 100,000 users")  # a big account


async def test_users_counts_with_filters_wrap_instead_of_cut(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.state = FilterState(
            plans=("Licensed",), addons=("webinar",), inactive_days=90, search="example"
        )
        screen.update_counts()
        await pilot.pause()
        counts = screen.query_one("#users-counts")
        text = text_of(counts, width=200).strip()
        assert text.endswith("deactivated hidden")
        assert len(text) <= counts.size.width * counts.size.height


@pytest.mark.parametrize("size", [NARROW, SIZE, (120, 40)])
async def test_diff_values_are_whole_at_every_size(
    demo_ctx: AppContext, size: tuple[int, int]
) -> None:
    from zoomtui.tui.screens.diff import change_text
    from zoomtui.tui.widgets.wrap_table import WrapTable

    app = create_app(demo_ctx, start_mode="diff", schedule=False)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        table = screen.query_one(WrapTable)
        assert table.total and table.total == len(screen.rows) == len(table.rows)
        # every column within the room left by the scrollbar: nothing scrolls off or is cut
        assert sum(w + 2 for w in table.widths) <= table.view_width
        assert table.virtual_size.width <= table.view_width
        for index, row in enumerate(screen.rows):
            cells = table.row_lines(index)
            value = "".join(cells[-1])  # wrapped at spaces or, for a long word, within it
            assert value.replace(" ", "").endswith(change_text(row).replace(" ", ""))
            assert row["email"] in ["".join(lines) for lines in cells]
            for lines, width in zip(cells, table.widths, strict=True):
                assert all(len(line) <= width for line in lines)  # nothing cut
            assert table.row_height(index) == max(len(lines) for lines in cells)
        headers = [c.label for c in table.columns]
        assert ("Change" in headers) == (size[0] >= 120)
        assert ("Field" in headers) == (size[0] >= 80)


@pytest.mark.parametrize("size", [NARROW, SIZE, (120, 40)])
async def test_users_emails_and_dates_are_whole(
    demo_ctx: AppContext, size: tuple[int, int]
) -> None:
    from zoomtui.tui.widgets.window_table import WindowTable

    from .conftest import reads_done

    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=size) as pilot:
        await reads_done(app)
        await pilot.pause()
        table = app.screen.query_one("#users-table", WindowTable)
        for y in range(1, table.size.height - 1):
            row = table.row_at(int(table.scroll_offset.y) + y - 1)
            line = "".join(seg.text for seg in table.render_line(y))
            assert row is not None and line.startswith(f"{row['email']} ")  # whole
            assert "…" not in line.split("  ")[0]
        text = "".join(seg.text for seg in table.render_line(0))
        header = text.replace("▲", " ").replace("▼", " ").split()
        shown = [c.label for c in table.columns if c.label.split()[0] in header]
        assert shown[:2] == ["Email", "Name"]  # the e-mail and at least the name beside it
        for label in shown:  # each header whole: a column is whole or not shown at all
            assert label in " ".join(header)


@pytest.mark.parametrize("size", [SIZE, (120, 40)])
async def test_reclaim_plan_columns_are_whole(demo_ctx: AppContext, size: tuple[int, int]) -> None:
    from zoomtui.tui.screens.reclaim import ItemsTable, ReclaimScreen

    from .conftest import reads_done

    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=size) as pilot:
        await reads_done(app)
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ReclaimScreen)
        table = app.screen.query_one(ItemsTable)
        assert table.total and sum(w + 1 for w in table.widths) <= table.size.width + 1
        labels = [c.label for c in table.columns]
        assert labels[:3] == ["Keep", "Email", "Action"] and labels[-2:] == ["Idle", "State"]
        assert ("Last login" in labels) == (size[0] >= 120)
        header = table.render_line(0).text
        assert all(label in header for label in labels)  # every header whole on screen


@pytest.mark.parametrize("size", [NARROW, SIZE, (120, 40)])
async def test_seat_names_and_the_reclaim_form_are_whole(
    demo_ctx: AppContext, size: tuple[int, int]
) -> None:
    from textual.widgets import Input, Select

    from .conftest import reads_done

    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=size) as pilot:
        await reads_done(app)
        await pilot.pause()
        bars = app.screen.query_one(SeatBars)
        assert "…" not in text_of(bars, width=bars.content_size.width)  # wrapped, never cut
        for widget in (
            app.screen.query_one("#reclaim-definition", Select),
            app.screen.query_one("#reclaim-days", Input),
            app.screen.query_one("#reclaim-price", Input),
        ):
            region = widget.region
            assert region.width >= 5 and region.right <= size[0], widget.id  # shown whole


@pytest.mark.parametrize("size", [SIZE, (120, 40)])
async def test_the_footer_keeps_the_screens_keys_before_the_palette(
    demo_ctx: AppContext, size: tuple[int, int]
) -> None:
    from zoomtui.tui.widgets.footer import QuickFooter

    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(QuickFooter)
        assert footer.show_command_palette == (size[0] >= 100)
        keys = {item.key: item for item in footer.items()}
        profile = keys["p"]  # the last of the Users screen's keys, whole on screen
        assert profile.width and profile.x + profile.width <= size[0]
        palette = keys.get("ctrl+p")
        assert (palette is not None) == (size[0] >= 100)
        if palette is not None:  # at the right, clear of the screen's keys
            assert profile.x + profile.width < palette.x < palette.x + palette.width < size[0]


@pytest.mark.parametrize("mode", [m for m, _label in MODES])
async def test_below_80_columns_the_footer_keeps_help_and_profile(
    demo_ctx: AppContext, mode: str
) -> None:
    from zoomtui.tui.widgets.footer import QuickFooter

    app = create_app(demo_ctx, start_mode=mode, schedule=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(QuickFooter)
        shown = {item.key: item for item in footer.items()}
        assert "1" not in shown  # the tab bar numbers the screens already
        for key in ("f1", "p"):  # help and the profile switcher, whole on screen
            assert shown[key].x + shown[key].width <= NARROW[0], (mode, key)
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert "1" in {item.key for item in app.screen.query_one(QuickFooter).items()}


@pytest.mark.parametrize("size", [NARROW, SIZE])
async def test_runs_columns_are_whole_and_the_hint_gives_what_is_left_out(
    demo_ctx: AppContext, size: tuple[int, int]
) -> None:
    from textual.widgets import DataTable, Static

    app = create_app(demo_ctx, start_mode="runs", schedule=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        headers = [str(c.label) for c in table.columns.values()]
        assert table.virtual_size.width <= table.scrollable_content_region.width  # no sideways
        hint = str(app.screen.query_one("#runs-hint", Static).render())
        if size == NARROW:
            assert "Time" not in headers and "Skipped" not in headers
            assert "Idle lic." in headers
            assert f"run {app.screen.runs[0].id} took " in hint  # the hidden time, for the row
        else:
            assert headers[-2:] == ["Time", "Skipped"]
            assert "took" not in hint


async def test_users_idle_says_never_for_a_user_without_any_login(demo_ctx: AppContext) -> None:
    from zoomtui.tui.widgets.window_table import WindowTable

    from .conftest import reads_done

    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await reads_done(app)
        await pilot.pause()
        table = app.screen.query_one("#users-table", WindowTable)
        idle = next(c for c in table.columns if c.label == "Idle")
        rows = [table.row_at(i) for i in range(table.size.height)]  # the first page read
        never = [r for r in rows if r is not None and r["last_activity"] is None]
        active = [r for r in rows if r is not None and r["last_activity"] is not None]
        assert never and active
        assert {idle.text(r) for r in never} == {"never"}
        assert all(idle.text(r).replace(",", "").isdigit() for r in active)


@pytest.mark.parametrize("size", [SIZE, (120, 40)])
async def test_an_addon_removal_plan_cuts_no_cell(
    demo_ctx: AppContext, size: tuple[int, int]
) -> None:
    from zoomtui.tui.screens.reclaim import ItemsTable, ReclaimScreen

    from .conftest import reads_done

    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=size) as pilot:
        await reads_done(app)
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.press("t", "t")  # past downgrade and deactivate: the first add-on removal
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReclaimScreen) and screen.plan is not None
        action = screen.plan["action"]
        assert action.startswith("remove-addon:")
        table = screen.query_one(ItemsTable)
        lines = [table.render_line(y).text for y in range(min(table.size.height, 8))]
        assert not any("…" in line for line in lines)  # every cell whole
        labels = [c.label for c in table.columns]
        if "Action" in labels:
            assert action in lines[1]
        else:
            assert size == SIZE  # left out only where it cannot be whole; the summary names it
        assert action in text_of(screen.query_one("#reclaim-plan-summary"))
