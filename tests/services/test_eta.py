"""The time-left estimate: calls left over the pace in force, worded coarsely, in progress."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.emuworld import make_world
from zoomtui.services.aggregate import Progress, aggregate
from zoomtui.services.eta import seconds_left, words


def test_the_slowest_category_decides() -> None:
    rates = {"Light": 30.0, "Medium": 20.0, "Heavy": 10.0}
    assert seconds_left({"Medium": 3000}, rates) == 150.0  # 3,000 users at Pro: 2.5 min
    assert seconds_left({"Medium": 3000, "Heavy": 2000}, rates) == 200.0
    assert seconds_left({"Medium": 0, "Heavy": -1}, rates) == 0.0
    assert seconds_left({"Medium": 3000}, {**rates, "Medium": 60.0}) == 50.0  # learnt Business
    assert seconds_left({"Medium": 10}, {}) is None  # no pace known: no estimate
    assert seconds_left({"Medium": 10}, {"Medium": float("inf")}) is None


def test_words_are_coarse() -> None:
    assert words(None) == ""
    assert words(0.2) == "almost done"
    assert words(12) == "about 10 s left"
    assert words(150) == "about 2 min 30 s left"
    assert words(181) == "about 3 min left"
    assert words(2280) == "about 38 min left"
    assert words(3 * 3600 + 17 * 60) == "about 3 h 15 min left"
    assert words(2 * 3600 + 1) == "about 2 h left"


async def test_a_run_reports_the_time_left_as_reads_go(tmp_path: Path) -> None:
    world = make_world(tmp_path / "h.db", users=600, seed=3)
    seen: list[Progress] = []
    result = await aggregate(world.ctx, progress=seen.append)
    estimates = [p for p in seen if p.phase == "addons" and p.left_s is not None]
    assert estimates, "no estimate was reported"
    first = estimates[0]
    medium = result.stats["rates"]["Medium"]
    assert first.total is not None
    # The estimate starts with the listings' first pages: total_records says how many
    # users are still to list, and a first run reads every active and deactivated one.
    listed = [i for i, p in enumerate(seen) if p.phase == "users"]
    assert seen.index(first) < listed[-1], "no estimate while users were still listed"
    assert first.total >= result.stats["addons_read"] - 1  # the reads to come, not only queued
    # the reads left over the Medium pace, within the pace's movement during the run.
    assert first.left_s is not None and 0 < first.left_s <= first.total / medium * 2
    lefts = [p.left_s for p in estimates]
    assert lefts == sorted(lefts, reverse=True) and lefts[-1] == 0.0
    assert isinstance(result.stats["estimate_s"], float)  # made when the listing ended


async def test_a_rerun_gives_no_estimate_until_its_users_are_listed(tmp_path: Path) -> None:
    """A rerun reads only the users whose add-ons may have changed: unknown before listing."""
    world = make_world(tmp_path / "h.db", users=600, seed=3)
    assert (await aggregate(world.ctx)).status == "complete"
    seen: list[Progress] = []
    await aggregate(world.ctx, progress=seen.append)
    listed = [i for i, p in enumerate(seen) if p.phase == "users"]
    early = [p for p in seen[: listed[-1]] if p.phase == "addons" and p.left_s is not None]
    assert early == []
