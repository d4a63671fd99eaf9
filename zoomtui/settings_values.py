"""Validation and text parsing of single setting values, one sentence per problem.

Why a module of its own: the same rules serve the TOML file (native types),
the environment and ``zoomtui config set`` (text), and the TUI form; keeping
them apart from loading and saving keeps ``settings.py`` small.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from zoomtui.intervals import parse_interval
from zoomtui.regions import REGION_NAMES

AUTH_METHODS = ("s2s", "jwt")
REGIONS = REGION_NAMES
RATE_TIERS = ("free", "pro", "business")
KEYMAP_PREFIX = "keymap."
# http:// is for the emulator only; emulator.local is its in-process host name.
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "emulator.local"})

_CHOICES = {"auth": AUTH_METHODS, "region": REGIONS, "rate_tier": RATE_TIERS}
_CREDENTIALS = ("account_id", "client_id", "client_secret", "api_key", "api_secret")
_URLS = ("api_url", "oauth_url")
_MINIMUM = {
    "addons_max_age_days": 0,
    "inactive_days": 1,
    "licence_min_minutes": 1,
    "licence_min_participants": 1,
    "reclaim_max_run_age_days": 1,
}
_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f]")
_BINDING_ID = re.compile(r"[A-Za-z0-9_.-]+")


def coerce(key: str, value: Any, *, from_text: bool = False) -> Any:
    """Return ``value`` as the setting's type, or raise ValueError with one sentence.

    ``from_text`` accepts strings for booleans and numbers (environment and
    command line); TOML values must already have the right type.
    """
    if from_text and isinstance(value, str):
        value = _from_text(key, value.strip())
    if key in _CHOICES:
        text = _string(key, value).strip().lower()
        if text not in _CHOICES[key]:
            raise ValueError(f"{key} must be one of {', '.join(_CHOICES[key])}, not {value!r}.")
        return text
    if key in _CREDENTIALS:
        text = _string(key, value)
        if _UNSAFE.search(text):
            raise ValueError(f"{key} must not contain spaces or control characters.")
        return text
    if key in _URLS:
        return check_url(key, _string(key, value).strip())
    if key == "active":
        if not isinstance(value, bool):
            raise ValueError(f"active must be true or false, not {value!r}.")
        return value
    if key == "schedule_interval":
        text = _string(key, value).strip().lower()
        try:
            parse_interval(text)
        except ValueError as exc:
            raise ValueError(f"schedule_interval: {exc}") from None
        return text
    if key in _MINIMUM:
        low, high = _MINIMUM[key], 36500  # more than a century is a typo (and overflows dates)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{key} must be a whole number from {low} to {high}.")
        return value
    if key == "price_per_seat":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or value < 0:
            raise ValueError("price_per_seat must be a number of at least 0 (per seat per year).")
        return float(value)
    if key == "reclaim_exclude":
        return ",".join(p.strip() for p in _string(key, value).split(",") if p.strip())
    if key == "theme":
        text = _string(key, value).strip()
        if not text:
            raise ValueError("theme must be the name of a Textual theme, not empty.")
        return text
    raise ValueError(f"Unknown setting {key!r}.")


def coerce_keymap(value: Any) -> dict[str, str]:
    """Validate the ``[keymap]`` table: binding id to key (``ctrl+q``, ``f5,r``).

    TOML reads an unquoted ``run.start = "ctrl+r"`` as a nested table, so
    nested tables are flattened back into dotted binding ids.
    """
    if not isinstance(value, Mapping):
        raise ValueError('keymap must be a table of binding id = "keys".')
    out: dict[str, str] = {}
    for binding, keys in _flatten(value).items():
        check_binding_id(str(binding))
        if not isinstance(keys, str) or not keys.strip():
            raise ValueError(f"keymap.{binding} must be a non-empty string of keys.")
        out[str(binding)] = keys.strip()
    return out


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def check_binding_id(binding: str) -> str:
    """A binding id is letters, digits, ``_``, ``.`` or ``-``."""
    if not _BINDING_ID.fullmatch(binding):
        raise ValueError(f"{binding!r} is not a binding id (letters, digits, _ . - only).")
    return binding


def check_url(key: str, url: str) -> str:
    """Accept ``""``, an https URL, or http only on a loopback host (the emulator)."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        parts, host = None, ""
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise ValueError(
            f"{key} must be an http(s) URL such as https://api.zoom.us/v2, not {url!r}."
        )
    if parts.scheme == "http" and host not in LOOPBACK_HOSTS:
        raise ValueError(f"{key} may use http:// only for a loopback host, not {host!r}.")
    return url.rstrip("/")


def _from_text(key: str, text: str) -> Any:
    """Turn command-line or environment text into the setting's native type."""
    if key == "active":
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(f"active must be true or false, not {text!r}.")
    if key in _MINIMUM:
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"{key} must be a whole number, not {text!r}.") from None
    if key == "price_per_seat":
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"price_per_seat must be a number, not {text!r}.") from None
    return text


def _string(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string in quotes.")  # never echo: may be a secret
    return value
