"""The keys of the dialogs shown over a screen: help, export, detail, pickers, reclaim, unsaved.

A dialog's keys are in its footer and the help screen, never in the command palette.
"""

from __future__ import annotations

from zoomtui.tui.action_model import UNSAVED, UserAction

DIALOG_ACTIONS: tuple[UserAction, ...] = (
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
        "Plan a downgrade, a deactivation, the removal of an add-on the users hold "
        "or the revocation of old invitations.",
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
