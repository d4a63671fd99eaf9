"""The rolling add-on refresh: each run re-reads its share of the oldest reads, no burst."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from zoomtui.services.addons import LastRead, Listed, stale_reads
from zoomtui.services.rolling import rolling_refresh

T0 = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
MAX_AGE = timedelta(days=7)


def simulate(days: int, users: int, *, rolling: bool, seed: int = 7) -> list[int]:
    """Settings reads of each daily run after a first full run, with some churn each day."""
    rng = random.Random(seed)
    listed = {f"u{i}": Listed(f"u{i}", "acc", 2, None, "active") for i in range(users)}
    reads = {
        z: LastRead(T0 + timedelta(seconds=i // 20), 2, None, "active", ())
        for i, z in enumerate(listed)
    }
    counts = []
    next_id = users
    for day in range(1, days + 1):
        now = T0 + timedelta(days=day, minutes=rng.uniform(-20, 20))  # cron drifts a little
        for z in rng.sample(sorted(listed), users // 100):  # 1% change plan type
            u = listed[z]
            listed[z] = Listed(z, u.account_id, 1 if u.type == 2 else 2, None, "active")
        for _ in range(users // 200):  # 0.5% new users
            listed[f"u{next_id}"] = Listed(f"u{next_id}", "acc", 2, None, "active")
            next_id += 1
        share = rolling_refresh(reads, now, MAX_AGE) if rolling else frozenset()
        due = stale_reads(listed.values(), reads, now, MAX_AGE, share)
        for k, z in enumerate(sorted(due)):
            u = listed[z]
            reads[z] = LastRead(now + timedelta(seconds=k // 20), u.type, None, "active", ())
        counts.append(len(due))
        oldest = min(r.read_at for z, r in reads.items() if z in listed)
        assert now - oldest <= MAX_AGE + timedelta(days=1)  # nobody left much past max age
    return counts


def test_fourteen_daily_runs_carry_no_burst():
    counts = simulate(14, 7000, rolling=True)
    mean = sum(counts) / len(counts)
    assert max(counts) <= 1.5 * mean, counts
    assert 0.1 * 7000 < mean < 0.25 * 7000  # about a seventh, plus the churn


def test_without_rotation_the_week_old_reads_land_together():
    """What the rotation fixes: everyone read on day 0 falls due on day 7 at once."""
    counts = simulate(14, 7000, rolling=False)
    assert max(counts) > 3 * sum(counts) / len(counts)


def test_share_follows_the_time_since_the_last_run():
    reads = {f"u{i}": LastRead(T0, 2, None, "active", ()) for i in range(700)}
    assert rolling_refresh(reads, T0, MAX_AGE) == frozenset()  # rerun at once: nothing
    assert len(rolling_refresh(reads, T0 + timedelta(days=1), MAX_AGE)) == 100
    assert len(rolling_refresh(reads, T0 + timedelta(hours=1), MAX_AGE)) == 4
    assert len(rolling_refresh(reads, T0 + timedelta(days=30), MAX_AGE)) == 700
    assert rolling_refresh(reads, T0 + timedelta(days=1), timedelta(0)) == frozenset()


def test_oldest_reads_go_first():
    reads = {
        "new": LastRead(T0 + timedelta(days=3), 2, None, "active", ()),
        "old": LastRead(T0, 2, None, "active", ()),
        "mid": LastRead(T0 + timedelta(days=1), 2, None, "active", ()),
    }
    # newest read at day 3; a run on day 5 may refresh 3 x 2/7 -> 0 ... floor: 0 reads
    assert rolling_refresh(reads, T0 + timedelta(days=5), MAX_AGE) == frozenset()
    assert rolling_refresh(reads, T0 + timedelta(days=6), MAX_AGE) == {"old"}
    assert rolling_refresh(reads, T0 + timedelta(days=8), MAX_AGE) == {"old", "mid"}
