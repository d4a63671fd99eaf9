"""An in-process emulated Zoom account, a context on a temporary database, and ground truth."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from zoomtui.emulator import Dataset, Emulator, EmulatorConfig
from zoomtui.emulator.plans import ADDONS
from zoomtui.services.context import AppContext
from zoomtui.services.demo import demo_settings
from zoomtui.zoom.models import plan_name

START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
# What a settings read tells: left out of comparisons when settings were not read.
ADDON_KEYS = ("addons", "addon_capacities", "meetings_hosted_in")
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
    """Every user of every account as Zoom reports them, keyed by email.

    Add-ons come from the emulator's own catalogue (which licences a user was
    given), not from zoomtui's reading of ``feature``: the two must agree.
    """
    out: dict[str, dict[str, Any]] = {}
    for acct, account in enumerate(ds.accounts):
        for status in ("active", "pending", "inactive"):
            for user in ds.users_of(account.id, status):
                names: list[str] = []
                caps: dict[str, int | str] = {}
                regions: list[str] = []
                if "id" in user:
                    names, caps, regions = truth_licences(ds, acct, user["id"])
                out[user["email"].lower()] = {
                    "id": user.get("id"),
                    "status": status,
                    "type": user["type"],
                    "plan": plan_name(user["type"]),
                    "dept": user.get("dept", ""),
                    "account_id": account.id,
                    "addons": names,
                    "addon_capacities": caps,
                    "meetings_hosted_in": regions,
                    "last_login_time": user.get("last_login_time"),
                }
    return out


def truth_licences(
    ds: Dataset, acct: int, zoom_id: str
) -> tuple[list[str], dict[str, int | str], list[str]]:
    """(licence names, capacity or level per licence, hosting regions) the emulator gave."""
    row = ds.find(acct, zoom_id)
    assert row is not None
    mask = ds.cols.addons[row]
    names: set[str] = set()
    caps: dict[str, int | str] = {}
    for addon in ADDONS:
        if mask >> addon.bit & 1:
            names.add(addon.feature)
            if addon.capacity_key:
                caps[addon.feature] = addon.capacity
            if isinstance(addon.value, str):
                caps[addon.feature] = addon.value
    feature = ds.settings_of(ds.accounts[acct].id, zoom_id)["feature"]
    regions = [name for flag, name in (("cn_meeting", "China"), ("in_meeting", "India"))
               if feature[flag] is True]  # fmt: skip
    return sorted(names), caps, regions
