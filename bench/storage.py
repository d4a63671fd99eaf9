"""Database growth: first run, unchanged rerun, rerun after ~2% changes (in-process emulator).

Usage: .venv/bin/python bench/storage.py [--users N] [--days D] [--no-addons] [--keep-db PATH]

Sizes are the database file plus its WAL after ``PRAGMA wal_checkpoint(TRUNCATE)``.
The changed rerun follows ``Emulator.advance(D)`` (the dataset's own evolution:
joins, leavers, plan and add-on changes, logins); the share of users that
changed is measured with the store's diff. Target: unchanged rerun < 1 MB.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from _common import db_bytes, log, run_aggregate
from _world import local_world


def checkpointed_size(ctx, path: Path) -> int:  # type: ignore[no-untyped-def]
    ctx.open_store().conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db_bytes(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=2, help="days to advance before run 3")
    parser.add_argument("--no-addons", action="store_true")
    parser.add_argument("--keep-db", type=Path, help="copy the database here (for queries.py)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        emulator, ctx = local_world(path, args.users, addons=not args.no_addons)
        runs = []
        for label in ("first", "unchanged", "changed"):
            if label == "changed":
                emulator.advance(args.days)
            result, timer = run_aggregate(ctx)
            size = checkpointed_size(ctx, path)
            log(f"{label}: {result.status} in {timer.wall:.1f}s, db {size / 2**20:.2f} MB")
            runs.append((label, result, size, timer.wall))
        store = ctx.open_store()
        diff = store.diff(runs[1][1].run_id, runs[2][1].run_id)
        touched = len(diff["added"]) + len(diff["removed"]) + len(diff["changed"])
        listed = sum(runs[2][1].by_status.values())
        counts = {
            t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("user_versions", "logins", "sign_ins", "addon_reads", "seats")
        }
        ctx.close()
        if args.keep_db:
            shutil.copy(path, args.keep_db)
    first, unchanged, changed = (r[2] for r in runs)
    print(
        json.dumps(
            {
                "benchmark": "storage",
                "users": args.users,
                "addons": not args.no_addons,
                "db_bytes_first_run": first,
                "growth_bytes_unchanged_rerun": unchanged - first,
                "growth_bytes_changed_rerun": changed - unchanged,
                "changed_users": touched,
                "changed_share": round(touched / listed, 4),
                "diff_sizes": {k: len(diff[k]) for k in ("added", "removed", "changed")},
                "run_wall_s": {r[0]: round(r[3], 2) for r in runs},
                "rows": counts,
                "target_unchanged_growth_bytes": 1_000_000,
            }
        )
    )


if __name__ == "__main__":
    main()
