"""Every keymap binding id, generated from ``zoomtui/tui/actions.py``: do not edit.

Regenerate with ``python scripts/keymap_docs.py``; ``tests/tui/test_keymap_docs.py``
fails when this list and the action table disagree.
"""

from __future__ import annotations

BINDING_IDS: tuple[str, ...] = (
    "go.users",
    "go.runs",
    "go.diff",
    "go.seats",
    "go.aggregate",
    "go.connection",
    "app.help",
    "app.quit",
    "app.leave_field",
    "users.detail",
    "users.list",
    "users.search",
    "users.filters",
    "users.deactivated",
    "users.sort",
    "users.reverse",
    "users.older_run",
    "users.newer_run",
    "users.clear",
    "users.columns",
    "users.export",
    "runs.mark",
    "runs.compare",
    "runs.export",
    "diff.kind",
    "diff.export",
    "seats.export",
    "seats.seat_export",
    "run.start",
    "run.full",
    "run.cancel",
    "config.save",
    "config.test",
    "help.close",
    "export.cancel",
    "detail.close",
    "columns.close",
    "unsaved.save",
    "unsaved.discard",
    "unsaved.stay",
)
