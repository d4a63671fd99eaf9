"""The Diff screen's table wraps long values and builds only the rows on screen."""

from __future__ import annotations

from textual.app import App, ComposeResult

from zoomtui.tui.screens.diff import diff_columns, diff_widths, display_row
from zoomtui.tui.widgets.wrap_table import WrapTable, wrap

CHANGES = 3_000


def changes() -> list[dict[str, object]]:
    """A large diff: every third change has a value long enough to wrap at 80 columns."""
    rows = []
    for i in range(CHANGES):
        before = "Licensed " * 8 if i % 3 == 0 else "Basic"
        rows.append(
            {
                "kind": "changed",
                "email": f"user{i:05d}@example.com",
                "field": "plan",
                "before": before.strip(),
                "after": f"plan{i}",
            }
        )
    return rows


class DiffTableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield WrapTable()


def rendered(table: WrapTable) -> str:
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


async def test_a_large_diff_builds_only_the_visible_rows_and_scrolls_to_the_last() -> None:
    app = DiffTableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(WrapTable)
        table.focus()
        shown = [display_row(row) for row in changes()]
        table.show_rows(shown, diff_columns(diff_widths(shown, table.view_width)))
        await pilot.pause()
        assert table.total == CHANGES
        assert table.lines > CHANGES  # the long values wrapped onto more lines
        assert 0 < table.built <= table.size.height  # a window of rows, not 3,000
        assert "user00000@example.com" in rendered(table)
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor == CHANGES - 1
        text = rendered(table)
        assert f"user{CHANGES - 1:05d}@example.com" in text
        assert f"plan{CHANGES - 1}" in text  # the last change's value, on screen whole
        assert table.built <= 3 * table.size.height  # the first window and the last
        await pilot.press("pageup", "up", "k")  # keys move by rows; k is the screen's
        await pilot.pause()
        assert table.cursor < CHANGES - 2


def test_wrap_breaks_at_spaces_and_inside_long_words() -> None:
    assert wrap("Licensed → Basic", 10) == ["Licensed →", "Basic"]
    assert wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert wrap("short", 10) == ["short"]
