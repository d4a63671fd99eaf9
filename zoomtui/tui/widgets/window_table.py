"""A table that renders only the rows on screen, fetched a page at a time from a callback.

Why: a DataTable loaded with 100,000 rows takes over ten seconds; this widget asks its page
provider for ``limit`` rows at ``offset`` only when a line becomes visible, keeps a small
cache of pages, and so redraws in constant time whatever the number of rows.

A page read from a database is read off the event loop: ``show_pages`` takes the first
page (read by the screen in its worker) and an async reader for the others, which a
worker calls when a page scrolls into view; its lines stay blank until it arrives.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import ClassVar

from rich.cells import cell_len
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from zoomtui.text import safe_text
from zoomtui.tui.widgets.columns import Column, Row, page_starts, place, spread

PageProvider = Callable[[int, int], tuple[list[Row], int]]
"""``(offset, limit) -> (rows, total)``: one page of rows and the total row count."""
AsyncPageProvider = Callable[[int, int], Awaitable[tuple[list[Row], int]]]
"""The same, awaited: a page read in a thread."""

__all__ = ["Column", "Row", "WindowTable", "spread"]


class WindowTable(ScrollView, can_focus=True):
    """Rows from a page provider, a header that stays put, a cursor and a sort indicator."""

    PAGE_SIZE: ClassVar[int] = 100
    MAX_PAGES: ClassVar[int] = 24

    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "select", "Details", show=False),
        Binding("right", "hpage(1)", "Right", show=False),
        Binding("left", "hpage(-1)", "Left", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "window-table--header",
        "window-table--cursor",
        "window-table--odd",
    }

    DEFAULT_CSS = """
    WindowTable {
        height: 1fr;
        scrollbar-gutter: stable;  /* the same width for rows whether they overflow or not */
        scrollbar-size-vertical: 1;
        & > .window-table--header { text-style: bold; background: $panel; }
        & > .window-table--odd { background: $boost; }
        & > .window-table--cursor {
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .window-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    cursor = reactive(0, repaint=False)
    sort_key: reactive[str] = reactive("", repaint=False)
    sort_descending = reactive(False, repaint=False)

    class Highlighted(Message):
        """The cursor moved onto ``row`` (None when the table is empty)."""

        def __init__(self, table: WindowTable, row: Row | None) -> None:
            super().__init__()
            self.table = table
            self.row = row

    class Selected(Message):
        """Enter was pressed (or a row double-clicked) on ``row``."""

        def __init__(self, table: WindowTable, row: Row) -> None:
            super().__init__()
            self.table = table
            self.row = row

    class SortRequested(Message):
        """A header was clicked: sort by ``key``."""

        def __init__(self, table: WindowTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

    def __init__(
        self,
        columns: list[Column],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = columns
        self.widths = [c.width for c in columns]
        self.total = 0
        self._provider: PageProvider | None = None
        self._reader: AsyncPageProvider | None = None
        self._reading: set[int] = set()
        self._generation = 0  # bumped on every new source: late pages of an old one are dropped
        self._pages: OrderedDict[int, list[Row]] = OrderedDict()
        self.fetches = 0
        self._first_fit = 0  # the longest first-column text of the first page
        self._update_virtual_size()

    # -- data -----------------------------------------------------------------------------------

    def set_provider(self, provider: PageProvider | None, *, keep_cursor: bool = False) -> None:
        """Show the rows of ``provider`` (None empties the table); fetches only the first page."""
        self._reset(provider, None)
        if provider is not None:
            rows, self.total = provider(0, self.PAGE_SIZE)
            self.fetches += 1
            self._pages[0] = rows
        self._show_first(keep_cursor)

    def show_pages(
        self,
        first: list[Row],
        total: int,
        reader: AsyncPageProvider | None,
        *,
        keep_cursor: bool = False,
    ) -> None:
        """Show ``total`` rows whose first page is ``first``; ``reader`` reads the others."""
        self._reset(None, reader)
        self.total = total
        self._pages[0] = first
        self._show_first(keep_cursor)

    def _reset(self, provider: PageProvider | None, reader: AsyncPageProvider | None) -> None:
        self._provider, self._reader = provider, reader
        self._generation += 1
        self._reading.clear()
        self._pages.clear()
        self.total = 0

    def _show_first(self, keep_cursor: bool) -> None:
        first = self._pages.get(0) or []
        if self.columns and first:  # the first column's room follows what it has to show
            column = self.columns[0]
            self._first_fit = max(cell_len(column.text(row)) for row in first)
            self._layout()
        self._update_virtual_size()
        cursor = min(self.cursor, max(self.total - 1, 0)) if keep_cursor else 0
        self.set_reactive(WindowTable.cursor, cursor)
        if not keep_cursor:
            self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()
        self.post_message(self.Highlighted(self, self.row_at(cursor)))

    def row_at(self, index: int) -> Row | None:
        """The row at ``index``, fetching its page if it is not cached.

        With an async reader a missing page is asked for and None returned until it arrives.
        """
        if not 0 <= index < self.total:
            return None
        page, within = divmod(index, self.PAGE_SIZE)
        rows = self._pages.get(page)
        if rows is None:
            if self._provider is None:
                self._read_later(page)
                return None
            rows, total = self._provider(page * self.PAGE_SIZE, self.PAGE_SIZE)
            self.fetches += 1
            self._keep(page, rows, total)
        else:
            self._pages.move_to_end(page)
        return rows[within] if within < len(rows) else None

    def _keep(self, page: int, rows: list[Row], total: int) -> None:
        if total != self.total:  # the data changed underneath; adopt the new count
            self.total = total
            self._update_virtual_size()
        self._pages[page] = rows
        while len(self._pages) > self.MAX_PAGES:
            self._pages.popitem(last=False)

    def _read_later(self, page: int) -> None:
        if self._reader is None or page in self._reading:
            return
        self._reading.add(page)
        self.run_worker(
            self._read_page(self._reader, self._generation, page),
            group="read-page",
            exit_on_error=False,
        )

    async def _read_page(self, reader: AsyncPageProvider, generation: int, page: int) -> None:
        try:
            rows, total = await reader(page * self.PAGE_SIZE, self.PAGE_SIZE)
        finally:
            if generation == self._generation:
                self._reading.discard(page)
        if generation != self._generation:
            return  # the filter or sort changed while this page was read
        self.fetches += 1
        self._keep(page, rows, total)
        self.refresh()
        if self.cursor // self.PAGE_SIZE == page:
            self.post_message(self.Highlighted(self, self.row_at(self.cursor)))

    @property
    def cursor_row(self) -> Row | None:
        return self.row_at(self.cursor)

    def set_columns(self, columns: list[Column]) -> None:
        """Show these columns (the column picker's choice), keeping rows and cursor."""
        self.columns = columns
        self._layout()
        self.scroll_to(x=0, animate=False, immediate=True)
        self.refresh()

    @property
    def view_width(self) -> int:
        """Cells a row has: the width less the vertical scrollbar's (always kept, see CSS)."""
        return self.scrollable_content_region.width

    def on_resize(self) -> None:
        self._layout()

    def _layout(self) -> None:
        if self.view_width:
            self.widths = spread(self.columns, self.view_width, self._first_fit)
        if len(self.widths) != len(self.columns):
            self.widths = [c.width for c in self.columns]
        self._update_virtual_size()
        if self.view_width and self.scroll_offset.x:  # stay on a page boundary after a resize
            x = int(self.scroll_offset.x)
            start = max(s for s in page_starts(self.widths, self.view_width) if s <= x)
            self.scroll_to(x=start, animate=False, immediate=True)

    def _update_virtual_size(self) -> None:
        width = sum(w + 1 for w in self.widths)
        if self.view_width:  # room to scroll the last page of columns to the left edge
            last = page_starts(self.widths, self.view_width)[-1]
            width = max(width, last + self.view_width)
        self.virtual_size = Size(width, self.total + 1)

    # -- rendering ------------------------------------------------------------------------------

    def _header_text(self) -> list[str]:
        cells = []
        for column, width in zip(self.columns, self.widths, strict=True):
            label = column.label
            if column.key == self.sort_key:
                label = f"{label}{'▼' if self.sort_descending else '▲'}"
            cells.append(column.cell(label, width))
        return cells

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.view_width
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("window-table--header")
            cells = self._header_text()
        else:
            index = scroll_y + y - 1
            row = self.row_at(index)
            if row is None:
                return Strip.blank(width, base)
            # Zoom text: escape sequences and bidi overrides shown, never sent to the terminal
            cells = [
                c.cell(safe_text(c.text(row)), w)
                for c, w in zip(self.columns, self.widths, strict=True)
            ]
            style = base
            if index % 2:
                style += self.get_component_rich_style("window-table--odd")
            if index == self.cursor:
                style += self.get_component_rich_style("window-table--cursor")
        return place(cells, self.widths, style, int(scroll_x), width)

    # -- cursor ---------------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._scroll_cursor_into_view()
        self.post_message(self.Highlighted(self, self.row_at(new)))

    def watch_sort_key(self) -> None:
        self.refresh()

    def watch_sort_descending(self) -> None:
        self.refresh()

    def _refresh_row(self, index: int) -> None:
        y = index - int(self.scroll_offset.y) + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.view_width, 1))

    def _scroll_cursor_into_view(self) -> None:
        visible = max(self.size.height - 1 - (1 if self.show_horizontal_scrollbar else 0), 1)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False)

    def _move_to(self, index: int) -> None:
        if self.total:
            self.cursor = max(0, min(index, self.total - 1))

    def action_cursor(self, delta: int) -> None:
        self._move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor + direction * max(self.size.height - 2, 1))

    def action_jump(self, index: int) -> None:
        self._move_to(self.total - 1 if index < 0 else index)

    def action_hpage(self, direction: int) -> None:
        """Move sideways a page of whole columns at a time (the first column stays)."""
        starts = page_starts(self.widths, self.view_width)
        x = int(self.scroll_offset.x)
        if direction > 0:
            target = next((s for s in starts if s > x), starts[-1])
        else:
            target = next((s for s in reversed(starts) if s < x), 0)
        self.scroll_to(x=target, animate=False)

    def action_select(self) -> None:
        row = self.cursor_row
        if row is not None:
            self.post_message(self.Selected(self, row))

    async def _on_click(self, event: events.Click) -> None:
        if event.y == 0:
            frozen = self.widths[0] + 1 if self.widths else 0
            x = event.x if event.x < frozen else event.x + int(self.scroll_offset.x)
            left = 0
            for column, width in zip(self.columns, self.widths, strict=True):
                if left <= x < left + width + 1:
                    self.post_message(self.SortRequested(self, column.key))
                    break
                left += width + 1
            return
        index = int(self.scroll_offset.y) + event.y - 1
        if 0 <= index < self.total:
            self.cursor = index
            if event.chain >= 2:
                self.action_select()

    def on_focus(self) -> None:
        self._refresh_row(self.cursor)

    def on_blur(self) -> None:
        self._refresh_row(self.cursor)


def keys_without_letters(*, enter: bool = True) -> list[Binding]:
    """WindowTable's keys without ``j``/``k`` (and ``enter`` unless kept), for a table
    on a screen that gives those letters (or Enter) other work."""
    keys = []
    for binding in WindowTable.BINDINGS:
        assert isinstance(binding, Binding)
        if binding.key == "enter" and not enter:
            continue
        plain = ",".join(k for k in binding.key.split(",") if k not in ("j", "k"))
        keys.append(replace(binding, key=plain))
    return keys
