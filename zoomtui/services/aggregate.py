"""One aggregation run: everything the credentials allow, staged, then committed as a run.

The run's data becomes visible only when it completes (the store commits the
stage in one transaction); any other ending leaves earlier runs untouched.
Phases run concurrently inside the client's rate budgets: user listings per
account and status, seat counts, the sign-in report, and settings reads fed
from the listing as pages arrive.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from zoomtui.errors import ZoomtuiError
from zoomtui.services.context import AppContext
from zoomtui.services.phases import AggregationRun, Progress
from zoomtui.services.storethread import StoreThread
from zoomtui.store import RunLocked, Store
from zoomtui.text import safe_text
from zoomtui.zoom.errors import DailyLimitReached, ZoomError

# RunLocked is re-exported: the TUI catches it without importing the store.
__all__ = ["Progress", "RunLocked", "RunResult", "aggregate"]


@dataclass(frozen=True)
class RunResult:
    """The outcome of one run, as the CLI prints it and the TUI shows it."""

    run_id: int
    status: str
    users: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_plan: dict[str, int] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    stats: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "status": self.status,
            "users": self.users,
            "by_status": self.by_status,
            "by_plan": self.by_plan,
            "notes": self.notes,
            "error": self.error,
            "stats": self.stats,
        }


async def aggregate(
    ctx: AppContext,
    *,
    full: bool = False,
    progress: Callable[[Progress], None] | None = None,
    cancel: asyncio.Event | None = None,
) -> RunResult:
    """Run one aggregation and record it; raises RunLocked when another one is running."""
    with _fewer_collections():
        async with StoreThread(ctx.db_path) as db:
            return await _run(ctx, db, full, progress or (lambda _p: None), cancel)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect garbage less often while a run makes millions of short-lived objects.

    With the default thresholds the collector took ~8% of a 100,000-user local
    run; at these the run is ~6% faster for about 6 MB more at the peak.
    """
    before = gc.get_threshold()
    gc.set_threshold(10_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*before)


async def _run(
    ctx: AppContext,
    db: StoreThread,
    full: bool,
    report: Callable[[Progress], None],
    cancel: asyncio.Event | None,
) -> RunResult:
    if not ctx.settings.has_credentials():
        ctx.make_client()  # raises the one-sentence "no credentials" error, before any run exists
    run_id = await db(Store.begin_run, started_at=ctx.clock(), full=full)
    phases: AggregationRun | None = None
    status, error = "complete", None
    try:
        phases = AggregationRun(ctx, db, run_id, full=full, report=report)
        await _until_cancelled(phases.run(), cancel)
    except RunCancelled:
        status, error = "cancelled", "The run was cancelled."
    except DailyLimitReached as exc:
        status, error = "partial", exc.message
    except ZoomError as exc:
        listed = phases is not None and phases.listing_done
        status, error = ("partial" if listed else "failed"), exc.message
    except BaseException as exc:
        # Ctrl-C, SIGTERM or a bug: record the ending, then let it propagate.
        stopped = isinstance(exc, KeyboardInterrupt | asyncio.CancelledError)
        db.call_blocking(
            Store.end_run,
            run_id,
            status="cancelled" if stopped else "failed",
            finished_at=ctx.clock(),
            stats=phases.stats() if phases else {},
            notes=phases.notes if phases else {},
            error=safe_text(
                "The run was cancelled." if stopped else f"{type(exc).__name__}: {exc}"
            ),
        )
        raise
    assert phases is not None  # built first thing in the try, which has not raised
    # Zoom's error text is Zoom's: stored (and shown everywhere) with controls made visible
    error = safe_text(error) if error is not None else None
    finished = ctx.clock()
    by_status = dict(+phases.by_status)  # unary + drops the zero counts of moved users
    users = by_status.get("active", 0) + by_status.get("pending", 0)
    if status == "complete":
        report(Progress("saving", 0, None, "Committing the run"))
        # The store's count, not the listings': a user seen by two listings (status or
        # account changed between them) is one user.
        users = await db(
            Store.complete_run,
            run_id,
            finished_at=finished,
            stats=phases.stats(),
            notes=phases.notes,
        )
        # Counted once now, so `zoomtui summary` over many accounts reads one row each and
        # the Runs screen's trend no row per user (earlier runs not yet counted are too).
        await db(Store.summarise_runs, ctx.settings.inactive_days)
    else:
        await db(
            Store.end_run,
            run_id,
            status=status,
            finished_at=finished,
            stats=phases.stats(),
            notes=phases.notes,
            error=error,
        )
    report(Progress("done", 1, 1, f"Run {run_id} {status}"))
    return RunResult(
        run_id,
        status,
        users,
        by_status,
        dict(+phases.by_plan),
        dict(phases.notes),
        error,
        phases.stats(),
    )


class RunCancelled(ZoomtuiError):
    """The user asked to stop the run (the ``cancel`` event was set)."""

    def __init__(self, message: str = "The run was cancelled.") -> None:
        super().__init__(message)


async def _until_cancelled(work: Any, cancel: asyncio.Event | None) -> None:
    """Await ``work``; stop it and raise RunCancelled if ``cancel`` is set first.

    However this ends — the event, the caller's own cancellation, an error —
    the work is cancelled and awaited, so nothing of the run outlives it.
    """
    task = asyncio.ensure_future(work)
    waiter = asyncio.ensure_future(cancel.wait()) if cancel is not None else None
    try:
        await asyncio.wait({task} if waiter is None else {task, waiter},
                           return_when=asyncio.FIRST_COMPLETED)  # fmt: skip
    finally:
        if waiter is not None:
            waiter.cancel()
        if not task.done():
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
    if task.cancelled():
        raise RunCancelled()
    task.result()
