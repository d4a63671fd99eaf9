"""Every user action declared once: key, binding id, footer label, palette title and help text.

One table drives the ``Binding`` objects (with stable ids for ``[keymap]``), the footer, the
command palette and the help screen, so the four can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    # Users
    UserAction(
        "users.detail",
        "enter",
        "show_selected",
        "Show user detail",
        "users",
        "Record, sign-in history and changes across runs of the highlighted user.",
        scope="users",
        show=False,
    ),
    UserAction(
        "users.list",
        "escape",
        "focus_table",
        "Back to the list",
        "users",
        "Leave the search box or the filters and move in the list.",
        scope="users",
        show=False,
    ),
    UserAction(
        "users.search",
        "slash",
        "focus_search",
        "Search users",
        "users",
        "Type part of an email or name.",
        scope="users",
        footer="Search",
    ),
    UserAction(
        "users.filters",
        "f",
        "toggle_filters",
        "Show or hide filters",
        "users",
        "Plan, add-on, account, department, inactivity, hosting.",
        scope="users",
        footer="Filters",
    ),
    UserAction(
        "users.deactivated",
        "d",
        "toggle_deactivated",
        "Show or hide deactivated users",
        "users",
        "Deactivated users are hidden by default.",
        scope="users",
        footer="Deact.",
    ),
    UserAction(
        "users.sort",
        "s",
        "next_sort",
        "Sort by next column",
        "users",
        "Cycle the sort column.",
        scope="users",
        footer="Sort",
    ),
    UserAction(
        "users.reverse",
        "S",
        "reverse_sort",
        "Reverse sort order",
        "users",
        "Ascending or descending.",
        scope="users",
        show=False,
    ),
    UserAction(
        "users.older_run",
        "left_square_bracket",
        "older_run",
        "Show an older run",
        "users",
        "Step back to the previous complete run's users.",
        scope="users",
        show=False,
    ),
    UserAction(
        "users.newer_run",
        "right_square_bracket",
        "newer_run",
        "Show a newer run",
        "users",
        "Step forward towards the latest complete run.",
        scope="users",
        show=False,
    ),
    UserAction(
        "users.clear",
        "x",
        "clear_filters",
        "Clear filters",
        "users",
        "Back to every active and pending user.",
        scope="users",
        show=False,
    ),
    UserAction(
        "users.columns",
        "c",
        "pick_columns",
        "Choose columns",
        "users",
        "Tick the columns the list shows; the rest of the width goes to those left.",
        scope="users",
        show=False,
    ),
    UserAction(
        "users.export",
        "e",
        "export",
        "Export shown users",
        "users",
        "Write the filtered users to CSV or JSON.",
        scope="users",
        footer="Export",
    ),
    UserAction(
        "users.reclaim",
        "R",
        "reclaim",
        "Plan a reclaim of the shown users",
        "reclaim",
        "Build a plan from the reclaim candidates among the users the filters show.",
        scope="users",
        show=False,
    ),
    # Runs
    UserAction(
        "runs.mark",
        "space",
        "mark",
        "Mark run to compare",
        "runs",
        "Mark up to two runs, then compare them.",
        scope="runs",
        footer="Mark",
    ),
    UserAction(
        "runs.compare",
        "c",
        "compare",
        "Compare runs",
        "runs",
        "Diff the two marked runs (or the highlighted one and its predecessor).",
        scope="runs",
        footer="Compare",
    ),
    UserAction(
        "runs.export",
        "e",
        "export",
        "Export runs",
        "runs",
        "Write the run history to CSV or JSON.",
        scope="runs",
        footer="Export",
    ),
    # Diff
    UserAction(
        "diff.kind",
        "k",
        "next_kind",
        "Show added / removed / changed",
        "diff",
        "Cycle which kind of change is listed.",
        scope="diff",
        footer="Kind",
    ),
    UserAction(
        "diff.export",
        "e",
        "export",
        "Export diff",
        "diff",
        "Write the listed changes to CSV or JSON.",
        scope="diff",
        footer="Export",
    ),
    # Seats
    UserAction(
        "seats.export",
        "e",
        "export",
        "Export reclaim candidates",
        "seats",
        "Write the reclaim candidates to CSV or JSON.",
        scope="seats",
        footer="Export",
    ),
    UserAction(
        "seats.seat_export",
        "E",
        "export_seats",
        "Export seat counts",
        "seats",
        "Write seats per plan to CSV or JSON.",
        scope="seats",
        show=False,
    ),
    UserAction(
        "seats.reclaim",
        "R",
        "reclaim",
        "Plan a reclaim of these candidates",
        "reclaim",
        "Build a plan from the candidates shown; review it, drop items, apply it.",
        scope="seats",
        footer="Reclaim",
    ),
    # Aggregate
    UserAction(
        "run.start",
        "r",
        "start",
        "Start aggregation",
        "run",
        "Read users, add-ons, seats and sign-ins now.",
        scope="aggregate",
        footer="Run",
    ),
    UserAction(
        "run.full",
        "F",
        "start_full",
        "Start full aggregation",
        "run",
        "Also re-read every user's add-ons.",
        scope="aggregate",
        footer="Full",
    ),
    UserAction(
        "run.cancel",
        "c",
        "cancel",
        "Cancel aggregation",
        "run",
        "Stop the running aggregation; earlier runs stay intact.",
        scope="aggregate",
        footer="Cancel",
    ),
    # Connection
    UserAction(
        "config.save",
        "ctrl+s",
        "save",
        "Save connection settings",
        "config",
        "Write the settings file (mode 0600).",
        scope="connection",
        footer="Save",
        priority=True,
    ),
    UserAction(
        "config.test",
        "ctrl+t",
        "test",
        "Test connection",
        "config",
        "Get a token and list what the credentials allow.",
        scope="connection",
        footer="Test",
        priority=True,
    ),
    UserAction(
        "config.new_profile",
        "ctrl+n",
        "new_profile",
        "New profile",
        "config",
        "Create another profile (one more Zoom account), then switch to it to fill it in.",
        scope="connection",
        footer="New",
        priority=True,
    ),
    # Accounts
    UserAction(
        "accounts.open",
        "enter",
        "open",
        "Open the account's users",
        "accounts",
        "Switch to the highlighted profile and show its Users screen.",
        scope="accounts",
        show=False,
    ),
    UserAction(
        "accounts.sort",
        "s",
        "next_sort",
        "Sort by next column",
        "accounts",
        "Cycle the sort column (or click a header).",
        scope="accounts",
        footer="Sort",
    ),
    UserAction(
        "accounts.reverse",
        "S",
        "reverse_sort",
        "Reverse sort order",
        "accounts",
        "Ascending or descending.",
        scope="accounts",
        show=False,
    ),
    UserAction(
        "accounts.export",
        "e",
        "export",
        "Export the accounts summary",
        "accounts",
        "Write every profile's summary (as `zoomtui summary`) to CSV or JSON.",
        scope="accounts",
        footer="Export",
    ),
    # Dialogs
    UserAction(
        "help.close",
        "escape,q,question_mark,f1",
        "dismiss",
        "Close help",
        "help",
        "Back to the screen.",
        scope="help",
    ),
    UserAction(
        "export.cancel",
        "escape",
        "dismiss(None)",
        "Cancel the export",
        "export",
        "Close the dialog without writing a file.",
        scope="export",
    ),
    UserAction(
        "detail.close",
        "escape,q",
        "dismiss",
        "Close the user detail",
        "users",
        "Back to the list.",
        scope="detail",
        footer="Close",
    ),
    UserAction(
        "columns.close",
        "escape",
        "close",
        "Close the column picker",
        "users",
        "Back to the list with the ticked columns.",
        scope="columns",
    ),
    UserAction(
        "switcher.close",
        "escape,q",
        "close",
        "Close the profile switcher",
        "profile",
        "Stay on the current profile.",
        scope="switcher",
    ),
    UserAction(
        "new_profile.cancel",
        "escape",
        "close",
        "Cancel the new profile",
        "config",
        "Close the dialog without creating a profile.",
        scope="new_profile",
    ),
    # The reclaim plan (from Seats or Users) and its confirmation
    UserAction(
        "reclaim.toggle",
        "space",
        "toggle_item",
        "Drop or keep the item",
        "reclaim",
        "A dropped item is never applied.",
        scope="reclaim",
    ),
    UserAction(
        "reclaim.action",
        "t",
        "next_action",
        "Next action",
        "reclaim",
        "Plan a downgrade, a deactivation or the revocation of old invitations.",
        scope="reclaim",
    ),
    UserAction(
        "reclaim.apply",
        "a",
        "apply",
        "Apply the kept items",
        "reclaim",
        "Asks first; each user is re-checked live and every change journaled.",
        scope="reclaim",
    ),
    UserAction(
        "reclaim.journal",
        "j",
        "show_journal",
        "Journal or plan",
        "reclaim",
        "Every change sent to Zoom, with Zoom's answer.",
        scope="reclaim",
    ),
    UserAction(
        "reclaim.close",
        "escape",
        "close",
        "Close the plan",
        "reclaim",
        "Back to the screen; the plan stays stored.",
        scope="reclaim",
    ),
    UserAction(
        "confirm.yes", "y", "answer(True)", "Apply", "reclaim", "Apply the plan.", scope="confirm"
    ),
    UserAction(
        "confirm.no",
        "n,escape",
        "answer(False)",
        "Cancel",
        "reclaim",
        "Change nothing.",
        scope="confirm",
    ),
    # The unsaved-changes question (leaving Connection or quitting with edits)
    UserAction(
        "unsaved.save",
        "s",
        "choose('save')",
        "Save and leave",
        "config",
        "Save the connection settings, then leave.",
        scope=UNSAVED,
    ),
    UserAction(
        "unsaved.discard",
        "d",
        "choose('discard')",
        "Discard and leave",
        "config",
        "Forget the edits, then leave.",
        scope=UNSAVED,
    ),
    UserAction(
        "unsaved.stay",
        "escape",
        "choose('stay')",
        "Stay",
        "config",
        "Stay on the Connection screen with the edits.",
        scope=UNSAVED,
    ),
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
