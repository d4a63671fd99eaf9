"""Every key and command, grouped by screen, with the keys the keymap actually gives them."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from zoomtui.tui.actions import ACTIONS, APP, MODES, UNSAVED, UserAction

SCOPE_TITLES = {APP: "Everywhere", **dict(MODES), UNSAVED: "Unsaved changes question"}


def keys_of(action: UserAction, keymap: dict[str, str]) -> str:
    """The keys of an action after the ``[keymap]`` overrides, as the footer shows them."""
    keys = keymap.get(action.id, action.key)
    names = {"question_mark": "?", "slash": "/", "space": "space"}
    return ", ".join(names.get(k.strip(), k.strip()) for k in keys.split(","))


class HelpScreen(ModalScreen[None]):
    """A scrollable list of all actions; Escape or ? closes it."""

    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(self._table(), id="help-table")

    def _table(self) -> Table:
        keymap = dict(getattr(self.app, "_keymap", {}) or {})
        table = Table(box=None, pad_edge=False, expand=True, show_header=False)
        table.add_column("Key", no_wrap=True, style="bold", min_width=8)
        table.add_column("Command", ratio=1)
        table.add_column("Id", no_wrap=True, style="dim")
        for scope, title in SCOPE_TITLES.items():
            actions = [a for a in ACTIONS if a.scope == scope]
            if not actions:
                continue
            table.add_row(Text(title, style="bold underline"), "", "")
            for action in actions:
                table.add_row(
                    keys_of(action, keymap),
                    Text(f"{action.palette_title} — {action.help}"),
                    action.id,
                )
            table.add_row("", "", "")
        table.add_row(
            "ctrl+p",
            "Command palette: every command above, and the theme",
            "",
        )
        table.add_row("", "Keys can be changed in the [keymap] table of the settings file.", "")
        return table
