"""Shared helpers of the benchmarks: a loopback emulator subprocess, contexts, medians.

Not part of the package: the benchmarks import it by path (``bench/`` is on
``sys.path`` when a script runs). Progress goes to stderr; each script prints
one JSON object on stdout.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from zoomtui.services.context import AppContext
from zoomtui.services.demo import demo_settings
from zoomtui.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def log(*parts: Any) -> None:
    """Progress on stderr, so stdout stays one JSON object."""
    print(*parts, file=sys.stderr, flush=True)


def median(values: list[float], digits: int = 3) -> float:
    return round(statistics.median(values), digits)


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


@dataclass
class LoopbackEmulator:
    """A running ``zoomtui emulator`` subprocess and its URLs."""

    proc: subprocess.Popen[str]
    api_url: str
    oauth_url: str

    @property
    def base(self) -> str:
        return self.api_url.removesuffix("/v2")

    def stats(self) -> dict[str, Any]:
        return httpx.get(self.base + "/_emulator/stats", timeout=30).json()

    def advance(self, days: int) -> None:
        httpx.post(self.base + f"/_emulator/advance?days={days}", timeout=120).raise_for_status()


@contextmanager
def loopback_emulator(
    users: int,
    *,
    seed: int = 1,
    tier: str = "pro",
    rate_scale: float = 1.0,
    latency_ms: float = 0.0,
    rate_limits: bool = True,
    scopes: str | None = None,
    shared_quota: float = 0.0,
    limit_headers: bool = True,
    own_session: bool = False,
) -> Iterator[LoopbackEmulator]:
    """Start ``zoomtui emulator`` on a free loopback port; stop it on exit.

    ``own_session``: in a session of its own, which Linux's autogroup scheduler
    shares the CPU with as a separate party, as if it ran on Zoom's side.
    """
    cmd = [
        PYTHON, "-m", "zoomtui", "emulator", "--port", "0", "--users", str(users),
        "--seed", str(seed), "--tier", tier, "--rate-scale", str(rate_scale),
        "--latency-ms", str(latency_ms), "--shared-quota", str(shared_quota),
    ]  # fmt: skip
    if not rate_limits:
        cmd.append("--no-rate-limits")
    if not limit_headers:
        cmd.append("--no-limit-headers")
    if scopes is not None:
        cmd += ["--scopes", scopes]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT, start_new_session=own_session
    )
    try:
        api_url = oauth_url = ""
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("API URL:"):
                api_url = line.split(":", 1)[1].strip()
            elif line.startswith("OAuth URL:"):
                oauth_url = line.split(":", 1)[1].strip()
            if api_url and oauth_url:
                break
        if not api_url:
            raise RuntimeError(f"the emulator did not start (exit {proc.poll()})")
        yield LoopbackEmulator(proc, api_url, oauth_url)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def emulator_settings(api_url: str, oauth_url: str, tier: str = "pro") -> Settings:
    """Settings for the emulator's public demo credentials at the given URLs."""
    return demo_settings(api_url, oauth_url).updated(rate_tier=tier)


def loopback_context(
    em: LoopbackEmulator, db_path: Path, *, tier: str, rate_scale: float, concurrency: int
) -> AppContext:
    """A context whose client talks to the loopback emulator with scaled budgets."""
    return AppContext(
        settings=emulator_settings(em.api_url, em.oauth_url, tier),
        db_path=db_path,
        client_options={"rate_scale": rate_scale, "max_concurrency": concurrency},
    )


def run_stats(ctx: AppContext, run_id: int) -> dict[str, Any]:
    """The client's stats stored with the run (calls per category, retries, waits)."""
    record = ctx.open_store().run(run_id)
    stats = record.stats if record is not None else None
    if isinstance(stats, str):
        stats = json.loads(stats)
    return stats or {}


def checkpoint(ctx: AppContext) -> None:
    ctx.open_store().conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def db_bytes(path: Path) -> int:
    """Size of the database file plus its WAL."""
    return sum(os.path.getsize(p) for p in (path, Path(f"{path}-wal")) if os.path.exists(p))


class Timer:
    """Wall time of a block, and when the run's ``saving`` phase began."""

    def __init__(self) -> None:
        self.start = self.saving = self.end = 0.0

    def progress(self, p: Any) -> None:
        if p.phase == "saving" and not self.saving:
            self.saving = time.perf_counter()

    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.end = time.perf_counter()

    @property
    def wall(self) -> float:
        return self.end - self.start

    @property
    def network(self) -> float:
        return (self.saving or self.end) - self.start


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU seconds of this process, or of another one via /proc."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_aggregate(ctx: AppContext) -> tuple[Any, Timer]:
    """One aggregation, timed end to end (and up to its commit)."""
    import asyncio

    from zoomtui.services.aggregate import aggregate

    timer = Timer()
    with timer:
        result = asyncio.run(aggregate(ctx, progress=timer.progress))
    return result, timer


def counter_delta(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {k: v - before.get(k, 0) for k, v in after.items() if v - before.get(k, 0)}
