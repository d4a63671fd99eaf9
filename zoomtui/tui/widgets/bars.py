"""Utilisation bars and trend lines: plain renderers of numbers they are given.

Bars use heavy and light rules so they stay readable without colour (NO_COLOR).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import ScrollableContainer, Vertical
from textual.widgets import Label, Sparkline, Static

from zoomtui.tui.safe import safe
from zoomtui.tui.widgets.flat_table import flat_text


def bar(used: int, total: int, width: int = 20) -> Text:
    """A ``━━━━━─────`` bar of ``used`` out of ``total``; over-use is marked with ``!``.

    Heavy and light rules read without colour and are one cell wide in the fonts that
    exported screenshots use (block and shade characters are not).
    """
    if total <= 0:
        return Text("·" * width, style="dim")
    share = min(used / total, 1.0)
    full = round(share * width)
    text = Text()
    text.append("━" * full, style="bold")
    text.append("─" * (width - full), style="dim")
    if used > total:
        text.append("!", style="bold reverse")
    return text


@dataclass(frozen=True)
class SeatLine:
    """One row of the seat table: what a plan has bought and used."""

    label: str
    purchased: int
    assigned: int
    pending: int
    group: str = ""

    @property
    def free(self) -> int:
        return self.purchased - self.assigned - self.pending


def _rows(lines: Sequence[SeatLine]) -> int:
    """The seat table's lines when no name wraps: the heading, the groups and the plans."""
    return 1 + len({ln.group for ln in lines if ln.group}) + len(lines)


def seat_table(lines: Sequence[SeatLine], at: int, bar_width: int) -> Table:
    """The seat table for a widget ``at`` cells wide (0: not laid out yet) with bars as asked."""
    # Numbers keep their width on a narrow terminal; the plan name and the bar give way.
    digits = max([5, *(len(f"{n:,}") for ln in lines for n in (ln.purchased, ln.assigned))])
    # The plan name takes what the numbers and a whole bar leave, up to the longest name
    # (was at most 30: account and plan names were cut even at 120 columns); on a
    # narrow screen the bar gives way (down to 4 cells) before the name does, and a
    # name that still does not fit wraps rather than being cut.
    width = (at or 200) - 4 * (digits + 2)  # a column's padding: 2
    longest = max([4, *(len(ln.group or "") for ln in lines), *(len(ln.label) + 2 for ln in lines)])
    bar_width = max(4, min(bar_width, width - longest - 7))
    room = width - (bar_width + 7)
    table = Table(box=None, expand=False, pad_edge=False, header_style="bold")
    table.add_column("Plan", overflow="fold", max_width=max(8, min(longest, room)))
    for name in ("Seats", "Used", "Pend", "Free"):
        table.add_column(name, justify="right", no_wrap=True, min_width=digits)
    # The share comes first and the bar is cropped, so a narrow screen keeps the share.
    table.add_column("Use", no_wrap=True, overflow="crop", min_width=9)
    group = None
    for line in lines:
        if line.group and line.group != group:
            group = line.group
            table.add_row(safe(group, "bold underline"), "", "", "", "", "")
        used = line.assigned + line.pending
        pct = f"{round(100 * used / line.purchased)}%" if line.purchased else ""
        free = Text(f"{line.free:,}", style="bold" if line.free < 0 else "")
        table.add_row(
            safe(f"  {line.label}" if line.group else line.label),  # Zoom's plan keys
            f"{line.purchased:,}",
            f"{line.assigned:,}",
            f"{line.pending:,}",
            free,
            Text(f"{pct:>4} ") + bar(used, line.purchased, bar_width),
        )
    return table


WIDE_BARS_FROM = 100
"""The terminal width from which the bars are 20 cells rather than 12."""


class SeatBars(Static):
    """Purchased / assigned / pending / free per plan, with a utilisation bar each."""

    DEFAULT_CSS = "SeatBars { height: auto; }"

    _shown: tuple[Sequence[SeatLine], int | None] | None = None
    _drawn: tuple[Sequence[SeatLine], int, int] | None = None

    def on_resize(self) -> None:
        # Drawn again only at a new width: its own height change (the table replacing
        # "Reading…") resizes it too, which drew the same table twice more (0.1-0.3 s).
        if self._shown is not None:
            lines, bar_width = self._shown
            if self._drawn != (lines, self._bars(bar_width), self._room(_rows(lines))):
                self.show(lines, bar_width)

    def _bars(self, bar_width: int | None) -> int:
        """The bars' width: as asked, else by the terminal's width when drawn (not when read:
        a screen built ahead reads at whatever size the terminal had then)."""
        if bar_width is not None:
            return bar_width
        return 12 if self.app.size.width < WIDE_BARS_FROM else 20

    def _room(self, rows: int) -> int:
        """The width to draw ``rows`` lines at: less the scrollbar they will bring along.

        Why: in a scrolling container of limited height (Seats: at most 45% of the
        screen), a table taller than it brings a scrollbar, which narrows this widget
        and drew the table a second time (about 80 ms at 60 plans). When the lines
        surely overflow, the table is drawn for the narrower width at once; when they
        overflow only by wrapping, the resize still redraws it.
        """
        width = self.content_size.width
        scroll = self.parent
        if not width or not isinstance(scroll, ScrollableContainer):
            return width
        if scroll.show_vertical_scrollbar:  # shown already; this widget may not know yet
            return min(width, scroll.scrollable_content_region.width - self.styles.gutter.width)
        limit = scroll.styles.max_height
        if limit is None or scroll.styles.overflow_y != "auto":
            return width
        room = int(limit.resolve(self.screen.size, self.app.size)) - scroll.styles.gutter.height
        if rows > room:
            return max(1, width - scroll.styles.scrollbar_size_vertical)
        return width

    def show(self, lines: Sequence[SeatLine], bar_width: int | None = None) -> None:
        self._shown = (lines, bar_width)
        bar_width = self._bars(bar_width)
        at = self._room(_rows(lines))
        if not at and not self.is_on_screen:
            # Built ahead (tui/ahead.py), not laid out yet: drawn when first shown (on_resize).
            # Drawn now, for no width, its height stayed that of the wrong drawing.
            self._drawn = None
            return
        self._drawn = (lines, bar_width, at)
        table = seat_table(lines, at, bar_width)
        # A layout already asked for (this widget's size changed in the layout that sent
        # the resize drawing it now) may have measured the old drawing: Textual's
        # refresh(layout=True) then neither re-measures it nor asks again, and the old
        # height stayed (Seats built ahead at 70 columns, shown at 110: a 53-line box
        # round a 34-line table). Asked again once that layout is done. A private flag,
        # read defensively: a Textual without it only skips the second request.
        pending = getattr(self, "_layout_required", False) is True
        if not lines:
            self.update("No seat counts in this run.")
        else:
            self.update(self._flat(table, at))
        if pending:
            self.call_after_refresh(self.refresh, layout=True)

    def _flat(self, table: Table, width: int) -> Text:
        """The table drawn once into styled text at the current width.

        Why: a Rich table is measured and drawn again at each layout and each paint
        (its height is its content's); with 60 plans that was about a second of the
        event loop on the first visit of Seats at 100,000 users.
        """
        return flat_text(self.app.console, table, width or 200)


class Trend(Vertical):
    """A labelled sparkline with the latest value and its change since the previous run."""

    DEFAULT_CSS = """
    Trend { height: 2; }
    Trend Sparkline { height: 1; }
    """

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label
        self.values: list[float] = []

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="trend-label")
        yield Sparkline([], summary_function=max)

    def show(self, values: Sequence[float]) -> None:
        self.values = list(values)
        self.query_one(Sparkline).data = self.values or [0]
        self._caption()

    def on_resize(self) -> None:
        self._caption()

    def _caption(self) -> None:
        """The longest caption that fits; the change itself is never cut (``-70`` at worst)."""
        if not self.values:
            self.query_one(Label).update(f"{self.label} no complete runs yet")
            return
        head = f"{self.label} {int(self.values[-1]):,}"
        options = [head]
        if len(self.values) > 1:
            delta = f"{int(self.values[-1] - self.values[-2]):+,}"
            options = [f"{head} ({delta}{tail})" for tail in (" vs previous", " vs prev.", "")]
        width = self.size.width or 200
        self.query_one(Label).update(next((o for o in options if len(o) <= width), options[-1]))
