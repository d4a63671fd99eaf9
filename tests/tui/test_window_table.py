"""The windowed table reads only the pages it shows, whatever the number of rows."""

from __future__ import annotations

import itertools

import pytest
from textual.app import App, ComposeResult

from zoomtui.services.context import AppContext
from zoomtui.tui.widgets.window_table import Column, WindowTable

from .conftest import SIZE

TOTAL = 100_000


class Counting:
    """A page provider over 100,000 synthetic rows that records what it was asked."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def __call__(self, offset: int, limit: int) -> tuple[list[dict[str, object]], int]:
        self.calls.append((offset, limit))
        end = min(offset + limit, TOTAL)
        return [{"email": f"user{i:06d}@example.com", "n": i} for i in range(offset, end)], TOTAL


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield WindowTable([Column("email", "Email", 28), Column("n", "N", 8, right=True)])


async def test_100k_rows_touch_only_visible_pages() -> None:
    app = TableApp()
    provider = Counting()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(WindowTable)
        table.focus()
        table.set_provider(provider)
        await pilot.pause()
        assert table.total == TOTAL
        assert table.virtual_size.height == TOTAL + 1
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor == TOTAL - 1
        assert table.cursor_row == {"email": "user099999@example.com", "n": TOTAL - 1}
        await pilot.press("up", "pageup", "home")
        await pilot.pause()
        assert table.cursor == 0
        # first page, last page(s) and back: a handful of pages, never the whole list
        assert len(provider.calls) <= 6
        assert all(limit == WindowTable.PAGE_SIZE for _, limit in provider.calls)


async def test_enter_posts_the_selected_row() -> None:
    selected: list[dict[str, object]] = []

    class Selecting(TableApp):
        def on_window_table_selected(self, event: WindowTable.Selected) -> None:
            selected.append(event.row)

    app = Selecting()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(WindowTable)
        table.focus()
        table.set_provider(Counting())
        await pilot.press("down", "down", "enter")
        await pilot.pause()
    assert selected == [{"email": "user000002@example.com", "n": 2}]


def test_spare_width_goes_to_growing_columns() -> None:
    from zoomtui.tui.screens.users import COLUMNS
    from zoomtui.tui.widgets.window_table import spread

    natural = [c.width for c in COLUMNS]
    at_120 = spread(COLUMNS, 120)  # not every column fits: the e-mail still grows
    assert at_120[0] >= 40
    wide = spread(COLUMNS, 300)  # everything fits: fixed columns keep their width
    assert sum(w + 1 for w in wide) == 300 and wide[0] > natural[0]
    fixed = [i for i, c in enumerate(COLUMNS) if not c.grow]
    assert all(wide[i] == natural[i] for i in fixed)


@pytest.mark.parametrize("width", [60, 79, 80, 119, 160])
def test_every_page_holds_whole_columns_and_the_first_fills_the_width(width: int) -> None:
    from zoomtui.tui.screens.users import COLUMNS, SHOWN
    from zoomtui.tui.widgets.columns import page_starts, spread

    for columns in (SHOWN, COLUMNS):
        widths = spread(columns, width)
        assert all(w >= c.width for w, c in zip(widths, columns, strict=True))  # none narrowed
        starts = page_starts(widths, width)
        room = width - widths[0] - 1
        edges = [*starts, sum(w + 1 for w in widths[1:])]
        for left, right in itertools.pairwise(edges):
            assert right - left <= room  # a page of whole columns fits beside the first
        assert edges[1] == room  # the first page's spare went to its growing columns


async def test_sideways_moves_a_page_of_whole_columns(demo_ctx: AppContext) -> None:
    from zoomtui.tui.app import create_app
    from zoomtui.tui.widgets.columns import page_starts

    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#users-table", WindowTable)
        table.focus()
        email = table.cursor_row["email"]

        def line(y: int) -> str:
            return "".join(seg.text for seg in table.render_line(y))

        def labels() -> list[str]:
            return [c.label for c in table.columns if c.label in line(0)]

        first = labels()
        assert first[:2] == ["Email", "Name"] and "Last login" not in first  # whole, or next page
        await pilot.press("right")
        await pilot.pause()
        starts = page_starts(table.widths, table.view_width)
        assert table.scroll_offset.x == starts[1]  # a page, not a column
        assert line(1).startswith(email)  # the e-mail stays, whole
        second = labels()
        assert "Last login" in second
        for y in range(1, 10):  # a date is whole, never "2026-11-"
            tokens = line(y).split()
            dates = [t for t in tokens if t[:2] == "20" and "-" in t]
            assert all(len(d) == 10 for d in dates) and (dates or "never" in tokens)
        await pilot.press("right")
        await pilot.pause()
        assert "Account" in labels()
        await pilot.press("left", "left")
        await pilot.pause()
        assert table.scroll_offset.x == 0 and labels() == first


async def test_column_picker_drops_columns_and_gives_the_width_away(demo_ctx: AppContext) -> None:
    from textual.widgets import SelectionList

    from zoomtui.tui.app import create_app
    from zoomtui.tui.screens.dialogs import ColumnPicker

    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#users-table", WindowTable)
        table.focus()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ColumnPicker)
        picks = app.screen.query_one(SelectionList)
        for key in ("last_name", "status", "last_login_time", "dept"):
            picks.deselect(key)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        keys = [c.key for c in table.columns]
        assert keys == ["email", "plan", "days_inactive", "addons", "account_id"]
        assert sum(w + 1 for w in table.widths) <= SIZE[0]
        assert table.widths[0] > 25  # the e-mail got room


async def test_the_column_picker_is_shown_again_ticked_as_the_table_is_now(
    demo_ctx: AppContext,
) -> None:
    """Built once and shown again: the table's columns ticked, the cursor on top, as new."""
    from textual.widgets import SelectionList

    from zoomtui.tui.app import create_app
    from zoomtui.tui.screens.dialogs import ColumnPicker
    from zoomtui.tui.screens.users import SHOWN, UsersScreen

    def state(picker: ColumnPicker) -> tuple[str, str | None, int | None]:
        focused = picker.focused
        highlighted = picker.query_one(SelectionList).highlighted
        return app.export_screenshot(), focused.id if focused else None, highlighted

    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#users-table", WindowTable)
        table.focus()
        await pilot.press("c")
        await pilot.pause()
        first = app.screen
        assert isinstance(first, ColumnPicker)
        new = state(first)
        assert new[2] == 0  # on the first column
        await pilot.press("down", "down", "space")  # the cursor down, a column off
        await pilot.pause()
        assert "status" not in [c.key for c in table.columns]
        await pilot.press("escape")
        await pilot.pause()
        table.set_columns(SHOWN)  # the columns changed another way
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is first  # built once, shown again
        assert state(first) == new  # what a new one shows: status ticked, the cursor on top
        await pilot.press("escape")
        await pilot.pause()
        assert [c.key for c in table.columns] == [c.key for c in SHOWN]  # nothing applied

        # After a profile switch the Users screen is new: ticks apply to its table.
        await app._switch(demo_ctx.profile, None)
        await pilot.pause()
        users = app.screen
        assert isinstance(users, UsersScreen) and users.table is not table
        users.table.set_columns([c for c in SHOWN if c.key != "dept"])
        users.table.focus()
        await pilot.press("c")
        await pilot.pause()
        picker = app.screen  # a new one: the dialogs built once go with the old account
        assert isinstance(picker, ColumnPicker) and picker is not first
        picks = picker.query_one(SelectionList)
        assert set(picks.selected) == {c.key for c in users.table.columns}
        picks.select("last_hosted_month")
        await pilot.pause()
        assert "last_hosted_month" in [c.key for c in users.table.columns]
        assert "dept" not in [c.key for c in users.table.columns]


async def test_async_pages_arrive_later_and_a_new_source_drops_late_ones() -> None:
    import asyncio

    gate = asyncio.Event()
    asked: list[int] = []

    async def slow(offset: int, limit: int) -> tuple[list[dict[str, object]], int]:
        asked.append(offset)
        await gate.wait()
        return Counting()(offset, limit)

    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(WindowTable)
        table.focus()
        first, _ = Counting()(0, WindowTable.PAGE_SIZE)
        table.show_pages(first, TOTAL, slow)
        await pilot.press("end")
        await asyncio.sleep(0.2)  # not pilot.pause(): it would wait for the held page
        assert table.cursor == TOTAL - 1 and table.cursor_row is None  # still reading
        assert asked and max(asked) == (TOTAL - 1) // WindowTable.PAGE_SIZE * WindowTable.PAGE_SIZE
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.cursor_row == {"email": "user099999@example.com", "n": TOTAL - 1}
        # A new source while a page of the old one is still being read: the late page is dropped.
        gate.clear()
        table.show_pages([{"email": "only@example.com", "n": 0}], TOTAL, slow)
        await pilot.press("end")
        await asyncio.sleep(0.2)
        table.show_pages([{"email": "new@example.com", "n": 0}], 1, None)
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.total == 1 and table.row_at(0) == {"email": "new@example.com", "n": 0}
