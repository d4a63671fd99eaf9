"""Heavy calls the host report adds to a run: first run, unchanged rerun, and a new month.

Usage: .venv/bin/python bench/hosting_calls.py [--users N] [--seed S]

In-process emulator, no latency, no rate limits (bench/_world.py), add-ons
off so that only listings and reports are asked. Prints, per run, the host
report calls (emulator counts), the months read and the Heavy calls of the
whole run; and the Heavy seconds the report adds at Pro's 10/s and
Business's 40/s (Zoom's own limits, zoom-api.md §6).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from _common import counter_delta, log, run_aggregate
from _world import local_world

REPORT = ("GET /report/users", "GET /accounts/{accountId}/report/users")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        emulator, ctx = local_world(Path(tmp) / "bench.db", args.users, seed=args.seed,
                                    addons=False)  # fmt: skip
        for label, advance in (("first", 0), ("unchanged rerun", 0), ("next month", 31)):
            if advance:
                emulator.advance(advance)
            before = emulator.stats.as_dict()
            result, timer = run_aggregate(ctx)
            after = emulator.stats.as_dict()
            calls = counter_delta(after["calls"], before["calls"])
            heavy = counter_delta(after["categories"], before["categories"]).get("Heavy", 0)
            report = sum(calls.get(k, 0) for k in REPORT)
            runs.append({
                "run": label, "status": result.status, "wall_s": round(timer.wall, 2),
                "host_report_calls": report, "heavy_calls": heavy,
                "hosting_months_read": result.stats.get("hosting_months"),
                "hosting_rows": result.stats.get("hosting_rows"),
                "host_report_s_at_pro_10_per_s": round(report / 10, 1),
                "host_report_s_at_business_40_per_s": round(report / 40, 1),
            })  # fmt: skip
            log(f"{label}: {report} host report calls of {heavy} Heavy, {timer.wall:.1f}s")
        ctx.close()
    print(json.dumps({"benchmark": "hosting_calls", "users": args.users, "runs": runs}))


if __name__ == "__main__":
    main()
