"""Saving settings from the TUI: only what the operator changed goes into the file.

Why: values from the environment outrank the file and must never be copied into it, and
the demo's built-in credentials must never reach the real settings file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from zoomtui import paths
from zoomtui import settings as settings_module
from zoomtui.services import profiles
from zoomtui.services.demo import CONNECTION_KEYS

if TYPE_CHECKING:
    from zoomtui.tui.app import ZoomApp


def save_changes(app: ZoomApp, changes: dict[str, Any]) -> Path | None:
    """Write ``changes`` over the file's own values, then refresh the app's settings.

    In the demo only display preferences are written; the connection stays built in.
    Returns the file written, or None when nothing was written.
    """
    ctx = app.ctx
    to_file = dict(changes)
    # The demo's accounts have no file of their own: preferences go to the operator's.
    target = paths.config_file() if ctx.demo else ctx.config_path
    if ctx.demo:
        to_file = {k: v for k, v in changes.items() if k not in CONNECTION_KEYS}
    path = None
    if to_file:
        path = settings_module.load(target, env={}).updated(**to_file).save(target)
    if ctx.demo:
        ctx.settings = ctx.settings.updated(**changes)
    else:
        # The environment counts only for the profile zoomtui started on, never after a switch.
        ctx.settings = profiles.settings_of(profiles.Profile(ctx.profile))
    return path


def save_field(app: ZoomApp, key: str, value: Any) -> Path | None:
    """Save one setting (the theme, for example)."""
    return save_changes(app, {key: value})
