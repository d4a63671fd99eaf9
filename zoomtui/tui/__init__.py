"""The Textual UI. ``run_app`` is what ``zoomtui`` (no subcommand) calls."""

from __future__ import annotations

import sys
from pathlib import Path


def run_app(demo: bool = False, db_path: str | None = None) -> None:
    """Open the TUI on the configured account, or on the offline demo."""
    from zoomtui.errors import ZoomtuiError
    from zoomtui.tui.app import create_app

    _quiet_logging()

    accounts = None
    try:
        if demo:
            import asyncio

            from zoomtui import paths
            from zoomtui.services.accounts import DemoAccounts
            from zoomtui.services.demo import demo_contexts, fill_demo_histories
            from zoomtui.settings import load

            path = Path(db_path).expanduser() if db_path else paths.demo_database_file()
            if not path.exists():
                print("zoomtui: preparing the demo accounts and their past runs…", file=sys.stderr)
            contexts = demo_contexts(path, settings=load())  # the operator's keymap and theme
            asyncio.run(fill_demo_histories(contexts))
            accounts = DemoAccounts(contexts)
            ctx = next(iter(contexts.values()))
        else:
            from zoomtui.services.context import context_from_env

            ctx = context_from_env(db_path)
            ctx.open_store()  # an unreadable database is one sentence here, not a traceback
    except (ZoomtuiError, OSError) as exc:  # ours or a file problem; a bug shows its traceback
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        print(f"zoomtui: {message}", file=sys.stderr)
        raise SystemExit(1) from None
    app = create_app(ctx, accounts=accounts, build_ahead=True)
    try:
        app.run()
    finally:
        ctx.close()
        app.ctx.close()  # the account a profile switch ended on, if another
        if accounts is not None:
            accounts.close()
    code = app.return_code or 0
    if code:
        raise SystemExit(exit_message(app.crash, code))


def exit_message(crash: BaseException | None, code: int) -> int:
    """Say in one sentence on stderr why the app stopped; return the exit code.

    Why: Textual ends an app on an unhandled exception but the process used to exit 0,
    so a wrapper script or a supervisor saw success. Our errors carry a sentence; any
    other error is a bug whose traceback Textual has already printed above.
    """
    from zoomtui.text import safe_text
    from zoomtui.tui.app import is_ours
    from zoomtui.tui.errors import error_text

    if crash is not None and is_ours(crash):
        message = error_text(crash)
    elif crash is not None:
        name = type(crash).__name__
        message = f"stopped on an unexpected error ({name}); see the traceback above"
    else:
        message = f"stopped with exit code {code}"
    print(f"zoomtui: {safe_text(message)}", file=sys.stderr)
    return code


def _quiet_logging() -> None:
    """Send the core's log records to Textual's devtools log, never onto the screen.

    ``stderr=False``: outside a running app (the demo's first preparation) Textual's
    handler printed them on the terminal, a screenful of "GET /report/users failed:
    HTTP 400" for the demo's free account, whose reports Zoom refuses by design.
    """
    import logging

    from textual.logging import TextualHandler

    logger = logging.getLogger("zoomtui")
    logger.addHandler(TextualHandler(stderr=False))
    logger.propagate = False
