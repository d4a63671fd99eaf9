"""Reclaim from a selection: the plan, items to drop, apply with confirmation, and the journal.

Opened from Seats (the reclaim candidates shown) or Users (the users the
filters show); the plan is the same one ``zoomtui reclaim plan`` builds,
restricted to that selection, and applying it goes through the same live
re-checks and journal as ``zoomtui reclaim apply``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Label, Static

from zoomtui.errors import ZoomtuiError
from zoomtui.services.reclaim.actions import Action
from zoomtui.services.reclaim.apply import apply_plan
from zoomtui.services.reclaim.journal import journal_rows
from zoomtui.services.reclaim.plan import build_plan, load_plan
from zoomtui.tui.actions import bindings_for
from zoomtui.tui.errors import error_text
from zoomtui.tui.safe import safe
from zoomtui.tui.widgets.row_table import RowTable

if TYPE_CHECKING:
    from zoomtui.services.context import AppContext
    from zoomtui.tui.app import ZoomApp

ACTION_CYCLE = (Action("downgrade"), Action("deactivate"), Action("revoke-invitation"))


class ConfirmApply(ModalScreen[bool]):
    """Yes or no, naming what will happen: how many users and the yearly saving."""

    BINDINGS: ClassVar[list[Binding]] = bindings_for("confirm")  # type: ignore[assignment]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="dialog"):
            yield Label("Apply the reclaim plan?", classes="dialog-title")
            yield Static(safe(self.question, newlines=True), id="confirm-what")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply", variant="error", id="confirm-yes", compact=True)
                yield Button("Cancel", id="confirm-no", compact=True)
            yield Label("y apply · n / Esc cancel", classes="dim")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


LABELS = ("Keep", "Email", "Action", "Last login", "Idle", "State")


class ReclaimScreen(ModalScreen[None]):
    """The plan of one action for a selection; drop items, apply, read the journal."""

    BINDINGS: ClassVar[list[Binding]] = bindings_for("reclaim")  # type: ignore[assignment]

    def __init__(self, only: set[str], definition: str = "idle", days: int | None = None) -> None:
        super().__init__()
        self.only = {e.casefold() for e in only}
        self.definition, self.days = definition, days
        self.action_index = 0
        self.plan: dict[str, Any] | None = None
        self.dropped: set[int] = set()
        self.showing = "plan"
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="reclaim-box", classes="dialog"):
            yield Label("Reclaim licences", classes="dialog-title")
            yield Static("", id="reclaim-plan-summary")
            yield RowTable(id="reclaim-items", cursor_type="row", zebra_stripes=True)
            yield Label(
                "space drop/keep · t action · a apply · j journal/plan · Esc close", classes="dim"
            )

    def on_mount(self) -> None:
        self.build()
        self.query_one(DataTable).focus()

    @property
    def ctx(self) -> AppContext:
        return cast("ZoomApp", self.app).ctx

    @property
    def action(self) -> Action:
        return ACTION_CYCLE[self.action_index]

    def build(self) -> None:
        """A new stored plan for the current action and selection (nothing is sent to Zoom)."""
        try:
            self.plan = build_plan(self.ctx, self.action, self.days, self.definition, self.only)
        except ZoomtuiError as exc:
            self.plan = None
            self.query_one("#reclaim-plan-summary", Static).update(safe(error_text(exc)))
            self.query_one(DataTable).clear(columns=True)
            return
        self.dropped = set()
        self.showing = "plan"
        self.fill()

    def kept(self) -> list[dict[str, Any]]:
        items = self.plan["items"] if self.plan else []
        return [i for i in items if i["id"] not in self.dropped and i["state"] == "planned"]

    def fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        if self.showing == "journal":
            self._fill_journal(table)
            return
        if self.plan is None:
            return
        rows = [(item, self._cells(item)) for item in self.plan["items"]]
        drop = self._drop_date()
        shown = [i for i in range(len(LABELS)) if not (drop and i == 3)]
        table.add_columns(*(LABELS[i] for i in shown))
        for item, cells in rows:
            if drop and not cells[4]:
                cells[4] = "never"
            table.add_row(
                *(safe(cells[i]) if i in (1, 5) else cells[i] for i in shown), key=str(item["id"])
            )
        kept = self.kept()
        saving = sum(i["saving"] for i in kept)
        self.query_one("#reclaim-plan-summary", Static).update(
            safe(
                f"Plan P{self.plan['id']} · {self.plan['action']} · run {self.plan['run_id']} · "
                f"{len(kept)} of {len(self.plan['items'])} kept · saving {saving:,.2f} per year "
                f"· {len(self.plan.get('excluded', []))} excluded\n{self.plan['undo_note']}",
                newlines=True,
            )
        )

    def _drop_date(self) -> bool:
        """Whether the Last login column is left out so the others fit whole.

        Why: at 80 columns "Idle days" and "State" were cut at the dialog's edge; the date
        goes first, and the idle column then says "never" for a user who never signed in.
        """
        if self.plan is None:
            return False
        table = self.query_one(DataTable)
        room = self.app.size.width * 96 // 100 - 6  # #reclaim-box: borders, padding, scrollbar
        cells = [self._cells(item) for item in self.plan["items"]]
        widths = [max([len(label)] + [len(c[i]) for c in cells]) for i, label in enumerate(LABELS)]
        return sum(w + 2 * table.cell_padding for w in widths) > room

    def _cells(self, item: dict[str, Any]) -> list[str]:
        """A plan item's cells as plain text (the e-mail and the state are made safe later)."""
        before, reason = item["before"], item["reason"]
        return [
            "—" if item["id"] in self.dropped else "✓",
            item["email"],
            item["action"] + (f":{item['addon']}" if item["addon"] else ""),
            (before.get("last_login_time") or "never")[:10],
            str(reason.get("days_inactive") or ""),
            item["state"] + (f": {item['note']}" if item["note"] else ""),
        ]

    def _fill_journal(self, table: DataTable[Any]) -> None:
        rows = journal_rows(self.ctx)
        table.add_columns("Id", "Plan", "Kind", "Email", "Change", "State", "Zoom said")
        for row in rows[-500:]:
            table.add_row(
                row["journal_id"],
                row["plan_id"],
                row["kind"],
                safe(row["email"]),
                safe(row["change"]),
                row["state"],
                safe(row["message"] or str(row["http_status"] or "")),
            )
        self.query_one("#reclaim-plan-summary", Static).update(
            f"Journal: {len(rows)} changes, written before and after each call to Zoom."
        )

    def action_toggle_item(self) -> None:
        table = self.query_one(DataTable)
        if self.showing != "plan" or self.plan is None or not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        item_id = int(key or 0)
        self.dropped ^= {item_id}
        row = table.cursor_row
        self.fill()
        table.move_cursor(row=row)

    def action_next_action(self) -> None:
        if self.busy:
            return
        self.action_index = (self.action_index + 1) % len(ACTION_CYCLE)
        self.build()

    def action_show_journal(self) -> None:
        self.showing = "plan" if self.showing == "journal" else "journal"
        self.fill()

    def action_apply(self) -> None:
        kept = self.kept()
        if self.busy or self.plan is None or self.showing != "plan":
            return
        if not kept:
            self.notify("No item is kept: nothing to apply.", severity="warning")
            return
        saving = sum(i["saving"] for i in kept)
        question = (
            f"{self.plan['action']} for {len(kept)} users, saving {saving:,.2f} per year.\n"
            "Each user is re-checked live first; every change is journaled."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_apply({i["id"] for i in kept})

        self.app.push_screen(ConfirmApply(question), answered)

    @work(exclusive=True, group="reclaim")
    async def run_apply(self, kept: set[int]) -> None:
        assert self.plan is not None
        self.busy = True
        summary = self.query_one("#reclaim-plan-summary", Static)
        summary.update("Applying: re-checking each user live, then writing…")
        try:
            result = await apply_plan(self.ctx, self.plan["id"], kept)
        except Exception as exc:  # worker boundary: a stopped apply is told, the screen stays
            self.notify(error_text(exc), title="Reclaim stopped", severity="error", timeout=10)
        else:
            self.notify(
                f"{result['done']} done, {result['skipped']} skipped, {result['failed']} failed.",
                title="Reclaim applied",
            )
        finally:
            self.busy = False
        self.plan = {
            **load_plan(self.ctx, self.plan["id"]),
            "excluded": self.plan.get("excluded", []),
        }
        self.fill()

    def action_close(self) -> None:
        if not self.busy:
            self.dismiss(None)
