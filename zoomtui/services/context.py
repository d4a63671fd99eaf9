"""The shared execution context of the CLI and the TUI: settings, database, clock, transport."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zoomtui import paths
from zoomtui.clock import Clock, utcnow
from zoomtui.errors import ZoomtuiError
from zoomtui.settings import Settings, load
from zoomtui.store import Store
from zoomtui.zoom.client import Credentials, ZoomClient

if TYPE_CHECKING:
    import httpx


class ServiceError(ZoomtuiError):
    """A failure of a headless operation, carrying one sentence for the user.

    ``exit_code`` 2 marks a usage error (a value the operator typed is wrong), as click
    does for its own, so scripts can tell a typo from a failure.
    """


@dataclass
class AppContext:
    """Everything an operation needs; one per CLI invocation or TUI session."""

    settings: Settings
    db_path: Path
    clock: Clock = utcnow
    transport: httpx.AsyncBaseTransport | None = None
    emulator: Any = None
    demo: bool = False
    client_options: dict[str, Any] = field(default_factory=dict)
    readonly: bool = False  # the command only reads the history (works on a read-only mount)
    profile: str = field(default_factory=paths.profile_name)  # which account (a demo's too)
    _store: Store | None = field(default=None, repr=False)

    def open_store(self) -> Store:
        """Open the history database once and reuse it."""
        if self._store is None:
            self._store = Store.open(self.db_path, readonly=self.readonly)
        return self._store

    def close(self) -> None:
        """Release the database connection."""
        if self._store is not None:
            self._store.close()
            self._store = None

    @property
    def config_path(self) -> Path:
        """The settings file of this context's profile (the one the TUI saves to)."""
        return paths.profile_config_file(self.profile)

    def credentials(self) -> Credentials:
        """The credentials of the configured auth method (the other kind left empty)."""
        s = self.settings
        if s.auth == "jwt":
            return Credentials(api_key=s.api_key, api_secret=s.api_secret)
        return Credentials(
            account_id=s.account_id, client_id=s.client_id, client_secret=s.client_secret
        )

    def make_client(self, **options: Any) -> ZoomClient:
        """A Zoom client for these settings (in-process emulator when a transport is set).

        With the global region and no explicit API URL the client follows the
        token's ``api_url`` (the account's data region).
        """
        if not self.settings.has_credentials():
            raise ServiceError(
                "No Zoom credentials are configured: set them with `zoomtui config set` "
                "or the ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET variables."
            )
        api_url: str | None
        api_url, oauth_url = self.settings.effective_urls()
        if self.settings.region == "global" and self.settings.sources()["api_url"] != "env":
            api_url = None
        return ZoomClient(
            self.credentials(),
            api_url=api_url,
            oauth_url=oauth_url,
            rate_tier=self.settings.rate_tier,
            transport=self.transport,
            clock=self.clock,
            **{**self.client_options, **options},
        )


def context_from_env(db: str | None = None, *, existing: bool = False) -> AppContext:
    """The context of a headless command.

    Settings: file < environment. Database: ``--db`` over ``ZOOMTUI_DB`` over the default.
    ``existing``: the command only reads the history, so a missing file is a mistyped
    path or a first use, said in one sentence rather than created empty, and the
    file is opened read-only (it may sit on a read-only mount).
    """
    settings = load()
    db_path = Path(db).expanduser() if db else paths.database_file()
    if existing and not db_path.exists():
        raise ServiceError(
            f"There is no history database at {db_path}; run `zoomtui aggregate` first "
            "(or check --db / ZOOMTUI_DB)."
        )
    return AppContext(settings=settings, db_path=db_path, readonly=existing)
