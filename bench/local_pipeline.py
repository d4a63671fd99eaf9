"""Local pipeline throughput and peak memory: in-process emulator, no latency, no limits.

Usage: .venv/bin/python bench/local_pipeline.py [--users N] [--repeat R] [--addons]

Each repeat runs in a fresh subprocess so its peak RSS (``resource.getrusage``,
nothing excluded) belongs to one aggregation: the emulator's dataset is
generated in the same process and its share is reported separately (RSS after
generating it, minus RSS after the imports). Add-ons are off by default (the
token lacks the settings scope, so the run skips them after one refused call).
Targets: >= 20,000 users/s, peak RSS < 200 MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from _common import PYTHON, log, median


def rss_mb() -> float:
    """Current resident set size in MB."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def child(users: int, addons: bool, reports: bool) -> dict[str, object]:
    import asyncio
    import time

    from _common import peak_rss_mb
    from _world import NO_ADDON_SCOPES, local_world

    import zoomtui.services.phases  # noqa: F401  (imports before the baseline)
    from zoomtui.emulator.auth import ALL_SCOPES
    from zoomtui.services.aggregate import aggregate

    base = rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        scopes = ALL_SCOPES if addons else NO_ADDON_SCOPES
        if not reports:
            scopes = frozenset(s for s in scopes if not s.startswith("report:"))
        emulator, ctx = local_world(Path(tmp) / "bench.db", users, scopes=scopes)
        with_dataset = rss_mb()
        serving = [0.0]  # time inside the emulator: the rest is zoomtui's own
        handle = emulator.handle

        def timed(request: Any) -> Any:
            t = time.perf_counter()
            try:
                return handle(request)
            finally:
                serving[0] += time.perf_counter() - t

        emulator.handle = timed  # type: ignore[method-assign]
        t0, cpu0 = time.perf_counter(), time.process_time()
        result = asyncio.run(aggregate(ctx))
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        listed = sum(result.by_status.values())
        stats = ctx.open_store().run(result.run_id)
        ctx.close()
    return {
        "status": result.status,
        "users_listed": listed,
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "emulator_s": round(serving[0], 3),
        "zoomtui_users_per_s": round(listed / (wall - serving[0])),
        "users_per_s": round(listed / wall),
        "peak_rss_mb": peak_rss_mb(),
        "rss_after_imports_mb": round(base, 1),
        "emulator_dataset_mb": round(with_dataset - base, 1),
        "calls": (stats.stats or {}).get("calls", {}) if stats else {},
        "notes": result.notes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--addons", action="store_true", help="read every user's settings too")
    parser.add_argument(
        "--no-reports", action="store_true", help="without the sign-in report (its scope removed)"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.users, args.addons, not args.no_reports)))
        return
    runs = []
    for i in range(args.repeat):
        cmd = [PYTHON, __file__, "--child", "--users", str(args.users)]
        if args.addons:
            cmd.append("--addons")
        if args.no_reports:
            cmd.append("--no-reports")
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        run = json.loads(out)
        log(
            f"run {i + 1}: {run['users_per_s']} users/s, {run['cpu_s']} s CPU "
            f"({run['emulator_s']} s in the emulator), "
            f"peak RSS {run['peak_rss_mb']} MB"
        )
        runs.append(run)
    print(
        json.dumps(
            {
                "benchmark": "local_pipeline",
                "users": args.users,
                "addons": args.addons,
                "sign_in_report": not args.no_reports,
                "users_per_s_median": median([r["users_per_s"] for r in runs], 0),
                "wall_s_median": median([r["wall_s"] for r in runs]),
                "cpu_s_median": median([r["cpu_s"] for r in runs]),
                "emulator_s_median": median([r["emulator_s"] for r in runs]),
                "zoomtui_users_per_s_median": median([r["zoomtui_users_per_s"] for r in runs], 0),
                "peak_rss_mb_median": median([r["peak_rss_mb"] for r in runs], 1),
                "emulator_dataset_mb_median": median([r["emulator_dataset_mb"] for r in runs], 1),
                "peak_rss_without_dataset_mb_median": median(
                    [r["peak_rss_mb"] - r["emulator_dataset_mb"] for r in runs], 1
                ),
                "targets": {"users_per_s": 20_000, "peak_rss_mb": 200},
                "runs": runs,
            }
        )
    )


if __name__ == "__main__":
    main()
