"""Reclaim from a selection: the plan, items to drop, apply with confirmation, and the journal.

Opened from Seats (the reclaim candidates shown) or Users (the users the
filters show); the plan is the same one ``zoomtui reclaim plan`` builds,
restricted to that selection, and applying it goes through the same live
re-checks and journal as ``zoomtui reclaim apply``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static

from zoomtui.errors import ZoomtuiError
from zoomtui.services.reclaim.actions import Action
from zoomtui.services.reclaim.apply import apply_kept_in_thread
from zoomtui.services.reclaim.journal import journal_rows
from zoomtui.services.reclaim.plan import addons_held, plan_page
from zoomtui.tui.actions import bindings_for
from zoomtui.tui.errors import error_text
from zoomtui.tui.safe import safe
from zoomtui.tui.screens.base import Dialog, dialog_again
from zoomtui.tui.screens.reclaim_items import (
    JOURNAL_COLUMNS,
    ConfirmApply,
    ItemsTable,
    action_cycle,
    head_and_page,
    item_columns,
    most_held,
    plan_and_page,
    preview,
    rows_of,
)
from zoomtui.tui.screens.reclaim_items import (
    held_addons as held_addons,
)
from zoomtui.tui.widgets.columns import Column, Row
from zoomtui.tui.widgets.window_table import WindowTable

if TYPE_CHECKING:
    from zoomtui.services.context import AppContext
    from zoomtui.tui.app import ZoomApp

RECLAIM_DIALOG = "reclaim"
"""The name the Reclaim dialog is installed under: built once (ahead), shown again."""


class ReclaimScreen(Dialog[bool]):
    """The plan of one action for a selection; drop items, apply, read the journal.

    Dismissed with whether a plan was applied: only then has the screen below to re-read.
    Built once (ahead, ``tui/ahead.py``) and shown again for each selection (``prepare``).
    """

    BINDINGS: ClassVar[list[Binding]] = bindings_for("reclaim")  # type: ignore[assignment]

    def __init__(self) -> None:
        """Built before any selection (ahead, or at ``R``); ``prepare`` gives it one."""
        super().__init__()
        self.busy = False
        self._ticket = 0  # the newest plan or journal request; older answers are dropped
        self._asked = False  # a selection given: planned as it mounts, or at once
        self._select(None, "idle", None, (), None)

    def prepare(
        self,
        only: set[str] | None,
        definition: str = "idle",
        days: int | None = None,
        addons: Iterable[str] | None = (),
        size: int | None = None,
    ) -> None:
        """Plan for this selection: the dialog is built once and shown again.

        ``only``: the e-mails picked, None for every candidate of the run (Seats);
        ``addons`` those they hold, None to learn them with the first plan; ``size``
        how many users were picked, for the wait (``len(only)`` when not given).

        Why: composing, styling and first laying out the dialog and its table was a third
        of the 0.2 s ``R`` took to answer at 100,000 users. Nothing of the last opening
        stays: its rows, plan, drops and journal go, and its reads still under way are
        dropped as they land (``_ticket``); the plan's reads start here, at the key.
        """
        self._select(only, definition, days, addons, size)
        self._asked = True
        if not self.is_mounted:
            return  # planned as it mounts
        table = self.query_one(ItemsTable)
        table.set_columns(self.plan_columns())  # the journal's may be shown
        self.build()
        table.focus()

    def _select(
        self,
        only: set[str] | None,
        definition: str,
        days: int | None,
        addons: Iterable[str] | None,
        size: int | None,
    ) -> None:
        self._selection = getattr(self, "_selection", 0) + 1  # its reads, told from the last's
        self.only = None if only is None else {e.casefold() for e in only}
        self.picked = len(self.only) if size is None and self.only is not None else size or 0
        self.addons_due = addons is None
        self.actions = action_cycle(addons or ())
        self.definition, self.days = definition, days
        self.action_index = 0
        self.plan: dict[str, Any] | None = None  # the stored plan; ``items`` counts them
        self.first: list[dict[str, Any]] = []  # its first page of items
        self.dropped: set[int] = set()
        self.dropped_planned: set[int] = set()  # of those, the items still planned
        self.showing = "plan"
        self.applied = False
        self.journal: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="reclaim-box", classes="dialog"):
            yield Label("Reclaim licences", classes="dialog-title")
            yield Static("", id="reclaim-plan-summary")
            yield ItemsTable(self.plan_columns(), id="reclaim-items")
            yield Label(
                "space drop/keep · t action · a apply · j journal/plan · Esc close", classes="dim"
            )

    def on_mount(self) -> None:
        if self._asked:
            self.build()
        self.query_one(ItemsTable).focus()

    @property
    def ctx(self) -> AppContext:
        return cast("ZoomApp", self.app).ctx

    @property
    def action(self) -> Action:
        return self.actions[self.action_index]

    def build(self) -> None:
        """A new stored plan for the current action and selection (nothing is sent to Zoom).

        Built in a reader thread (SQLite writes the plan from the run's candidates); the
        newest request wins, an older one finishing later is dropped unseen.
        """
        self._ticket += 1
        self.plan = None  # nothing to drop or apply until the new plan is stored
        self.query_one(ItemsTable).set_provider(None)
        # Two lines, as the plan's summary that follows: a height changing meanwhile laid
        # the dialog out again, then again for the table it shrank.
        self.query_one("#reclaim-plan-summary", Static).update(
            f"Planning {self.action.label} for {self.picked:,} users…\n"
        )
        # Two reader threads, both started now (not when the worker first runs, behind the
        # dialog's layout): one writes the plan, the longer; the other reads its first page
        # as it will be stored (shown at once, nothing droppable yet), then the add-ons held.
        app, action = cast("ZoomApp", self.app), self.action
        only, days, definition = self.only, self.days, self.definition
        stored = app.reader.start(plan_and_page, action, days, definition, only)
        previewed = app.reader.start(preview, action, days, definition, only)
        self._build(self._ticket, action, stored, previewed)

    @work(group="read-plan", exit_on_error=False)
    async def _build(
        self,
        ticket: int,
        action: Action,
        stored: asyncio.Future[tuple[dict[str, Any], list[dict[str, Any]]]],
        previewed: asyncio.Future[list[dict[str, Any]]],
    ) -> None:
        """Store the plan and show its first page; the others are read as they are shown."""
        app = cast("ZoomApp", self.app)
        summary = self.query_one("#reclaim-plan-summary", Static)
        only, days, definition = self.only, self.days, self.definition
        selection = self._selection
        try:
            try:
                shown = await previewed
                if ticket == self._ticket and self.showing == "plan" and not stored.done():
                    self._show_preview(shown)
                if self.addons_due:  # then, in the same thread, the add-ons held
                    held = await app.reader(addons_held, days, definition, only)
                    # even from a plan asked before another, not from another selection's
                    if self.addons_due and selection == self._selection:
                        self.addons_due = False
                        current, self.actions = self.action, action_cycle(most_held(held))
                        self.action_index = (
                            self.actions.index(current) if current in self.actions else 0
                        )
            except ZoomtuiError:
                await asyncio.wait([stored])  # most likely the same error: one is told
                if not stored.cancelled():
                    stored.exception()
                raise
            plan, first = await stored
        except ZoomtuiError as exc:
            if ticket != self._ticket:
                return
            self.plan = None
            summary.update(safe(error_text(exc)))
            self.query_one(ItemsTable).set_provider(None)
            return
        if ticket != self._ticket:
            return
        self.plan, self.first = plan, first
        self.dropped, self.dropped_planned = set(), set()
        self.showing = "plan"
        self.fill(keep_cursor=True)  # the rows shown first, now with their ids

    def _show_preview(self, rows: list[dict[str, Any]]) -> None:
        """The first page while the plan is stored: shown, not yet kept or dropped."""
        table = self.query_one(ItemsTable)
        table.set_columns(self.plan_columns())
        table.show_pages(rows, len(rows), None)
        self.query_one("#reclaim-plan-summary", Static).update(
            safe(f"Plan · {self.action.label} · its first rows\nStoring the plan…", newlines=True)
        )

    def kept(self) -> tuple[int, float]:
        """How many items are kept (planned and not dropped) and their yearly saving."""
        if self.plan is None:
            return 0, 0.0
        count = self.plan["planned"] - len(self.dropped_planned)
        each = float(self.first[0]["saving"]) if self.first else 0.0  # one saving per plan
        return count, sum([each] * count)  # summed in order, as the items' savings were

    def plan_columns(self) -> list[Column]:
        """The plan's columns for the terminal's width; Keep reads the items dropped so far."""
        action = self.plan["action"] if self.plan else self.action.label
        return item_columns(action, lambda i: i.get("id") in self.dropped, self.app.size.width)

    def fill(self, *, keep_cursor: bool = False) -> None:
        table = self.query_one(ItemsTable)
        if self.showing == "journal":
            self._fill_journal(table)
            return
        if self.plan is None:
            table.set_provider(None)
            return
        app, plan_id = cast("ZoomApp", self.app), self.plan["id"]
        total = self.plan["items"]

        async def more(offset: int, limit: int) -> tuple[list[Row], int]:
            return await app.reader(plan_page, plan_id, offset, limit), total

        table.set_columns(self.plan_columns())
        table.show_pages(self.first, total, more, keep_cursor=keep_cursor)
        self._show_summary()

    def _show_summary(self) -> None:
        assert self.plan is not None
        kept, saving = self.kept()
        self.query_one("#reclaim-plan-summary", Static).update(
            safe(
                f"Plan P{self.plan['id']} · {self.plan['action']} · run {self.plan['run_id']} · "
                f"{kept} of {self.plan['items']} kept · saving {saving:,.2f} per year "
                f"· {len(self.plan.get('excluded', []))} excluded\n{self.plan['undo_note']}",
                newlines=True,
            )
        )

    def _fill_journal(self, table: WindowTable) -> None:
        rows = self.journal
        table.set_columns(JOURNAL_COLUMNS)
        table.set_provider(rows_of(rows))
        self.query_one("#reclaim-plan-summary", Static).update(
            f"Journal: {len(rows)} changes, written before and after each call to Zoom."
        )

    def action_toggle_item(self) -> None:
        table = self.query_one(ItemsTable)
        item = table.cursor_row
        if self.showing != "plan" or self.plan is None or item is None:
            return
        self.dropped ^= {item["id"]}
        if item["state"] == "planned":
            self.dropped_planned ^= {item["id"]}
        table.refresh()
        self._show_summary()

    def action_next_action(self) -> None:
        if self.busy:
            return
        self.action_index = (self.action_index + 1) % len(self.actions)
        self.build()

    def action_show_journal(self) -> None:
        if self.showing == "journal":
            self.showing = "plan"
            self.fill()
            return
        self._ticket += 1
        self.query_one("#reclaim-plan-summary", Static).update("Reading the journal…")
        self._read_journal(self._ticket)

    @work(group="read-journal", exit_on_error=False)
    async def _read_journal(self, ticket: int) -> None:
        try:
            rows = await cast("ZoomApp", self.app).reader(journal_rows)
        except ZoomtuiError as exc:
            if ticket == self._ticket:
                self.query_one("#reclaim-plan-summary", Static).update(safe(error_text(exc)))
            return
        if ticket != self._ticket:
            return
        self.journal, self.showing = rows, "journal"
        self.fill()

    def action_apply(self) -> None:
        kept, saving = self.kept()
        if self.busy or self.plan is None or self.showing != "plan":
            return
        if not kept:
            self.notify("No item is kept: nothing to apply.", severity="warning")
            return
        question = (
            f"{self.plan['action']} for {kept} users, saving {saving:,.2f} per year.\n"
            "Each user is re-checked live first; every change is journaled."
        )
        dropped = set(self.dropped)

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_apply(dropped)

        self.app.push_screen(ConfirmApply(question), answered)

    @work(exclusive=True, group="reclaim", description="apply the reclaim plan")  # not its ids
    async def run_apply(self, dropped: set[int]) -> None:
        assert self.plan is not None
        self.busy = True
        summary = self.query_one("#reclaim-plan-summary", Static)
        summary.update("Applying: re-checking each user live, then writing…")
        self.applied = True
        app = cast("ZoomApp", self.app)
        try:  # in a reader thread: the journal's writes stay off the event loop
            result = await app.reader(
                apply_kept_in_thread, self.plan["id"], dropped, app.reader.stopping
            )
        except Exception as exc:  # worker boundary: a stopped apply is told, the screen stays
            self.notify(error_text(exc), title="Reclaim stopped", severity="error", timeout=10)
        else:
            self.notify(
                f"{result['done']} done, {result['skipped']} skipped, {result['failed']} failed.",
                title="Reclaim applied",
            )
        # Busy until the applied plan is shown again: a key let in before (Esc then R, t)
        # asked for another plan, which this one then replaced (the dialog is shown again).
        try:
            head, self.first, self.dropped_planned = await app.reader(
                head_and_page, self.plan["id"], set(self.dropped)
            )
            self.plan = {**head, "excluded": self.plan.get("excluded", [])}
            self.fill(keep_cursor=True)
        finally:
            self.busy = False

    def action_close(self) -> None:
        if not self.busy:
            self.dismiss(self.applied)


def reclaim_dialog(
    app: App[Any],
    only: set[str] | None,
    definition: str = "idle",
    days: int | None = None,
    addons: Iterable[str] | None = (),
    size: int | None = None,
) -> ReclaimScreen:
    """The app's Reclaim dialog, planning for this selection (``ReclaimScreen.prepare``)."""

    def ready(dialog: ReclaimScreen) -> ReclaimScreen:
        dialog.prepare(only, definition, days, addons, size)
        return dialog

    return dialog_again(
        app,
        RECLAIM_DIALOG,
        ReclaimScreen,
        lambda: ready(ReclaimScreen()),
        ready,
    )


def unprepared_reclaim_dialog() -> ReclaimScreen:
    """The Reclaim dialog built ahead, before a selection (``prepare`` plans for one)."""
    return ReclaimScreen()
