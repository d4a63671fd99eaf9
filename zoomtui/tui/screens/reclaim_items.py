"""The Reclaim dialog's parts: its table (a plan's items or the journal, how their cells
read, the reads in a reader thread that fill it), the actions ``t`` cycles through, and
the confirmation before an apply."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from zoomtui.services.reclaim.actions import CAPACITY_KEYS, Action
from zoomtui.services.reclaim.plan import (
    create_plan,
    plan_head,
    plan_page,
    planned_of,
    preview_plan,
)
from zoomtui.tui.actions import bindings_for
from zoomtui.tui.backdrop import DimmedOnce
from zoomtui.tui.safe import safe
from zoomtui.tui.widgets.columns import Column, Row
from zoomtui.tui.widgets.window_table import WindowTable, keys_without_letters

if TYPE_CHECKING:
    from zoomtui.services.context import AppContext

JOURNAL_COLUMNS = [
    Column("journal_id", "Id", 6),
    Column("plan_id", "Plan", 5),
    Column("kind", "Kind", 8),
    Column("email", "Email", 28, grow=2),
    Column("change", "Change", 22, grow=1),
    Column("state", "State", 8),
    Column(
        "message",
        "Zoom said",
        20,
        grow=1,
        format=lambda r: str(r["message"] or r["http_status"] or ""),
    ),
]


class ItemsTable(WindowTable, inherit_bindings=False):
    """The plan's items (or the journal), drawn a screenful at a time.

    Why not a DataTable: a plan of 10,000 candidates took seconds of the event loop to
    add and measure its rows. Why no j/k: ``j`` shows the journal on this dialog.
    """

    BINDINGS: ClassVar[list[Binding]] = keys_without_letters(enter=False)  # type: ignore[assignment]

    def _update_virtual_size(self) -> None:
        """The new size, and the scrollbar it shows or hides, in one layout of the dialog.

        Why: Textual decides the scrollbar while laying the new size out, and showing or
        hiding it asks for another layout, and a paint of the dialog: 3 of the 5 layouts
        of each opening (emptied for a new selection, then the first rows' scrollbar).
        The gutter is kept (``scrollbar-gutter: stable``): no row moves either way.
        """
        super()._update_virtual_size()
        self._refresh_scrollbars()  # Textual's own decision, taken now (a private method)


def item_action(item: Row) -> str:
    return str(item["action"]) + (f":{item['addon']}" if item["addon"] else "")


def last_login(item: Row) -> str:
    return str(item["before"].get("last_login_time") or "never")[:10]


def idle_days(item: Row) -> str:
    return str(item["reason"].get("days_inactive") or "")


def idle_or_never(item: Row) -> str:
    return idle_days(item) or "never"


def item_state(item: Row) -> str:
    if "state" not in item:  # a drafted item, being stored
        return "…"
    return str(item["state"]) + (f": {item['note']}" if item["note"] else "")


def rows_of(rows: list[Row]) -> Callable[[int, int], tuple[list[Row], int]]:
    """A page provider over rows already in memory."""
    return lambda offset, limit: (rows[offset : offset + limit], len(rows))


def plan_and_page(
    ctx: AppContext, action: Action, days: int | None, definition: str, only: set[str] | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A stored plan (written by SQLite, in a reader thread) and its first page of items."""
    plan = create_plan(ctx, action, days, definition, only)
    return plan, plan_page(ctx, plan["id"], 0, ItemsTable.PAGE_SIZE)


def preview(
    ctx: AppContext, action: Action, days: int | None, definition: str, only: set[str] | None
) -> list[dict[str, Any]]:
    """The plan's first page as it will be stored (no ids yet), read in the other reader
    thread while the plan is written."""
    return preview_plan(ctx, action, days, definition, only, ItemsTable.PAGE_SIZE)


def head_and_page(
    ctx: AppContext, plan_id: int, dropped: set[int]
) -> tuple[dict[str, Any], list[dict[str, Any]], set[int]]:
    """A stored plan's counts and first page of items, read again (after an apply), and
    which of the ``dropped`` items are still planned (an apply stopped before them)."""
    head = plan_head(ctx, plan_id)
    return (
        head,
        plan_page(ctx, plan_id, 0, ItemsTable.PAGE_SIZE),
        planned_of(ctx, plan_id, dropped),
    )


ACTION_CYCLE = (Action("downgrade"), Action("deactivate"), Action("revoke-invitation"))
"""The actions ``t`` cycles through; a remove-addon per add-on the selection holds comes
after the deactivation (see :func:`action_cycle`)."""


def held_addons(rows: Iterable[Row]) -> tuple[str, ...]:
    """The removable add-ons the users of ``rows`` hold, the most held first."""
    return most_held(Counter(a for r in rows for a in r.get("addons") or ()))


def most_held(held: dict[str, int]) -> tuple[str, ...]:
    """The removable add-ons of ``held`` (name -> users holding it), the most held first."""
    removable = {name: n for name, n in held.items() if name in CAPACITY_KEYS}
    return tuple(name for name, _n in sorted(removable.items(), key=lambda kv: (-kv[1], kv[0])))


def action_cycle(addons: Iterable[str]) -> tuple[Action, ...]:
    """Downgrade, deactivate, remove each add-on held, revoke old invitations."""
    removals = tuple(Action("remove-addon", a) for a in addons)
    return (*ACTION_CYCLE[:2], *removals, *ACTION_CYCLE[2:])


class ConfirmApply(DimmedOnce, ModalScreen[bool]):
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


def item_columns(action: str, dropped: Callable[[Row], bool], width: int) -> list[Column]:
    """A plan's columns at a terminal ``width``; ``dropped`` tells Keep's dash from its tick.

    At 80 columns the Last login column is left out so the others fit whole, and
    Idle then says "never" for a user who never signed in. The Action column is as
    wide as the plan's ``action``; when that does not fit either ("remove-addon:
    zoom_phone" at 80) it is left out: a plan is one action, which its summary names.
    """
    columns = [
        Column("keep", "Keep", 4, format=lambda i: "—" if dropped(i) else "✓"),
        Column("email", "Email", 24, grow=2),
        Column("action", "Action", max(12, len(action)), grow=1, format=item_action),
        Column("last_login", "Last login", 10, format=last_login),
        Column("days_inactive", "Idle", 5, right=True, format=idle_days),
        Column("state", "State", 10, grow=1, format=item_state),
    ]
    room = width * 96 // 100 - 6  # #reclaim-box: borders, padding, scrollbar
    if sum(c.width + 1 for c in columns) > room:
        del columns[3]
        columns[3] = Column("days_inactive", "Idle", 5, right=True, format=idle_or_never)
    if sum(c.width + 1 for c in columns) > room:
        del columns[2]
    return columns
