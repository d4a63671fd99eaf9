"""A row-cursor DataTable whose Home and End go to the first and last row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class RowTable(DataTable[str]):
    """Why: DataTable's Home/End move between columns, which a row cursor never uses."""

    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("home", "scroll_top", "First", show=False),
        Binding("end", "scroll_bottom", "Last", show=False),
    ]

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Textual's, then a redraw when the new rows widened a column.

        Why: the rows drawn before the table measured them (it measures when idle) kept
        their cells cut at the header's width ("comple" for "complete") until something
        else redrew the table; the footer's rebuilds used to, by chance.
        """
        before = [c.get_render_width(self) for c in self.ordered_columns]
        super()._update_dimensions(new_rows)
        if [c.get_render_width(self) for c in self.ordered_columns] != before:
            self._clear_caches()
            self.refresh()
