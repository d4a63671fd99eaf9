"""``aggregate --all-profiles`` over worker processes: one event loop serves one core.

Every profile's run costs client CPU (a few ms a request, nearly all of it
httpx's and asyncio's own per-request Python), and one event loop runs on one
core however many accounts wait on the network, so 20 profiles on one loop
needed more CPU than their API bound. The parent splits the runnable profiles
over a few worker processes (one per five profiles, at most one per core);
each worker runs its share concurrently in its own loop, as the
single-process mode does, and reports on stdout in JSON lines: progress, then
one outcome per profile as soon as it ends. The parent forwards progress and
SIGINT/SIGTERM, so workers stop their runs cleanly and record them cancelled;
a worker that dies leaves its unfinished profiles as ``error``, the others
keep running. Each run still takes its profile's run lock (an OS file lock), so
two aggregations of one profile at once are one run and one ``locked``.

The worker is ``python -m zoomtui.services.profile_workers SPEC`` (SPEC: JSON
with ``names`` and ``full``); it inherits the environment, so it resolves the
same directories and selected profile as the parent.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import IO, Any

from zoomtui.services.export import jsonable
from zoomtui.services.phases import Progress
from zoomtui.services.profiles import ProfileOutcome, run_here
from zoomtui.text import safe_text

MAX_WORKERS = 8  # beyond this a worker's start-up (imports, TLS context) outweighs the gain
# A worker costs about a second of CPU to start, and one loop served five 300-user
# profiles within 1.06x of the slowest alone, so fewer stay in this process.
PROFILES_PER_LOOP = 5
WORKER_ARGV = (sys.executable, "-m", "zoomtui.services.profile_workers")
PROGRESS_EVERY_S = 1.0  # a worker forwards a phase's running total at most this often
OUTCOME, PROGRESS = "outcome", "progress"
Report = Callable[[str, Any], None]


def worker_count(runnable: int, requested: int | None) -> int:
    """How many processes to use: ``requested``, else one per five profiles, at most one
    per core (and ``MAX_WORKERS``); never idle ones. 1 means this process's own loop."""
    if requested is None:
        requested = min(os.cpu_count() or 1, MAX_WORKERS, -(-runnable // PROFILES_PER_LOOP))
    return max(1, min(requested, runnable))


async def run_in_workers(
    runnable: Sequence[str],
    workers: int,
    *,
    full: bool,
    cancel: asyncio.Event | None,
    report: Report | None,
    argv: Sequence[str] = WORKER_ARGV,
) -> list[ProfileOutcome]:
    """Run the profiles in ``workers`` child processes; one outcome per profile, in order.

    Each worker gets a process group of its own, so a terminal's Ctrl-C reaches only
    this process, which forwards SIGTERM: a worker still importing then ends at once
    (its profiles ``cancelled``, no run begun), a running one records its runs.
    """
    groups = [list(runnable[i::workers]) for i in range(workers)]
    outcomes: dict[str, ProfileOutcome] = {}
    procs: list[asyncio.subprocess.Process] = []

    def stop(proc: asyncio.subprocess.Process) -> None:
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)

    async def forward_cancel() -> None:
        assert cancel is not None
        await cancel.wait()
        for proc in procs:
            stop(proc)

    def missing(group: list[str], outcome: Callable[[str], ProfileOutcome]) -> None:
        for name in group:
            outcomes.setdefault(name, outcome(name))

    async def follow(group: list[str]) -> None:
        try:
            proc = await asyncio.create_subprocess_exec(
                *argv,
                json.dumps({"names": group, "full": full}),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                limit=2**24,  # one outcome line holds a run's stats and notes
                process_group=0,
            )
        except OSError as exc:
            reason = exc.strerror or str(exc)
            missing(group, lambda n: ProfileOutcome(
                n, "error", {}, f"A worker process could not be started ({reason})."
            ))  # fmt: skip
            return
        procs.append(proc)
        if cancel is not None and cancel.is_set():
            stop(proc)
        assert proc.stdout is not None
        async for raw in proc.stdout:
            try:
                line = json.loads(raw)
            except ValueError:
                continue  # not ours (a library printing); the protocol lines are JSON
            if not isinstance(line, dict) or line.get("profile") not in group:
                continue
            name = line["profile"]
            if line.get("kind") == OUTCOME:
                outcomes[name] = ProfileOutcome(
                    name, str(line["status"]), line.get("result") or {}, str(line["message"])
                )
            elif line.get("kind") == PROGRESS and report is not None:
                report(name, Progress(**line["progress"]))
        code = await proc.wait()
        if code == -signal.SIGTERM and cancel is not None and cancel.is_set():
            # Stopped by us before its runs began (a begun run always reports).
            missing(group, lambda n: ProfileOutcome(
                n, "cancelled", {}, "Cancelled before the run began."
            ))  # fmt: skip
        missing(group, lambda n: ProfileOutcome(
            n, "error", {},
            f"The worker process running this profile stopped (exit code {code}) before "
            f"the run ended; `zoomtui --profile {n} aggregate` runs it alone.",
        ))  # fmt: skip

    canceller = asyncio.ensure_future(forward_cancel()) if cancel is not None else None
    try:
        await asyncio.gather(*(follow(g) for g in groups))
    finally:
        if canceller is not None:
            canceller.cancel()
        for proc in procs:  # only when the caller itself was cancelled or failed
            if proc.returncode is None:
                stop(proc)
                await proc.wait()
    return [outcomes[name] for name in runnable]


class _Channel:
    """The worker's side of the protocol: JSON lines on stdout, progress thinned out."""

    def __init__(self, out: IO[str], cancel: asyncio.Event) -> None:
        self.out, self.cancel = out, cancel
        self.last: dict[str, tuple[str, float]] = {}

    def send(self, line: dict[str, Any]) -> None:
        try:
            self.out.write(json.dumps(jsonable(line)) + "\n")
            self.out.flush()
        except (OSError, ValueError):
            # The parent is gone: nobody waits for these runs; stop them cleanly.
            self.cancel.set()

    def progress(self, name: str, p: Progress) -> None:
        """Forward phase changes, waits and ends at once; a phase's totals once a second."""
        now = time.monotonic()
        phase, when = self.last.get(name, ("", 0.0))
        if p.phase == phase and p.phase != "waiting" and now - when < PROGRESS_EVERY_S:
            return
        self.last[name] = (p.phase, now)
        self.send({"kind": PROGRESS, "profile": name, "progress": asdict(p)})

    def outcome(self, o: ProfileOutcome) -> None:
        self.send(
            {"kind": OUTCOME, "profile": o.profile, "status": o.status,
             "result": o.result, "message": o.message}
        )  # fmt: skip


async def _work(names: list[str], full: bool) -> None:
    cancel = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, cancel.set)
    channel = _Channel(sys.stdout, cancel)
    await run_here(
        names, full=full, cancel=cancel, report=channel.progress, finished=channel.outcome
    )


def main(argv: Sequence[str]) -> int:
    """The worker: run the profiles SPEC names and report them on stdout."""
    spec = json.loads(argv[0])
    names = [str(n) for n in spec["names"]]
    try:
        asyncio.run(_work(names, bool(spec.get("full"))))
    except Exception as exc:  # a bug: its profiles end as errors in the parent's result
        if os.environ.get("ZOOMTUI_DEBUG") == "1":
            raise
        detail = safe_text(" ".join(str(exc).split()))  # it may quote Zoom
        print(f"Unexpected error in a profile worker: {type(exc).__name__}: {detail}",
              file=sys.stderr)  # fmt: skip
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
