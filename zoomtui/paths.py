"""Platform locations, resolved at call time so tests can redirect them."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "zoomtui"


def config_file() -> Path:
    """The settings file: ``ZOOMTUI_CONFIG`` or the platform config dir."""
    env = os.environ.get("ZOOMTUI_CONFIG")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def data_dir() -> Path:
    """The platform data directory (databases, exports)."""
    return Path(platformdirs.user_data_dir(APP))


def database_file() -> Path:
    """The SQLite history: ``ZOOMTUI_DB`` or ``history.db`` in the data dir."""
    env = os.environ.get("ZOOMTUI_DB")
    if env:
        return Path(env).expanduser()
    return data_dir() / "history.db"


def demo_database_file() -> Path:
    """The demo database, kept apart from the real history."""
    return data_dir() / "demo.db"
