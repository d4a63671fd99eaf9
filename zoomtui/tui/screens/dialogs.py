"""Modal dialogs: export path and format, one user's detail, unsaved changes, columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, SelectionList

from zoomtui.tui.actions import bindings_for
from zoomtui.tui.safe import safe
from zoomtui.tui.screens.base import Dialog, dialog_again
from zoomtui.tui.widgets.footer import QuickFooter
from zoomtui.tui.widgets.user_detail import UserDetail

FORMATS = (("CSV", "csv"), ("JSON", "json"))
UNSHOWN_LINES = 1_000
"""Lines the user detail built ahead scrolls over: more than any terminal shows."""


def display_path(path: Path) -> str:
    """The path as the operator would type it: ``~/…`` under the home directory."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class ExportChoice:
    """Where and how to export; ``overwrite`` only after the operator confirmed it."""

    path: Path
    format: str
    overwrite: bool = False


class ExportDialog(Dialog[ExportChoice | None]):
    """Ask for a path (defaulting into the data dir) and CSV or JSON; confirm any overwrite."""

    BINDINGS: ClassVar[list[Binding]] = bindings_for("export")  # type: ignore[assignment]

    def __init__(self, what: str, default_path: Path, count: int | None = None) -> None:
        super().__init__()
        self.what = what
        self.default_path = default_path
        self.count = count
        self._confirmed_for: Path | None = None

    def prepare(self, what: str, default_path: Path, count: int | None = None) -> None:
        """Ask again, for another export: built once, the dialog is shown again.

        Why: composing it (the format picker above all) was half of the 0.13-0.19 s
        the export key took to answer.
        """
        self.what, self.default_path, self.count = what, default_path, count
        self._confirmed_for = None
        if not self.is_mounted:
            return  # composed with these when first shown
        self.query_one(".dialog-title", Label).update(self._title())
        self.query_one("#export-format", Select).value = self._default_format()
        path = self.query_one("#export-path", Input)
        path.value = display_path(default_path)
        path.action_end()  # the end of the path in view, as when first shown
        self.query_one("#export-message", Label).update("")
        self.query_one("#export-ok", Button).label = "Export"

    def _title(self) -> str:
        count = f" ({self.count:,} records)" if self.count is not None else ""
        return f"Export {self.what}{count}"

    def _default_format(self) -> str:
        return "json" if self.default_path.suffix == ".json" else "csv"

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box", classes="dialog"):
            yield Label(self._title(), classes="dialog-title")
            with Horizontal(classes="field-row"):
                yield Label("Format ", classes="pick-label")
                yield Select(
                    FORMATS,
                    value=self._default_format(),
                    id="export-format",
                    allow_blank=False,
                    compact=True,
                )
            with Horizontal(classes="field-row"):
                yield Label("File   ", classes="pick-label")
                yield Input(display_path(self.default_path), id="export-path", compact=True)
            yield Label("", id="export-message", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", variant="primary", id="export-ok", compact=True)
                yield Button("Cancel", id="export-cancel", compact=True)

    def on_screen_resume(self) -> None:
        self.query_one("#export-path", Input).focus()  # each time it asks, the path first

    @property
    def format(self) -> str:
        return "json" if self.query_one("#export-format", Select).value == "json" else "csv"

    @on(Select.Changed, "#export-format")
    def _format_changed(self) -> None:
        field = self.query_one("#export-path", Input)
        text = field.value.strip() or display_path(self.default_path)
        field.value = str(Path(text).with_suffix(f".{self.format}"))

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        if self._confirmed_for is not None:
            self._confirmed_for = None
            self.query_one("#export-message", Label).update("")
            self.query_one("#export-ok", Button).label = "Export"

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-ok")
    def _submit(self) -> None:
        text = self.query_one("#export-path", Input).value.strip()
        message = self.query_one("#export-message", Label)
        if not text:
            message.update("Give a file name.")
            return
        path = Path(text).expanduser()
        if path.is_dir():
            message.update(safe(f"{path} is a folder; add a file name."))
            return
        if path.exists() and self._confirmed_for != path:
            self._confirmed_for = path
            message.update(
                safe(f"{path.name} exists. Press Overwrite to replace it, or change the name.")
            )
            self.query_one("#export-ok", Button).label = "Overwrite"
            return
        self.dismiss(ExportChoice(path, self.format, overwrite=self._confirmed_for == path))

    @on(Button.Pressed, "#export-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class UserDetailScreen(Dialog[None]):
    """One user's record, sign-ins and history over the users list; Escape closes."""

    BINDINGS: ClassVar[list[Binding]] = bindings_for("detail")  # type: ignore[assignment]

    def __init__(self, email: str, detail: dict[str, Any] | None) -> None:
        """``detail`` None: built ahead, laid out as for a record longer than the dialog."""
        super().__init__()
        self.email = email
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="detail-box", classes="dialog"):
            yield Label(safe(self.email), classes="dialog-title")
            yield UserDetail(id="user-detail")
        yield QuickFooter()  # its own keys, not the Users list's under it

    def on_mount(self) -> None:
        detail = self.query_one(UserDetail)
        if self.detail is None:
            detail.reserve(UNSHOWN_LINES)  # most records scroll: their scrollbar laid out now
        else:
            detail.show(self.detail)
        detail.focus()

    def prepare(self, email: str, detail: dict[str, Any]) -> None:
        """Show another user: built once (ahead, while the operator is quiet), shown again.

        Why: composing and first laying out the dialog, its scrollbar included, was most
        of the 0.15-0.19 s Enter took to open it at 100,000 users.
        """
        self.email, self.detail = email, detail
        if not self.is_mounted:
            return  # composed with these when first shown
        self.query_one(".dialog-title", Label).update(safe(email))
        view = self.query_one(UserDetail)
        view.scroll_to(y=0, animate=False, immediate=True)
        view.show(detail)
        view.focus()


class UnsavedDialog(Dialog[str]):
    """Save, discard or stay: leaving the Connection screen must never drop edits silently."""

    BINDINGS: ClassVar[list[Binding]] = bindings_for("unsaved")  # type: ignore[assignment]

    def __init__(self, changed: list[str]) -> None:
        super().__init__()
        self.changed = changed

    def compose(self) -> ComposeResult:
        with Vertical(id="unsaved-box", classes="dialog"):
            yield Label("Unsaved connection settings", classes="dialog-title")
            yield Label(f"Not saved yet: {', '.join(self.changed)}.", id="unsaved-what")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="unsaved-save", compact=True)
                yield Button("Discard", id="unsaved-discard", compact=True)
                yield Button("Stay", id="unsaved-stay", compact=True)
            yield Label("s save · d discard · Esc stay", classes="dim")

    def on_mount(self) -> None:
        self.query_one("#unsaved-save", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "unsaved-stay").removeprefix("unsaved-"))

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


class ColumnPicker(Dialog[list[str]]):
    """Tick the columns a table shows; each tick applies at once, Esc closes.

    Why: at 80 columns most of the users list is off-screen; dropping columns the
    operator does not need lets the rest (and the e-mail) use the width.
    """

    BINDINGS: ClassVar[list[Binding]] = bindings_for("columns")  # type: ignore[assignment]

    def __init__(
        self,
        options: list[tuple[str, str]],
        shown: list[str],
        fixed: str,
        apply: Callable[[list[str]], None],
    ) -> None:
        super().__init__()
        self.options = options
        self.shown = shown
        self.fixed = fixed
        self.apply = apply

    def prepare(
        self,
        options: list[tuple[str, str]],
        shown: list[str],
        fixed: str,
        apply: Callable[[list[str]], None],
    ) -> None:
        """Ask again, for the table as it is now: built once (ahead, ``tui/ahead.py``), shown again.

        Why: composing, styling and laying the dialog out (twice: Textual lays a new
        screen out again on its first Resize) was most of the 80-130 ms ``c`` took to
        answer at 100,000 users. Ticked as the table shows now (a profile switch, for
        one, rebuilds it), the cursor on the first column, ticks applied to this table.
        """
        same = options == self.options
        self.options, self.shown, self.fixed, self.apply = options, shown, fixed, apply
        if not self.is_mounted:
            return  # composed with these when first shown
        picks = self.query_one(SelectionList)
        # Ticked to match the table, which needs no applying to it.
        with picks.prevent(SelectionList.SelectedChanged):
            if not same:
                picks.clear_options()
                picks.add_options(self._selections())
            for key, _label in options:
                if self._ticked(key):
                    picks.select(key)
                else:
                    picks.deselect(key)
        picks.highlighted = 0 if options else None
        picks.scroll_to(y=0, animate=False, immediate=True)
        picks.focus()

    def _ticked(self, key: str) -> bool:
        return key in self.shown or key == self.fixed

    def _selections(self) -> list[tuple[str, str, bool]]:
        return [(label, key, self._ticked(key)) for key, label in self.options]

    def compose(self) -> ComposeResult:
        with Vertical(id="columns-box", classes="dialog"):
            yield Label("Columns", classes="dialog-title")
            yield SelectionList[str](*self._selections(), id="columns-list", compact=True)
            yield Label("space ticks · Esc closes", classes="dim")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    @on(SelectionList.SelectedChanged)
    def _changed(self) -> None:
        chosen = set(self.query_one(SelectionList).selected) | {self.fixed}
        self.shown = [key for key, _label in self.options if key in chosen]
        self.apply(self.shown)

    def action_close(self) -> None:
        self.dismiss(self.shown)


COLUMNS_DIALOG = "columns"
"""The name the column picker is installed under: built once, shown again."""


def column_picker(
    app: App[Any],
    options: list[tuple[str, str]],
    shown: list[str],
    fixed: str,
    apply: Callable[[list[str]], None],
) -> ColumnPicker:
    """The app's column picker, ticked as a table shows ``shown``, applying ticks to it."""
    return dialog_again(
        app,
        COLUMNS_DIALOG,
        ColumnPicker,
        lambda: ColumnPicker(options, shown, fixed, apply),
        lambda dialog: dialog.prepare(options, shown, fixed, apply),
    )
