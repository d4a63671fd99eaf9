"""Settings: a TOML file under the environment, validated, written with mode 0600.

Why: cron jobs and tests drive zoomtui through environment variables, so the
environment outranks the file; the file holds secrets, so it is only written
atomically with owner-only permissions, and never when the existing file does
not parse (a hand-edited file is the user's work, not ours to replace).
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import tempfile
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import tomli_w

from zoomtui import paths, regions
from zoomtui.errors import ZoomtuiError
from zoomtui.intervals import parse_interval
from zoomtui.settings_values import (
    AUTH_METHODS,
    KEYMAP_PREFIX,
    RATE_TIERS,
    REGIONS,
    coerce,
    coerce_keymap,
)

__all__ = [
    "AUTH_METHODS",
    "ENV_VARS",
    "KEYS",
    "MASK",
    "RATE_TIERS",
    "REGIONS",
    "REGION_URLS",
    "SECRET_KEYS",
    "Settings",
    "SettingsError",
    "Source",
    "load",
    "load_settings",
    "read_file",
]

Source = Literal["env", "file", "default"]

MASK = "********"
SECRET_KEYS = frozenset({"client_secret", "api_secret"})
REGION_URLS = {name: (r.api_url, r.oauth_url) for name, r in regions.REGIONS.items()}
# The headless contract's variables; ZOOM_CLIENT_ID / ZOOM_API_KEY also pick `auth`.
ENV_VARS = {
    "account_id": "ZOOM_ACCOUNT_ID",
    "client_id": "ZOOM_CLIENT_ID",
    "client_secret": "ZOOM_CLIENT_SECRET",
    "api_key": "ZOOM_API_KEY",
    "api_secret": "ZOOM_API_SECRET",
    "api_url": "ZOOMTUI_API_URL",
    "oauth_url": "ZOOMTUI_OAUTH_URL",
    "rate_tier": "ZOOMTUI_RATE_TIER",
}
_HEADER = (
    "# zoomtui settings, written by `zoomtui config`; it may hold secrets: keep it mode 0600.\n"
)
_TOML_POSITION = re.compile(r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")


class SettingsError(ZoomtuiError):
    """A settings problem told in one sentence; ``exit_code`` 2 marks a bad value."""


@dataclass(frozen=True, repr=False)
class Settings:
    """Every setting with its default; build changed copies with ``updated()``/``unset()``.

    ``price_per_seat`` is the cost of one licensed seat **per year** (in the
    account's currency), used only to estimate yearly savings from reclaiming
    seats. ``api_url``/``oauth_url`` are used when ``region`` is ``custom`` or
    when they come from the environment; otherwise the region decides them.
    """

    auth: str = "s2s"
    account_id: str = ""
    client_id: str = ""
    client_secret: str = ""
    api_key: str = ""
    api_secret: str = ""
    region: str = "global"
    api_url: str = ""
    oauth_url: str = ""
    rate_tier: str = "pro"
    active: bool = True
    schedule_interval: str = "off"
    addons_max_age_days: int = 7
    inactive_days: int = 90
    price_per_seat: float = 149.90
    # "Needs a licence": hosted a month whose meetings averaged more than these
    # (Basic meetings end at 40 minutes and admit 100 people).
    licence_min_minutes: int = 40
    licence_min_participants: int = 100
    # Never touched by `zoomtui reclaim`: e-mails, departments, ``group:<id>``, comma-separated.
    reclaim_exclude: str = ""
    # A reclaim plan is built only from a run at most this many days old.
    reclaim_max_run_age_days: int = 7
    theme: str = "textual-dark"
    keymap: Mapping[str, str] = field(default_factory=dict, hash=False)
    _sources: Mapping[str, Source] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        for key in KEYS:
            if key == "keymap":
                value: Any = MappingProxyType(_checked(coerce_keymap, self.keymap))
            else:
                value = _checked(coerce, key, getattr(self, key))
            object.__setattr__(self, key, value)
        object.__setattr__(self, "_sources", MappingProxyType(dict(self._sources)))

    def __repr__(self) -> str:
        shown = ", ".join(f"{key}={value!r}" for key, value in self.masked().items())
        return f"Settings({shown})"

    __str__ = __repr__

    def masked(self) -> dict[str, Any]:
        """All values as plain types, secrets replaced by ``MASK`` when set, ``""`` when not."""
        out: dict[str, Any] = {}
        for key in KEYS:
            value = getattr(self, key)
            if key in SECRET_KEYS:
                value = MASK if value else ""
            out[key] = dict(value) if key == "keymap" else value
        return out

    def sources(self) -> dict[str, Source]:
        """Where each value came from: ``env``, ``file`` or ``default``.

        Values given in code (not loaded) count as ``file`` unless they equal
        the default, because that is what ``save()`` writes.
        """
        out: dict[str, Source] = {}
        for key in KEYS:
            known = self._sources.get(key)
            if known is None:
                known = "default" if getattr(self, key) == _DEFAULTS[key] else "file"
            out[key] = known
        return out

    def effective_urls(self) -> tuple[str, str]:
        """The API base and token URLs actually used: ``(api_url, oauth_url)``.

        A custom region with a URL left empty falls back to the global one,
        like the environment contract's defaults.
        """
        api, oauth = REGION_URLS.get(self.region, REGION_URLS["global"])
        sources = self.sources()
        custom = self.region == "custom"
        if self.api_url and (custom or sources["api_url"] == "env"):
            api = self.api_url
        if self.oauth_url and (custom or sources["oauth_url"] == "env"):
            oauth = self.oauth_url
        return api, oauth

    def has_credentials(self) -> bool:
        """Whether every credential of the chosen auth method is filled in."""
        if self.auth == "jwt":
            return bool(self.api_key and self.api_secret)
        return bool(self.account_id and self.client_id and self.client_secret)

    def updated(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied (validated) and marked as coming from the file."""
        unknown = [key for key in changes if key not in KEYS]
        if unknown:
            raise unknown_key_error(unknown[0])
        sources = dict(self._sources)
        sources.update(dict.fromkeys(changes, "file"))
        return dataclasses.replace(self, **changes, _sources=sources)

    def unset(self, *keys: str) -> Settings:
        """A copy with ``keys`` back to their defaults."""
        for key in keys:
            if key not in KEYS:
                raise unknown_key_error(key)
        sources = {k: v for k, v in self._sources.items() if k not in keys}
        defaults = {key: _DEFAULTS[key] for key in keys}
        return dataclasses.replace(self, **defaults, _sources=sources)

    def save(self, path: Path | None = None) -> Path:
        """Write the file-sourced values atomically with mode 0600; return the path.

        Values that came from the environment are not written (the file's own
        value for them, if any, is kept) and defaults are left out so that a
        later release's better default still applies.
        """
        target = Path(path) if path is not None else paths.config_file()
        existing = read_file(target, action="save settings to") if target.exists() else {}
        document: dict[str, Any] = {}
        for key, source in self.sources().items():
            value = getattr(self, key)
            value = dict(value) if key == "keymap" else value
            if source == "file" and value not in ("", {}):
                document[key] = value
            elif source == "env" and key in existing:
                document[key] = existing[key]
        _write_atomic(target, _HEADER + tomli_w.dumps(document))
        return target

    def interval(self) -> timedelta | None:
        """The schedule interval, None when scheduling is off."""
        return parse_interval(self.schedule_interval)


KEYS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(Settings) if not f.name.startswith("_")
)
_DEFAULTS: dict[str, Any] = {
    f.name: (f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default)
    for f in dataclasses.fields(Settings)
    if f.name in KEYS
}


def load(
    path: Path | None = None,
    env: Mapping[str, str] | None = None,
    *,
    without: Collection[str] = (),
) -> Settings:
    """Read the settings: defaults, then the TOML file, then the environment.

    ``env=None`` means ``os.environ``; pass ``{}`` to read the file alone (what
    ``config set`` edits, so that environment values never leak into the file).
    Empty environment variables count as unset. File keys named in
    ``without`` are skipped, so ``config set`` can repair a bad value.
    """
    environ = os.environ if env is None else env
    target = Path(path) if path is not None else paths.config_file()
    raw = read_file(target, action="read settings file") if target.exists() else {}
    values: dict[str, Any] = {}
    sources: dict[str, Source] = {}
    for key, value in raw.items():
        if key in without:
            continue
        if key not in KEYS:
            raise SettingsError(_unknown(key, f" in {target}"))
        try:
            values[key] = coerce_keymap(value) if key == "keymap" else coerce(key, value)
        except ValueError as exc:
            raise SettingsError(f"Invalid settings file {target}: {exc}") from None
        sources[key] = "file"
    for key, var in ENV_VARS.items():
        text = environ.get(var, "").strip()
        if not text:
            continue
        try:
            values[key] = coerce(key, text, from_text=True)
        except ValueError as exc:
            raise SettingsError(f"Invalid environment variable {var}: {exc}") from None
        sources[key] = "env"
    if environ.get("ZOOM_CLIENT_ID", "").strip():
        values["auth"], sources["auth"] = "s2s", "env"
    elif environ.get("ZOOM_API_KEY", "").strip():
        values["auth"], sources["auth"] = "jwt", "env"
    return Settings(**values, _sources=sources)


load_settings = load  # the name services/context.py uses


def unknown_key_error(key: str) -> SettingsError:
    """The usage error for a key that is not a setting, with the closest match."""
    return SettingsError(_unknown(key), exit_code=2)


def _unknown(key: str, where: str = "") -> str:
    """ "Unknown setting 'x'…" ending with the closest known key or the list of keys."""
    candidates = [*KEYS, f"{KEYMAP_PREFIX}<binding id>"]
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
    if close:
        return f"Unknown setting {key!r}{where}; did you mean {close[0]!r}?"
    return f"Unknown setting {key!r}{where}; known settings: {', '.join(KEYS)}."


def _checked(func: Any, *args: Any) -> Any:
    """Run a validator, turning its ValueError into a SettingsError (exit code 2)."""
    try:
        return func(*args)
    except ValueError as exc:
        raise SettingsError(str(exc), exit_code=2) from None


def read_file(path: Path, *, action: str = "read settings file") -> dict[str, Any]:
    """Parse the TOML file, with tomllib's line and column in the one-sentence error."""
    try:
        text = path.read_bytes().decode("utf-8")
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_POSITION.match(str(exc))
        detail = (
            f"line {found['line']}, column {found['col']}: {found['msg']}" if found else str(exc)
        )
        suffix = " (fix or move it first)" if action.startswith("save") else ""
        raise SettingsError(f"Cannot {action} {path}: {detail}{suffix}.") from None
    except UnicodeDecodeError:
        raise SettingsError(f"Cannot {action} {path}: it is not UTF-8 text.") from None
    except OSError as exc:
        raise SettingsError(f"Cannot {action} {path}: {exc.strerror or exc}.") from None


def exposure_warning(path: Path | None = None) -> str | None:
    """One sentence when the settings file holds a secret that other users can read.

    Why a warning and not a refusal: the file may have been copied by hand or
    by a config tool with its default mode, and refusing would break a cron
    job; `config set` rewrites it 0600.
    """
    target = Path(path) if path is not None else paths.config_file()
    try:
        mode = target.stat().st_mode
        if not mode & 0o077:
            return None
        raw = tomllib.loads(target.read_bytes().decode("utf-8"))
    except (OSError, ValueError):
        return None  # missing or unreadable: the commands that need it say so
    if not any(isinstance(raw.get(k), str) and raw.get(k) for k in SECRET_KEYS):
        return None
    return (
        f"Warning: the settings file {target} holds a secret but other users may read it; "
        f"run chmod 600 {target}."
    )


def _write_atomic(target: Path, text: str) -> None:
    """Write via a 0600 temp file in the same directory and ``os.replace``.

    A symlinked file is written through to its target (replaced there), so the
    link stays a link and no copy of the secret is left behind in the target.
    """
    if target.is_symlink():
        try:
            target = target.resolve(strict=False)
        except (OSError, RuntimeError) as exc:
            raise SettingsError(
                f"Cannot write settings file {target}: its symlink cannot be followed ({exc})."
            ) from None
    try:
        if not target.parent.exists():
            target.parent.mkdir(mode=0o700, parents=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise SettingsError(f"Cannot write settings file {target}: {exc.strerror}.") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise SettingsError(f"Cannot write settings file {target}: {exc.strerror}.") from None
