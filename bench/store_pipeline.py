"""A run's users storage path alone: staging page by page, then completing the run.

Usage: .venv/bin/python bench/store_pipeline.py [--users N] [--repeat R] [--days D]

Rows are the emulator's own users (``Dataset.generate``), turned into
``UserRow``s the way a run does (``User.from_json``, ``convert.user_row``), in
pages of 300 per account and status; add-ons are not read (as in
``local_pipeline.py``). The last 30 days of the dataset's sign-in events are
kept first, so completing joins a realistic ``sign_in_latest``. Three cases,
each on a fresh copy of a prepared database: the first run, an unchanged rerun
and a rerun after ``Dataset.advance(D)`` (~2% of users changed). Figures are
medians of ``--repeat`` runs, in seconds: wall time, and the CPU time of
this process (``*_cpu_s``, SQLite's work included), which other jobs on a
shared machine disturb less.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from _common import log
from _world import START

from zoomtui.emulator import Dataset
from zoomtui.services.convert import user_row
from zoomtui.store import Store, UserRow
from zoomtui.zoom.client import USER_STATUSES
from zoomtui.zoom.models import SignInEvent, User, bundle_name

PAGE = 300


def pages_of(dataset: Dataset) -> list[list[UserRow]]:
    """Every account's users, page by page, as a run stages them."""
    pages = []
    for account in dataset.accounts:
        for status in USER_STATUSES:
            users = [User.from_json(d) for d in dataset.users_of(account.id, status)]
            rows = [user_row(u, account.id, bundle_name(u)) for u in users]
            pages += [rows[i : i + PAGE] for i in range(0, len(rows), PAGE)]
    return pages


def run(path: Path, pages: list[list[UserRow]], when: datetime) -> dict[str, float]:
    """Stage every page and complete the run; seconds of each part."""
    store = Store.open(path)
    try:
        run_id = store.begin_run(when, full=False)
        t0, c0 = time.perf_counter(), time.process_time()
        for rows in pages:
            store.stage_users(run_id, rows)
        t1, c1 = time.perf_counter(), time.process_time()
        store.complete_run(run_id, when + timedelta(minutes=5), {"calls": {}}, {})
        t2, c2 = time.perf_counter(), time.process_time()
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    return {
        "stage_s": t1 - t0,
        "complete_s": t2 - t1,
        "total_s": t2 - t0,
        "stage_cpu_s": c1 - c0,
        "complete_cpu_s": c2 - c1,
    }


def keep_sign_ins(path: Path, dataset: Dataset) -> None:
    """The last 30 days of every account's sign-in events, as a run with reports keeps them."""
    end = dataset.now.date()
    with Store.open(path) as store:
        for account in dataset.accounts:
            events = dataset.sign_in_events(end - timedelta(days=30), end, account.id)
            parsed = (SignInEvent.from_json(e) for e in events)
            store.add_sign_ins(e for e in parsed if e is not None)
        store.finish_sign_ins()
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--days", type=int, default=2, help="days to advance for the changed rerun")
    args = parser.parse_args()
    first = Dataset.generate(users=args.users, seed=1, start=START)
    later = first.advance(args.days)
    cases = {
        "first": ("empty", pages_of(first), later.now),
        "unchanged": ("after_first", pages_of(first), later.now),
        "changed": ("after_first", pages_of(later), later.now),
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        empty = root / "empty.db"
        keep_sign_ins(empty, first)
        after_first = root / "after_first.db"
        shutil.copy(empty, after_first)
        run(after_first, cases["first"][1], first.now)
        templates = {"empty": empty, "after_first": after_first}
        results: dict[str, list[dict[str, float]]] = {name: [] for name in cases}
        for i in range(args.repeat):
            for name, (template, pages, when) in cases.items():
                path = root / f"{name}.db"
                shutil.copy(templates[template], path)
                figures = run(path, pages, when)
                results[name].append(figures)
                path.unlink()
                shown = ", ".join(f"{k} {v:.3f}" for k, v in figures.items())
                log(f"repeat {i + 1} {name}: {shown}")
    print(
        json.dumps(
            {
                "benchmark": "store_pipeline",
                "users": args.users,
                "pages": len(cases["first"][1]),
                "repeat": args.repeat,
                **{
                    name: {
                        key: round(statistics.median(r[key] for r in runs), 3) for key in runs[0]
                    }
                    for name, runs in results.items()
                },
            }
        )
    )


if __name__ == "__main__":
    main()
