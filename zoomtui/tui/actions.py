"""Every user action declared once: key, binding id, footer label, palette title and help text.

One table drives the ``Binding`` objects (with stable ids for ``[keymap]``), the footer, the
command palette and the help screen, so the four can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding

from zoomtui.tui.action_model import APP, DIALOGS, MODES, UNSAVED, UserAction
from zoomtui.tui.dialog_actions import DIALOG_ACTIONS
from zoomtui.tui.screen_actions import SCREEN_ACTIONS

__all__ = [
    "ACTIONS", "APP", "DIALOGS", "MODES", "UNSAVED", "UserAction",
    "actions_for", "bindings_for", "by_id",
]  # fmt: skip


def _mode_actions() -> Iterable[UserAction]:
    for number, (mode, label) in enumerate(MODES, start=1):
        yield UserAction(
            id=f"go.{mode}",
            key=str(number),
            action=f"app.switch_mode('{mode}')",
            title=f"{label} screen",
            category="go",
            help=f"Switch to the {label} screen.",
            footer=label,
            group="Screens ",  # the footer puts the next key right after it
        )


ACTIONS: tuple[UserAction, ...] = (
    *_mode_actions(),
    UserAction(
        "app.help",
        "f1,question_mark",
        "app.help",
        "Keys and commands",
        "app",
        "Show every key and command.",
        footer="Help",
    ),
    UserAction(
        "app.profile",
        "p",
        "app.switch_profile",
        "Switch profile",
        "profile",
        "Open another Zoom account: pick a profile (its settings and history).",
        footer="Profile",
    ),
    UserAction(
        "app.quit", "ctrl+q", "app.quit", "Quit", "app", "Leave zoomtui.", show=False, priority=True
    ),
    UserAction(
        "app.leave_field",
        "escape",
        "app.leave_field",
        "Leave the field",
        "app",
        "Leave a text field or menu so the one-key commands (1-7, r, e…) work again.",
        show=False,
    ),
    *SCREEN_ACTIONS,
    *DIALOG_ACTIONS,
)


def actions_for(scope: str) -> list[UserAction]:
    """The actions declared for one scope, in declaration order."""
    return [a for a in ACTIONS if a.scope == scope]


def bindings_for(scope: str) -> list[Binding]:
    """The Textual ``BINDINGS`` of one scope."""
    return [a.binding() for a in actions_for(scope)]


def by_id(action_id: str) -> UserAction:
    """Look an action up by its binding id."""
    for action in ACTIONS:
        if action.id == action_id:
            return action
    raise KeyError(action_id)
