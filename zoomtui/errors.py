"""The root of every error zoomtui raises on purpose: one sentence and an exit code.

The tree, as httpx's ``_exceptions.py`` documents its own::

    ZoomtuiError                 message (one sentence for the user), exit_code
    ├── ZoomError                zoomtui.zoom.errors: Zoom or the network said no
    │   ├── ConfigError, AuthError (InvalidClient, InvalidAccount, …)
    │   ├── MissingScope, NoPermission, NotFound, RateLimited (DailyLimitReached)
    │   └── NetworkError (CertificateError), ServerError, ProtocolError, PageTokenExpired
    ├── StoreError               zoomtui.store.errors: the history database
    │   └── RunLocked            exit code 4: another aggregation is running
    ├── SettingsError            zoomtui.settings: a setting or settings file
    ├── ServiceError             zoomtui.services.context: a headless operation
    │   └── ProfileError         exit code 2: no such profile
    ├── ExportError              zoomtui.services.export: a file could not be written
    └── RunCancelled             zoomtui.services.aggregate: the user stopped the run

The CLI (``commands.common.error_boundary``) and the TUI catch ``ZoomtuiError``
and show its sentence; anything else is a bug and surfaces as one. Exit code 2
marks a usage error (a value the operator typed is wrong), as click does for its
own, so scripts can tell a typo from a failure. This module is on the ground
floor: it imports nothing of zoomtui, so every layer can derive from it.

Not in the tree: the emulator's ``Reject`` and ``BadPageToken``, which never
leave it (they become Zoom's HTTP error answers), and plain ``ValueError`` from
parsers whose callers turn it into a usage error (click's ``BadParameter``).
"""

from __future__ import annotations


class ZoomtuiError(Exception):
    """An expected failure, told to the user in one sentence with an exit code."""

    exit_code: int = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:  # else the class's own (a subclass may say 2 or 4)
            self.exit_code = exit_code
