"""``aggregate --all-profiles`` in worker processes: outcomes, a dead worker, cancellation.

These start real worker processes (``python -m zoomtui.services.profile_workers``)
against loopback emulators served from this test process.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from zoomtui import paths
from zoomtui.cli import main
from zoomtui.emulator import DEMO_CREDENTIALS, Dataset, Emulator, EmulatorConfig
from zoomtui.emulator.server import BackgroundServer
from zoomtui.services import profile_workers
from zoomtui.services import profiles as svc
from zoomtui.services.phases import Progress

SEEDS = {"acme": 101, "globex": 202, "initech": 303}


def start(users: int, seed: int, rate_scale: float, latency_ms: float = 0.0) -> Any:
    emulator = Emulator(
        Dataset.generate(users=users, seed=seed, start=datetime.now(UTC).replace(microsecond=0)),
        EmulatorConfig(rate_scale=rate_scale, latency_ms=latency_ms),
    )
    server = BackgroundServer(emulator)
    server.__enter__()
    emulator.url = server.url  # type: ignore[attr-defined]
    return emulator, server


@pytest.fixture(scope="module")
def fast() -> Iterator[dict[str, Emulator]]:
    running = {name: start(50, seed, rate_scale=1000) for name, seed in SEEDS.items()}
    yield {name: em for name, (em, _) in running.items()}
    for _, server in running.values():
        server.__exit__(None, None, None)


@pytest.fixture
def slow() -> Iterator[dict[str, Emulator]]:
    # Pro's real limits and 20 ms a call: a run takes seconds, long enough to stop it.
    running = {n: start(150, SEEDS[n], rate_scale=1, latency_ms=20) for n in ("acme", "globex")}
    yield {name: em for name, (em, _) in running.items()}
    for _, server in running.values():
        server.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def named_profiles_only(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("ZOOMTUI_CONFIG", "ZOOMTUI_DB", "ZOOMTUI_PROFILE"):
        monkeypatch.delenv(var, raising=False)


def configure(name: str, emulator: Emulator, secret: str = DEMO_CREDENTIALS.client_secret) -> None:
    svc.add(name)
    base = emulator.url  # type: ignore[attr-defined]
    values = {
        "account_id": DEMO_CREDENTIALS.account_id,
        "client_id": DEMO_CREDENTIALS.client_id,
        "client_secret": secret,
        "region": "custom",
        "api_url": f"{base}/v2",
        "oauth_url": f"{base}/oauth/token",
    }
    body = "".join(f'{key} = "{value}"\n' for key, value in values.items())
    paths.profile_config_file(name).write_text(body)


def truth(emulator: Emulator) -> int:
    ds = emulator.dataset
    return sum(len(ds.users_of(a.id, s)) for a in ds.accounts for s in ("active", "pending"))


def all_profiles(*args: str, code: int) -> tuple[list[dict[str, Any]], str]:
    """The JSON results and stderr of ``aggregate --all-profiles --json ARGS``."""
    result = CliRunner().invoke(main, ["aggregate", "--all-profiles", "--json", *args])
    assert result.exit_code == code, result.output
    return json.loads(result.stdout), result.stderr


def test_processes_give_the_in_process_result_and_one_failure_stops_nothing(
    fast: dict[str, Emulator],
) -> None:
    for name, emulator in fast.items():
        configure(name, emulator)
    configure("wrongkey", fast["acme"], secret="not-the-secret")
    # Two workers: the failing account shares one with a healthy account.
    results, progress = all_profiles("--workers", "2", code=1)
    assert [r["profile"] for r in results] == ["default", "acme", "globex", "initech", "wrongkey"]
    by_name = {r["profile"]: r for r in results}
    assert by_name["default"]["status"] == "not_configured"
    assert by_name["wrongkey"]["status"] == "failed" and by_name["wrongkey"]["message"]
    for name, emulator in fast.items():
        assert by_name[name]["status"] == "complete"
        assert by_name[name]["users"] == truth(emulator)
        assert by_name[name]["run_id"] is not None
        # Each worker's progress reached the parent's stderr, named by profile.
        assert f"{name}: Run {by_name[name]['run_id']}" in progress
    assert "wrongkey: Zoom rejected" in progress  # the failure's own sentence
    # The same profiles in this process (--workers 1): the same shape and counts.
    here = {r["profile"]: r for r in all_profiles("--workers", "1", "-q", code=1)[0]}
    for name in by_name:
        assert set(here[name]) == set(by_name[name])
        assert (here[name]["status"], here[name].get("users")) == (
            by_name[name]["status"],
            by_name[name].get("users"),
        )


def test_workers_need_all_profiles() -> None:
    result = CliRunner().invoke(main, ["aggregate", "--workers", "2"])
    assert result.exit_code == 2 and "--workers goes with --all-profiles" in result.stderr


def test_a_worker_that_dies_fails_only_its_own_profiles(
    fast: dict[str, Emulator], tmp_path: Path
) -> None:
    for name, emulator in fast.items():
        configure(name, emulator)
    # A worker killed from outside (the OOM killer, say) before it says anything.
    wrapper = tmp_path / "worker.py"
    wrapper.write_text(
        "import json, os, sys\n"
        "if 'initech' in json.loads(sys.argv[1])['names']:\n"
        "    os._exit(9)\n"
        "from zoomtui.services.profile_workers import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    heard: list[tuple[str, Progress]] = []
    outcomes = asyncio.run(
        profile_workers.run_in_workers(
            list(SEEDS),
            2,  # acme and initech in one worker, globex in the other
            full=False,
            cancel=None,
            report=lambda name, p: heard.append((name, p)),
            argv=[sys.executable, str(wrapper)],
        )
    )
    by_name = {o.profile: o for o in outcomes}
    assert [o.profile for o in outcomes] == list(SEEDS)
    for name in ("acme", "initech"):
        assert by_name[name].status == "error" and "exit code 9" in by_name[name].message
    assert by_name["globex"].status == "complete"
    assert by_name["globex"].result["users"] == truth(fast["globex"])
    # Progress crossed the pipe as Progress events, the run's last one its "done".
    assert {name for name, _ in heard} == {"globex"}
    last = {name: p for name, p in heard}
    assert all(isinstance(p, Progress) and p.phase == "done" for p in last.values())


def test_sigterm_reaches_the_workers_and_every_run_is_recorded_cancelled(
    slow: dict[str, Emulator],
) -> None:
    for name, emulator in slow.items():
        configure(name, emulator)
    proc = subprocess.Popen(
        [sys.executable, "-m", "zoomtui", "aggregate", "--all-profiles", "--json", "-q",
         "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )  # fmt: skip
    locks = [Path(f"{paths.profile_database_file(n)}.lock") for n in slow]
    deadline = time.monotonic() + 60
    while not all(lock.exists() for lock in locks) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, proc.communicate()
    # Both runs hold their profile's lock in the workers: a second aggregation of
    # one of them, from another process, does not run.
    other = CliRunner().invoke(main, ["--profile", "acme", "aggregate", "--json", "-q"])
    assert other.exit_code == 4, other.output
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    statuses = {r["profile"]: r["status"] for r in json.loads(out)}
    assert statuses == {"default": "not_configured", "acme": "cancelled", "globex": "cancelled"}
    for name in slow:
        runs = json.loads(
            CliRunner().invoke(main, ["--profile", name, "runs", "--format", "json"]).stdout
        )
        assert [r["status"] for r in runs] == ["cancelled"]


def test_cancelled_before_the_workers_begin_every_profile_is_cancelled(
    fast: dict[str, Emulator],
) -> None:
    for name, emulator in fast.items():
        configure(name, emulator)
    cancel = asyncio.Event()
    cancel.set()  # Ctrl-C while the workers are still starting
    outcomes = asyncio.run(
        profile_workers.run_in_workers(list(SEEDS), 2, full=False, cancel=cancel, report=None)
    )
    assert [(o.profile, o.status) for o in outcomes] == [(n, "cancelled") for n in SEEDS]
    for name in SEEDS:  # a run that began is recorded cancelled; none may be left running
        db = paths.profile_database_file(name)
        if db.exists():
            runs = json.loads(
                CliRunner().invoke(main, ["--profile", name, "runs", "--format", "json"]).stdout
            )
            assert {r["status"] for r in runs} <= {"cancelled"}
