"""Export what a screen shows: ask with the dialog, then write with the export service."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from zoomtui.errors import ZoomtuiError
from zoomtui.services.export import write_csv, write_json
from zoomtui.tui.screens.base import ZoomScreen
from zoomtui.tui.screens.dialogs import ExportChoice, ExportDialog

Records = list[dict[str, Any]]


def default_export_path(screen: ZoomScreen, basename: str) -> Path:
    """A new file in the current directory, stamped with the app clock so it rarely exists.

    Why the current directory: that is where the operator looks for a file they just
    wrote (and where the CLI's ``> file`` goes), not the app's hidden data directory.
    """
    stamp = screen.ctx.clock().strftime("%Y%m%d-%H%M")
    return Path.cwd() / f"{basename}-{stamp}.csv"


def write_export(
    choice: ExportChoice, records: Records | dict[str, Any], columns: Sequence[str] | None = None
) -> int:
    """Write the records in the chosen format; refuses to replace a file not confirmed."""
    choice.path.parent.mkdir(parents=True, exist_ok=True)
    if choice.format == "json":
        return write_json(choice.path, records, overwrite=choice.overwrite)
    if isinstance(records, dict):
        raise ValueError("This export is a JSON document; choose JSON.")
    return write_csv(
        choice.path, records, columns, overwrite=choice.overwrite, for_spreadsheets=True
    )


def start_export(
    screen: ZoomScreen,
    what: str,
    basename: str,
    fetch: Callable[[], Records | dict[str, Any]],
    *,
    columns: Sequence[str] | None = None,
    count: int | None = None,
) -> None:
    """Open the export dialog; on confirm, fetch the records and write them."""

    def done(choice: ExportChoice | None) -> None:
        if choice is None:
            return
        try:
            written = write_export(choice, fetch(), columns)
        except (ZoomtuiError, OSError) as exc:  # one sentence, never a crash
            screen.report(exc, "Export failed")
            return
        screen.notify(f"Wrote {written:,} {what} to {choice.path}", title="Export")

    screen.app.push_screen(ExportDialog(what, default_export_path(screen, basename), count), done)
