"""The columns of a WindowTable: what each shows, how the width is shared, a line's cells.

Why a module of its own: the layout (which columns share a screen, how wide each is, which
cells a line shows) is pure arithmetic on widths, tested without an app, while the table
widget owns the paging and the cursor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    """One column: the row key it shows, its header, width and how a value becomes text."""

    key: str
    label: str
    width: int
    format: Callable[[Row], str] | None = None
    right: bool = False
    grow: int = 0
    """Share of the spare width this column takes on a wide terminal (0: fixed width)."""

    def text(self, row: Row) -> str:
        if self.format is not None:
            return self.format(row)
        value = row.get(self.key)
        return "" if value is None else str(value)

    def cell(self, text: str, width: int | None = None) -> str:
        """The text fitted to the column (or to ``width``): padded, or cut with an ellipsis."""
        width = width or self.width
        text = text.replace("\n", " ")
        if cell_len(text) > width:
            return set_cell_size(text, width - 1) + "…"
        if self.right:
            text = text.rjust(width)
        return set_cell_size(text, width)


FIRST_MAX = 40
"""The widest the first column grows to before the others get spare room."""


def spread(columns: list[Column], width: int, first_fit: int = 0) -> list[int]:
    """Column widths for a table ``width`` cells wide: spare room goes to growing columns.

    Why: at 120 columns the e-mail was still cut at 25 while 40 cells stayed empty, and
    at 80 a date was cut to "2026-11-" at the screen's edge. The first column names the
    row and stays put while the others move sideways a page at a time; a page holds
    whole columns only (``page_starts``) and its spare room goes to its growing columns
    (the first page's to the first column too), so every page fills the width.
    ``first_fit`` is the longest first-column text seen (the first page of rows): the
    first column grows to it, up to ``FIRST_MAX``, while one more column still fits.
    """
    widths = [c.width for c in columns]
    spare = width - sum(w + 1 for w in widths)
    if spare >= 0 or len(columns) < 2:
        _share(columns, widths, range(len(columns)), spare)
        return widths
    if columns[0].grow:
        beside = width - columns[1].width - 3  # the first and one more column, whole
        fit = min(first_fit, FIRST_MAX, beside)
        widths[0] = max(widths[0], min(FIRST_MAX, (width - 40) // 2), fit)
    first = True
    start = 1
    while start < len(columns):
        room = max(width - widths[0] - 1, 1)
        end, used = _fill(widths, start, room)
        members = range(start, end)
        _share(columns, widths, [0, *members] if first else members, room - used)
        first = False
        start = end
    return widths


def _fill(widths: list[int], start: int, room: int) -> tuple[int, int]:
    """How many columns from ``start`` fit ``room`` whole (at least one, narrowed to fit)."""
    used, end = 0, start
    while end < len(widths) and used + widths[end] + 1 <= room:
        used += widths[end] + 1
        end += 1
    if end == start:  # wider than a page on its own: it gets the page
        widths[start] = max(room - 1, 1)
        used, end = widths[start] + 1, start + 1
    return end, used


def _share(columns: list[Column], widths: list[int], members: Any, spare: int) -> None:
    members = [i for i in members if columns[i].grow]
    shares = sum(columns[i].grow for i in members)
    if spare <= 0 or not shares:
        return
    for i in members:
        widths[i] += spare * columns[i].grow // shares
    widths[members[0]] += spare - sum(spare * columns[i].grow // shares for i in members)


def page_starts(widths: list[int], width: int) -> list[int]:
    """The sideways scroll offsets at which a page of whole columns begins (the first is 0)."""
    if not widths:
        return [0]
    room = max(width - widths[0] - 1, 1)
    starts, used = [0], 0
    left = 0  # offset of the column after the first, in the scrolled part
    for w in widths[1:]:
        if used and used + w + 1 > room:
            starts.append(left)
            used = 0
        used += w + 1
        left += w + 1
    return starts


def place(cells: list[str], widths: list[int], style: Style, scroll_x: int, width: int) -> Strip:
    """One table line: the first cell, then the other cells whole in view after ``scroll_x``.

    Why whole cells only: a column cut at the screen's edge showed "2026-11-" for a
    date; a column that does not fit is left blank and is on the next page (→).
    One segment per cell, so exported SVGs place every column exactly.
    """
    if not cells:
        return Strip.blank(width, style)
    segments = [Segment(cells[0] + " ", style)]
    frozen = x = widths[0] + 1
    left = frozen - scroll_x  # where the second column is in view
    for cell, w in zip(cells[1:], widths[1:], strict=True):
        if left >= frozen and left + w <= width:
            if left > x:
                segments.append(Segment(" " * (left - x), style))
            segments.append(Segment(cell + " ", style))
            x = left + w + 1
        left += w + 1
    if x < width:
        segments.append(Segment(" " * (width - x), style))
    return Strip(segments).crop(0, width)


def whole_columns(widths: dict[str, int], drop_first: tuple[str, ...], room: int) -> list[str]:
    """The keys of ``widths`` (in order) that fit ``room`` cells whole, leaving out
    ``drop_first`` in turn until they do (``room`` 0: not laid out yet, keep them all).

    Why: a DataTable too wide for the terminal scrolled sideways and cut the column at the
    edge; a screen whose columns are few enough drops the least needed ones instead.
    """
    keys = list(widths)
    for key in drop_first:
        if not room or sum(widths[k] for k in keys) <= room:
            break
        keys.remove(key)
    return keys
