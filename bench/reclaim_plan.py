"""What the Seats screen and the Reclaim dialog read and write, at 100,000 users, per call.

Usage: .venv/bin/python bench/reclaim_plan.py --db PATH [--repeat N]

On a copy of ``--db`` (a history of two complete runs, e.g. the one ``bench/tui_speed.py``
uses; the plans are written to the copy), with the clock at the latest run's end and the
cycle collector paused as in the TUI's reader threads (``zoomtui/tui/collector.py``),
per reclaim definition, medians of ``--repeat`` runs, wall ms in one thread:

- ``seats_counts_ms``: ``reclaim_counts`` (counts, needs a licence, savings in SQL);
- ``seats_first_page_ms``: ``reclaim_page`` of the first 100 rows (beside the counts,
  in the other reader thread); ``seats_page_ms``: a page in the middle of the list;
- ``full_read_ms``: ``reclaim`` (every candidate as a record: the CLI, an export, a plan);
- ``plan_ms``: ``create_plan`` of a downgrade (its items written by SQLite from the
  candidate query: when the dialog's plan can be dropped from and applied);
  ``plan_first_page_ms``: the plan's first 100 items read back (what the dialog shows);
  ``build_plan_ms``: ``build_plan`` (``zoomtui reclaim plan``: stored, then every item
  read back and decoded).
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from _common import emulator_settings, log

from zoomtui.emulator import API_URL, OAUTH_URL
from zoomtui.services.context import AppContext
from zoomtui.services.reclaim.actions import Action
from zoomtui.services.reclaim.plan import build_plan, create_plan, plan_page
from zoomtui.services.seats import reclaim, reclaim_counts, reclaim_page, reclaim_query


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return round((time.perf_counter() - start) * 1000, 1), out


def measure(ctx: AppContext, definition: str, repeat: int) -> dict[str, Any]:
    figures: dict[str, list[float]] = {}

    def add(name: str, ms: float) -> None:
        figures.setdefault(name, []).append(ms)

    sizes: dict[str, int] = {}
    for _ in range(repeat):
        q = reclaim_query(ctx, definition=definition)
        ms, counted = timed(lambda: reclaim_counts(ctx, q))  # noqa: B023
        add("seats_counts_ms", ms)
        ms, _first = timed(lambda: reclaim_page(ctx, q, None, 0, 100))  # noqa: B023
        add("seats_first_page_ms", ms)
        pinned = replace(q, run_id=counted.run_id)
        middle = counted.count // 2
        ms, _page = timed(lambda: reclaim_page(ctx, pinned, counted.count, middle, 100))  # noqa: B023
        add("seats_page_ms", ms)
        ms, _full = timed(lambda: reclaim(ctx, definition=definition))
        add("full_read_ms", ms)
        ms, plan = timed(lambda: create_plan(ctx, Action("downgrade"), None, definition))
        add("plan_ms", ms)
        plan_id = plan["id"]
        ms, _page = timed(lambda: plan_page(ctx, plan_id, 0, 100))  # noqa: B023
        add("plan_first_page_ms", ms)
        ms, _built = timed(lambda: build_plan(ctx, Action("deactivate"), None, definition))
        add("build_plan_ms", ms)
        sizes = {"candidates": counted.count, "invitations": counted.invitations_count,
                 "plan_items": plan["items"]}  # fmt: skip
        gc.collect()  # between runs, as the app's quiet-time pass
    return {**sizes, **{k: round(statistics.median(v), 1) for k, v in figures.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    out: dict[str, Any] = {"benchmark": "reclaim_plan"}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "copy.db"
        shutil.copy(args.db, db)
        ctx = AppContext(settings=emulator_settings(API_URL, OAUTH_URL), db_path=db)
        latest = ctx.open_store().latest_complete_run()
        assert latest is not None and latest.finished_at is not None
        finished = latest.finished_at
        ctx.clock = lambda: finished
        gc.disable()
        try:
            for definition in ("idle", "unused"):
                out[definition] = measure(ctx, definition, args.repeat)
                log(definition, out[definition])
        finally:
            gc.enable()
            ctx.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
