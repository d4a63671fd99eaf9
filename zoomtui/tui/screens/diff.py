"""Diff: what changed between two complete runs, field by field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Label, Select, Static

from zoomtui.errors import ZoomtuiError
from zoomtui.licences import status_word
from zoomtui.services.context import AppContext
from zoomtui.services.diff import RunDiff, diff_runs
from zoomtui.services.runs import complete_run_ids
from zoomtui.text import safe_text
from zoomtui.tui.actions import bindings_for
from zoomtui.tui.safe import safe
from zoomtui.tui.screens.base import ZoomScreen
from zoomtui.tui.screens.exporting import start_export
from zoomtui.tui.widgets.columns import Column, Row
from zoomtui.tui.widgets.user_detail import plain
from zoomtui.tui.widgets.wrap_table import WrapTable, measure

KINDS = ("all", "added", "removed", "changed")


def diff_rows(result: RunDiff, kind: str = "all") -> list[dict[str, Any]]:
    """Flatten a diff into one row per added / removed user and per changed field."""
    rows: list[dict[str, Any]] = []
    if kind in ("all", "added"):
        for user in result.added:
            rows.append(
                {
                    "kind": "added",
                    "email": user.get("email"),
                    "field": "plan",
                    "before": None,
                    "after": user.get("plan"),
                }
            )
    if kind in ("all", "removed"):
        for user in result.removed:
            rows.append(
                {
                    "kind": "removed",
                    "email": user.get("email"),
                    "field": "plan",
                    "before": user.get("plan"),
                    "after": None,
                }
            )
    if kind in ("all", "changed"):
        for change in result.changed:
            for field, pair in change.changes.items():
                before, after = pair[0], pair[1]
                if field == "status":  # Zoom's "inactive" is the product's "deactivated"
                    before, after = status_word(before), status_word(after)
                rows.append(
                    {
                        "kind": "changed",
                        "email": change.email,
                        "field": field,
                        "before": before,
                        "after": after,
                    }
                )
    return rows


def change_text(row: dict[str, Any]) -> str:
    """``Licensed → Basic``; an added user shows only after, a removed one only before."""
    if row["kind"] == "added":
        return f"+ {plain(row['after'])}"
    if row["kind"] == "removed":
        return f"- {plain(row['before'])}"
    return f"{plain(row['before'])} → {plain(row['after'])}"


HEADERS = {"kind": "Change", "email": "Email", "field": "Field", "value": "Before → after"}
MERGED = "Field: before → after"
"""The value column's header once the field is in it (a narrow terminal)."""
VALUE_MIN = 20
"""The narrowest the value column gets: below it the e-mail wraps instead."""
FIELD_MAX = 12


def value_text(row: dict[str, Any], merged: bool) -> str:
    return f"{row['field']}: {change_text(row)}" if merged else change_text(row)


def display_row(row: dict[str, Any]) -> Row:
    """A change as the table shows it: Zoom's text with its controls made visible."""
    return {
        "kind": row["kind"],
        "email": plain(row["email"]),
        "field": safe_text(row["field"]),
        "value": safe_text(change_text(row)),
    }


@dataclass(frozen=True, slots=True)
class DiffData:
    """A diff as the screen shows it, read in a reader thread: every kind's rows ready."""

    result: RunDiff
    complete: list[int]  # the pickers' runs
    kinds: dict[str, tuple[list[dict[str, Any]], list[Row]]]  # kind -> its rows, their text
    fields: int  # the changed fields counted in the summary


def read_diff(ctx: AppContext, from_run: int | None, to_run: int | None) -> DiffData:
    """In a reader thread: the diff, the complete runs, and each kind's rows and text.

    Why each kind here: filtering thousands of changes by kind on the event loop at
    each ``k`` was tens of milliseconds there.
    """
    complete = complete_run_ids(ctx)
    result = diff_runs(ctx, from_run, to_run)
    rows = diff_rows(result)
    shown = [display_row(row) for row in rows]
    # diff_rows gives the added, then the removed, then the changed: each kind a slice.
    added, removed = len(result.added), len(result.removed)
    bounds = {
        "all": (0, len(rows)),
        "added": (0, added),
        "removed": (added, added + removed),
        "changed": (added + removed, len(rows)),
    }
    kinds = {kind: (rows[a:b], shown[a:b]) for kind, (a, b) in bounds.items()}
    return DiffData(result, complete, kinds, fields=len(rows) - added - removed)


def diff_widths(rows: list[Row], room: int, gap: int = 2) -> dict[str, int]:
    """Widths of the display ``rows``' columns in ``room`` cells; long values wrap, none cut.

    Why: at 80x24 the value column was cut ("active → deactiv") and at 60x20 it was off
    the screen. The value gets the room the others leave; when narrow the Change column
    goes first (the value's ``+``, ``-`` or ``→`` says which change it is), then the
    field joins the value ("idle: no → yes"), then the e-mail narrows and wraps.
    ``gap`` is the cells the table adds to each column (a cell of padding each side).
    """
    widths = {key: cell_len(label) for key, label in HEADERS.items()}
    widths["kind"] = len("removed")
    for key in ("email", "field", "value"):
        widths[key] = max([widths[key], *(_cells(row[key]) for row in rows)])

    def rest() -> int:
        return room - sum(w + gap for k, w in widths.items() if k != "value") - gap

    if rest() < widths["value"]:
        del widths["kind"]
        widths["field"] = min(widths["field"], FIELD_MAX)
    if rest() < VALUE_MIN:
        del widths["field"]
    if rest() < VALUE_MIN:
        widths["email"] = max(widths["email"] - (VALUE_MIN - rest()), 12)
    widths["value"] = max(min(widths["value"] + (0 if "field" in widths else 99), rest()), 1)
    return widths


def _cells(text: str) -> int:
    """``cell_len`` of display text, for ASCII (nearly every e-mail and change) without its
    per-character work: ``safe_text`` made every control visible, so each is one cell."""
    return len(text) if text.isascii() else cell_len(text)


def merged_text(row: Row) -> str:
    return f"{row['field']}: {row['value']}"


def lay_out(
    _ctx: AppContext, shown: list[Row], room: int
) -> tuple[list[Column], tuple[list[int], int]]:
    """In a reader thread: the columns for ``room`` cells and each row's lines in them."""
    columns = diff_columns(diff_widths(shown, room))
    return columns, measure(shown, columns)


def diff_columns(widths: dict[str, int]) -> list[Column]:
    """The table's columns; without a Field column the field leads the value."""
    if "field" in widths:
        return [Column(key, HEADERS[key], width) for key, width in widths.items()]
    columns = [Column(key, HEADERS[key], widths[key]) for key in widths if key != "value"]
    merged = Column(
        "value", MERGED, widths["value"], format=lambda r: f"{r['field']}: {r['value']}"
    )
    return [*columns, merged]


class DiffScreen(ZoomScreen):
    """Pick two runs; see counts and a row per change with before and after."""

    MODE = "diff"
    BINDINGS: ClassVar[list[Binding]] = bindings_for("diff")  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.pair: tuple[int, int] | None = None
        self.data: DiffData | None = None
        self.kind = "all"
        self.rows: list[dict[str, Any]] = []  # the changes of the kind shown
        self.following_latest = True
        """True until the operator picks runs: then a new run leaves the chosen pair alone."""

    @property
    def result(self) -> RunDiff | None:
        return None if self.data is None else self.data.result

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="diff-pick"):
            yield Label("From run", classes="pick-label")
            yield Select[int]([], id="diff-from", compact=True, allow_blank=True, prompt="run")
            yield Label("to run", classes="pick-label")
            yield Select[int]([], id="diff-to", compact=True, allow_blank=True, prompt="run")
        yield Static("", id="diff-summary", classes="counts")
        yield WrapTable(id="diff-table")

    def on_mount(self) -> None:
        super().on_mount()
        self.compare(self.pair)
        self.query_one(WrapTable).focus()

    def run_finished(self) -> None:
        self.compare(None if self.following_latest else self.pair)

    def compare(self, pair: tuple[int, int] | None) -> None:
        """Diff ``pair`` (None: the two latest complete runs) and show it, read in a worker."""
        self.following_latest = pair is None
        self.query_one("#diff-summary", Static).update("Comparing…")
        self._compare(pair)

    @work(group="read-diff", exit_on_error=False, description="read the diff")
    async def _compare(self, pair: tuple[int, int] | None) -> None:
        """The newest request wins: an older diff still reading is dropped unseen."""
        ticket = self.ticket("diff")
        try:
            data = await self.zapp.reader(read_diff, *(pair or (None, None)))
        except ZoomtuiError as exc:
            if not self.is_latest("diff", ticket):
                return
            self._clear()
            self.query_one("#diff-summary", Static).update(safe(getattr(exc, "message", exc)))
            return
        if not self.is_latest("diff", ticket):
            return
        self.data = data
        self.pair = (data.result.from_run, data.result.to_run)
        self._set_options(data.complete, self.pair)
        self._fill()

    def _clear(self) -> None:
        self.data, self.rows = None, []
        self.ticket("diff-layout")  # a layout under way is for the rows cleared
        self.query_one(WrapTable).show_rows([], [])

    def _set_options(self, complete: list[int], pair: tuple[int, int] | None) -> None:
        """The pickers' runs, showing ``pair`` (set_options blanks them)."""
        options = [(f"#{run}", run) for run in complete]
        shown = pair or (None, None)
        for select_id, value in zip(("#diff-from", "#diff-to"), shown, strict=True):
            select = self.query_one(select_id, Select)
            with select.prevent(Select.Changed):
                select.set_options(options)
                if value in complete:
                    select.value = value

    def on_resize(self) -> None:
        if self.data is not None:
            self._fill()

    def _fill(self) -> None:
        """Show the kind chosen; its layout for the room there is is worked out off the loop."""
        if self.data is None:
            return
        self.rows, shown = self.data.kinds[self.kind]
        r = self.data.result
        self.query_one("#diff-summary", Static).update(
            f"Run {r.from_run} → {r.to_run}: {len(r.added):,} added, "
            f"{len(r.removed):,} removed, {len(r.changed):,} changed "
            f"({self.data.fields:,} fields) · showing {self.kind}"
        )
        table = self.query_one(WrapTable)
        self._lay_out(shown, table.view_width or self.size.width - 2)

    # A description: Textual's default quotes every argument, thousands of rows here.
    @work(group="read-diff-layout", exit_on_error=False, description="lay out the diff")
    async def _lay_out(self, shown: list[Row], room: int) -> None:
        """Why a thread: measuring thousands of changes took tens of ms on the loop."""
        ticket = self.ticket("diff-layout")
        columns, lines = await self.zapp.reader(lay_out, shown, room)
        if self.is_latest("diff-layout", ticket):
            self.query_one(WrapTable).show_rows(shown, columns, lines)

    @on(Select.Changed)
    def _picked(self) -> None:
        a = self.query_one("#diff-from", Select).value
        b = self.query_one("#diff-to", Select).value
        if isinstance(a, int) and isinstance(b, int) and a != b:
            self.compare((min(a, b), max(a, b)))
            return
        # Never leave the previous pair's summary under pickers that no longer show it.
        self._clear()
        why = "Pick two different runs." if a == b else "Pick both runs to compare."
        self.query_one("#diff-summary", Static).update(why)

    def action_next_kind(self) -> None:
        self.kind = KINDS[(KINDS.index(self.kind) + 1) % len(KINDS)]
        self._fill()

    def action_export(self) -> None:
        if self.result is None:
            self.notify("Nothing to export: pick two complete runs.", severity="warning")
            return
        a, b = self.pair or (0, 0)
        rows = list(self.rows)  # the kind shown, flattened in the reader thread
        start_export(self, "changes", f"diff-{a}-{b}", lambda _ctx: rows, count=len(rows))
