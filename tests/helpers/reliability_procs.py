"""Real processes for the reliability suite: a ``zoomtui emulator`` server and ``zoomtui`` commands.

Why real processes: SIGKILL, SIGINT/SIGTERM, two aggregations at once and a
reader beside a writer are only honest across process boundaries. The ground
truth comes from the same seeded dataset rebuilt in the test process: the
emulator's ``/_emulator/advance`` answer tells its clock, and generation is pure
given users, seed and start.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

import httpx

from zoomtui.emulator import DEMO_CREDENTIALS, Dataset

ZOOMTUI = [sys.executable, "-m", "zoomtui"]


def base_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An environment with no real config, data dir or credentials (like the test fixtures)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZOOM_", "ZOOMTUI_"))}
    home = tmp_path / "home"
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_STATE_HOME=str(home / ".local/state"),
        XDG_CACHE_HOME=str(home / ".cache"),
        ZOOMTUI_CONFIG=str(tmp_path / "config.toml"),
        ZOOMTUI_DB=str(tmp_path / "history.db"),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def run_cli(
    *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ZOOMTUI, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def start_cli(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*ZOOMTUI, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_until(stream: IO[str], predicate: Any, deadline_s: float = 60) -> list[str]:
    """Lines of ``stream`` up to and including the first one ``predicate`` accepts."""
    lines: list[str] = []
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        line = stream.readline()
        if not line:
            break
        lines.append(line)
        if predicate(line):
            return lines
    raise AssertionError(f"never saw the expected line; got {lines!r}")


class EmulatorProcess:
    """``zoomtui emulator`` on a free loopback port, and the same dataset rebuilt for truth."""

    def __init__(
        self, tmp_path: Path, *, users: int, seed: int, latency_ms: float = 0, faults: str = ""
    ) -> None:
        args = ["emulator", "--port", "0", "--users", str(users), "--seed", str(seed),
                "--no-rate-limits", "--latency-ms", str(latency_ms)]  # fmt: skip
        if faults:
            args += ["--faults", faults]
        self.proc = start_cli(*args, env=base_env(tmp_path / "emulator"))
        assert self.proc.stdout is not None
        lines = read_until(self.proc.stdout, lambda line: line.startswith("OAuth URL:"))
        urls = {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
        self.api_url, self.oauth_url = urls["API URL"], urls["OAuth URL"]
        self.root = self.api_url.removesuffix("/v2")
        # The emulator generated its account at its start time; one day on tells that time.
        now = self.advance(1)
        self.dataset = Dataset.generate(users=users, seed=seed, start=now - timedelta(days=1))
        self.dataset = self.dataset.advance(1)

    def advance(self, days: int) -> datetime:
        """Move the served account on by ``days`` (and the rebuilt one, once it exists)."""
        reply = httpx.post(f"{self.root}/_emulator/advance", params={"days": days}, timeout=30)
        reply.raise_for_status()
        if hasattr(self, "dataset"):
            self.dataset = self.dataset.advance(days)
            assert self.dataset.now == _parse(reply.json()["now"])
        return _parse(reply.json()["now"])

    def env(self, tmp_path: Path, **extra: str) -> dict[str, str]:
        """The environment of a command that talks to this emulator with the demo credentials."""
        creds = DEMO_CREDENTIALS
        return base_env(
            tmp_path,
            ZOOM_ACCOUNT_ID=creds.account_id,
            ZOOM_CLIENT_ID=creds.client_id,
            ZOOM_CLIENT_SECRET=creds.client_secret,
            ZOOMTUI_API_URL=self.api_url,
            ZOOMTUI_OAUTH_URL=self.oauth_url,
            ZOOMTUI_RATE_TIER="business",
            **extra,
        )

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def cli_json(*args: str, env: dict[str, str]) -> Any:
    """Run a command that prints JSON; fail with its stderr when it does not exit 0."""
    done = run_cli(*args, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


ALL_STATUSES = ("--status", "active", "--status", "pending", "--status", "inactive")


def cli_users(env: dict[str, str], run_id: int | None = None) -> dict[str, dict[str, Any]]:
    args = ["users", "--format", "json", *ALL_STATUSES]
    if run_id is not None:
        args += ["--run", str(run_id)]
    return {u["email"].lower(): u for u in cli_json(*args, env=env)}


def cli_runs(env: dict[str, str]) -> dict[int, dict[str, Any]]:
    return {r["id"]: r for r in cli_json("runs", "--format", "json", env=env)}
