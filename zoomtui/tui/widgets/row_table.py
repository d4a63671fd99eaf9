"""A row-cursor DataTable whose Home and End go to the first and last row."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding
from textual.widgets import DataTable


class RowTable(DataTable[str]):
    """Why: DataTable's Home/End move between columns, which a row cursor never uses."""

    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("home", "scroll_top", "First", show=False),
        Binding("end", "scroll_bottom", "Last", show=False),
    ]
