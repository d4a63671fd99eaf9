"""An in-process emulated account and a context on a database, for the local benchmarks."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _common import emulator_settings

from zoomtui.emulator import API_URL, OAUTH_URL, Dataset, Emulator, EmulatorConfig
from zoomtui.emulator.auth import ALL_SCOPES
from zoomtui.services.context import AppContext

START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
# Without these the settings reads are refused, so the run skips add-ons after one call.
NO_ADDON_SCOPES = frozenset(s for s in ALL_SCOPES if not s.startswith("user:read:settings:"))


def local_world(
    db_path: Path, users: int, *, seed: int = 1, addons: bool = True, **config: Any
) -> tuple[Emulator, AppContext]:
    """Emulator in-process, no latency, rate limits off in both emulator and client.

    The emulated clock starts at ``START`` and moves with real time, and jumps
    with ``emulator.advance(days)``.
    """
    started = time.monotonic()
    holder: dict[str, Emulator] = {}

    def now() -> datetime:
        return holder["e"].dataset.now + timedelta(seconds=time.monotonic() - started)

    if not addons:
        config.setdefault("scopes", NO_ADDON_SCOPES)
    config.setdefault("rate_limits", False)
    dataset = Dataset.generate(users=users, seed=seed, start=START)
    emulator = Emulator(dataset, EmulatorConfig(**config), clock=now)
    holder["e"] = emulator
    ctx = AppContext(
        settings=emulator_settings(API_URL, OAUTH_URL),
        db_path=db_path,
        clock=now,
        transport=emulator.transport(),
        emulator=emulator,
        client_options={"rate_scale": float("inf")},
    )
    return emulator, ctx
