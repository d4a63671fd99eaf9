"""TUI timings with ``app.run_test()``: first frame of the demo, re-filtering 100,000 users.

Usage: .venv/bin/python bench/tui.py [--db PATH] [--users N] [--repeat R]

First frame: ``demo_context`` on a demo database that already holds its
history (what every start after the first does), then ``create_app`` until
``run_test`` hands over a mounted users screen. Re-filter: on a database with
a 100,000-user run (``--db``, e.g. from ``bench/storage.py --keep-db``, else
one is built in-process), set a filter on the users screen and wait until the
query ran and the table was redrawn. Target: re-filter < 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

from _common import emulator_settings, log
from queries import build
from tui_speed import reads_done

from zoomtui.emulator import API_URL, OAUTH_URL
from zoomtui.services.context import AppContext
from zoomtui.services.demo import demo_context
from zoomtui.tui.app import create_app
from zoomtui.tui.screens.users import UsersScreen
from zoomtui.tui.widgets.filter_bar import FilterState

SIZE = (120, 40)


async def first_frame(db: Path) -> float:
    t = time.perf_counter()
    ctx = demo_context(db, fill=False)
    app = create_app(ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await reads_done(app)
        await pilot.pause()
        elapsed = time.perf_counter() - t
    ctx.close()
    return elapsed


async def refilter(db: Path, repeat: int) -> dict[str, list[float]]:
    ctx = AppContext(settings=emulator_settings(API_URL, OAUTH_URL), db_path=db)
    store = ctx.open_store()
    latest = store.latest_complete_run()
    assert latest is not None
    finished = latest.finished_at
    ctx.clock = lambda: finished
    row = store.users(latest.id, statuses=["active"], limit=1, offset=5000)[0][0]
    states = {
        "search": FilterState(search=row["last_name"][:4].lower()),
        "plan": FilterState(plans=("Licensed",)),
        "inactive_days": FilterState(inactive_days=90),
        "cleared": FilterState(),
    }
    out: dict[str, list[float]] = {k: [] for k in states}
    app = create_app(ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await reads_done(app)
        screen = app.screen
        assert isinstance(screen, UsersScreen), type(screen)
        for _ in range(repeat):
            for name, state in states.items():
                t = time.perf_counter()
                screen.state = state
                screen.reload()
                await pilot.pause()
                await reads_done(app)  # the query runs in a reader thread
                await pilot.pause()
                out[name].append(time.perf_counter() - t)
        shown = screen.table.total
    ctx.close()
    log(f"last table total: {shown}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        demo_db = Path(tmp) / "demo.db"
        demo_context(demo_db).close()  # the first start fills the history
        frames = [asyncio.run(first_frame(demo_db)) for _ in range(args.repeat)]
        log(f"first frame: {[round(f, 3) for f in frames]}")
        db = args.db or Path(tmp) / "big.db"
        if args.db is None:
            build(db, args.users)
        times = asyncio.run(refilter(db, args.repeat))
    ms = {k: round(statistics.median(v) * 1000, 1) for k, v in times.items()}
    print(
        json.dumps(
            {
                "benchmark": "tui",
                "first_frame_demo_ms_median": round(statistics.median(frames) * 1000, 1),
                "refilter_ms_median": ms,
                "worst_refilter_ms": max(ms.values()),
                "target_refilter_ms": 200,
            }
        )
    )


if __name__ == "__main__":
    main()
