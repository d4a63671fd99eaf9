"""Snapshots of canonical screens at 80x24 (fixed clock, fixed seed, tmp database).

Update after an intended change with ``pytest tests/tui/test_snapshots.py --snapshot-update``
and look at the report before committing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from zoomtui.services.context import AppContext
from zoomtui.tui.app import create_app

from .conftest import FIXED_NOW, SIZE


@pytest.fixture
def small_demo(db_path: Path) -> Iterator[AppContext]:
    """The demo at a fixed clock, built outside any event loop (snap_compare runs its own)."""
    import sqlite3

    from zoomtui.services.demo import demo_context

    ctx = demo_context(db_path, clock=lambda: FIXED_NOW, users=120)
    ctx.close()
    # The demo's runs take real time, which varies with the machine's load: give every
    # run the same 12-second duration so the Runs view's Time column is stable.
    with sqlite3.connect(db_path) as conn:
        for run_id, started in conn.execute("SELECT id, started_at FROM runs").fetchall():
            moved = datetime.fromisoformat(started.replace("Z", "+00:00")) + timedelta(seconds=12)
            conn.execute(
                "UPDATE runs SET finished_at = ? WHERE id = ?",
                (moved.strftime("%Y-%m-%dT%H:%M:%SZ"), run_id),
            )
    yield ctx
    ctx.close()


def test_connection_form(snap_compare: Any, empty_ctx: AppContext) -> None:
    app = create_app(empty_ctx, start_mode="connection", schedule=False)
    assert snap_compare(app, terminal_size=SIZE)


def test_help_screen(snap_compare: Any, empty_ctx: AppContext) -> None:
    app = create_app(empty_ctx, schedule=False)
    assert snap_compare(app, press=["f1"], terminal_size=SIZE)


def test_users_view(snap_compare: Any, small_demo: AppContext) -> None:
    app = create_app(small_demo, schedule=False)
    assert snap_compare(app, terminal_size=SIZE)


def test_runs_view(snap_compare: Any, small_demo: AppContext) -> None:
    app = create_app(small_demo, start_mode="runs", schedule=False)
    assert snap_compare(app, terminal_size=SIZE)
