"""Seats & reclaim: bought versus used per plan, and licensed users nobody uses."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from zoomtui.errors import ZoomtuiError
from zoomtui.services.context import AppContext
from zoomtui.services.seats import (
    ReclaimQuery,
    ReclaimResult,
    SeatCount,
    reclaim,
    reclaim_counts,
    reclaim_page,
    reclaim_query,
    seat_report,
    with_invitations,
)
from zoomtui.tui.actions import bindings_for
from zoomtui.tui.config_io import save_changes
from zoomtui.tui.safe import safe
from zoomtui.tui.screens.base import ZoomScreen
from zoomtui.tui.screens.exporting import start_export
from zoomtui.tui.screens.users import COLUMNS as USER_COLUMNS
from zoomtui.tui.widgets.bars import SeatBars, SeatLine
from zoomtui.tui.widgets.window_table import Row, WindowTable

_RECLAIM_KEYS = (
    "email", "last_name", "status", "days_inactive", "last_login_time", "last_hosted_month",
    "needs_licence", "dept", "account_id",
)  # fmt: skip
RECLAIM_COLUMNS = [c for key in _RECLAIM_KEYS for c in USER_COLUMNS if c.key == key]
# The reclaim definitions of services.seats.reclaim, in the operator's words.
DEFINITION_CHOICES = [
    ("idle (no login)", "idle"),
    ("unused (not hosting)", "unused"),
    ("idle and unused", "both"),
]
DEFINITION_WORDS = {
    "idle": "idle",
    "unused": "not hosting",
    "both": "idle and not hosting",
}


def seat_lines(records: list[SeatCount]) -> list[SeatLine]:
    """One bar per plan; plans are grouped under their account when there are several."""
    accounts = {r.account_id for r in records}
    lines = []
    for r in sorted(records, key=lambda r: (str(r.account_id), str(r.plan))):
        label = str(r.plan).removeprefix("plan_")
        if r.type_label and r.type_label != r.type:
            label = str(r.type_label)  # names the product and its capacity already
        elif r.type:
            label += f" · {r.type}"
        name = r.account_name or r.account_id
        group = f"{name} ({r.account_id})" if len(accounts) > 1 else ""
        lines.append(SeatLine(label, r.purchased or 0, r.assigned or 0, r.pending or 0, group))
    return lines


class SeatsScreen(ZoomScreen):
    """Seat bars on top; reclaim settings, savings and the candidate list below."""

    MODE = "seats"
    BINDINGS: ClassVar[list[Binding]] = bindings_for("seats")  # type: ignore[assignment]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-roomy")]  # noqa: RUF012 (app.tcss: reclaim form)

    def __init__(self) -> None:
        super().__init__()
        self.seats: list[SeatCount] = []
        self.result: ReclaimResult | None = None  # the counts and the first page only
        self.picked: ReclaimQuery | None = None  # who they are, in the run they were read from
        self._asked: tuple[int, float, str] | None = None  # the settings of the newest read

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="seat-scroll"):
            yield SeatBars(id="seat-bars")
        # Two parts side by side, one above the other below 80 columns (app.tcss)
        with Horizontal(id="reclaim-form"):
            with Horizontal(id="reclaim-what"):
                yield Label("Reclaim:", classes="pick-label")
                yield Select(
                    DEFINITION_CHOICES,
                    value="idle",
                    allow_blank=False,
                    compact=True,
                    id="reclaim-definition",
                )
                yield Label("≥", classes="pick-label")
                yield Input(id="reclaim-days", type="integer", compact=True, max_length=5)
                yield Label("days", classes="pick-label")
            with Horizontal(id="reclaim-cost"):
                yield Label("· price/seat/year", classes="pick-label")
                yield Input(id="reclaim-price", type="number", compact=True, max_length=10)
        yield Static("", id="reclaim-summary", classes="counts")
        yield WindowTable(RECLAIM_COLUMNS, id="reclaim-table")

    def on_mount(self) -> None:
        super().on_mount()
        settings = self.ctx.settings
        self.query_one("#reclaim-days", Input).value = str(settings.inactive_days)
        self.query_one("#reclaim-price", Input).value = f"{settings.price_per_seat:g}"
        self.reload()
        self.query_one(WindowTable).focus()

    def run_finished(self) -> None:
        self.reload()

    def _inputs(self) -> tuple[int, float] | None:
        days_text = self.query_one("#reclaim-days", Input).value.strip()
        price_text = self.query_one("#reclaim-price", Input).value.strip()
        try:
            days, price = int(days_text), float(price_text)
        except ValueError:
            days, price = -1, -1.0
        if days < 1 or price < 0:
            self.query_one("#reclaim-summary", Static).update(
                "Days must be a whole number of at least 1 and the price a number of at least 0."
            )
            return None
        return days, price

    def reload(self) -> None:
        """Read the seat counts and the reclaim candidates, each in a reader thread."""
        if not self.seats:
            self.query_one(SeatBars).update("Reading the seat counts…")
        self._load_seats()
        self.reload_reclaim()

    @work(group="read-seats", exit_on_error=False)
    async def _load_seats(self) -> None:
        ticket = self.ticket("seats")
        try:
            seats = await self.zapp.reader(seat_report)
        except ZoomtuiError as exc:
            if not self.is_latest("seats", ticket):
                return
            self.seats = []
            self.query_one(SeatBars).update(safe(getattr(exc, "message", exc)))
        else:
            if not self.is_latest("seats", ticket):
                return
            self.seats = seats
            self.query_one(SeatBars).show(seat_lines(self.seats))  # bars sized when drawn

    def reload_reclaim(self, *, again: bool = True) -> None:
        """Read the candidates for the settings shown; ``again=False``: unless these
        settings were the last asked (the definition picker says "changed" as it mounts)."""
        inputs = self._inputs()
        if inputs is None:
            return
        days, price = inputs
        definition = str(self.query_one("#reclaim-definition", Select).value)
        if not again and self._asked == (days, price, definition):
            return
        self._asked = (days, price, definition)
        if self.result is None:
            self.query_one("#reclaim-summary", Static).update("Reading the candidates…")
        self._load_reclaim(days, price, definition)

    @work(group="read-reclaim", exit_on_error=False)
    async def _load_reclaim(self, days: int, price: float, definition: str) -> None:
        """The counts and the first page; the other pages are read as they are scrolled to.

        The newest settings win: a read for older ones is dropped unseen.
        """
        ticket = self.ticket("reclaim")
        query = reclaim_query(self.ctx, None, days, price, definition)  # settings only
        try:  # the counts and the first page side by side, in the two reader threads
            result, first = await asyncio.gather(
                self.zapp.reader(reclaim_counts, query, count_invitations=False),
                self.zapp.reader(reclaim_page, query, None, 0, WindowTable.PAGE_SIZE),
            )
        except ZoomtuiError as exc:
            if not self.is_latest("reclaim", ticket):
                return
            self.result = self.picked = None
            self.query_one("#reclaim-summary", Static).update(safe(getattr(exc, "message", exc)))
            self.query_one(WindowTable).set_provider(None)
            return
        if not self.is_latest("reclaim", ticket):
            return
        if first.run_id != result.run_id:  # a run landed between the two reads: read again
            self.reload_reclaim()
            return
        result = with_invitations(result, first)  # counted once, by the page
        query = replace(query, run_id=result.run_id)  # the further pages: the same run
        self.result, self.picked = result, query
        count = result.count

        async def more(offset: int, limit: int) -> tuple[list[Row], int]:
            page = await self.zapp.reader(reclaim_page, query, count, offset, limit)
            return page.rows, page.total

        total = result.count + result.invitations_count
        self.query_one(WindowTable).show_pages(first.rows, total, more)
        self.query_one("#reclaim-summary", Static).update(
            f"{result.count:,} {DEFINITION_WORDS[definition]} licensed + "
            f"{result.invitations_count:,} old invitations · saving "
            f"{result.yearly_savings:,.2f} per year{self._needing()}"
        )

    def _needing(self) -> str:
        """Candidates whose hosting calls for a licence (idle by logins only: check first)."""
        needing = self.result.needs_licence_count if self.result else 0
        if not needing:
            return ""
        return f" · {needing:,} still need one by hosting"

    @on(Select.Changed, "#reclaim-definition")
    def _definition_changed(self) -> None:
        self.reload_reclaim(again=False)

    @on(Input.Submitted)
    @on(Input.Blurred)
    def _reclaim_changed(self) -> None:
        inputs = self._inputs()
        if inputs is None:
            return
        days, price = inputs
        settings = self.ctx.settings
        if (days, price) == (settings.inactive_days, settings.price_per_seat):
            return
        try:
            save_changes(self.zapp, {"inactive_days": days, "price_per_seat": price})
        except (ZoomtuiError, OSError) as exc:  # a bad value or an unwritable file
            self.report(exc, "Settings not saved")
        self.reload_reclaim()

    def _total(self) -> int:
        return self.result.count + self.result.invitations_count if self.result else 0

    def action_export(self) -> None:
        """Every candidate and invitation shown, read whole in the export's reader thread."""
        result, query = self.result, self.picked
        if result is None or query is None:
            self.notify("No reclaim candidates to export.", severity="warning")
            return

        def rows(ctx: AppContext) -> list[dict[str, Any]]:
            return reclaim(
                ctx, query.run_id, query.inactive_days, query.price_per_seat, query.definition
            ).rows

        start_export(
            self, "reclaim candidates", f"reclaim-run{result.run_id}", rows, count=self._total()
        )

    def action_reclaim(self) -> None:
        """Plan a reclaim of the candidates shown (same definition and days).

        The plan reads them again, from the latest run, in the dialog's reader thread
        (with the add-ons they hold): the candidates shown are only a page.
        """
        from zoomtui.tui.screens.reclaim import reclaim_dialog

        if self.result is None or not self._total():
            self.notify("No reclaim candidates to plan.", severity="warning")
            return
        self.app.push_screen(
            reclaim_dialog(
                self.app,
                None,
                self.result.definition,
                self.result.inactive_days,
                addons=None,
                size=self._total(),
            ),
            lambda applied: self.reload() if applied else None,
        )

    def action_export_seats(self) -> None:
        rows = [seat.as_dict() for seat in self.seats]
        start_export(self, "seat counts", "seats", lambda _ctx: rows, count=len(rows))
