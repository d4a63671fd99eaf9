"""Broken-listing matrix: a hostile or broken peer's replies never complete a run.

Each cell runs a clean first run, lets the account change, then runs again
while one endpoint answers with a broken reply on every call (``hostile.py``:
a page without its list, a short listing, repeating or endless tokens, absurd
counts, wrong types, 2,000-deep JSON, a Retry-After of years, an infinite token
lifetime). The run must end ``partial`` or ``failed`` with one sentence — never
``complete``, never "Unexpected error" — earlier runs must read exactly as
before (nobody marked removed, the default run unchanged), and the next clean
run must complete with Zoom's truth.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.helpers.reliability_checks import (
    SignInLog,
    assert_matches_truth,
    assert_one_sentence,
    assert_unchanged,
    fast_world,
    snapshot,
    stored_users,
)
from zoomtui.emulator import Fault
from zoomtui.emulator.hostile import HOSTILE_KINDS
from zoomtui.services.aggregate import aggregate
from zoomtui.services.runs import list_runs
from zoomtui.zoom.models import FIELD_LIMITS, TRUNCATED

USERS, SIGN_INS = "*/users", "*/report/activities"
CELLS = [
    *[
        (USERS, kind)
        for kind in (
            "no_list",
            "list_not_list",
            "item_not_object",
            "short_listing",
            "repeat_token",
            "endless_tokens",
            "page_count_absurd",
            "wrong_types",
            "deep_json",
            "retry_after_huge",
        )
    ],
    *[
        (SIGN_INS, kind)
        for kind in ("no_list", "list_not_list", "repeat_token", "endless_tokens", "wrong_types")
    ],
    ("/accounts", "no_list"),
    ("/accounts", "wrong_types"),
    ("*/plans/usage", "negative_seats"),
    ("*/plans/usage", "deep_json"),
    ("/oauth/token", "expires_in_absurd"),
    ("/oauth/token", "deep_json"),
]


@pytest.mark.parametrize(("glob", "kind"), CELLS)
async def test_broken_reply_never_completes_a_run(tmp_path: Path, glob: str, kind: str) -> None:
    db = tmp_path / "history.db"
    world = fast_world(db)
    log = SignInLog(world, db)
    try:
        first = await aggregate(world.ctx)
        assert first.status == "complete", first.error
        log.assert_complete()
        before = snapshot(world)
        world.advance(62 if glob == SIGN_INS else 3)
        world.emulator.config = dataclasses.replace(
            world.emulator.config, faults=(Fault(kind, glob),)
        )
        result = await aggregate(world.ctx)
        assert world.emulator.stats.faults[kind] > 0, "the fault was never injected"
        assert result.status in ("partial", "failed"), (result.status, result.error)
        assert_one_sentence(result.error)
        assert "Unexpected" not in (result.error or "")
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


async def test_a_huge_name_is_cut_to_its_limit_and_the_run_completes(tmp_path: Path) -> None:
    world = fast_world(tmp_path / "history.db")
    try:
        world.emulator.config = dataclasses.replace(
            world.emulator.config, faults=(Fault("huge_field", USERS, at_calls=(1,)),)
        )
        result = await aggregate(world.ctx)
        assert result.status == "complete", result.error
        names = [u["first_name"] for u in stored_users(world).values()]
        cut = [n for n in names if n.endswith(TRUNCATED)]
        assert len(cut) == 1 and len(cut[0]) == FIELD_LIMITS["first_name"]
        assert max(map(len, names)) <= FIELD_LIMITS["first_name"]
    finally:
        world.ctx.close()


def test_every_hostile_kind_is_exercised() -> None:
    tried = {kind for _glob, kind in CELLS} | {"huge_field"}
    assert tried == set(HOSTILE_KINDS)
