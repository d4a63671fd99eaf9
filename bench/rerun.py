"""Unchanged rerun: what a second aggregation of an unchanged account asks and how long it takes.

Usage: .venv/bin/python bench/rerun.py [--users N] [--latency-ms L] [--tier pro]
       [--rate-scale F] [--repeat R]

Over a loopback ``zoomtui emulator`` (as bench/aggregate_bound.py): one first
run, then ``--repeat`` reruns on the same database with nothing changed.
Prints the rerun's requests per category and per endpoint (emulator counts),
its wall time and its lower bound. Target: list pages, seats and reports
only — no settings reads beyond the staleness refresh.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from _bound import lower_bound
from _common import (
    counter_delta,
    log,
    loopback_context,
    loopback_emulator,
    median,
    run_aggregate,
    run_stats,
)
from _runinfo import first_run_plan
from aggregate_bound import concurrency_for

from zoomtui.zoom.ratelimit import LIMITS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--tier", default="pro", choices=sorted(LIMITS))
    parser.add_argument("--rate-scale", type=float, default=15.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    latency = args.latency_ms / 1000
    rates = {c: r * args.rate_scale for c, r in LIMITS[args.tier].items()}
    reruns = []
    with loopback_emulator(
        args.users, seed=args.seed, tier=args.tier, rate_scale=args.rate_scale,
        latency_ms=args.latency_ms,
    ) as em, tempfile.TemporaryDirectory() as tmp:  # fmt: skip
        ctx = loopback_context(
            em, Path(tmp) / "bench.db", tier=args.tier, rate_scale=args.rate_scale,
            concurrency=concurrency_for(rates, latency),
        )  # fmt: skip
        first, timer = run_aggregate(ctx)
        first_calls = run_stats(ctx, first.run_id).get("calls", {})
        log(f"first run: {first.status} in {timer.wall:.1f}s, calls {first_calls}")
        for i in range(args.repeat):
            time.sleep(1.5)
            before = em.stats()
            result, timer = run_aggregate(ctx)
            after = em.stats()
            calls = run_stats(ctx, result.run_id).get("calls", {})
            started = ctx.open_store().run(result.run_id).started_at  # type: ignore[union-attr]
            plan, info = first_run_plan(
                ctx, result.run_id, calls, latency, started.strftime("%Y-%m-%dT%H:%M:%SZ")
            )
            bound = lower_bound(plan, rates)
            endpoints = counter_delta(after["calls"], before["calls"])
            rerun = {
                "status": result.status,
                "wall_s": round(timer.wall, 3),
                "commit_s": round(timer.wall - timer.network, 3),
                "client_calls": calls,
                "emulator_calls": counter_delta(after["categories"], before["categories"]),
                "endpoints": endpoints,
                "settings_reads": sum(v for k, v in endpoints.items() if k.endswith("/settings")),
                "bound_s": bound["bound_s"],
                "ratio": round(timer.wall / bound["bound_s"], 3),
                "bound": bound,
                **{k: v for k, v in info.items() if k != "settings_reads"},
            }
            log(f"rerun {i + 1}: {rerun['wall_s']}s, settings reads {rerun['settings_reads']}")
            reruns.append(rerun)
        ctx.close()
    print(
        json.dumps(
            {
                "benchmark": "rerun",
                "users": args.users,
                "latency_ms": args.latency_ms,
                "tier": args.tier,
                "rate_scale": args.rate_scale,
                "first_run_calls": first_calls,
                "rerun_wall_s_median": median([r["wall_s"] for r in reruns]),
                "rerun_settings_reads_max": max(r["settings_reads"] for r in reruns),
                "rerun_ratio_median": median([r["ratio"] for r in reruns]),
                "reruns": reruns,
            }
        )
    )


if __name__ == "__main__":
    main()
