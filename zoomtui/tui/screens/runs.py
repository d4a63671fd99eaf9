"""Runs: the history of aggregations, trends across complete runs, and picking two to compare."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import DataTable, Static

from zoomtui.errors import ZoomtuiError
from zoomtui.services.runs import RunView, TrendPoint, runs_with_trends, skipped_parts
from zoomtui.tui.actions import bindings_for
from zoomtui.tui.safe import safe
from zoomtui.tui.screens.base import ZoomScreen
from zoomtui.tui.screens.exporting import start_export
from zoomtui.tui.widgets.bars import Trend
from zoomtui.tui.widgets.columns import whole_columns
from zoomtui.tui.widgets.row_table import RowTable

TRENDS = (
    ("total", "Users"),
    ("licensed", "Licensed"),
    ("idle_licensed", "Idle licensed"),
    ("seats_free", "Seats free"),
)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("mark", ""),
    ("run", "Run"),
    ("status", "Status"),
    ("started", "Started (UTC)"),
    ("users", "Users"),
    ("licensed", "Lic."),
    ("idle_licensed", "Idle lic."),
    ("time", "Time"),
    ("skipped", "Skipped"),
)
DROP_FIRST = ("skipped", "time")
"""Left out, in this order, on a terminal too narrow for every column whole; the hint line
then gives the highlighted run's time and what it skipped."""


def trend_value(point: TrendPoint, key: str) -> int:
    """One trend figure by its ``TRENDS`` key."""
    return int(getattr(point, key))


def _when(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M")


def _num(value: Any) -> str:
    return "" if value is None else f"{value:,}"


def _duration(seconds: Any) -> str:
    """``<1 s``, ``12 s``, ``2 min 24 s``, ``1 h 05 min``: a run time as people say it."""
    if seconds is None:
        return ""
    whole = round(float(seconds))
    if whole < 1:
        return "<1 s"
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


def _skipped(notes: Any) -> str:
    return ", ".join(skipped_parts(notes))


def run_cells(run: RunView, marked: bool) -> dict[str, str]:
    """One run's row, keyed as ``COLUMNS`` (plain text: the table makes it safe)."""
    return {
        "mark": "✓" if marked else "",
        "run": str(run.id),
        "status": run.status,
        "started": _when(run.started_at),
        "users": _num(run.record.users),
        "licensed": _num(run.licensed),
        "idle_licensed": _num(run.idle_licensed),
        "time": _duration(run.duration_s),
        "skipped": _skipped(run.record.notes),  # notes name Zoom's accounts
    }


class RunsScreen(ZoomScreen):
    """A table of every run (newest first) and four sparklines over the complete ones."""

    MODE = "runs"
    BINDINGS: ClassVar[list[Binding]] = bindings_for("runs")  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.runs: list[RunView] = []
        self._last_read: tuple[list[RunView], list[TrendPoint]] | None = None
        self.marked: list[int] = []
        self.hidden: list[str] = []

    def compose_body(self) -> ComposeResult:
        with Grid(id="trends"):
            for key, label in TRENDS:
                yield Trend(label, id=f"trend-{key}")
        yield Static("", id="runs-hint", classes="counts")
        yield RowTable(id="runs-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one(DataTable)
        for key, label in COLUMNS:  # keyed as _fill keys them: kept when they all fit
            table.add_column(label, key=key)
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        # A first visit resumes twice just after mounting: the read under way is fresh.
        if not self.reading("read-runs"):
            self.reload()

    def run_finished(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the runs and trends in a reader thread; the newest request wins."""
        if not self.runs:
            self.query_one("#runs-hint", Static).update("Reading the runs…")
        self._load()

    @work(group="read-runs", exit_on_error=False)
    async def _load(self) -> None:
        ticket = self.ticket("runs")
        try:
            runs, points = await self.zapp.reader(runs_with_trends)
        except ZoomtuiError as exc:
            self.report(exc)
            self._hint()
            return
        if not self.is_latest("runs", ticket):
            return
        if self.runs and (runs, points) == self._last_read:
            return  # a return or a first show after being built ahead: nothing new to draw
        self._last_read = (runs, points)
        self.runs = runs
        for key, _label in TRENDS:
            values = [float(trend_value(p, key)) for p in points]
            self.query_one(f"#trend-{key}", Trend).show(values)
        known = {r.id for r in self.runs}
        self.marked = [m for m in self.marked if m in known]
        self._fill()

    def on_resize(self) -> None:
        if self.runs:
            self._fill()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        rows = [run_cells(run, run.id in self.marked) for run in self.runs]
        pad = 2 * table.cell_padding
        widths = {k: max([cell_len(h)] + [cell_len(r[k]) for r in rows]) + pad for k, h in COLUMNS}
        room = table.scrollable_content_region.width or self.size.width
        keys = whole_columns(widths, DROP_FIRST, room)
        shown = [str(c.key.value) for c in table.columns.values()]
        table.clear(columns=keys != shown)
        if not table.columns:
            for key in keys:
                table.add_column(dict(COLUMNS)[key], key=key)
        self.hidden = [k for k, _h in COLUMNS if k not in keys]
        for run, cells in zip(self.runs, rows, strict=True):
            # the status and the skipped parts quote Zoom (an account's name): never markup
            table.add_row(*(safe(cells[k]) for k in keys), key=str(run.id))
        if self.runs:
            table.move_cursor(row=min(row, len(self.runs) - 1))
        self._hint()

    def _hint(self) -> None:
        complete = sum(1 for r in self.runs if r.complete)
        text = f"{len(self.runs)} runs, {complete} complete"
        run = self._current()
        if self.marked:
            text += " · marked: " + " and ".join(str(m) for m in sorted(self.marked))
        elif run is not None and run.record.error:  # why the highlighted run ended
            text += f" · run {run.id} {run.status}: {run.record.error}"
        elif run is not None and self.hidden:  # what the narrow table leaves out
            cells = run_cells(run, False)
            text += f" · run {run.id}"
            text += f" took {cells['time']}" if cells["time"] else f" {run.status}"
            text += f", skipped {cells['skipped']}" if cells["skipped"] else ""
        else:
            text += " · space marks two runs, c compares them"
        self.query_one("#runs-hint", Static).update(safe(text))  # the error quotes Zoom

    def _current(self) -> RunView | None:
        table = self.query_one(DataTable)
        if not self.runs or table.cursor_row < 0 or table.cursor_row >= len(self.runs):
            return None
        return self.runs[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._hint()

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_mark()

    def action_mark(self) -> None:
        run = self._current()
        if run is None:
            return
        if not run.complete:
            self.notify(
                f"Run {run.id} is {run.status}; only complete runs compare.", severity="warning"
            )
            return
        if run.id in self.marked:
            self.marked.remove(run.id)
        else:
            self.marked = [*self.marked, run.id][-2:]
        self._fill()

    def action_compare(self) -> None:
        """Diff the two marked runs, or the highlighted run against the previous complete one."""
        pair = sorted(self.marked)
        if len(pair) != 2:
            run = self._current()
            complete = sorted(r.id for r in self.runs if r.complete)
            if run is None or run.id not in complete or complete.index(run.id) == 0:
                self.notify("Mark two complete runs with space first.", severity="warning")
                return
            at = complete.index(run.id)
            pair = [complete[at - 1], run.id]
        self.zapp.show_diff(pair[0], pair[1])

    def action_export(self) -> None:
        rows = [run.as_dict() for run in self.runs]
        start_export(self, "runs", "runs", lambda _ctx: rows, count=len(rows))
