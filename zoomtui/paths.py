"""Platform locations, resolved at call time so tests can redirect them.

A profile (``ZOOMTUI_PROFILE``, set by ``zoomtui --profile NAME``) is one Zoom
account: its own settings file and history. The default profile keeps today's
locations, so an existing config and history need no migration; a named one
lives under ``profiles/NAME/`` of the config and data directories.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import platformdirs

APP = "zoomtui"
DEFAULT_PROFILE = "default"
# A profile name is a directory name: letters, digits, '.', '_' and '-', no dot first.
PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def profile_name() -> str:
    """The selected profile: ``ZOOMTUI_PROFILE`` or the default (validated by the CLI)."""
    return os.environ.get("ZOOMTUI_PROFILE", "").strip() or DEFAULT_PROFILE


def config_dir() -> Path:
    """The platform config directory of zoomtui."""
    return Path(platformdirs.user_config_dir(APP))


def profile_config_file(name: str) -> Path:
    """A profile's settings file; ``ZOOMTUI_CONFIG`` moves the default profile's only."""
    if name == DEFAULT_PROFILE:
        env = os.environ.get("ZOOMTUI_CONFIG")
        return Path(env).expanduser() if env else config_dir() / "config.toml"
    return config_dir() / "profiles" / name / "config.toml"


def profile_database_file(name: str) -> Path:
    """A profile's history; ``ZOOMTUI_DB`` moves the default profile's only."""
    if name == DEFAULT_PROFILE:
        env = os.environ.get("ZOOMTUI_DB")
        return Path(env).expanduser() if env else data_dir() / "history.db"
    return data_dir() / "profiles" / name / "history.db"


def config_file() -> Path:
    """The selected profile's settings file."""
    return profile_config_file(profile_name())


def data_dir() -> Path:
    """The platform data directory (databases, exports)."""
    return Path(platformdirs.user_data_dir(APP))


def database_file() -> Path:
    """The selected profile's SQLite history."""
    return profile_database_file(profile_name())


def demo_database_file() -> Path:
    """The demo database, kept apart from the real history."""
    return data_dir() / "demo.db"
