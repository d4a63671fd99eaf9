"""Every key and command, grouped by screen, with the keys the keymap actually gives them."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import key_to_character
from textual.screen import ModalScreen
from textual.widgets import Static

from zoomtui.tui.actions import ACTIONS, APP, DIALOGS, MODES, UserAction, bindings_for

SCOPE_TITLES = {APP: "Everywhere", **dict(MODES), **dict(DIALOGS)}


def key_as_typed(key: str) -> str:
    """``[`` for ``left_square_bracket``, ``?`` for ``question_mark``; names for the rest."""
    key = key.strip()
    character = key_to_character(key)
    if character and character.isprintable() and not character.isspace():
        return character
    return key


def display_keys(keys: str) -> str:
    """A binding's comma-separated keys as the operator types them."""
    return ", ".join(key_as_typed(k) for k in keys.split(",") if k.strip())


def keys_of(action: UserAction, keymap: dict[str, str]) -> str:
    """The keys of an action after the ``[keymap]`` overrides, as typed."""
    return display_keys(keymap.get(action.id, action.key))


class HelpScreen(ModalScreen[None]):
    """A scrollable list of all actions; Escape or ? closes it."""

    BINDINGS: ClassVar[list[Binding]] = bindings_for("help")  # type: ignore[assignment]

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
