"""Settings re-reads aimed by Zoom's operation logs, with the seat counts as the arbiter.

A rerun after admins changed users reads the users the logs name instead of
every licensed user of an account whose seat count moved; when the logs miss
a change (lag, a missing scope, an error) the seat counts still catch it and
the whole account is re-read, so the history always equals a ``--full`` run.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.emuworld import World, make_world
from zoomtui.emulator.auth import ALL_SCOPES
from zoomtui.emulator.faults import parse_faults
from zoomtui.emulator.oplog import OpEntry
from zoomtui.emulator.plans import ADDONS
from zoomtui.services.addons import unexplained
from zoomtui.services.aggregate import RunResult, aggregate
from zoomtui.services.users import UserFilter, query_users

EVERYONE = UserFilter(statuses=("active", "pending", "deactivated"))
KEYS = ("email", "status", "type", "plan", "addons", "addon_capacities", "bundle", "account_id")


def settings_calls(world: World) -> int:
    return sum(n for k, n in world.emulator.stats.calls.items() if k.endswith("/settings"))


def snapshot(ctx: Any) -> dict[str, tuple[Any, ...]]:
    rows = query_users(ctx, EVERYONE).rows
    return {r["email"]: tuple(r.get(k) for k in KEYS) for r in rows}


async def full_run_elsewhere(world: World, tmp_path: Path) -> dict[str, tuple[Any, ...]]:
    """What a ``--full`` run on a fresh history stores for the emulator's current state."""
    ctx = replace(world.ctx, db_path=tmp_path / "full.db", _store=None)
    assert (await aggregate(ctx, full=True)).status == "complete"
    try:
        return snapshot(ctx)
    finally:
        ctx.close()


async def rerun_a_day_later(world: World) -> tuple[RunResult, int]:
    assert (await aggregate(world.ctx)).status == "complete"
    world.advance(1)  # within addons_max_age_days: only the rolling share is due anyway
    before = settings_calls(world)
    result = await aggregate(world.ctx)
    assert result.status == "complete", result.error
    return result, settings_calls(world) - before


async def test_hinted_reads_reconcile_the_seat_counts_without_a_recount(tmp_path: Path) -> None:
    world = make_world(tmp_path / "h.db", users=1500, seed=21)
    result, reads = await rerun_a_day_later(world)
    assert result.stats["oplog_read"] is True and result.stats["oplog_entries"] > 0
    assert result.stats["addons_hinted"] > 0
    assert result.stats["addons_recount"] == ""  # no account re-read as a whole
    assert "operation_logs" not in result.notes
    licensed = sum(1 for r in snapshot(world.ctx).values() if r[2] == 2 and r[1] == "active")
    assert reads < licensed / 2  # rolling share + the hinted few, not every licensed user
    assert snapshot(world.ctx) == await full_run_elsewhere(world, tmp_path)


async def test_logs_missing_every_change_fall_back_to_whole_accounts(tmp_path: Path) -> None:
    world = make_world(tmp_path / "h.db", users=1500, seed=21, oplog_miss=1.0)
    result, _ = await rerun_a_day_later(world)
    assert result.stats["oplog_read"] is True and result.stats["oplog_entries"] == 0
    assert result.stats["addons_recount"].startswith("re-read licensed users of")
    assert snapshot(world.ctx) == await full_run_elsewhere(world, tmp_path)


async def test_logs_missing_some_changes_stay_exact(tmp_path: Path) -> None:
    world = make_world(tmp_path / "h.db", users=1500, seed=22, oplog_miss=0.5)
    result, _ = await rerun_a_day_later(world)
    assert result.stats["oplog_entries"] > 0
    assert snapshot(world.ctx) == await full_run_elsewhere(world, tmp_path)


async def test_wrong_hints_cost_reads_not_correctness(tmp_path: Path) -> None:
    """Entries naming users nobody changed, and none naming the changed ones."""
    world = make_world(tmp_path / "h.db", users=1500, seed=21)
    assert (await aggregate(world.ctx)).status == "complete"
    world.advance(1)
    ds = world.dataset
    bystanders = [ds.email(ds.cols.serial[i], ds.cols.acct[i]) for i in range(0, 60, 3)]
    ds.oplog = tuple(
        OpEntry(ds.now_epoch - 3600, 0, "admin@example.com", "User", "Update",
                f"Update User {email}  - Department: from Sales to Legal")
        for email in bystanders
    )  # fmt: skip
    result = await aggregate(world.ctx)
    assert result.status == "complete"
    assert result.stats["addons_hinted"] > 0
    assert result.stats["addons_recount"]  # the real changes still moved the seat counts
    assert snapshot(world.ctx) == await full_run_elsewhere(world, tmp_path)


async def test_without_the_report_scope_a_note_and_the_fallback(tmp_path: Path) -> None:
    scopes = frozenset(s for s in ALL_SCOPES if not s.startswith("report:read:operation_logs"))
    world = make_world(tmp_path / "h.db", users=1500, seed=21, scopes=scopes)
    result, _ = await rerun_a_day_later(world)
    assert result.stats["oplog_read"] is False
    assert "operation_logs:admin" in result.notes["operation_logs"]
    assert "re-read every licensed user" in result.notes["operation_logs"]
    assert result.stats["addons_recount"]
    assert snapshot(world.ctx) == await full_run_elsewhere(world, tmp_path)


async def test_a_first_run_and_a_full_run_do_not_read_the_logs(tmp_path: Path) -> None:
    world = make_world(tmp_path / "h.db", users=300, seed=21)
    first = await aggregate(world.ctx)
    world.advance(7)
    full = await aggregate(world.ctx, full=True)
    calls = world.emulator.stats.calls
    assert not any("operationlogs" in k for k in calls)
    assert "oplog_read" not in first.stats and "oplog_read" not in full.stats


async def test_a_broken_logs_reply_is_a_note_and_the_fallback(tmp_path: Path) -> None:
    faults = parse_faults("no_list:*/report/operationlogs")
    world = make_world(tmp_path / "h.db", users=1500, seed=21, faults=faults)
    result, _ = await rerun_a_day_later(world)
    assert result.status == "complete"
    assert result.stats["oplog_read"] is False
    assert result.notes["operation_logs"].startswith("not read (")
    assert result.stats["addons_recount"]
    assert snapshot(world.ctx) == await full_run_elsewhere(world, tmp_path)


def test_a_gap_zoom_keeps_is_judged_by_its_size_not_by_the_counts() -> None:
    known = {"acc": {"plan_webinar": [7, 6], "plan_zoom_iq": [3, 3]}}
    differences = {
        "acc": {"plan_webinar": (9, 8), "plan_large_meeting": (2, 1)},  # moved, same gap; new
        "other": {"plan_webinar": (4, 3)},
    }
    assert unexplained(differences, known) == {
        "acc": {"plan_large_meeting"},
        "other": {"plan_webinar"},
    }
    assert unexplained({"acc": {"plan_webinar": (9, 7)}}, known) == {"acc": {"plan_webinar"}}
    assert unexplained({"acc": {"plan_webinar": (9, 8)}}, {"acc": {"plan_webinar": "x"}}) == {
        "acc": {"plan_webinar"}
    }


async def test_hinted_reads_need_no_recount_beside_a_gap_zoom_keeps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Zoom counts seats no flag shows: the gap stays, the hinted reads explain the rest."""
    from zoomtui.emulator.dataset import Dataset

    original = Dataset.pool_usage
    pools = {a.plan_key for a in ADDONS if a.plan_key}

    def counted_more(self: Dataset, acct: int) -> dict[Any, list[int]]:
        counts = {k: list(v) for k, v in original(self, acct).items()}
        for key in counts:
            if key[0] in pools:
                counts[key][0] += 1
        return counts

    monkeypatch.setattr(Dataset, "pool_usage", counted_more)
    world = make_world(tmp_path / "h.db", users=1500, seed=21)
    result, _ = await rerun_a_day_later(world)
    assert result.stats["addons_hinted"] > 0
    assert result.stats["addons_recount"] == ""
    assert "addons_seat_counts" in result.notes
    assert snapshot(world.ctx) == await full_run_elsewhere(world, tmp_path)


async def test_a_capacity_change_is_reconciled_by_the_hinted_read(tmp_path: Path) -> None:
    """Seed 29: an admin gives a Webinar 500 holder Webinar 1000 (a logged change).

    The hinted read sees the new capacity and the pool's count is unchanged, so
    no account is re-read whole (it was, while the emulator let a user hold both).
    """
    world = make_world(tmp_path / "h.db", users=1000, seed=29)
    assert (await aggregate(world.ctx)).status == "complete"
    world.emulator.advance(1, churn=7.0)
    result = await aggregate(world.ctx)
    assert result.status == "complete", result.error
    assert result.stats["addons_hinted"] > 0
    assert result.stats["addons_recount"] == ""
    assert snapshot(world.ctx) == await full_run_elsewhere(world, tmp_path)
