"""Export what a screen shows: ask with the dialog, then read and write in a reader thread.

Why a thread: reading and writing 100,000 users takes over a second; on the event
loop that froze every key for as long. The worker belongs to the app, so switching
screens while it writes neither stops it nor loses its closing notification.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zoomtui.errors import ZoomtuiError
from zoomtui.services.context import AppContext
from zoomtui.services.export import write_csv, write_json
from zoomtui.tui.screens.base import ZoomScreen, dialog_again
from zoomtui.tui.screens.dialogs import ExportChoice, ExportDialog

if TYPE_CHECKING:
    from zoomtui.tui.app import ZoomApp

Records = list[dict[str, Any]]
Fetch = Callable[[AppContext], Records | dict[str, Any]]
"""Reads the records to export, in a reader thread, from the context it is given."""


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


RELEASE_STEP = 500


def release(records: list[Any]) -> None:
    """Empty ``records`` from the end, ``RELEASE_STEP`` at a time, letting the loop in between.

    Why: the reader thread that wrote an export of 90,000 users then freed them all
    at once when the list went out of scope: one C-level deallocation that held the
    GIL for 0.1-0.15 s, a stall of every key. Slices of 2,000 still left the loop
    waiting 55-100 ms in about one export in three (``bench/tui_speed.py``); slices
    of 500 (1-5 ms each), each followed by a sleep that hands the GIL over, none.
    """
    while records:
        del records[-RELEASE_STEP:]
        time.sleep(0)


def start_export(
    screen: ZoomScreen,
    what: str,
    basename: str,
    fetch: Fetch,
    *,
    columns: Sequence[str] | None = None,
    count: int | None = None,
    fresh: bool = False,
) -> None:
    """Open the export dialog; on confirm, fetch and write the records in a worker.

    ``fresh``: ``fetch`` reads a new list each time, which nothing else holds, so it is
    emptied a slice at a time once written (see :func:`release`).
    """
    app = screen.zapp

    def write(ctx: AppContext, choice: ExportChoice) -> int:
        records = fetch(ctx)
        try:
            return write_export(choice, records, columns)
        finally:
            if fresh and isinstance(records, list):
                release(records)

    async def run(choice: ExportChoice) -> None:
        try:
            written = await app.reader(write, choice)
        except (ZoomtuiError, OSError) as exc:  # one sentence, never a crash
            screen.report(exc, "Export failed")
            return
        app.notify(f"Wrote {written:,} {what} to {choice.path}", title="Export")

    def done(choice: ExportChoice | None) -> None:
        if choice is None:
            return
        many = f"{count:,} " if count is not None else ""
        app.notify(f"Exporting {many}{what} to {choice.path}…", title="Export", timeout=3)
        app.run_worker(run(choice), group="read-export", exit_on_error=False)

    app.push_screen(export_dialog(app, what, default_export_path(screen, basename), count), done)


EXPORT_DIALOG = "export"
"""The name the export dialog is installed under: built once, shown again."""


def unprepared_export_dialog() -> ExportDialog:
    """The export dialog built ahead, before a screen asks (``prepare`` then sets it up)."""
    return ExportDialog("users", Path.cwd() / "users.csv")


def export_dialog(app: ZoomApp, what: str, path: Path, count: int | None) -> ExportDialog:
    """The app's export dialog, ready to ask about ``what``."""
    return dialog_again(
        app,
        EXPORT_DIALOG,
        ExportDialog,
        lambda: ExportDialog(what, path, count),
        lambda dialog: dialog.prepare(what, path, count),
    )
