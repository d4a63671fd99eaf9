"""Fault matrix: every phase of a run × every fault Zoom can throw at it, once and on every call.

Each cell runs a clean first run, lets the account change, then runs again
with the fault injected on that phase's endpoints. The second run either
completes with exactly the emulator's ground truth (users, plans, add-ons,
logins, seats, the kept sign-in log), or ends ``partial``/``failed`` with one
clear sentence while the first run reads exactly as before; then a clean
third run completes and matches the truth again.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.helpers.emuworld import World
from tests.helpers.reliability_checks import (
    SignInLog,
    Snapshot,
    assert_matches_truth,
    assert_one_sentence,
    assert_unchanged,
    fast_world,
    snapshot,
)
from zoomtui.emulator import Fault
from zoomtui.emulator.faults import KINDS
from zoomtui.services.aggregate import RunResult, aggregate
from zoomtui.services.runs import list_runs

# Phase of a run -> the endpoint glob its requests match (path after /v2).
PHASES = {
    "token": "/oauth/token",
    "sub_accounts": "/accounts",
    "user_pages": "*/users",
    "settings": "*/settings",
    "seats": "*/plans/usage",
    "sign_ins": "*/report/activities",
}
PAGINATED = {"user_pages", "sign_ins"}  # page_token_expired only exists where cursors do
MODES = ("once", "every_call")
# The second run reads the sign-in report only since the first; two months give it pages.
ADVANCE_DAYS = {"sign_ins": 62}


def cells() -> list[tuple[str, str, str]]:
    return [
        (phase, kind, mode)
        for phase in PHASES
        for kind in KINDS
        for mode in MODES
        if kind != "page_token_expired" or phase in PAGINATED
    ]


def fault_for(phase: str, kind: str, mode: str) -> Fault:
    at_calls = (1,) if mode == "once" else ()
    return Fault(kind, PHASES[phase], at_calls=at_calls)


def expected_endings(phase: str, kind: str, mode: str) -> set[str]:
    """What each cell may end as; anything else is a failure of the matrix."""
    if phase == "token" and kind == "token_revoked":
        return {"failed"}  # a 401 from the token endpoint itself is a refusal, not a glitch
    if kind == "429_daily":
        return {"partial"}  # a daily limit is never worth waiting for inside a run
    if mode == "once":
        return {"complete"}  # one transient fault is always recovered
    return {"partial", "failed"}


async def run_faulted(
    world: World, log: SignInLog, phase: str, fault: Fault
) -> tuple[RunResult, Snapshot]:
    first = await aggregate(world.ctx)
    assert first.status == "complete", first.error
    assert_matches_truth(world)
    log.assert_complete()
    before = snapshot(world)
    world.advance(ADVANCE_DAYS.get(phase, 3))
    world.emulator.config = dataclasses.replace(world.emulator.config, faults=(fault,))
    result = await aggregate(world.ctx, full=True)  # every settings read: add-ons exact
    assert world.emulator.stats.faults[fault.kind] > 0, "the fault was never injected"
    return result, before


@pytest.mark.parametrize(("phase", "kind", "mode"), cells())
async def test_fault_matrix(tmp_path: Path, phase: str, kind: str, mode: str) -> None:
    db = tmp_path / "history.db"
    world = fast_world(db)
    log = SignInLog(world, db)
    try:
        result, before = await run_faulted(world, log, phase, fault_for(phase, kind, mode))
        assert result.status in expected_endings(phase, kind, mode), (result.status, result.error)
        if result.status == "complete":
            assert result.error is None
            assert_matches_truth(world)
            log.assert_complete()
            earlier = dataclasses.replace(before, default_run=result.run_id)
            assert_unchanged(earlier, world)
            return
        assert_one_sentence(result.error)
        if kind == "429_daily":
            assert "daily" in (result.error or "").lower()
        assert_unchanged(before, world)
        recorded = {r["id"]: r for r in list_runs(world.ctx)}[result.run_id]
        assert recorded["status"] == result.status
        world.emulator.config = dataclasses.replace(world.emulator.config, faults=())
        again = await aggregate(world.ctx)
        assert again.status == "complete", again.error
        assert_matches_truth(world, addons=False)
        log.assert_complete()
    finally:
        world.ctx.close()


def test_matrix_covers_every_phase_and_fault() -> None:
    tried = cells()
    assert {c[0] for c in tried} == set(PHASES)
    assert {c[1] for c in tried} == set(KINDS)
    # 6 phases x 10 faults x 2 modes, less page_token_expired where no cursor exists.
    assert len(tried) == 6 * 10 * 2 - 4 * 2
