"""Exception tree of the Zoom client: one class per failure an operator can act on.

Every error carries one plain sentence in `.message` (shown as is by the CLI and
the TUI) plus Zoom's `x-zm-trackingid` when a response had one, so support
tickets can quote it without anyone reading logs.
"""

from __future__ import annotations

from datetime import datetime

from zoomtui.errors import ZoomtuiError


class ZoomError(ZoomtuiError):
    """Base of every error raised by `zoomtui.zoom`."""

    def __init__(
        self,
        message: str,
        *,
        tracking_id: str | None = None,
        status: int | None = None,
        code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.tracking_id = tracking_id
        self.status = status
        self.code = code


class ConfigError(ZoomError):
    """The client was configured with something unsafe or malformed (e.g. an http:// URL)."""


class AuthError(ZoomError):
    """Zoom refused the credentials or the token."""


class InvalidClient(AuthError):
    """The client ID or client secret is wrong."""


class InvalidAccount(AuthError):
    """The account ID is wrong or does not belong to the app."""


class UnsupportedGrant(AuthError):
    """Zoom does not accept the grant type (usually not a Server-to-Server OAuth app)."""


class JWTRetired(AuthError):
    """The legacy JWT app no longer works because Zoom retired the JWT app type."""


class MissingScope(ZoomError):
    """The token lacks a scope the endpoint needs; `.scope` names it as Zoom does."""

    def __init__(self, scope: str, message: str | None = None, **kwargs: object) -> None:
        self.scope = scope
        self.scopes = tuple(s.strip() for s in scope.split(",") if s.strip())
        text = message or (
            f"The app is missing the scope {scope}; add it to the app in the Zoom App Marketplace."
        )
        super().__init__(text, **kwargs)  # type: ignore[arg-type]


class NoPermission(ZoomError):
    """Zoom answered that the app's owner or plan may not use this endpoint."""


class NotMasterAccount(NoPermission):
    """Sub accounts can only be listed from a master account."""


class NotFound(ZoomError):
    """The user or account does not exist (Zoom code 1001 and friends)."""


class RateLimited(ZoomError):
    """Zoom kept answering 429 after every allowed retry."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: object) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kwargs)  # type: ignore[arg-type]


class DailyLimitReached(RateLimited):
    """The account's daily request quota is used up until `.reset_at` (aware UTC)."""

    def __init__(self, reset_at: datetime, message: str | None = None, **kwargs: object) -> None:
        self.reset_at = reset_at
        text = message or (
            "Zoom's daily API limit for this account is used up; it resets at "
            f"{reset_at.strftime('%Y-%m-%d %H:%M')} UTC."
        )
        super().__init__(text, **kwargs)  # type: ignore[arg-type]


class NetworkError(ZoomError):
    """The host could not be reached or the connection kept failing."""


class CertificateError(NetworkError):
    """TLS failed (an untrusted or expired certificate, a wrong host): retrying cannot help."""


class ServerError(ZoomError):
    """Zoom kept answering with a 5xx error."""


class ProtocolError(ZoomError):
    """Zoom's answer cannot be trusted: malformed JSON after retries, or a broken listing.

    Also raised for values no real account has (an id that is a list, a count
    beyond any account, a wait of years, a listing that never ends), so a
    hostile or broken peer ends a run ``partial``/``failed``, never ``complete``.
    """


class PageTokenExpired(ZoomError):
    """A `next_page_token` expired; the paginator restarts the listing when it sees this."""
