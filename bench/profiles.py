"""Several accounts: ``summary`` over many profiles, and ``aggregate --all-profiles``.

Usage: .venv/bin/python bench/profiles.py [--summary-profiles 50] [--summary-users 10000]
       [--aggregate-profiles 20] [--aggregate-users 300] [--latency-ms 20] [--rate-scale 1]
       [--workers auto|N ...]

Part 1 builds one history of ``--summary-users`` users (in-process emulator),
copies it into ``--summary-profiles`` profiles and times ``summary`` (target
< 1 s for 50 profiles of 10,000 users). Part 2 starts one loopback emulator
per profile (same tier and limits), times each profile's run alone, then all
of them with ``aggregate_all`` (what ``aggregate --all-profiles`` runs); the
target is the concurrent wall time within 1.3x the slowest single account's
bound (the API's lower bound on its run, bench/_bound.py); the ratio to the
slowest measured single run is printed too.
``--workers auto 1`` times the concurrent run once per value, each from empty
histories (auto: one worker process per core; 1 runs every profile in the
bench's own event loop). The client's CPU counts the worker processes too.
``--own-sessions`` starts every emulator and worker in a session of its own:
Linux's autogroup scheduler shares the CPU per session, so on a machine shared
with other sessions the client's processes otherwise split one share.
Everything lives in a temporary directory (XDG variables point there).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from _bound import lower_bound
from _common import log, loopback_emulator, median, peak_rss_mb, run_stats
from _runinfo import first_run_plan
from _world import local_world

from zoomtui import paths
from zoomtui.emulator import DEMO_CREDENTIALS
from zoomtui.services import all_profiles, profile_workers
from zoomtui.services import profiles as svc
from zoomtui.services.aggregate import aggregate
from zoomtui.zoom.ratelimit import LIMITS


def write_profile(name: str, **values: str) -> None:
    svc.add(name)
    body = "".join(f'{key} = "{value}"\n' for key, value in values.items())
    paths.profile_config_file(name).write_text(body)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux /proc), 0 elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def summary_part(count: int, users: int, root: Path) -> dict[str, object]:
    source = root / "source.db"
    _, ctx = local_world(source, users)
    result = asyncio.run(aggregate(ctx))
    ctx.close()
    log(f"source history: {result.status}, {result.users} users")
    for i in range(count):
        name = f"acct{i:02d}"
        write_profile(name, account_id=f"ACCT{i:02d}")
        target = paths.profile_database_file(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    times = []
    for _ in range(3):
        started = time.perf_counter()
        records = svc.summary()
        times.append(time.perf_counter() - started)
    complete = sum(1 for r in records if r["run_id"] is not None)
    return {
        "profiles": count,
        "users_each": users,
        "profiles_with_a_run": complete,
        "summary_s_median": median(times),
        "summary_s_all": [round(t, 3) for t in times],
    }


def children_cpu() -> float:
    """CPU seconds of the child processes waited for so far (the profile workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fresh_history(name: str) -> None:
    """Delete a profile's history, so each timed run does a first run's work."""
    db = paths.profile_database_file(name)
    for path in (db, *(Path(f"{db}{suffix}") for suffix in ("-wal", "-shm", ".lock"))):
        path.unlink(missing_ok=True)


# A worker in a session of its own (see --own-sessions). Workers start as leaders of
# their own process group, which setsid() refuses: then a child takes the new session
# and this process waits for it, passing on its exit status.
SETSID_WORKER = (
    sys.executable,
    "-c",
    "import os, sys\n"
    "try:\n"
    "    os.setsid()\n"
    "except PermissionError:\n"
    "    pid = os.fork()\n"
    "    if pid:\n"
    "        sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))\n"
    "    os.setsid()\n"
    "from zoomtui.services.profile_workers import main\n"
    "sys.exit(main(sys.argv[1:]))",
)


def together(
    names: list[str], emulators: list[Any], workers: int | None, own_sessions: bool
) -> dict[str, Any]:
    """Every profile at once through ``aggregate_all``, from empty histories."""
    for name in names:
        fresh_history(name)
    emulators_cpu = sum(cpu_seconds(em.proc.pid) for em in emulators)
    parent_cpu = time.process_time()
    workers_cpu = children_cpu()  # the emulators are reaped only later, after this part
    load_start = round(os.getloadavg()[0], 2)
    started = time.perf_counter()
    argv = SETSID_WORKER if own_sessions else profile_workers.WORKER_ARGV
    outcomes = asyncio.run(
        all_profiles.aggregate_all(if_due=False, full=True, workers=workers, worker_argv=argv)
    )
    wall = time.perf_counter() - started
    load_end = round(os.getloadavg()[0], 2)
    parent_cpu = time.process_time() - parent_cpu
    workers_cpu = children_cpu() - workers_cpu
    client_cpu = parent_cpu + workers_cpu
    emulators_cpu = sum(cpu_seconds(em.proc.pid) for em in emulators) - emulators_cpu
    mine = [o for o in outcomes if o.profile in names]
    stats = [o.result.get("stats") or {} for o in mine]
    # Work the machine must do for the concurrent run: the client processes and every
    # emulator process (stand-ins for Zoom's servers) share this machine's cores.
    cpu_bound = (client_cpu + emulators_cpu) / (os.cpu_count() or 1)
    return {
        "workers": workers_used(workers, len(names)),
        "all_profiles_s": round(wall, 3),
        # Each event loop (one per worker) runs on one core: the client's CPU seconds
        # (parent + workers) over the wall say how many cores it was given.
        "client_cpu_s": round(client_cpu, 2),
        "client_cpu_per_profile_s": round(client_cpu / len(names), 3),
        "client_parent_cpu_s": round(parent_cpu, 2),
        "client_cpu_share_of_wall": round(client_cpu / wall, 3),
        "emulators_cpu_s": round(emulators_cpu, 2),
        "cpu_bound_s": round(cpu_bound, 2),
        "load_at_start": load_start,
        "load_at_end": load_end,
        "throttled_429": sum(sum((s.get("throttled") or {}).values()) for s in stats),
        "retries": sum(int(s.get("retries") or 0) for s in stats),
        "wait_seconds": round(sum(float(s.get("wait_seconds") or 0) for s in stats), 1),
        "statuses": sorted({o.status for o in mine}),
    }


def aggregate_part(
    count: int,
    users: int,
    latency_ms: float,
    rate_scale: float,
    modes: list[int | None],
    own_sessions: bool,
) -> dict[str, object]:
    load_before = round(os.getloadavg()[0], 2)
    emulators = []
    with ExitStack() as stack:
        for i in range(count):
            em = stack.enter_context(
                loopback_emulator(
                    users,
                    seed=100 + i,
                    rate_scale=rate_scale,
                    latency_ms=latency_ms,
                    own_session=own_sessions,
                )
            )
            emulators.append(em)
            write_profile(
                f"live{i:02d}",
                account_id=DEMO_CREDENTIALS.account_id,
                client_id=DEMO_CREDENTIALS.client_id,
                client_secret=DEMO_CREDENTIALS.client_secret,
                region="custom",
                api_url=em.api_url,
                oauth_url=em.oauth_url,
            )
        names = [n for n in svc.names() if n.startswith("live")]
        alone = {}
        bounds = {}
        alone_cpu = 0.0
        rates = {c: r * rate_scale for c, r in LIMITS["pro"].items()}
        for name in names:
            ctx = svc.context_of(svc.Profile(name))
            cpu = time.process_time()
            started = time.perf_counter()
            result = asyncio.run(aggregate(ctx, full=True))
            alone[name] = round(time.perf_counter() - started, 3)
            alone_cpu += time.process_time() - cpu
            # The API's own lower bound on this run's wall time (bench/_bound.py).
            calls = (run_stats(ctx, result.run_id) or {}).get("calls", {})
            plan, _ = first_run_plan(ctx, result.run_id, calls, latency_ms / 1000)
            bounds[name] = lower_bound(plan, rates)["bound_s"]
            ctx.close()
            log(f"{name} alone: {result.status} in {alone[name]}s (bound {bounds[name]}s)")
        runs = []
        for workers in modes:
            runs.append(together(names, emulators, workers, own_sessions))
            log(f"all profiles, workers={workers}: {runs[-1]}")
    slowest = max(alone.values())
    slowest_bound = max(bounds.values())
    for run in runs:
        run["ratio_to_slowest"] = round(float(run["all_profiles_s"]) / slowest, 3)
        # The yardstick: the slowest single account's bound.
        run["ratio_to_slowest_bound"] = round(float(run["all_profiles_s"]) / slowest_bound, 3)
    return {
        "profiles": count,
        "users_each": users,
        "latency_ms": latency_ms,
        "rate_scale": rate_scale,
        "cores": os.cpu_count(),
        "load_before": load_before,
        "own_sessions": own_sessions,
        "slowest_alone_s": slowest,
        "slowest_alone_bound_s": slowest_bound,
        # The same profiles run alone, one after another, in this process.
        "alone_cpu_per_profile_s": round(alone_cpu / count, 3),
        **runs[0],
        "other_modes": runs[1:],
    }


def workers_used(requested: int | None, runnable: int) -> int:
    from zoomtui.services.profile_workers import worker_count

    return worker_count(runnable, requested)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--summary-profiles", type=int, default=50)
    parser.add_argument("--summary-users", type=int, default=10_000)
    parser.add_argument("--aggregate-profiles", type=int, default=20)
    parser.add_argument("--aggregate-users", type=int, default=300)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--rate-scale", type=float, default=1.0)
    parser.add_argument(
        "--workers",
        type=lambda v: None if v == "auto" else int(v),
        nargs="+",
        default=[None],
        help="worker counts to time in turn ('auto': one per core); e.g. --workers auto 1",
    )
    parser.add_argument(
        "--own-sessions",
        action="store_true",
        help="start each emulator and each worker in a session of its own: Linux's "
        "autogroup scheduler then shares the CPU with each as a separate party, as on a "
        "machine whose cores are free (on a shared machine one session gets one share)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data")):
            os.environ[var] = str(root / sub)
        for var in ("ZOOMTUI_CONFIG", "ZOOMTUI_DB", "ZOOMTUI_PROFILE"):
            os.environ.pop(var, None)
        out: dict[str, object] = {"benchmark": "profiles"}
        if args.summary_profiles:
            out["summary"] = summary_part(args.summary_profiles, args.summary_users, root)
            log(f"summary: {out['summary']}")
        if args.aggregate_profiles:
            out["all_profiles"] = aggregate_part(
                args.aggregate_profiles,
                args.aggregate_users,
                args.latency_ms,
                args.rate_scale,
                args.workers,
                args.own_sessions,
            )
        out["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
