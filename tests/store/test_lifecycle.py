"""Run lifecycle: complete, partial/failed/cancelled endings, interruption, the lock."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest

from tests.store.conftest import T0, complete, emails, user
from zoomtui.store import RunLocked, Store, StoreError


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_complete_run_becomes_latest_with_counts(store: Store) -> None:
    rows = [user(1), user(2, status="pending", zoom_id=None), user(3, status="inactive")]
    run_id = complete(store, rows)
    run = store.run(run_id)
    assert run is not None and run.status == "complete"
    assert run.users == 2  # active + pending
    assert run.stats == {"calls": {"light": 1}}
    assert store.latest_complete_run() == run
    assert sorted(emails(store, run_id)) == [r.email for r in rows]
    assert store.conn.execute("SELECT count(*) FROM stage_users").fetchone()[0] == 0


@pytest.mark.parametrize("ending", ["partial", "failed", "cancelled"])
def test_other_endings_leave_versions_untouched(store: Store, ending: str) -> None:
    first = complete(store, [user(1), user(2)])
    before = store.conn.execute("SELECT * FROM user_versions ORDER BY id").fetchall()
    run_id = store.begin_run(T0 + timedelta(days=1), full=False)
    store.stage_users(run_id, [user(1, plan="Basic", type=1)])  # user 2 missing
    store.end_run(run_id, ending, T0 + timedelta(days=1), notes={"addons": "skipped"}, error="x")
    assert store.conn.execute("SELECT * FROM user_versions ORDER BY id").fetchall() == before
    assert store.conn.execute("SELECT count(*) FROM stage_users").fetchone()[0] == 0
    latest = store.latest_complete_run()
    assert latest is not None and latest.id == first
    run = store.run(run_id)
    assert run is not None and run.status == ending and run.notes == {"addons": "skipped"}
    with pytest.raises(StoreError, match=ending):
        store.users(run_id)
    with pytest.raises(StoreError):
        store.diff(first, run_id)


def test_end_run_rejects_unknown_status(store: Store) -> None:
    run_id = store.begin_run(T0, full=False)
    with pytest.raises(ValueError):
        store.end_run(run_id, "complete", T0)


def test_dead_running_run_is_interrupted_and_stage_cleaned(store: Store) -> None:
    complete(store, [user(1)])
    run_id = store.begin_run(T0 + timedelta(days=1), full=False, pid=dead_pid())
    store.stage_users(run_id, [user(9)])
    next_id = store.begin_run(T0 + timedelta(days=2), full=True)
    run = store.run(run_id)
    assert run is not None and run.status == "interrupted"
    assert (
        store.conn.execute(
            "SELECT count(*) FROM stage_users WHERE run_id = ?", (run_id,)
        ).fetchone()[0]
        == 0
    )
    assert next_id > run_id


def test_open_recovers_interrupted(tmp_path) -> None:
    path = tmp_path / "h.db"
    with Store.open(path) as s:
        run_id = s.begin_run(T0, full=False, pid=dead_pid())
        s.stage_users(run_id, [user(1)])
    with Store.open(path) as s:
        run = s.run(run_id)
        assert run is not None and run.status == "interrupted"
        assert s.latest_complete_run() is None


def test_live_run_locks(tmp_path) -> None:
    path = tmp_path / "h.db"
    with Store.open(path) as a, Store.open(path) as b:
        run_id = a.begin_run(T0, full=False)  # this process: alive
        with pytest.raises(RunLocked, match=rf"Another aggregation \(run {run_id}, pid \d+\)"):
            b.begin_run(T0, full=False)
        a.end_run(run_id, "cancelled", T0)
        assert b.begin_run(T0, full=False) == run_id + 1


def test_stage_after_end_is_refused(store: Store) -> None:
    run_id = store.begin_run(T0, full=False)
    store.end_run(run_id, "failed", T0)
    with pytest.raises(StoreError, match="not running"):
        store.stage_users(run_id, [user(1)])
    with pytest.raises(StoreError):
        store.complete_run(run_id, T0)


def test_duplicate_staged_user_last_wins(store: Store) -> None:
    run_id = complete(store, [user(1, dept="Old"), user(2), user(1, dept="New")])
    rows, total = store.users(run_id)
    assert total == 2
    assert {r["email"]: r["dept"] for r in rows}["user1@example.com"] == "New"


KILLED_RUN = """
import os, signal, sys
from datetime import datetime, UTC
from zoomtui.store import Store
store = Store.open(sys.argv[1])
# Record the parent's pid: alive when the next run looks, as a reused pid would be.
store.begin_run(datetime(2024, 1, 1, tzinfo=UTC), full=False, pid=os.getppid())
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_killed_run_never_blocks_the_next_even_when_its_pid_is_reused(tmp_path) -> None:
    path = tmp_path / "h.db"
    Store.open(path).close()
    proc = subprocess.run([sys.executable, "-c", KILLED_RUN, str(path)], check=False)
    assert proc.returncode == -9
    with Store.open(path) as s:  # the recorded pid (ours) is alive; the lock says it is dead
        killed = s.runs()[-1]
        assert killed.status == "interrupted"
        assert s.begin_run(T0, full=False) == killed.id + 1


def test_a_run_holding_the_lock_in_another_process_locks(tmp_path) -> None:
    path = tmp_path / "h.db"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from datetime import datetime, UTC; from zoomtui.store import Store;"
            "s = Store.open(sys.argv[1]); s.begin_run(datetime(2024, 1, 1, tzinfo=UTC), False);"
            "print('ready', flush=True); time.sleep(60)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with Store.open(path) as s:
            assert s.runs()[-1].status == "running"  # a reader's open leaves it alone
            with pytest.raises(RunLocked):
                s.begin_run(T0, full=False)
    finally:
        holder.kill()
        holder.wait()
    with Store.open(path) as s:
        assert s.runs()[-1].status == "interrupted"


def test_ending_a_run_frees_the_lock_for_another_store(tmp_path) -> None:
    path = tmp_path / "h.db"
    with Store.open(path) as a, Store.open(path) as b:
        run_id = a.begin_run(T0, full=False)
        assert b.run_lock.probe() == "held"
        a.complete_run(run_id, T0)
        assert b.run_lock.probe() == "free"
        assert oct((path.parent / "h.db.lock").stat().st_mode & 0o777) == "0o600"
