"""Database reads and exports run in reader threads; run events arrive as typed messages."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

from textual import on
from textual.widget import Widget
from textual.widgets import DataTable, Input

from zoomtui.services.aggregate import Progress, RunResult
from zoomtui.services.context import AppContext
from zoomtui.services.users import UserFilter, query_users
from zoomtui.tui.app import ZoomApp, create_app
from zoomtui.tui.messages import RunEvent, RunFinished, RunLogged, RunProgress, RunStarted
from zoomtui.tui.screens import exporting, seats
from zoomtui.tui.screens.accounts import AccountsScreen
from zoomtui.tui.screens.dialogs import ExportDialog
from zoomtui.tui.screens.reclaim import ItemsTable, ReclaimScreen
from zoomtui.tui.screens.runs import RunsScreen
from zoomtui.tui.screens.seats import SeatsScreen
from zoomtui.tui.screens.users import UsersScreen
from zoomtui.tui.widgets.bars import SeatBars
from zoomtui.tui.widgets.filter_bar import FilterState

from .conftest import SIZE, reads_done, text_of


async def test_seats_mount_with_data_read_outside_the_event_loop(
    demo_ctx: AppContext, monkeypatch: Any
) -> None:
    threads: list[str] = []
    original = seats.seat_report

    def recording(ctx: AppContext, *args: Any) -> Any:
        threads.append(threading.current_thread().name)
        return original(ctx, *args)

    monkeypatch.setattr(seats, "seat_report", recording)
    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # waits for the screen's reads (tests/tui/conftest.py)
        screen = app.screen
        assert isinstance(screen, SeatsScreen)
        bars = text_of(screen.query_one(SeatBars))
        assert screen.seats and "Used" in bars and screen.seats[0].account_name[:12] in bars
        assert "per year" in text_of(screen.query_one("#reclaim-summary"))
    assert threads and all(name.startswith("zoomtui-read") for name in threads)


async def test_a_newer_filter_supersedes_an_older_read(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, UsersScreen)
        # Two filters in a row, the first still reading when the second asks.
        screen.state = FilterState(plans=("Basic",))
        screen.reload()
        screen.state = FilterState(plans=("Licensed",))
        screen.reload()
        await pilot.pause()
        licensed = query_users(demo_ctx, UserFilter(plans=("Licensed",))).total
        assert screen.table.total == licensed
        assert {row["plan"] for row in (screen.table.row_at(i) for i in range(3)) if row} == {
            "Licensed"
        }
        assert f"{licensed:,} of" in text_of(screen.query_one("#users-counts"))


async def test_the_app_answers_keys_while_an_export_writes(
    demo_ctx: AppContext, tmp_path: Path, monkeypatch: Any
) -> None:
    release = threading.Event()
    entered = threading.Event()
    original = exporting.write_export

    def held(*args: Any, **kwargs: Any) -> int:
        entered.set()
        release.wait(timeout=10)  # the export stays under way until the test lets it go
        return original(*args, **kwargs)

    monkeypatch.setattr(exporting, "write_export", held)
    target = tmp_path / "users.csv"
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        assert entered.wait(timeout=10)
        await pilot.press("2")  # while the export is held in its thread
        assert isinstance(app.screen, RunsScreen)
        assert not target.exists()
        release.set()
        await reads_done(app)
        await pilot.pause()
    assert len(target.read_text(encoding="utf-8").splitlines()) - 1 == (
        query_users(demo_ctx, UserFilter()).total
    )


class Recorder(Widget):
    """Collects the run events it is sent."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[RunEvent] = []

    @on(RunEvent)
    def _record(self, message: RunEvent) -> None:
        message.stop()  # the screen has its own subscription
        self.seen.append(message)


async def test_run_events_reach_subscribers_as_typed_messages(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, start_mode="aggregate", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        recorder = Recorder()
        await app.screen.mount(recorder)
        app.runner.subscribe(recorder)
        assert app.runner.start(full=False)
        await app.workers.wait_for_complete()
        await pilot.pause()
    kinds = [type(m) for m in recorder.seen]
    assert kinds[0] in (RunLogged, RunStarted) and RunStarted in kinds
    assert kinds[-1] is RunFinished
    started = next(m for m in recorder.seen if isinstance(m, RunStarted))
    assert started.full is False
    progress = [m.progress for m in recorder.seen if isinstance(m, RunProgress)]
    assert progress and all(isinstance(p, Progress) for p in progress)
    assert any(isinstance(m, RunLogged) and "started" in m.line for m in recorder.seen)
    finished = recorder.seen[-1]
    assert isinstance(finished, RunFinished) and isinstance(finished.result, RunResult)
    assert finished.result.status == "complete" and finished.error is None
    assert app.runner.state.result is finished.result


def trace_sql(monkeypatch: Any, app: ZoomApp) -> list[tuple[str, str]]:
    """Every SQL statement run from now on, with the name of the thread that ran it.

    SQLite calls the trace callback in the thread executing the statement, so this
    sees the loop's own connection, the reader threads' and every one opened later.
    """
    seen: list[tuple[str, str]] = []

    def trace(conn: sqlite3.Connection) -> None:
        conn.set_trace_callback(lambda sql: seen.append((threading.current_thread().name, sql)))

    original = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = original(*args, **kwargs)
        trace(conn)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    for store in [app.ctx.open_store(), *app.reader._stores]:
        trace(store.conn)
    return seen


async def test_accounts_and_reclaim_run_no_sql_on_the_event_loop(
    demo_ctx: AppContext, monkeypatch: Any
) -> None:
    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        seen = trace_sql(monkeypatch, app)
        await pilot.press("7")
        await pilot.pause()  # waits for the screen's reads (tests/tui/conftest.py)
        accounts = app.screen
        assert isinstance(accounts, AccountsScreen)
        assert [r["profile"] for r in accounts.records] == [demo_ctx.profile]
        assert accounts.records[0]["users"] > 0
        assert accounts.query_one(DataTable).row_count == 1
        assert "Total:" in text_of(accounts.query_one("#accounts-total"))
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        reclaim = app.screen
        assert isinstance(reclaim, ReclaimScreen) and reclaim.plan is not None
        assert reclaim.query_one(ItemsTable).total == reclaim.plan["items"] > 0
        await pilot.press("t")  # another action: a new plan
        await pilot.pause()
        assert reclaim.plan is not None and reclaim.plan["action"] == "deactivate"
        await pilot.press("j")
        await pilot.pause()
        assert "Journal:" in text_of(reclaim.query_one("#reclaim-plan-summary"))
    statements = {sql.split()[0].upper() for _thread, sql in seen}
    assert {"SELECT", "INSERT"} <= statements  # the plans were written, in a reader thread
    on_loop = [sql for thread, sql in seen if not thread.startswith("zoomtui-read")]
    assert on_loop == []


async def test_a_newer_plan_supersedes_an_older_one(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("R")
        await pilot.press("t", "t")  # two more actions asked before the first plan is shown
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReclaimScreen) and screen.plan is not None
        assert screen.plan["action"] == screen.actions[2].label  # the third action asked
        assert f"· {screen.plan['action']} ·" in text_of(screen.query_one("#reclaim-plan-summary"))


async def test_the_diff_runs_no_sql_on_the_event_loop(
    demo_ctx: AppContext, monkeypatch: Any
) -> None:
    from zoomtui.tui.screens.diff import DiffScreen
    from zoomtui.tui.widgets.wrap_table import WrapTable

    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        seen = trace_sql(monkeypatch, app)
        await pilot.press("3")
        await pilot.pause()  # waits for the screen's reads (tests/tui/conftest.py)
        diff = app.screen
        assert isinstance(diff, DiffScreen) and diff.rows
        assert diff.query_one(WrapTable).total == len(diff.rows)
        await pilot.press("k", "end")  # another kind, then the last row: no new read
        await pilot.pause()
    assert any(sql.split()[0].upper() == "SELECT" for _thread, sql in seen)
    on_loop = [sql for thread, sql in seen if not thread.startswith("zoomtui-read")]
    assert on_loop == []


async def test_applying_a_reclaim_writes_its_journal_off_the_event_loop(
    demo_ctx: AppContext, monkeypatch: Any
) -> None:
    from zoomtui.store import reclaim as db

    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        reclaim = app.screen
        assert isinstance(reclaim, ReclaimScreen) and reclaim.plan is not None
        seen = trace_sql(monkeypatch, app)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        seen = list(seen)  # what the app ran; the test's own read below is on the loop
        journal = db.journal(demo_ctx.open_store().conn, plan_id=reclaim.plan["id"])
        assert journal and all(j["state"] in ("done", "failed") for j in journal)
    writes = [sql for _thread, sql in seen if sql.split()[0].upper() in ("INSERT", "UPDATE")]
    assert writes  # the journal and the items' states were written…
    on_loop = [sql for thread, sql in seen if not thread.startswith("zoomtui-read")]
    assert on_loop == []  # …and read, all in a reader thread


async def test_an_apply_stops_before_its_next_item_when_asked(demo_ctx: AppContext) -> None:
    from zoomtui.services.reclaim.actions import Action
    from zoomtui.services.reclaim.apply import apply_plan
    from zoomtui.services.reclaim.plan import build_plan
    from zoomtui.store import reclaim as db

    plan = build_plan(demo_ctx, Action("downgrade"), None, "idle", None)
    asked: list[int] = []
    result = await apply_plan(demo_ctx, plan["id"], stop=lambda: asked.append(1) or len(asked) > 1)
    assert len(result["outcomes"]) == 1  # the first item, then the stop
    states = [i["state"] for i in db.items(demo_ctx.open_store().conn, plan["id"])]
    assert states[1:] == ["planned"] * (len(states) - 1)


def test_a_reading_thread_gives_the_event_loop_its_turn_within_a_millisecond(
    empty_ctx: AppContext,
) -> None:
    import sys

    from zoomtui.tui.app import SWITCH_INTERVAL_S

    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)  # Python's default
        create_app(empty_ctx, schedule=False)
        # At 5 ms the loop waited up to 0.3 s behind an export's thread (bench/tui_speed.py).
        assert sys.getswitchinterval() == SWITCH_INTERVAL_S <= 0.001
    finally:
        sys.setswitchinterval(before)
