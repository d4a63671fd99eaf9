"""Accounts: every profile's latest complete run side by side, as ``zoomtui summary`` has it."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from zoomtui.services.accounts import Accounts
from zoomtui.services.context import AppContext
from zoomtui.services.profiles import SUMMARY_COLUMNS, summary_total
from zoomtui.tui.actions import bindings_for
from zoomtui.tui.safe import safe
from zoomtui.tui.screens.base import ZoomScreen
from zoomtui.tui.screens.exporting import start_export
from zoomtui.tui.screens.switcher import when
from zoomtui.tui.widgets.columns import whole_columns
from zoomtui.tui.widgets.row_table import RowTable

# (summary key, header); short headers so nine columns fit 80 cells with short names.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("profile", "Profile"),
    ("account_id", "Account"),
    ("run_id", "Run"),
    ("finished_at", "Finished (UTC)"),
    ("users", "Users"),
    ("licensed", "Lic."),
    ("idle_licensed", "Idle lic."),
    ("free_seats", "Free"),
    ("savings_per_year", "Savings/yr"),
)
DROP_FIRST = ("account_id", "run_id", "finished_at")
"""Columns left out, in this order, when a terminal is too narrow for all of them whole."""
NUMERIC = {"run_id", "users", "licensed", "idle_licensed", "free_seats", "savings_per_year"}


def cell(key: str, value: Any) -> str:
    """One value as the table shows it: counts with separators, money with cents."""
    if value is None:
        return ""
    if key == "finished_at":
        return when(value)
    if key == "savings_per_year":
        return f"{value:,.2f}"
    if key in NUMERIC and key != "run_id":
        return f"{value:,}"
    return str(value)


def _cell_text(key: str, value: Any) -> Text:
    """A table cell: counts and money right-aligned so their digits line up."""
    text = safe(cell(key, value))
    if key in NUMERIC:
        text.justify = "right"
    return text


def account_summaries(_ctx: AppContext, accounts: Accounts) -> list[dict[str, Any]]:
    """Every account's summary record (a reader-thread read: it opens each history)."""
    return accounts.summary()


def sort_key(key: str, record: dict[str, Any]) -> tuple[bool, Any]:
    """Accounts without a value sort last whichever the direction's first element says."""
    value = record.get(key)
    if value is None:
        return (True, 0 if key in NUMERIC else "")
    return (False, value if key in NUMERIC else str(value).lower())


class AccountsScreen(ZoomScreen):
    """One row per profile; ``s`` sorts, ``e`` exports, Enter opens that account's Users."""

    MODE = "accounts"
    BINDINGS: ClassVar[list[Binding]] = bindings_for("accounts")  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.records: list[dict[str, Any]] = []
        self.sort_by = "profile"
        self.descending = False

    def compose_body(self) -> ComposeResult:
        yield Static("", id="accounts-hint", classes="counts")
        yield RowTable(id="accounts-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="accounts-total", classes="counts")

    def on_mount(self) -> None:
        super().on_mount()
        self.reload()
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        if self.records and self._fitting() != self._columns():
            self._fill()

    def _columns(self) -> list[str]:
        return [str(c.key.value) for c in self.query_one(DataTable).columns.values()]

    def _fitting(self) -> list[str]:
        """The columns that fit the table's width whole, dropping ``DROP_FIRST`` in turn.

        Why: at 80 columns the savings (the figure this screen is for) scrolled off the
        right edge behind an account id; a column now is either whole or left out.
        """
        table = self.query_one(DataTable)
        room = table.scrollable_content_region.width or self.size.width
        widths = {
            key: max([len(label)] + [len(cell(key, r.get(key))) for r in self.records])
            + 2 * table.cell_padding
            for key, label in COLUMNS
        }
        return whole_columns(widths, DROP_FIRST, room)

    def on_screen_resume(self) -> None:
        # A first visit resumes twice just after mounting: the read under way is fresh.
        if not self.reading("read-accounts"):
            self.reload()

    def run_finished(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read every account's summary in a reader thread; the newest request wins."""
        if not self.records:
            self.query_one("#accounts-hint", Static).update("Reading the accounts…")
        self._load()

    @work(group="read-accounts", exit_on_error=False)
    async def _load(self) -> None:
        ticket = self.ticket("accounts")
        try:
            records = await self.zapp.reader(account_summaries, self.zapp.accounts)
        except Exception as exc:  # a profile whose settings file does not parse, for one
            if self.is_latest("accounts", ticket):
                self.report(exc, "Accounts unavailable")
            return
        if not self.is_latest("accounts", ticket):
            return
        self.records = records
        self._fill()

    def shown(self) -> list[dict[str, Any]]:
        """The records in the order on screen."""
        have = [r for r in self.records if r.get(self.sort_by) is not None]
        missing = [r for r in self.records if r.get(self.sort_by) is None]
        ordered = sorted(have, key=lambda r: sort_key(self.sort_by, r), reverse=self.descending)
        return ordered + missing  # accounts without a run stay at the bottom either way

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        keep = self._current()
        keys = self._fitting()
        table.clear(columns=keys != self._columns())
        if not table.columns:
            for key in keys:
                table.add_column(dict(COLUMNS)[key], key=key)
        rows = self.shown()
        for record in rows:
            # account ids and profile names are typed by people: never markup
            table.add_row(*(_cell_text(k, record.get(k)) for k in keys), key=record["profile"])
        names = [r["profile"] for r in rows]
        current = keep if keep in names else self.ctx.profile
        if current in names:
            table.move_cursor(row=names.index(current))
        self._show_total()
        label = dict(COLUMNS)[self.sort_by]
        arrow = "↓" if self.descending else "↑"
        without = sum(1 for r in self.records if r["run_id"] is None)
        note = f" · {without} without a complete run" if without else ""
        hidden = [label for key, label in COLUMNS if key not in keys]
        note += f" · narrow: {', '.join(hidden)} hidden" if hidden else ""
        self.query_one("#accounts-hint", Static).update(
            safe(f"{len(rows)} accounts · sorted by {label} {arrow} · Enter: its users{note}")
        )

    def _show_total(self) -> None:
        total = summary_total(self.records)
        parts = [
            f"{cell(k, total[k])} {word}"
            for k, word in (  # the headers' words: one line at 80 columns
                ("users", "users"),
                ("licensed", "lic."),
                ("idle_licensed", "idle lic."),
                ("free_seats", "free"),
                ("savings_per_year", "savings/yr"),
            )
            if total[k] is not None
        ]
        text = "Total: " + (" · ".join(parts) if parts else "no complete run yet")
        self.query_one("#accounts-total", Static).update(safe(text))

    def _current(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.records or table.cursor_row < 0 or table.cursor_row >= table.row_count:
            return None
        row_key, _col = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0))
        return row_key.value

    def action_next_sort(self) -> None:
        keys = [k for k, _l in COLUMNS]
        self.sort_by = keys[(keys.index(self.sort_by) + 1) % len(keys)]
        self._fill()

    def action_reverse_sort(self) -> None:
        self.descending = not self.descending
        self._fill()

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value or "profile"
        if key == self.sort_by:
            self.descending = not self.descending
        else:
            self.sort_by, self.descending = key, False
        self._fill()

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        """Show the highlighted account's users (switching profile when it is another)."""
        name = self._current()
        if name is None:
            return
        if name == self.ctx.profile:
            self.zapp.switch_mode("users")
        else:
            self.zapp.switch_profile(name, "users")

    def action_export(self) -> None:
        start_export(
            self,
            "accounts",
            "accounts",
            lambda _ctx: [{k: r.get(k) for k in SUMMARY_COLUMNS} for r in self.shown()],
            columns=SUMMARY_COLUMNS,
            count=len(self.records),
        )
