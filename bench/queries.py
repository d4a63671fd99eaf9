"""Users filters and the run diff through the service layer on a 100,000-user history.

Usage: .venv/bin/python bench/queries.py [--users N] [--repeat R] [--db PATH]

Without ``--db`` it builds a history in-process (first run, then a rerun after
``Emulator.advance(7)``); ``bench/storage.py --keep-db PATH`` leaves one to
reuse. Each filter of ``zoomtui users`` (plan, status, add-on, inactive days,
search, the hosting filters) runs through ``services.users.query_users`` as the users view asks it
(a 100-row window plus the total) and as the CLI does (every matching row);
the diff is ``services.diff.diff_runs`` of the two latest runs, and the Seats
screen's reclaim candidates ``services.seats.reclaim`` under each definition
(every candidate with its hosting figures). Medians of ``--repeat`` runs, wall
and CPU; targets 50 ms per filter, 500 ms per diff.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from _common import emulator_settings, log, run_aggregate
from _world import local_world

from zoomtui.emulator import API_URL, OAUTH_URL
from zoomtui.services.context import AppContext
from zoomtui.services.diff import RunDiff, diff_runs
from zoomtui.services.seats import DEFINITIONS, reclaim
from zoomtui.services.users import UserFilter, query_users


def timed(
    fn: Callable[[], Any], repeat: int, before: Callable[[], Any] | None = None
) -> tuple[float, Any, float]:
    """Median wall and CPU milliseconds over ``repeat`` calls, after one warm-up.

    CPU time is reported too: on a shared, loaded machine it moves far less than wall.
    ``before`` runs (untimed) ahead of each call.
    """
    out = fn()
    times, cpu = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return round(statistics.median(times) * 1000, 1), out, round(statistics.median(cpu) * 1000, 1)


def build(path: Path, users: int) -> None:
    emulator, ctx = local_world(path, users)
    for step in range(2):
        if step:
            emulator.advance(7)
        result, timer = run_aggregate(ctx)
        log(f"history run {result.run_id}: {result.status} in {timer.wall:.1f}s")
    ctx.close()


def diff_sizes(diff: RunDiff) -> dict[str, int]:
    return {"added": len(diff.added), "removed": len(diff.removed), "changed": len(diff.changed)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--db", type=Path)
    parser.add_argument(
        "--windows-only", action="store_true", help="skip the every-row timings and the diff"
    )
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    path = args.db or Path(tmp.name) / "bench.db"
    if args.db is None:
        build(path, args.users)
    ctx = AppContext(settings=emulator_settings(API_URL, OAUTH_URL), db_path=path)
    store = ctx.open_store()
    runs = [r.id for r in store.complete_runs()]
    latest = max(runs)
    # "Now" is the emulated account's time (the last run's end), not today's date.
    finished = store.run(latest).finished_at  # type: ignore[union-attr]
    ctx.clock = lambda: finished
    sample = store.users(latest, statuses=["active"], addons=None, limit=50, offset=1000)[0]
    addon = next((a for u in store.users(latest, limit=5000)[0] for a in u["addons"]), "webinar")
    needle = sample[0]["last_name"][:4].lower()
    filters = {
        "plan=Licensed": UserFilter(plans=("Licensed",)),
        "status=inactive": UserFilter(statuses=("inactive",)),
        f"addon={addon}": UserFilter(addons=(addon,)),
        "inactive_days=90": UserFilter(inactive_days=90),
        f"search={needle}": UserFilter(search=needle),
        "default (active+pending)": UserFilter(),
        "not_hosted_days=90": UserFilter(not_hosted_days=90),
        "licensed, idle and not hosted 90 days": UserFilter(
            plans=("Licensed",), inactive_days=90, not_hosted_days=90
        ),
        "hosted_minutes_below=120": UserFilter(hosted_minutes_below=120, hosting_days=90),
    }

    def forget_hosting_windows() -> None:
        """As if something had been written since: the next hosting query rebuilds."""
        getattr(store, "hosting_windows", store).stamp = None

    results: dict[str, Any] = {}
    for name, flt in filters.items():
        window = partial(query_users, ctx, flt, latest, limit=100)
        window_ms, page, window_cpu = timed(window, args.repeat)
        results[name] = {
            "window_100_ms": window_ms,
            "window_100_cpu_ms": window_cpu,
            "matches": page.total,
        }
        if not args.windows_only:
            every = partial(query_users, ctx, flt, latest)
            results[name]["all_rows_ms"] = timed(every, max(3, args.repeat // 2))[0]
        if flt.not_hosted_days is not None or flt.hosted_minutes_below is not None:
            # The first hosting query after a write builds its derived table (store/hosting.py).
            cold_ms, _, cold_cpu = timed(window, args.repeat, forget_hosting_windows)
            results[name] |= {"cold_window_100_ms": cold_ms, "cold_window_100_cpu_ms": cold_cpu}
        log(f"{name}: {results[name]}")
    a, b = sorted(runs)[-2:]
    diff_ms, diff, diff_cpu = None, None, None
    if not args.windows_only:
        diff_ms, diff, diff_cpu = timed(lambda: diff_runs(ctx, a, b), max(3, args.repeat // 2))
        log(f"diff {a}->{b}: {diff_ms} ms (CPU {diff_cpu} ms)")
    # The Seats screen's candidates: every matching row with its hosting figures.
    reclaim_ms: dict[str, Any] = {}
    if not args.windows_only:
        for definition in DEFINITIONS:
            wall, found, cpu = timed(
                lambda d=definition: reclaim(ctx, definition=d), max(3, args.repeat // 2)
            )
            reclaim_ms[definition] = {"ms": wall, "cpu_ms": cpu, "rows": len(found.rows)}
            log(f"reclaim {definition}: {reclaim_ms[definition]}")
    users = store.count_users(latest)
    ctx.close()
    print(
        json.dumps(
            {
                "benchmark": "queries",
                "users_in_run": users,
                "repeat": args.repeat,
                "filters": results,
                "worst_window_ms": max(r["window_100_ms"] for r in results.values()),
                "diff_ms": diff_ms,
                "diff_cpu_ms": diff_cpu,
                "diff_runs": [a, b],
                "diff_sizes": diff and diff_sizes(diff),
                "reclaim": reclaim_ms,
                "targets_ms": {"filter": 50, "diff": 500},
            }
        )
    )


if __name__ == "__main__":
    main()
