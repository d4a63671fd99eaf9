"""What a user action is, and the scopes it can be bound in (the app, a mode, a dialog).

Split from ``actions.py`` so the tables of actions (``screen_actions.py``,
``dialog_actions.py``) and the lookups over them can import one definition.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

APP = "app"
UNSAVED = "unsaved"
DIALOGS: tuple[tuple[str, str], ...] = (
    ("help", "In Help"),
    ("export", "In the export dialog"),
    ("detail", "In a user's detail"),
    ("columns", "In the column picker"),
    ("switcher", "In the profile switcher"),
    ("new_profile", "In the new-profile dialog"),
    (UNSAVED, "In the unsaved-changes question"),
    ("reclaim", "In the reclaim plan"),
    ("confirm", "In the apply confirmation"),
)
"""Scopes of dialogs shown over a screen: their keys, never palette entries."""

MODES: tuple[tuple[str, str], ...] = (
    ("users", "Users"),
    ("runs", "Runs"),
    ("diff", "Diff"),
    ("seats", "Seats"),
    ("aggregate", "Aggregate"),
    ("connection", "Connection"),
    ("accounts", "Accounts"),
)
"""The app's modes in switch order; mode ``n`` is one key press on digit ``n``."""


@dataclass(frozen=True)
class UserAction:
    """One thing the user can do, bound to a key in one scope (the app or one mode's screen)."""

    id: str
    key: str
    action: str
    title: str
    category: str
    help: str
    scope: str = APP
    footer: str = ""
    show: bool = True
    priority: bool = False
    group: str = ""

    @property
    def palette_title(self) -> str:
        """The command palette entry, category first so related commands sort together."""
        return f"{self.category}: {self.title}"

    def binding(self) -> Binding:
        """The Textual binding for this action."""
        return Binding(
            self.key,
            self.action,
            self.footer or self.title,
            show=self.show,
            id=self.id,
            priority=self.priority,
            tooltip=self.help,
            group=Binding.Group(self.group, compact=True) if self.group else None,
        )
