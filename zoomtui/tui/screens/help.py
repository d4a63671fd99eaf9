"""Every key and command, grouped by screen, with the keys the keymap actually gives them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.keys import format_key, key_to_character
from textual.widgets import DataTable, Static

from zoomtui.tui.actions import ACTIONS, APP, DIALOGS, MODES, UserAction, bindings_for
from zoomtui.tui.screens.base import Dialog
from zoomtui.tui.widgets.footer import QuickFooter
from zoomtui.tui.widgets.row_table import RowTable

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


def keymap_of(app: object) -> dict[str, str]:
    """The keys the operator set, by action id (the app's Textual keymap)."""
    return dict(getattr(app, "_keymap", {}) or {})


def keys_of(action: UserAction, keymap: dict[str, str]) -> str:
    """The keys of an action after the ``[keymap]`` overrides, as typed."""
    return display_keys(keymap.get(action.id, action.key))


@dataclass(frozen=True)
class Entry:
    """One line of help: the keys as typed, the command, its keymap id and what it does."""

    keys: str
    title: str
    id: str = ""
    about: str = ""
    heading: bool = False


def help_entries(keymap: dict[str, str]) -> list[Entry]:
    """Every action under its scope's heading, then the palette and the keymap."""
    entries: list[Entry] = []
    for scope, title in SCOPE_TITLES.items():
        actions = [a for a in ACTIONS if a.scope == scope]
        if actions:
            where = (
                f"on the {title} screen" if scope in dict(MODES) else title[0].lower() + title[1:]
            )
            entries.append(Entry("", title, about=f"Keys {where}.", heading=True))
            entries += [Entry(keys_of(a, keymap), a.title, a.id, a.help) for a in actions]
    entries += [
        Entry("", "More", about="The palette and the keymap.", heading=True),
        Entry("ctrl+p", "Command palette", "", "Every command above, and the theme."),
        Entry("", "Change keys", "", "In the [keymap] table of the settings file, by id."),
    ]
    return entries


class HelpScreen(Dialog[None]):
    """Every key, one line each; the highlighted command's description under the list.

    Why a list with a cursor: at 80x24 a key, a command, its id and a description do not
    fit one line, and cut descriptions (or entries wrapped over three lines) were the
    complaint; each line keeps what identifies a command and the description of the one
    under the cursor is shown whole below.
    """

    BINDINGS: ClassVar[list[Binding]] = bindings_for("help")  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.keymap = keymap_of(self.app)  # the keys shown
        self.entries = help_entries(self.keymap)
        self._with_ids: bool | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="help-body"):
            yield Static(
                "↑ ↓ PgUp PgDn: move · the highlighted command is described below",
                id="help-hint",
                classes="dim",
            )
            yield RowTable(id="help-table", cursor_type="row", show_header=False)
            yield Static("", id="help-about")
        yield QuickFooter()  # help's own keys, not the screen's under it

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        # The first comes as the dialog is first laid out: the rows are added once, for
        # the width there is (at mount the width is not known, and they were added twice).
        self._fill()

    def _fill(self) -> None:
        """The rows, with the id column only when keys, command and id fit one line."""
        table = self.query_one(DataTable)
        key_width = max(cell_len(e.keys) for e in self.entries)
        title_width = max(cell_len(e.title) for e in self.entries)
        id_width = max(cell_len(e.id) for e in self.entries)
        padding = 2 * table.cell_padding
        room = table.content_size.width or self.size.width
        with_ids = key_width + title_width + id_width + 3 * padding <= room
        if with_ids == self._with_ids:
            return
        # The first command, not its heading, when first filled; then the same row.
        cursor = 1 if self._with_ids is None else table.cursor_row
        self._with_ids = with_ids
        table.clear(columns=True)
        table.add_column("Key", width=key_width)
        table.add_column("Command", width=title_width)
        if with_ids:
            table.add_column("Id", width=id_width)
        for entry in self.entries:
            if entry.heading:
                cells = [Text(""), Text(entry.title, style="bold underline"), Text("")]
            else:
                cells = [Text(entry.keys, style="bold"), Text(entry.title), Text(entry.id, "dim")]
            table.add_row(*cells[: 3 if with_ids else 2])
        table.move_cursor(row=max(cursor, 0))

    @on(DataTable.RowHighlighted)
    def _describe(self, event: DataTable.RowHighlighted) -> None:
        entry = self.entries[event.cursor_row]
        if entry.heading:
            text = Text(entry.about)
        else:
            text = Text.assemble((entry.title, "bold"), " — ", entry.about)
            if entry.id:
                text.append(f"  (id: {entry.id})", style="dim")
        self.query_one("#help-about", Static).update(text)
