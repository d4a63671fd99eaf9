"""A WindowTable whose long cells wrap onto more lines, for rows already in memory.

Why: the Diff screen's DataTable measured and built every one of up to 5,000 rows on the
event loop (0.6-1 s at 100,000 users) and its value column has to wrap, which the
one-line WindowTable does not. This table keeps the rows as a list, counts each row's
lines once (a cell length per cell; only a cell wider than its column is wrapped) and
wraps and draws only the rows on screen.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from typing import ClassVar

from rich.cells import cell_len, chop_cells
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.strip import Strip

from zoomtui.tui.widgets.columns import Column, Row, place
from zoomtui.tui.widgets.window_table import WindowTable, keys_without_letters


def wrap(text: str, width: int) -> list[str]:
    """``text`` on lines of at most ``width`` cells, broken at spaces where it can be."""
    if cell_len(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if cell_len(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        pieces = chop_cells(word, width) if cell_len(word) > width else [word]
        lines.extend(pieces[:-1])
        line = pieces[-1]
    lines.append(line)
    return lines


def measure(rows: list[Row], columns: list[Column]) -> tuple[list[int], int]:
    """The first line of each row and the number of lines: only wide cells are wrapped."""
    starts: list[int] = []
    line = 0
    for row in rows:
        starts.append(line)
        height = 1
        for column in columns:
            text = column.text(row)
            if cell_len(text) > column.width:
                height = max(height, len(wrap(text, column.width)))
        line += height
    return starts, line


class WrapTable(WindowTable, inherit_bindings=False):
    """Rows from a list, columns of fixed widths, cells wrapped; only visible rows drawn.

    Its keys are WindowTable's but for ``j`` and ``k``, which the Diff screen uses.
    """

    BINDINGS: ClassVar[list[Binding]] = keys_without_letters()  # type: ignore[assignment]

    CACHE: ClassVar[int] = 200

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *WindowTable.COMPONENT_CLASSES,
        "wrap-table--even",
    }

    # The colours of the DataTable this replaced on the Diff screen (Textual's own CSS):
    # a surface tinted when focused, the even rows darker, the header on the panel.
    DEFAULT_CSS = """
    WrapTable {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .window-table--header { background-tint: $foreground 5%; }
        }
        & > .window-table--header { text-style: bold; background: $panel; color: $foreground; }
        &:dark > .wrap-table--even { background: $surface-darken-1 40%; }
        & > .wrap-table--even { background: $surface-lighten-1 50%; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__([], id=id, classes=classes)
        self.rows: list[Row] = []
        self._starts: list[int] = []  # the first line of each row
        self.lines = 0
        self._wrapped: OrderedDict[int, list[list[str]]] = OrderedDict()
        self.built = 0
        """Rows wrapped for display so far (a test checks only a window of them is)."""

    def show_rows(
        self, rows: list[Row], columns: list[Column], lines: tuple[list[int], int] | None = None
    ) -> None:
        """Show ``rows`` in ``columns`` (their widths as given), cursor on the first row.

        ``lines`` is ``measure(rows, columns)``, worked out off the loop for a long list.
        """
        self.columns = columns
        self.widths = [c.width for c in columns]
        self.rows = rows
        self._wrapped.clear()
        self._starts, self.lines = lines or measure(rows, columns)
        self.set_provider(lambda offset, limit: (rows[offset : offset + limit], len(rows)))

    def row_lines(self, index: int) -> list[list[str]]:
        """Row ``index``'s cells, each as its wrapped lines (kept for the rows on screen)."""
        cells = self._wrapped.get(index)
        if cells is None:
            row = self.rows[index]
            cells = [wrap(c.text(row), w) for c, w in zip(self.columns, self.widths, strict=True)]
            self.built += 1
            self._wrapped[index] = cells
            while len(self._wrapped) > self.CACHE:
                self._wrapped.popitem(last=False)
        return cells

    def row_height(self, index: int) -> int:
        end = self._starts[index + 1] if index + 1 < len(self._starts) else self.lines
        return end - self._starts[index]

    # -- layout: fixed widths, one virtual line per wrapped line --------------------------

    def _layout(self) -> None:
        self.widths = [c.width for c in self.columns]
        self._update_virtual_size()

    def _update_virtual_size(self) -> None:
        lines = getattr(self, "lines", 0)
        self.virtual_size = Size(sum(w + 2 for w in self.widths), lines + 1)

    def _place(self, cells: list[str], style: Style, scroll_x: int) -> Strip:
        """A cell of padding each side of every cell, as the DataTable this replaced drew."""
        padded = [f" {cell}" for cell in cells]
        return place(padded, [w + 1 for w in self.widths], style, scroll_x, self.view_width)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:
            style = self.rich_style + self.get_component_rich_style("window-table--header")
            return self._place(self._header_text(), style, int(scroll_x))
        line = int(scroll_y) + y - 1
        if not 0 <= line < self.lines:
            return Strip.blank(self.view_width, self.rich_style)
        index = bisect_right(self._starts, line) - 1
        within = line - self._starts[index]
        cells = [
            c.cell(lines[within] if within < len(lines) else "", w)
            for c, lines, w in zip(self.columns, self.row_lines(index), self.widths, strict=True)
        ]
        style = self.rich_style
        if index % 2 == 0:
            style += self.get_component_rich_style("wrap-table--even")
        if index == self.cursor:
            style += self.get_component_rich_style("window-table--cursor")
        return self._place(cells, style, int(scroll_x))

    # -- the cursor moves by rows, the view by lines --------------------------------------

    def _refresh_row(self, index: int) -> None:
        if not 0 <= index < len(self._starts):
            return
        y = self._starts[index] - int(self.scroll_offset.y) + 1
        height = self.row_height(index)
        if y + height > 1 and y < self.size.height:
            self.refresh(Region(0, max(y, 1), self.view_width, height))

    def _scroll_cursor_into_view(self) -> None:
        if not 0 <= self.cursor < len(self._starts):
            return
        visible = max(self.size.height - 1 - (1 if self.show_horizontal_scrollbar else 0), 1)
        top = int(self.scroll_offset.y)
        first = self._starts[self.cursor]
        last = first + self.row_height(self.cursor) - 1
        if first < top:
            self.scroll_to(y=first, animate=False)
        elif last >= top + visible:
            self.scroll_to(y=min(first, last - visible + 1), animate=False)

    def action_page(self, direction: int) -> None:
        """A screenful of lines up or down, to the row found there."""
        if not self.rows:
            return
        line = self._starts[self.cursor] + direction * max(self.size.height - 2, 1)
        line = max(0, min(line, self.lines - 1))
        self._move_to(bisect_right(self._starts, line) - 1)

    async def _on_click(self, event: events.Click) -> None:
        if event.y == 0:
            return  # the diff has a fixed order: added, removed, changed
        line = int(self.scroll_offset.y) + event.y - 1
        if 0 <= line < self.lines:
            self.cursor = bisect_right(self._starts, line) - 1
            if event.chain >= 2:
                self.action_select()
