"""Every key and command, grouped by screen, with the keys the keymap actually gives them."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import format_key, key_to_character
from textual.screen import ModalScreen
from textual.widgets import Static

from zoomtui.tui.actions import ACTIONS, APP, DIALOGS, MODES, UserAction, bindings_for

SCOPE_TITLES = {APP: "Everywhere", **dict(MODES), **dict(DIALOGS)}


def key_as_typed(key: str) -> str:
    """``[`` for ``left_square_bracket``, ``?`` for ``question_mark``; names for the rest."""
    key = key.strip()
    character = key_to_character(key) or format_key(key)  # format_key knows "slash"
    if len(character) == 1 and character.isascii() and character.isprintable():
        return key if character.isspace() else character  # "enter" stays a word, not ⏎
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

    def _table(self) -> Group:
        """One table per scope, one line per action at any width (long text is cut, not wrapped).

        Why fixed key and id widths: every section lines up, and at 80x24 a wrapped entry
        took three lines and pushed most of the list off the screen.
        """
        keymap = dict(getattr(self.app, "_keymap", {}) or {})
        key_width = min(16, max(len(keys_of(a, keymap)) for a in ACTIONS))
        id_width = max(len(a.id) for a in ACTIONS)
        parts: list[Table | Text] = []
        for scope, title in SCOPE_TITLES.items():
            actions = [a for a in ACTIONS if a.scope == scope]
            if not actions:
                continue
            table = _section(title, key_width, id_width)
            for action in actions:
                table.add_row(
                    keys_of(action, keymap),
                    Text(f"{action.title} — {action.help}"),
                    action.id,
                )
            parts.append(table)
        more = _section("More", key_width, id_width)
        more.add_row("ctrl+p", "Command palette: every command above, and the theme", "")
        more.add_row("", "Change keys in the [keymap] table of the settings file.", "")
        parts.append(more)
        return Group(*parts)


def _section(title: str, key_width: int, id_width: int) -> Table:
    table = Table(
        box=None,
        pad_edge=False,
        expand=True,
        show_header=False,
        title=Text(title, style="bold underline"),
        title_justify="left",
    )
    table.add_column("Key", no_wrap=True, style="bold", width=key_width, overflow="ellipsis")
    table.add_column("Command", ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column("Id", no_wrap=True, style="dim", width=id_width)
    return table
