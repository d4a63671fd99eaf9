"""Interruption with real processes: `zoomtui aggregate` killed or stopped against an emulator.

SIGKILL at several moments of a run (token, listings, settings reads, late in
the run, while saving): the database passes ``PRAGMA integrity_check``, every
earlier run reads as before, the killed run shows as ``interrupted``, and the
next run completes and matches the emulator's ground truth. SIGINT and SIGTERM
end the run as ``cancelled`` with exit code 130.
"""

from __future__ import annotations

import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.emuworld import ADDON_KEYS, truth_users
from tests.helpers.reliability_checks import ALL, without_age
from tests.helpers.reliability_procs import (
    EmulatorProcess,
    cli_runs,
    cli_users,
    read_until,
    start_cli,
)
from zoomtui.services.context import AppContext
from zoomtui.services.users import query_users
from zoomtui.settings import Settings

pytestmark = pytest.mark.slow

USERS = 200  # with Business budgets a full run reads settings for about three seconds
# (phase line on stderr to wait for, extra seconds) -> a moment to kill the run at
KILL_MOMENTS = [("token", 0.0), ("users", 0.0), ("addons", 0.0), ("addons", 1.0), ("addons", 2.2)]


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[EmulatorProcess]:
    emu = EmulatorProcess(tmp_path, users=USERS, seed=5, latency_ms=15)
    yield emu
    emu.close()


def integrity(db: Path) -> str:
    """``PRAGMA integrity_check`` of the file exactly as the killed process left it."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return str(con.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        con.close()


def readable_runs(env: dict[str, str]) -> tuple[dict[int, Any], dict[int, Any]]:
    """Every run's record (``zoomtui runs``), and the users of every complete run.

    Users are read in-process through the services layer (a subprocess per run
    would dominate the suite's time); ``days_inactive`` moves with the clock.
    """
    runs = cli_runs(env)
    ctx = AppContext(settings=Settings(), db_path=Path(env["ZOOMTUI_DB"]))
    try:
        users = {
            rid: without_age(stored_users_of(ctx, rid))
            for rid, r in runs.items()
            if r["status"] == "complete"
        }
    finally:
        ctx.close()
    return runs, users


def stored_users_of(ctx: AppContext, run_id: int) -> dict[str, dict[str, Any]]:
    return {u["email"].lower(): u for u in query_users(ctx, ALL, run_id=run_id).rows}


def assert_truth(emulator: EmulatorProcess, env: dict[str, str], *, addons: bool) -> None:
    truth = truth_users(emulator.dataset)
    stored = cli_users(env)
    assert set(stored) == set(truth)
    for email, expected in truth.items():
        keys = [k for k in expected if addons or k not in ADDON_KEYS]
        assert {k: stored[email][k] for k in keys} == {k: expected[k] for k in keys}, email


def aggregate_until(env: dict[str, str], phase: str, extra_s: float) -> Any:
    """Start ``zoomtui aggregate --full`` and return it once ``phase`` shows (plus ``extra_s``)."""
    proc = start_cli("aggregate", "--full", env=env)
    assert proc.stderr is not None
    read_until(proc.stderr, lambda line: line.startswith(f"{phase}:"))
    time.sleep(extra_s)
    return proc


def complete_run(env: dict[str, str], *args: str) -> None:
    proc = start_cli("aggregate", "--quiet", *args, env=env)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "Traceback" not in err


def test_sigkill_at_many_moments_keeps_the_database_sound(
    tmp_path: Path, emulator: EmulatorProcess
) -> None:
    env = emulator.env(tmp_path)
    db = Path(env["ZOOMTUI_DB"])
    complete_run(env)
    assert_truth(emulator, env, addons=True)
    for phase, extra in KILL_MOMENTS:
        runs_before, users_before = readable_runs(env)
        emulator.advance(1)
        proc = aggregate_until(env, phase, extra)
        assert proc.poll() is None, f"the run ended before the kill at {phase}+{extra}s"
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        assert integrity(db) == "ok"
        runs_after, users_after = readable_runs(env)
        killed = max(runs_after)
        assert killed not in runs_before
        assert runs_after[killed]["status"] == "interrupted", (phase, extra)
        assert {rid: runs_after[rid] for rid in runs_before} == runs_before
        assert users_after == users_before
        complete_run(env)
        assert_truth(emulator, env, addons=False)
    complete_run(env, "--full")
    assert_truth(emulator, env, addons=True)
    assert integrity(db) == "ok"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_sigint_and_sigterm_cancel_cleanly(
    tmp_path: Path, emulator: EmulatorProcess, sig: signal.Signals
) -> None:
    env = emulator.env(tmp_path)
    complete_run(env)
    runs_before, users_before = readable_runs(env)
    emulator.advance(1)
    proc = aggregate_until(env, "addons", 0.3)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "cancelled" in out.lower()
    runs_after, users_after = readable_runs(env)
    cancelled = max(runs_after)
    assert runs_after[cancelled]["status"] == "cancelled"
    assert {rid: runs_after[rid] for rid in runs_before} == runs_before
    assert users_after == users_before
    complete_run(env)
    assert_truth(emulator, env, addons=False)
