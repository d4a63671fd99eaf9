"""The windowed table reads only the pages it shows, whatever the number of rows."""

from __future__ import annotations

from textual.app import App, ComposeResult

from zoomtui.tui.widgets.window_table import Column, WindowTable

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
