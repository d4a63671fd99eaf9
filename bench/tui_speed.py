"""TUI speed at 100,000 users: first visit of every screen, key latency, export stalls.

Usage: .venv/bin/python bench/tui_speed.py [--db PATH] [--users N] [--size WxH]

On a history of two complete runs of ``--users`` users (``--db``, e.g. from
``bench/storage.py --keep-db``, else built in-process like ``bench/queries.py``),
with ``app.run_test()``:

- ``start_ms``: from ``create_app`` to the Users screen showing its first page;
- ``first_visit_ms``: per screen, from its digit key to its data shown (the key
  handled, every reader-thread read of the screen finished, the screen repainted);
- ``walk``: a scripted walk on Users and Runs (search typed letter by letter then
  Enter, sort, reverse, page down, End, Home, the detail, older/newer run, the
  deactivated toggle, clear): per key ``answer_ms`` (the key handled and the
  screen repainted: what the operator feels) and ``data_ms`` (until the data
  it asked for is shown);
- ``export``: every active and pending user written to CSV from the Users
  screen: the wall time, and the longest the event loop stalled meanwhile, from
  a 10 ms ticker inside the app's loop (a gap over 10 ms is the loop busy), and
  the worst answer to a key pressed while it writes;
- ``max_stall_ms`` over the whole walk, from the same ticker.

Targets: each key answered < 100 ms, each first visit < 300 ms, export stall < 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import emulator_settings, log
from queries import build
from textual.app import App
from textual.pilot import Pilot

from zoomtui.emulator import API_URL, OAUTH_URL
from zoomtui.services.context import AppContext
from zoomtui.tui.app import busy_workers, create_app

TICK_S = 0.010
SCREENS = (("2", "runs"), ("3", "diff"), ("4", "seats"), ("5", "aggregate"), ("6", "connection"))
WALK = (
    ("1", "users"),
    ("slash", "focus search"),
    ("s", "type s"),
    ("m", "type m"),
    ("i", "type i"),
    ("enter", "search smi"),
    ("escape", "back to list"),
    ("s", "next sort"),
    ("S", "reverse sort"),
    ("x", "clear filters"),
    ("pagedown", "page down"),
    ("pagedown", "page down"),
    ("end", "last row"),
    ("home", "first row"),
    ("down", "cursor down"),
    ("enter", "open detail"),
    ("escape", "close detail"),
    ("d", "show deactivated"),
    ("d", "hide deactivated"),
    ("left_square_bracket", "older run"),
    ("right_square_bracket", "newer run"),
    ("2", "runs"),
    ("down", "runs cursor"),
    ("c", "compare (diff)"),
    ("1", "back to users"),
)


class Ticker:
    """A task in the app's loop that wakes every 10 ms and keeps the longest late wake-up."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._tick())

    def reset(self) -> float:
        worst, self.worst = self.worst, 0.0
        return worst

    async def _tick(self) -> None:
        while True:
            t = time.perf_counter()
            await asyncio.sleep(TICK_S)
            self.worst = max(self.worst, time.perf_counter() - t - TICK_S)

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


async def reads_done(app: App[Any]) -> None:
    """Wait until no reader-thread read of the app is under way."""
    while True:
        reading = busy_workers(app, "read")
        if not reading:
            return
        await app.workers.wait_for_complete(reading)
        await asyncio.sleep(0)


async def press(pilot: Pilot[Any], key: str) -> tuple[float, float]:
    """(answered, data shown) in milliseconds for one key."""
    t = time.perf_counter()
    await pilot.press(key)
    await pilot.pause()
    answered = time.perf_counter() - t
    await reads_done(pilot.app)
    await pilot.pause()
    return round(answered * 1000, 1), round((time.perf_counter() - t) * 1000, 1)


async def measure(db: Path, size: tuple[int, int]) -> dict[str, Any]:
    ctx = AppContext(settings=emulator_settings(API_URL, OAUTH_URL), db_path=db)
    store = ctx.open_store()
    latest = store.latest_complete_run()
    assert latest is not None
    finished = latest.finished_at
    ctx.clock = lambda: finished
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as export_dir:
        t = time.perf_counter()
        app = create_app(ctx, schedule=False)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await reads_done(app)
            await pilot.pause()
            out["start_ms"] = round((time.perf_counter() - t) * 1000, 1)
            ticker = Ticker()
            ticker.start()
            visits = {}
            for key, name in SCREENS:
                visits[name] = (await press(pilot, key))[1]
                log(f"first visit {name}: {visits[name]} ms")
            out["first_visit_ms"] = visits
            await press(pilot, "1")
            ticker.reset()
            walk = []
            for key, what in WALK:
                answer, data = await press(pilot, key)
                walk.append({"key": key, "what": what, "answer_ms": answer, "data_ms": data})
                log(f"{what}: {answer} / {data} ms")
            out["walk"] = walk
            out["worst_key_answer_ms"] = max(w["answer_ms"] for w in walk)
            out["worst_key_data_ms"] = max(w["data_ms"] for w in walk)
            out["max_stall_walk_ms"] = round(ticker.reset() * 1000, 1)
            out["export"] = await export(pilot, ticker, Path(export_dir) / "users.csv")
            ticker.stop()
    ctx.close()
    return out


async def export(pilot: Pilot[Any], ticker: Ticker, path: Path) -> dict[str, Any]:
    """Export every active and pending user; keys pressed meanwhile are timed."""
    app = pilot.app
    await pilot.press("e")
    await pilot.pause()
    dialog = app.screen
    field = dialog.query_one("#export-path")
    field.value = str(path)  # type: ignore[attr-defined]
    await pilot.pause()
    ticker.reset()
    t = time.perf_counter()
    await pilot.press("enter")
    answers = []
    while any(w.group == "read-export" and not w.is_finished for w in app.workers):
        k = time.perf_counter()
        await pilot.press("down")
        answers.append(time.perf_counter() - k)
        await asyncio.sleep(0.05)
    await reads_done(app)
    wall = time.perf_counter() - t
    rows = sum(1 for _ in path.open(encoding="utf-8")) - 1 if path.exists() else 0
    return {
        "rows": rows,
        "wall_ms": round(wall * 1000, 1),
        "max_stall_ms": round(ticker.reset() * 1000, 1),
        "keys_pressed_meanwhile": len(answers),
        "worst_key_answer_meanwhile_ms": round(max(answers, default=0.0) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--size", default="120x40")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "big.db"
        if args.db is None:
            build(db, args.users)
        result = asyncio.run(measure(db, (width, height)))
    print(
        json.dumps(
            {
                "benchmark": "tui_speed",
                "users": args.users,
                **result,
                "targets_ms": {"key": 100, "first_visit": 300, "export_stall": 100},
            }
        )
    )


if __name__ == "__main__":
    main()
