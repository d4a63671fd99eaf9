"""Errors the store raises; each message is one sentence fit for the user."""

from __future__ import annotations

from zoomtui.errors import ZoomtuiError


class StoreError(ZoomtuiError):
    """The history database cannot be used as asked (corrupt, newer, unreadable, bad run)."""


class RunLocked(StoreError):
    """Another aggregation is running on this database; only one may run at a time."""

    exit_code = 4  # the CLI's "another aggregation is running" code, documented in README

    def __init__(self, run_id: int, pid: int, host: str) -> None:
        where = f"pid {pid}" if host == _hostname() else f"pid {pid} on {host}"
        super().__init__(
            f"Another aggregation (run {run_id}, {where}) is already running on this "
            "database; only one may run at a time."
        )
        self.run_id, self.pid, self.host = run_id, pid, host


def _hostname() -> str:
    import socket

    return socket.gethostname()
