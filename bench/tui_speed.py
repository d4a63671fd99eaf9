"""TUI speed at 100,000 users: first visit of every screen, key latency, export stalls.

Usage: .venv/bin/python bench/tui_speed.py [--db PATH] [--users N] [--size WxH] [--breakdown]

On a history of two complete runs of ``--users`` users (``--db``, e.g. from
``bench/storage.py --keep-db``, else built in-process like ``bench/queries.py``),
with ``app.run_test()`` and keys sent as the terminal driver sends them (timing
in ``_tui_timing.py``: no Pilot idle waits in the figures):

- ``start_ms``: from ``create_app`` to the Users screen showing its first page;
- ``first_visit``: per screen (Runs, Diff, Seats, the Reclaim dialog opened from
  Seats, Aggregate, Connection, Accounts), from its key to: ``answer_ms`` the key
  handled and the screen painted, ``first_frame_ms`` its first frame drawn,
  ``data_ms`` its data shown (every reader-thread
  read finished and painted; for Reclaim, its plan stored), ``rows_ms`` (Reclaim)
  the plan's first rows given to its table, while the plan is being stored;
  ``loop_cpu_ms`` the event loop's CPU meanwhile;
  ``loop_stall_ms`` the longest the loop was blocked, ``loop_blocked_ms`` the sum;
- ``return_visit``: the same figures for showing each screen again (Users first);
- ``walk``: a scripted walk on Users and Runs (search typed letter by letter then
  Enter, sort, reverse, page down, End, Home, the detail, older/newer run, the
  deactivated toggle, clear; each dialog opened and closed: help, export,
  columns, profiles, the command palette) with the same figures per key;
- ``export``: every active and pending user written to CSV from the Users
  screen: the wall time, the longest event-loop stall meanwhile, and the worst
  answer to a key pressed while it writes;
- ``--ahead``: the app builds the other screens while the operator is quiet
  (``zoomtui/tui/ahead.py``, as ``zoomtui tui`` does): ``ahead`` gives how long
  each took and the whole, and the longest loop stall meanwhile; ``--ahead keys``
  also presses a key just as each screen's building starts (the worst case for a
  key) and gives its answer; the first visits are then measured after it;
- ``load_avg``: the 1-minute load average before and after (the wall times grow
  with it; the loop CPU much less);
- ``host_speed_ms``: how long a fixed pure-Python loop of 2 million steps took, before
  and after: the same host's speed varied about fourfold over two days (other
  machines' load), and every figure here scales with it;
- ``--breakdown``: per key, the loop CPU inside Textual's CSS, layout, paint and
  DataTable steps (``loop_cpu_in_ms``, inclusive times that overlap).

Targets: each key answered < 100 ms, each first visit < 300 ms, export stall < 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path
from typing import Any

from _common import emulator_settings, log
from _tui_timing import Breakdown, Frames, Ticker, settle, timed_key
from queries import build
from textual.pilot import Pilot

from zoomtui.emulator import API_URL, OAUTH_URL
from zoomtui.services.accounts import DemoAccounts
from zoomtui.services.context import AppContext
from zoomtui.tui.app import busy_workers, create_app

SCREENS = (
    ("2", "runs"),
    ("3", "diff"),
    ("4", "seats"),
    ("R", "reclaim"),
    ("escape", "close reclaim"),
    ("5", "aggregate"),
    ("6", "connection"),
    ("7", "accounts"),
)
RETURNS = (
    ("1", "users"),
    ("2", "runs"),
    ("3", "diff"),
    ("4", "seats"),
    ("5", "aggregate"),
    ("6", "connection"),
    ("7", "accounts"),
)
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
    ("f1", "open help"),
    ("escape", "close help"),
    ("e", "open export"),
    ("escape", "close export"),
    ("c", "open columns"),
    ("escape", "close columns"),
    ("p", "open profiles"),
    ("escape", "close profiles"),
    ("ctrl+p", "open palette"),
    ("escape", "close palette"),
    ("d", "show deactivated"),
    ("d", "hide deactivated"),
    ("left_square_bracket", "older run"),
    ("right_square_bracket", "newer run"),
    ("2", "runs"),
    ("down", "runs cursor"),
    ("c", "compare (diff)"),
    ("1", "back to users"),
)


@contextmanager
def first_rows() -> Iterator[list[float]]:
    """When the Reclaim dialog's table is first given rows (the plan's preview or its
    stored first page): the dialog shows them while the plan is being stored."""
    from zoomtui.tui.screens.reclaim import ItemsTable

    seen: list[float] = []
    original = ItemsTable.show_pages

    def noted(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not seen and args and args[0]:
            seen.append(time.perf_counter())
        return original(self, *args, **kwargs)

    ItemsTable.show_pages = noted  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        ItemsTable.show_pages = original  # type: ignore[method-assign]


def host_speed_ms() -> float:
    """Milliseconds for 2 million steps of a Python loop: the host's speed right now."""
    start = time.perf_counter()
    for _ in range(2_000_000):
        pass
    return round((time.perf_counter() - start) * 1000, 1)


def load_avg() -> float:
    return round(os.getloadavg()[0], 2)


async def measure(
    db: Path, size: tuple[int, int], breakdown: bool, visits_only: bool = False, ahead: str = ""
) -> dict[str, Any]:
    ctx = AppContext(settings=emulator_settings(API_URL, OAUTH_URL), db_path=db)
    store = ctx.open_store()
    latest = store.latest_complete_run()
    assert latest is not None
    finished = latest.finished_at
    ctx.clock = lambda: finished
    parts = Breakdown() if breakdown else None
    out: dict[str, Any] = {"load_avg_before": load_avg(), "host_speed_ms_before": host_speed_ms()}
    cpu = time.process_time()
    with tempfile.TemporaryDirectory() as export_dir:
        t = time.perf_counter()
        # The bench's account only: the Accounts screen never opens the operator's profiles.
        app = create_app(
            ctx, schedule=False, accounts=DemoAccounts({ctx.profile: ctx}), build_ahead=bool(ahead)
        )
        async with app.run_test(size=size) as pilot:
            frames, ticker = Frames(app), Ticker()
            await settle(app, frames, ticker)
            out["start_ms"] = round((time.perf_counter() - t) * 1000, 1)
            ticker.start()

            async def key(k: str, **kw: Any) -> dict[str, Any]:
                figures: dict[str, Any] = {}
                with parts.measuring(figures) if parts else nullcontext():
                    figures.update(await timed_key(app, frames, ticker, k, **kw))
                await settle(app, frames, ticker)
                return figures

            if ahead:
                out["ahead"] = await build_ahead(app, frames, ticker, ahead == "keys")
                log(f"built ahead: {out['ahead']}")
            visits = {}
            for k, name in SCREENS:
                with first_rows() as rows_at:
                    start = time.perf_counter()
                    visits[name] = await key(k)
                if name == "reclaim" and rows_at:  # the plan's first rows, before it is stored
                    visits[name]["rows_ms"] = round((rows_at[0] - start) * 1000, 1)
                log(f"first visit {name}: {visits[name]}")
            out["first_visit"] = visits
            returns = {}
            for k, name in RETURNS:
                returns[name] = await key(k)
                log(f"return to {name}: {returns[name]}")
            out["return_visit"] = returns
            if visits_only:
                ticker.stop()
                ctx.close()
                return after(out, cpu)
            await key("1")
            walk = []
            for k, what in WALK:
                walk.append({"key": k, "what": what, **await key(k)})
                log(f"{what}: {walk[-1]}")
            out["walk"] = walk
            figures = ("first_frame_ms", "answer_ms", "data_ms", "loop_cpu_ms", "loop_stall_ms")
            for figure in figures:
                out[f"worst_key_{figure}"] = max(w[figure] for w in walk)
            out["export"] = await export(pilot, frames, ticker, Path(export_dir) / "users.csv")
            ticker.stop()
    ctx.close()
    return after(out, cpu)


def after(out: dict[str, Any], cpu: float) -> dict[str, Any]:
    """``out`` with the process's CPU, the load and the host's speed at the end."""
    out["process_cpu_s"] = round(time.process_time() - cpu, 1)
    out["load_avg_after"] = load_avg()
    out["host_speed_ms_after"] = host_speed_ms()
    return out


async def build_ahead(app: Any, frames: Frames, ticker: Ticker, keys_too: bool) -> dict[str, Any]:
    """Wait for every screen to be built ahead; ``keys_too``: a key pressed as each starts.

    A key pressed then is the worst case for a key; it also leaves that screen to be
    laid out when shown, so the first visits after ``keys_too`` are not those of idle.
    """
    builder = app.ahead
    started = asyncio.Event()
    mount = builder._mount

    async def mount_and_tell(*args: Any) -> None:
        started.set()
        await mount(*args)

    builder._mount = mount_and_tell
    t = time.perf_counter()
    ticker.reset()
    keys, stall = [], 0.0
    while not builder.done():
        with suppress(TimeoutError):
            await asyncio.wait_for(started.wait(), 0.05)
        if started.is_set():
            started.clear()
            if not keys_too:
                continue
            figures = await timed_key(app, frames, ticker, "down")
            keys.append(figures["answer_ms"])
            stall = max(stall, figures["loop_stall_ms"])
    while busy_workers(app, "ahead") or busy_workers(app, "read-"):
        await asyncio.sleep(0.01)
    stall = max(stall, ticker.reset()[0])
    await settle(app, frames, ticker)
    return {
        "built": builder.built,
        "build_s": builder.build_s,
        "all_built_ms": round((time.perf_counter() - t) * 1000, 1),
        "keys_pressed_as_a_build_started": len(keys),
        "worst_key_answer_ms": max(keys, default=0.0),
        "longest_loop_stall_ms": stall,
    }


async def export(pilot: Pilot[Any], frames: Frames, ticker: Ticker, path: Path) -> dict[str, Any]:
    """Export every active and pending user; keys pressed meanwhile are timed."""
    app = pilot.app
    await timed_key(app, frames, ticker, "e")
    dialog = app.screen
    field = dialog.query_one("#export-path")
    field.value = str(path)  # type: ignore[attr-defined]
    await settle(app, frames, ticker)
    t = time.perf_counter()
    ticker.reset()
    await timed_key(app, frames, ticker, "enter", ignore_workers="read-export")
    answers, worst = [], 0.0
    while busy_workers(app, "read-export"):
        await asyncio.sleep(0.05)
        figures = await timed_key(app, frames, ticker, "down", ignore_workers="read-export")
        answers.append(figures["answer_ms"])
        worst = max(worst, figures["loop_stall_ms"])
    worst = max(worst, ticker.reset()[0])
    await settle(app, frames, ticker)
    wall = time.perf_counter() - t
    rows = sum(1 for _ in path.open(encoding="utf-8")) - 1 if path.exists() else 0
    return {
        "rows": rows,
        "wall_ms": round(wall * 1000, 1),
        "max_stall_ms": worst,
        "keys_pressed_meanwhile": len(answers),
        "worst_key_answer_meanwhile_ms": max(answers, default=0.0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--breakdown", action="store_true", help="loop CPU per Textual step")
    parser.add_argument("--visits-only", action="store_true", help="first and return visits only")
    parser.add_argument(
        "--ahead",
        nargs="?",
        const="quiet",
        default="",
        choices=["quiet", "keys"],
        help="screens built ahead while quiet (keys: a key pressed as each build starts)",
    )
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "big.db"
        if args.db is None:
            build(db, args.users)
        result = asyncio.run(
            measure(db, (width, height), args.breakdown, args.visits_only, args.ahead)
        )
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
