"""An in-process emulated Zoom account, a context on a temporary database, and ground truth."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from zoomtui.emulator import Dataset, Emulator, EmulatorConfig
from zoomtui.services.context import AppContext
from zoomtui.services.demo import demo_settings
from zoomtui.zoom.models import addons_from_settings, plan_name

START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
FAST = 1000.0  # in-process: Zoom's per-second limits would only slow the tests


@dataclass
class World:
    """The emulator, a context using it, and the emulated clock's offset."""

    emulator: Emulator
    ctx: AppContext
    tick: list[float]

    @property
    def dataset(self) -> Dataset:
        return self.emulator.dataset

    def advance(self, days: int) -> None:
        self.emulator.advance(days)


def make_world(db_path: Path, users: int = 400, seed: int = 11, **config: Any) -> World:
    tick = [0.0]
    holder: dict[str, Emulator] = {}

    def now() -> datetime:
        tick[0] += 0.001  # time moves a little with every look, like a real clock
        return holder["e"].dataset.now + timedelta(seconds=tick[0])

    config.setdefault("rate_scale", FAST)
    emulator = Emulator(Dataset.generate(users=users, seed=seed, start=START),
                        EmulatorConfig(**config), clock=now)  # fmt: skip
    holder["e"] = emulator
    ctx = AppContext(
        settings=demo_settings(),
        db_path=db_path,
        clock=now,
        transport=emulator.transport(),
        emulator=emulator,
        client_options={"rate_scale": FAST},
    )
    return World(emulator, ctx, tick)


def truth_users(ds: Dataset) -> dict[str, dict[str, Any]]:
    """Every user of every account as Zoom reports them, keyed by email."""
    out: dict[str, dict[str, Any]] = {}
    for account in ds.accounts:
        for status in ("active", "pending", "inactive"):
            for user in ds.users_of(account.id, status):
                addons: list[str] = []
                if "id" in user:
                    addons = list(addons_from_settings(ds.settings_of(account.id, user["id"])))
                out[user["email"].lower()] = {
                    "id": user.get("id"),
                    "status": status,
                    "type": user["type"],
                    "plan": plan_name(user["type"]),
                    "dept": user.get("dept", ""),
                    "account_id": account.id,
                    "addons": addons,
                    "last_login_time": user.get("last_login_time"),
                }
    return out
