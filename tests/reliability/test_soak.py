"""Randomised soak: many runs on an evolving account, each with a few percent of random faults.

Every run is compared with the emulator's ground truth when it completes; when
it does not, it must say why in one sentence and leave the earlier runs as
they were. The fault schedule is seeded, so a failure here replays exactly.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tests.helpers.reliability_checks import (
    SignInLog,
    assert_matches_truth,
    assert_one_sentence,
    assert_unchanged,
    fast_world,
    snapshot,
)
from zoomtui.emulator import Fault
from zoomtui.services.aggregate import aggregate
from zoomtui.services.diff import diff_runs

RUNS = 15
RANDOM_FAULTS = (
    Fault("5xx", "*", probability=0.02),
    Fault("timeout", "*", probability=0.01),
    Fault("reset", "*", probability=0.01),
    Fault("truncated_json", "*", probability=0.01),
    Fault("429_seconds", "*", probability=0.01),
    Fault("429_date", "*", probability=0.01),
    Fault("429_none", "*", probability=0.01),
    # API calls only: the token endpoint's own refusal is a cell of the fault matrix.
    Fault("token_revoked", "/[!o]*", probability=0.005),
    Fault("page_token_expired", "*", probability=0.05),
)


async def test_soak_runs_match_truth_with_random_faults(tmp_path: Path) -> None:
    db = tmp_path / "history.db"
    world = fast_world(db, users=700, seed=23)
    log = SignInLog(world, db)
    endings: list[str] = []
    try:
        first = await aggregate(world.ctx)
        assert first.status == "complete", first.error
        log.assert_complete()
        for n in range(RUNS):
            before = snapshot(world)
            world.advance(1 + n % 4)
            world.emulator.config = dataclasses.replace(
                world.emulator.config, faults=RANDOM_FAULTS, fault_seed=100 + n
            )
            full = n % 3 == 2
            result = await aggregate(world.ctx, full=full)
            endings.append(result.status)
            if result.status == "complete":
                assert_matches_truth(world, addons=full)
                log.assert_complete()
                diff = diff_runs(world.ctx)
                assert diff.to_run == result.run_id
                assert_unchanged(dataclasses.replace(before, default_run=result.run_id), world)
            else:
                assert result.status in ("partial", "failed"), result.status
                assert_one_sentence(result.error)
                assert_unchanged(before, world)
        injected = sum(world.emulator.stats.faults.values())
        assert injected > RUNS * 5, "the soak injected too few faults to mean anything"
        assert endings.count("complete") >= RUNS - 2, endings
    finally:
        world.ctx.close()
