"""Concurrency: readers beside a writing aggregation, and two aggregations started at once.

The TUI and a cron ``aggregate`` share one database; here a reader process
that queries through the services layer (what the TUI's screens call) and a
loop of ``zoomtui users``/``zoomtui runs`` commands run while an aggregation
writes. Nobody may see "database is locked"; of two aggregations started at
once exactly one runs and the other exits 4 with one sentence.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.reliability_checks import assert_one_sentence
from tests.helpers.reliability_procs import (
    EmulatorProcess,
    cli_runs,
    read_until,
    run_cli,
    start_cli,
)

pytestmark = pytest.mark.slow

READER = """
import json, sys, time
from zoomtui.services.context import context_from_env
from zoomtui.services.runs import list_runs
from zoomtui.services.users import UserFilter, query_users
from zoomtui.services.seats import seat_report
ctx = context_from_env(None)
reads = 0
stop = time.monotonic() + float(sys.argv[1])
while time.monotonic() < stop:
    runs = list_runs(ctx)
    if any(r["status"] == "complete" for r in runs):
        query_users(ctx, UserFilter(search="a"), limit=50)
        query_users(ctx, UserFilter(inactive_days=30), sort="days_inactive")
        seat_report(ctx)
    reads += 1
print(json.dumps({"reads": reads}))
"""


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[EmulatorProcess]:
    emu = EmulatorProcess(tmp_path, users=200, seed=9, latency_ms=15)
    yield emu
    emu.close()


def test_readers_never_see_a_locked_database(tmp_path: Path, emulator: EmulatorProcess) -> None:
    env = emulator.env(tmp_path)
    first = run_cli("aggregate", "--quiet", env=env)
    assert first.returncode == 0, first.stderr
    emulator.advance(2)
    writer = start_cli("aggregate", "--full", env=env)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, "4"], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    cli_reads = 0
    while writer.poll() is None:
        for args in (("users", "--format", "json", "--search", "a"), ("runs", "--format", "json")):
            done = run_cli(*args, env=env)
            assert done.returncode == 0, done.stderr
            assert "locked" not in done.stderr.lower()
            json.loads(done.stdout)
            cli_reads += 1
    _out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    r_out, r_err = reader.communicate(timeout=60)
    assert reader.returncode == 0, r_err
    assert "locked" not in (err + r_err).lower()
    assert json.loads(r_out)["reads"] > 10
    assert cli_reads >= 2, "the writer finished before the readers could overlap it"
    statuses = [r["status"] for r in cli_runs(env).values()]
    assert statuses == ["complete", "complete"]


def test_two_aggregations_at_once_exactly_one_runs(
    tmp_path: Path, emulator: EmulatorProcess
) -> None:
    env = emulator.env(tmp_path)
    procs = [start_cli("aggregate", "--quiet", "--full", env=env) for _ in range(2)]
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 4], results
    loser_err = next(err for code, _, err in results if code == 4)
    assert_one_sentence(loser_err.strip())
    assert "Another aggregation" in loser_err
    assert "Traceback" not in loser_err
    runs = cli_runs(env)
    assert [r["status"] for r in runs.values()] == ["complete"]


@pytest.fixture
def slow_emulator(tmp_path: Path) -> Iterator[EmulatorProcess]:
    """A 250 ms answer keeps the first run busy for seconds: at 15 ms a loaded
    machine let it finish before the second process had started."""
    emu = EmulatorProcess(tmp_path, users=200, seed=9, latency_ms=250)
    yield emu
    emu.close()


def test_a_second_aggregation_during_a_long_one_exits_4(
    tmp_path: Path, slow_emulator: EmulatorProcess
) -> None:
    env = slow_emulator.env(tmp_path)
    long_run = start_cli("aggregate", "--full", env=env)
    assert long_run.stderr is not None
    read_until(long_run.stderr, lambda line: line.startswith("users:"))
    second = run_cli("aggregate", "--json", env=env)
    assert second.returncode == 4, second.stderr
    assert_one_sentence(second.stderr.strip())
    assert second.stdout == ""
    long_run.communicate(timeout=180)
    assert long_run.returncode == 0
