"""Shared fixtures: every test runs away from the real config, data dir and credentials."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point config, database and platform dirs into ``tmp_path``; clear ZOOM_* variables.

    Why autouse: a test that forgets would read or overwrite the developer's
    real settings, or call Zoom with real credentials from the environment.
    Returns the fake home directory (nothing is created until used).
    """
    for name in list(os.environ):
        if name.startswith(("ZOOM_", "ZOOMTUI_")):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))  # macOS / Windows platformdirs go through HOME
    monkeypatch.setenv("USERPROFILE", str(home))
    for var, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_CACHE_HOME", ".cache"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("ZOOMTUI_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("ZOOMTUI_DB", str(tmp_path / "history.db"))
    return home


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    """The settings file every test uses (``ZOOMTUI_CONFIG``); it does not exist yet."""
    return tmp_path / "config.toml"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The history database every test uses (``ZOOMTUI_DB``); it does not exist yet."""
    return tmp_path / "history.db"
