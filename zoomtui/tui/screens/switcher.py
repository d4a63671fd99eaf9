"""Switching profiles: the list to pick one from, a new one's name, the screen mid-switch."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Input, Label, Static

from zoomtui.tui.actions import bindings_for
from zoomtui.tui.errors import error_text
from zoomtui.tui.safe import safe
from zoomtui.tui.screens.base import Dialog, dialog_again
from zoomtui.tui.widgets.row_table import RowTable

if TYPE_CHECKING:
    from zoomtui.tui.app import ZoomApp

SWITCHING = "switching"
"""A mode outside the tab bar: shown for the instant every screen is rebuilt."""


class SwitchingScreen(Screen[None]):
    """Blank but for one line, so no screen of the old account is on show mid-switch."""

    def compose(self) -> ComposeResult:
        yield Static("Switching profile…", classes="counts")


def when(value: Any) -> str:
    """A run's end as ``YYYY-MM-DD HH:MM`` (UTC), or nothing."""
    return "" if value is None else str(value).replace("T", " ")[:16]


class ProfileSwitcher(Dialog[str | None]):
    """Every profile with its Zoom account and last complete run; Enter switches to it."""

    DEFAULT_CSS = """
    ProfileSwitcher { align: center middle; }
    #switch-table { height: auto; max-height: 16; }
    """
    BINDINGS: ClassVar[list[Binding]] = bindings_for("switcher")  # type: ignore[assignment]

    def compose(self) -> ComposeResult:
        with Vertical(id="switch-box", classes="dialog"):
            yield Label("Switch profile", classes="dialog-title")
            yield RowTable(id="switch-table", cursor_type="row")
            yield Label("", id="switch-note", classes="dim")

    def on_mount(self) -> None:
        self._fill()

    def prepare(self) -> None:
        """List the profiles as they are now: built once (ahead, ``tui/ahead.py``), shown again.

        Why: composing, styling and laying the dialog out (twice: Textual lays a new
        screen out again on its first Resize) was most of the 65-110 ms ``p`` took to
        answer at 100,000 users. The list is read again each time: a profile may have
        been added or deleted since, or the app switched to another. Built ahead, it
        reads them then too: laid out with its rows, its first showing took 50-62 ms
        instead of 82-87 ms with an empty list laid out again when shown.
        """
        if self.is_mounted:
            self._fill()  # else read when mounted

    def _fill(self) -> None:
        """Every profile, the cursor on the current one, as when the dialog was new."""
        app = cast("ZoomApp", self.app)
        table = self.query_one(DataTable)
        # The columns too: their widths grow with what they held and never shrink back.
        table.clear(columns=True)
        table.add_columns("", "Profile", "Account", "Last complete run")
        note = "Enter switches · Esc closes"
        try:
            records = app.accounts.summary()
        except Exception as exc:  # a profile whose settings do not parse, for one
            records = []
            note = error_text(exc)
        current = app.ctx.profile
        for record in records:
            run = record["run_id"]
            last = f"{run} · {when(record['finished_at'])}" if run is not None else "none yet"
            table.add_row(
                "●" if record["profile"] == current else "",
                safe(record["profile"]),
                safe(record["account_id"] or "not configured"),  # typed by the operator
                last,
                key=record["profile"],
            )
        names = [r["profile"] for r in records]
        if current in names:
            table.move_cursor(row=names.index(current))
        self.query_one("#switch-note", Label).update(safe(note))
        table.focus()

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        self.dismiss(event.row_key.value)

    def action_close(self) -> None:
        self.dismiss(None)


class NewProfileDialog(Dialog[str | None]):
    """Ask for a new profile's name, checked as ``zoomtui profiles add`` checks it."""

    DEFAULT_CSS = """
    NewProfileDialog { align: center middle; }
    #new-profile-message { height: auto; }
    """
    BINDINGS: ClassVar[list[Binding]] = bindings_for("new_profile")  # type: ignore[assignment]

    def compose(self) -> ComposeResult:
        with Vertical(id="new-profile-box", classes="dialog"):
            yield Label("New profile (one Zoom account)", classes="dialog-title")
            with Horizontal(classes="field-row"):
                yield Label("Name ", classes="pick-label")
                yield Input(id="new-profile-name", compact=True, max_length=64)
            yield Label("", id="new-profile-message", classes="field-error -shown")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Create", variant="primary", id="new-profile-ok", compact=True)
                yield Button("Cancel", id="new-profile-cancel", compact=True)
            yield Label(
                "Letters, digits, '.', '_' and '-'. Enter creates · Esc cancels", classes="dim"
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _check(self) -> str:
        """The error for the typed name (shown), or nothing; a close existing name is a note."""
        name = self.query_one(Input).value.strip()
        error, note = cast("ZoomApp", self.app).accounts.check_new(name)
        self.query_one("#new-profile-message", Label).update(safe(error or note))
        return error

    @on(Input.Changed)
    def _changed(self) -> None:
        if self.query_one(Input).value.strip():
            self._check()

    @on(Input.Submitted)
    @on(Button.Pressed, "#new-profile-ok")
    def _submit(self) -> None:
        if not self._check():
            self.dismiss(self.query_one(Input).value.strip())

    @on(Button.Pressed, "#new-profile-cancel")
    def action_close(self) -> None:
        self.dismiss(None)


SWITCHER_DIALOG = "switcher"
"""The name the profile switcher is installed under: built once, shown again."""


def switcher_dialog(app: App[Any]) -> ProfileSwitcher:
    """The app's profile switcher, listing the profiles as they are now."""
    return dialog_again(
        app, SWITCHER_DIALOG, ProfileSwitcher, ProfileSwitcher, ProfileSwitcher.prepare
    )
