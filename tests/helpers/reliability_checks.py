"""Shared checks of the reliability suite: ground truth, snapshots of earlier runs, sentences.

Why here: every scenario (fault matrix, soak, interruption) asks the same
three questions — is the new run exactly Zoom's truth, did earlier runs stay
exactly as they were, and was the failure told in one plain sentence.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.helpers.emuworld import ADDON_KEYS, World, make_world, truth_users
from zoomtui.services.runs import list_runs
from zoomtui.services.seats import seat_report
from zoomtui.services.usage import HOSTING_FIELDS
from zoomtui.services.users import UserFilter, query_users
from zoomtui.zoom.models import PlanUsage

ALL = UserFilter(statuses=("active", "pending", "inactive"))
SIGN_IN_HISTORY = timedelta(days=180)  # what the first run asks for (services/phases.py)


@dataclass
class VirtualTime:
    """A monotonic clock that only moves when the client sleeps: waits cost no real time."""

    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


def fast_world(db_path: Path, users: int = 700, seed: int = 11, **config: Any) -> World:
    """An emulated world whose client sleeps on virtual time (700 users: listings page)."""
    world = make_world(db_path, users=users, seed=seed, **config)
    vt = VirtualTime()
    world.ctx.client_options.update(sleep=vt.sleep, monotonic=vt.monotonic)
    return world


def stored_users(world: World, run_id: int | None = None) -> dict[str, dict[str, Any]]:
    page = query_users(world.ctx, ALL, run_id=run_id)
    return {row["email"].lower(): row for row in page.rows}


def truth_seats(world: World) -> set[tuple[Any, ...]]:
    out = set()
    for account in world.dataset.accounts:
        for seat in PlanUsage.from_json(world.dataset.plan_usage_of(account.id)).seats:
            out.add((account.id, seat.plan, seat.type, seat.purchased, seat.assigned, seat.pending))
    return out


def stored_seats(world: World, run_id: int | None = None) -> set[tuple[Any, ...]]:
    return {
        (r.account_id, r.plan, r.type, r.purchased, r.assigned, r.pending)
        for r in seat_report(world.ctx, run_id)
    }


def assert_matches_truth(world: World, run_id: int | None = None, *, addons: bool = True) -> None:
    """Users (every status, plan, add-ons, logins) and seats equal the emulator's truth.

    ``addons=False`` after an incremental run: add-ons are re-read only when
    stale or when seat counts disagree, so two users swapping an add-on may
    show the older reads until the next refresh (by design, see product.md).
    """
    truth = truth_users(world.dataset)
    stored = stored_users(world, run_id)
    assert set(stored) == set(truth), "users missing or extra"
    for email, expected in truth.items():
        keys = [key for key in expected if addons or key not in ADDON_KEYS]
        assert {key: stored[email][key] for key in keys} == {k: expected[k] for k in keys}, email
    assert stored_seats(world, run_id) == truth_seats(world)


class SignInLog:
    """Zoom's sign-in report as seen run after run, for comparison with what the store kept.

    Zoom (and the emulator) forget events after six months while the store
    keeps them forever, so the truth is the union of every report seen so far.
    """

    def __init__(self, world: World, db_path: Path) -> None:
        self.world, self.db_path = world, db_path
        self.since = (world.dataset.now - SIGN_IN_HISTORY).date()
        self.expected: set[tuple[str, str, str]] = set()

    def observe(self) -> None:
        ds = self.world.dataset
        self.expected |= {
            (e["email"].lower(), e["time"], e["type"])
            for account in ds.accounts
            for e in ds.sign_in_events(self.since, ds.now.date(), account_id=account.id)
        }

    def assert_complete(self) -> None:
        """After a complete run: every event reported so far is kept exactly once."""
        self.observe()
        with sqlite3.connect(self.db_path) as con:
            got = set(con.execute("SELECT email, time, type FROM sign_ins"))
            rows = con.execute("SELECT count(*) FROM sign_ins").fetchone()[0]
        assert got == self.expected, "sign-in log differs from Zoom's report"
        assert rows == len(self.expected)


@dataclass(frozen=True)
class Snapshot:
    """Everything a reader sees of the earlier runs; compared before and after a bad run."""

    runs: dict[int, tuple[Any, ...]]
    users: dict[int, dict[str, dict[str, Any]]]
    seats: dict[int, set[tuple[Any, ...]]]
    default_run: int


def snapshot(world: World) -> Snapshot:
    runs = {
        r["id"]: (r["status"], r["started_at"], r["finished_at"], r["users"])
        for r in list_runs(world.ctx)
    }
    complete = [rid for rid, r in runs.items() if r[0] == "complete"]
    return Snapshot(
        runs=runs,
        users={rid: without_age(stored_users(world, rid)) for rid in complete},
        seats={rid: stored_seats(world, rid) for rid in complete},
        default_run=query_users(world.ctx, ALL).run_id,
    )


def assert_unchanged(before: Snapshot, world: World) -> None:
    """Earlier runs read exactly as before, and the default run is still the last complete one."""
    after = snapshot(world)
    assert {rid: after.runs[rid] for rid in before.runs} == before.runs
    for rid in before.users:
        assert after.users[rid] == before.users[rid], f"run {rid} changed"
        assert after.seats[rid] == before.seats[rid], f"seats of run {rid} changed"
    assert after.default_run == before.default_run


def without_age(users: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Records without ``days_inactive``, which moves on with the clock by design, nor the
    hosting fields, which read the hosting history as it stands now (a month read by a
    later run, even one that ended early, is a fact about every run's users)."""
    moving = {"days_inactive", *HOSTING_FIELDS}
    return {e: {k: v for k, v in r.items() if k not in moving} for e, r in users.items()}


_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")


def assert_one_sentence(text: str | None) -> None:
    """A reason an operator can read: one line, one sentence, no traceback or raw repr."""
    assert text, "no reason given"
    assert "\n" not in text.strip(), text
    assert "Traceback" not in text and "Error:" not in text, text
    assert not text.startswith(("{", "[", "<")), text
    assert text.rstrip()[-1] in ".!?)", text
    assert len(text) < 400, text
    assert len(_SENTENCE_BREAK.findall(text.rstrip())) == 0, f"more than one sentence: {text}"
