"""``aggregate --all-profiles``: every active (and due) profile at once.

Each Zoom account has its own rate limits, so the runs go concurrently: in this
event loop (``profiles.run_here``) or, past a few profiles, spread over worker
processes (``profile_workers``), since one loop uses one core.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from zoomtui.clock import Clock, utcnow
from zoomtui.errors import ZoomtuiError
from zoomtui.services import profile_workers
from zoomtui.services.profiles import (
    Profile,
    ProfileOutcome,
    latest,
    names,
    run_here,
    sentence,
    settings_of,
)


async def aggregate_all(
    *,
    if_due: bool,
    full: bool,
    cancel: asyncio.Event | None = None,
    report: Callable[[str, Any], None] | None = None,
    clock: Clock = utcnow,
    workers: int | None = None,
    worker_argv: Sequence[str] = profile_workers.WORKER_ARGV,
) -> list[ProfileOutcome]:
    """Aggregate every active (and, with ``if_due``, due) profile at once.

    Each Zoom account has its own rate limits, so the runs go concurrently, each
    with its own client and history; one profile's failure does not stop the others.
    One event loop serves only about one core, so the runs are spread over
    ``workers`` processes (None: one per core, see ``profile_workers``); with 1
    they all run here, in this loop (and with the injected ``clock``).
    ``worker_argv`` starts a worker (benchmarks and tests wrap it).
    """
    outcomes: dict[str, ProfileOutcome] = {}
    runnable: list[str] = []
    for name in names():
        skipped = _skipped(name, if_due, clock)
        if skipped is None:
            runnable.append(name)
        else:
            outcomes[name] = skipped
    count = profile_workers.worker_count(len(runnable), workers)
    if count > 1:
        ran = await profile_workers.run_in_workers(
            runnable, count, full=full, cancel=cancel, report=report, argv=worker_argv
        )
    else:
        ran = await run_here(runnable, full=full, cancel=cancel, report=report, clock=clock)
    outcomes.update({o.profile: o for o in ran})
    return [outcomes[name] for name in names() if name in outcomes]


def _skipped(name: str, if_due: bool, clock: Clock) -> ProfileOutcome | None:
    """Why a profile does not run now (inactive, not configured, not due), or None."""
    from zoomtui.services.schedule import is_due, parse_interval

    profile = Profile(name)
    try:
        settings = settings_of(profile)
    except (ZoomtuiError, OSError) as exc:  # a settings file that does not parse: this one only
        return ProfileOutcome(name, "error", {}, sentence(exc))
    if not settings.active:
        return ProfileOutcome(name, "inactive", {}, "The profile is not active.")
    if profile.default and not settings.has_credentials():
        # Someone who keeps every account in named profiles never filled it in.
        return ProfileOutcome(
            name, "not_configured", {}, "The default profile has no Zoom credentials."
        )
    if if_due:
        try:
            store, run = latest(profile)
        except (ZoomtuiError, OSError) as exc:
            return ProfileOutcome(name, "error", {}, sentence(exc))
        if store is not None:
            store.close()
        finished = run.finished_at if run else None
        if not is_due(finished, parse_interval(settings.schedule_interval), now=clock()):
            return ProfileOutcome(name, "not_due", {}, "Not due yet.")
    return None
