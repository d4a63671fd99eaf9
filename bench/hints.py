"""Reruns aimed by the operation logs: settings reads after 2% of users changed, and daily runs.

Usage: .venv/bin/python bench/hints.py [--users N] [--churn C] [--days D] [--no-compare]

In process (bench/_world.py: no latency, no rate limits), add-ons on:

1. ``rerun``: a first run; then the emulated admins change about 2% of the
   users in one day (``Dataset.advance(1, churn=C)``: type changes,
   add-ons granted and removed, deactivations, hires, deletions, accepted
   invitations, department moves), each recorded in the operation logs; a
   rerun. Reports the changed users (ground truth from the emulator), the
   rerun's settings reads (emulator counts), its rolling-refresh share and
   hinted users, and whether its users equal what a ``--full`` run on a fresh
   history stores (compared field by field). Unless ``--no-compare``, the
   same again with the logs missing every change (``oplog_miss=1``): the
   fallback, i.e. what a rerun cost before hints.
   Target (issue 12): reads <= 3 x changed users + the rolling share; data equal.
2. ``daily`` (``--days``, default 14): a first run, then one run a day with a
   day's ordinary churn. Target: the largest run's settings reads <= 1.5x the
   average.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from _common import log
from _world import local_world

from zoomtui.emulator import Dataset, Emulator
from zoomtui.services.aggregate import aggregate
from zoomtui.services.context import AppContext
from zoomtui.services.users import UserFilter, query_users

EVERYONE = UserFilter(statuses=("active", "pending", "deactivated"))
KEYS = ("email", "status", "type", "plan", "addons", "addon_capacities", "bundle", "account_id")


def settings_reads(em: Emulator) -> int:
    return sum(n for k, n in em.stats.calls.items() if k.endswith("/settings"))


def snapshot(ctx: AppContext) -> dict[str, tuple[Any, ...]]:
    rows = query_users(ctx, EVERYONE).rows
    return {r["email"]: tuple(r.get(k) for k in KEYS) for r in rows}


def changed_users(before: Dataset, after: Dataset) -> dict[str, int]:
    """Ground truth: users added, removed, or with another status, type, add-ons or department."""
    b = before.cols
    old = {b.serial[i]: (b.status[i], b.utype[i], b.addons[i], b.dept[i]) for i in range(len(b))}
    out = {"added": 0, "removed": 0, "status": 0, "type": 0, "addons": 0, "dept": 0}
    seen = set()
    c = after.cols
    for i in range(len(c)):
        s = c.serial[i]
        seen.add(s)
        if s not in old:
            out["added"] += 1
            continue
        st, t, a, d = old[s]
        for key, moved in (("status", st != c.status[i]), ("type", t != c.utype[i]),
                           ("addons", a != c.addons[i]), ("dept", d != c.dept[i])):  # fmt: skip
            if moved:
                out[key] += 1
                break
    out["removed"] = len(old) - len(seen & old.keys())
    out["total"] = sum(out.values())
    return out


def rerun_case(users: int, churn: float, miss: float, tmp: Path) -> dict[str, Any]:
    em, ctx = local_world(tmp / f"rerun-{miss}.db", users, oplog_miss=miss)
    t0 = time.perf_counter()
    first = asyncio.run(aggregate(ctx))
    first_s = time.perf_counter() - t0
    log(f"first run ({users} users): {first.status} in {first_s:.1f}s")
    before = em.dataset
    em.advance(1, churn)
    changed = changed_users(before, em.dataset)
    reads0 = settings_reads(em)
    t0 = time.perf_counter()
    result = asyncio.run(aggregate(ctx))
    wall = time.perf_counter() - t0
    reads = settings_reads(em) - reads0
    stats = result.stats
    rolling = int(stats.get("addons_rolling", 0))
    log(f"rerun (oplog_miss={miss}): {reads} settings reads, {changed['total']} changed users")
    full_ctx = replace(ctx, db_path=tmp / f"full-{miss}.db", _store=None)
    full = asyncio.run(aggregate(full_ctx, full=True))
    mine, theirs = snapshot(ctx), snapshot(full_ctx)
    differing = sorted(e for e in mine.keys() | theirs.keys() if mine.get(e) != theirs.get(e))
    ctx.close()
    full_ctx.close()
    return {
        "oplog_miss": miss,
        "status": result.status,
        "first_run_s": round(first_s, 1),
        "rerun_s": round(wall, 1),
        "changed_users": changed,
        "settings_reads": reads,
        "rolling_share": rolling,
        "hinted": stats.get("addons_hinted"),
        "oplog_entries": stats.get("oplog_entries"),
        "recount": stats.get("addons_recount"),
        "target_reads": 3 * changed["total"] + rolling,
        "reads_within_target": reads <= 3 * changed["total"] + rolling,
        "full_run_status": full.status,
        "users_compared": len(mine),
        "equal_to_full_run": not differing,
        "differing_users": len(differing),
        "notes": result.notes,
    }


def daily_case(users: int, days: int, tmp: Path) -> dict[str, Any]:
    em, ctx = local_world(tmp / "daily.db", users)
    asyncio.run(aggregate(ctx))
    per_day = []
    for day in range(1, days + 1):
        em.advance(1)
        reads0 = settings_reads(em)
        result = asyncio.run(aggregate(ctx))
        per_day.append(
            {
                "day": day,
                "status": result.status,
                "settings_reads": settings_reads(em) - reads0,
                "rolling_share": result.stats.get("addons_rolling"),
                "hinted": result.stats.get("addons_hinted"),
                "recount": bool(result.stats.get("addons_recount")),
            }
        )
        log(f"day {day}: {per_day[-1]['settings_reads']} settings reads")
    ctx.close()
    reads = [d["settings_reads"] for d in per_day]
    mean = sum(reads) / len(reads)
    return {
        "days": days,
        "reads_mean": round(mean, 1),
        "reads_max": max(reads),
        "max_over_mean": round(max(reads) / mean, 3) if mean else None,
        "target_max_over_mean": 1.5,
        "runs": per_day,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--churn", type=float, default=3.5, help="x a week's changes, in one day")
    parser.add_argument("--days", type=int, default=14, help="daily runs (0: skip)")
    parser.add_argument("--no-compare", action="store_true", help="skip the logs-missing case")
    args = parser.parse_args()
    out: dict[str, Any] = {"benchmark": "hints", "users": args.users, "churn": args.churn}
    with tempfile.TemporaryDirectory() as tmp:
        out["rerun"] = rerun_case(args.users, args.churn, 0.0, Path(tmp))
        if not args.no_compare:
            out["rerun_logs_missing"] = rerun_case(args.users, args.churn, 1.0, Path(tmp))
        if args.days:
            out["daily"] = daily_case(args.users, args.days, Path(tmp))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
