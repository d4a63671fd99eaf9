"""Measure the store on a synthetic 100,000-user account; prints one JSON object.

Usage: python bench/store_queries.py [--users N] [--db PATH]
Not a test: figures depend on the machine. Targets are in product.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from zoomtui.store import SeatRow, SignInRow, Store, UserRow

ADDONS = ("large_meeting", "webinar", "zoom_events", "cloud_recording", "zoom_whiteboard")
PLANS = {1: "Basic", 2: "Licensed", 4: "Unassigned"}
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def make_users(n: int, seed: int) -> list[UserRow]:
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        status = rnd.choices(("active", "pending", "inactive"), (90, 5, 5))[0]
        type_ = rnd.choice((1, 2, 2, 2, 4))
        login = None if rnd.random() < 0.1 else T0 - timedelta(minutes=rnd.randrange(400 * 1440))
        rows.append(
            UserRow(
                zoom_id=None if status == "pending" else f"zid{i:07d}",
                email=f"user{i}@example.com",
                first_name=f"First{i % 997}",
                last_name=f"Last{i % 1009}",
                display_name=f"First{i % 997} Last{i % 1009}",
                status=status,
                type=type_,
                plan=PLANS[type_],
                dept=f"Dept {i % 40}",
                account_id=f"acct{i % 5}",
                zoom_one_type=(1 << 59) if i % 50 == 0 else None,
                last_login_time=login,
                user_created_at=T0 - timedelta(days=1000),
                addons=None
                if status == "pending"
                else tuple(a for a in ADDONS if rnd.random() < 0.15),
            )
        )
    return rows


def timed(fn, repeat: int = 5) -> float:
    """Best of ``repeat`` in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return round(best * 1000, 1)


def size(path: Path) -> int:
    return sum(os.path.getsize(p) for p in (path, Path(f"{path}-wal")) if os.path.exists(p))


def run(store: Store, users: list[UserRow], when: datetime) -> tuple[int, float, float]:
    run_id = store.begin_run(when, full=False)
    t = time.perf_counter()
    for start in range(0, len(users), 300):
        store.stage_users(run_id, users[start : start + 300])
    staged = time.perf_counter() - t
    store.stage_seats(run_id, [SeatRow("acct0", "plan_base", "monthly", 90000, 80000, 10)])
    t = time.perf_counter()
    store.complete_run(run_id, when + timedelta(minutes=5), {"calls": {}}, {})
    return run_id, staged, time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    path = args.db or Path(tmp.name) / "bench.db"
    store = Store.open(path)
    users = make_users(args.users, 1)
    store.add_sign_ins(
        SignInRow(u.email, T0 - timedelta(hours=i), "Sign in") for i, u in enumerate(users[::7])
    )
    r1, stage1, complete1 = run(store, users, T0)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    r2, _, complete2 = run(store, users, T0 + timedelta(days=1))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = size(path)
    r3, _, _ = run(store, users, T0 + timedelta(days=2))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    growth = size(path) - before
    rnd = random.Random(2)
    changed = list(users)
    for i in rnd.sample(range(len(users)), len(users) // 100):
        u = changed[i]
        changed[i] = u._replace(dept="Moved")
    del changed[: len(users) // 200]
    r4, _, complete4 = run(store, changed, T0 + timedelta(days=3))
    now = T0 + timedelta(days=3)
    cut = now - timedelta(days=90)
    q = {
        "filter_licensed_inactive_ms": timed(
            lambda: store.users(
                r4,
                plans=["Licensed"],
                statuses=["active", "pending"],
                inactive_before=cut,
                limit=100,
                now=now,
            )
        ),
        "filter_addon_search_ms": timed(
            lambda: store.users(r4, addons=["webinar"], search="first12", limit=100, now=now)
        ),
        "page_sorted_email_offset_50000_ms": timed(
            lambda: store.users(r4, offset=50_000, limit=100, now=now)
        ),
        "page_sorted_days_inactive_ms": timed(
            lambda: store.users(r4, sort="days_inactive", descending=True, limit=100, now=now)
        ),
        "page_old_run_ms": timed(lambda: store.users(r1, offset=50_000, limit=100, now=now)),
        "count_all_ms": timed(lambda: store.count_users(r4)),
        "diff_unchanged_ms": timed(lambda: store.diff(r2, r3, now, 90)),
        "diff_1pct_changed_ms": timed(lambda: store.diff(r3, r4, now, 90)),
        "diff_first_to_last_ms": timed(lambda: store.diff(r1, r4, now, 90)),
        "trend_4_runs_ms": timed(lambda: store.trend(90), repeat=1),
    }
    diff = store.diff(r3, r4, now, 90)
    result = {
        "users": args.users,
        "stage_s": round(stage1, 2),
        "stage_rows_per_s": int(args.users / stage1),
        "complete_first_s": round(complete1, 2),
        "complete_unchanged_s": round(complete2, 2),
        "complete_1pct_changed_s": round(complete4, 2),
        "unchanged_rerun_growth_bytes": growth,
        "db_bytes": size(path),
        "versions": store.conn.execute("SELECT count(*) FROM user_versions").fetchone()[0],
        "diff_sizes": {k: len(diff[k]) for k in ("added", "removed", "changed")},
        **q,
    }
    store.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
