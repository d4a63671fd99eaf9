"""Where the client may connect: Zoom's regions and the http:// policy.

Plain http:// would expose the client secret and tokens, so it is accepted only
for loopback hosts (a local emulator) and for the in-process emulator host,
whose requests never leave the process because a custom transport serves them.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from zoomtui.regions import REGIONS
from zoomtui.zoom.errors import ConfigError

EMULATOR_HOST = "emulator.local"


DEFAULT_API_URL = REGIONS["global"].api_url
DEFAULT_OAUTH_URL = REGIONS["global"].oauth_url


def is_loopback(host: str) -> bool:
    """Tell whether `host` is localhost, 127.0.0.0/8 or ::1."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_url(url: str, *, allow_emulator: bool = False) -> str:
    """Return `url` without a trailing slash, or raise ConfigError when it is not safe to use.

    `allow_emulator` admits http://emulator.local, which only makes sense when a
    custom (in-process) transport answers the requests.
    """
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError as exc:
        raise ConfigError(f"The URL {text!r} is not a valid URL.") from exc
    if parts.scheme not in ("https", "http") or not host:
        raise ConfigError(f"The URL {text!r} must start with https:// and name a host.")
    if parts.username or parts.password:
        raise ConfigError("URLs must not contain a user name or password.")
    if parts.scheme == "http" and not (
        is_loopback(host) or (allow_emulator and host == EMULATOR_HOST)
    ):
        raise ConfigError(
            f"Plain http:// is only allowed for loopback hosts; use https:// for {host}."
        )
    return text.rstrip("/")


def api_base_from_token(api_url: str) -> str:
    """Turn a token response's `api_url` (e.g. https://api-eu.zoom.us) into a /v2 base."""
    base = api_url.strip().rstrip("/")
    return base if base.endswith("/v2") else base + "/v2"
