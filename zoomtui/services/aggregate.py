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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zoomtui.services.context import AppContext
from zoomtui.services.phases import Phases, Progress
from zoomtui.services.storethread import StoreThread
from zoomtui.store import RunLocked
from zoomtui.zoom.errors import DailyLimitReached, ZoomError

__all__ = ["Progress", "RunResult", "aggregate"]

STATUSES = ("active", "pending", "inactive")


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
    async with StoreThread(ctx.db_path) as db:
        return await _run(ctx, db, full, progress or (lambda _p: None), cancel)


async def _run(
    ctx: AppContext,
    db: StoreThread,
    full: bool,
    report: Callable[[Progress], None],
    cancel: asyncio.Event | None,
) -> RunResult:
    run_id = await db("begin_run", started_at=ctx.clock(), full=full)
    phases = Phases(ctx, db, run_id, full=full, report=report)
    status, error = "complete", None
    try:
        await _until_cancelled(phases.run(), cancel)
    except asyncio.CancelledError:
        status, error = "cancelled", "The run was cancelled."
    except DailyLimitReached as exc:
        status, error = "partial", exc.message
    except ZoomError as exc:
        status, error = ("partial" if phases.listing_done else "failed"), exc.message
    except BaseException as exc:
        # Ctrl-C, SIGTERM or a bug: record the ending, then let it propagate.
        db.now(
            "end_run",
            run_id,
            status="cancelled" if isinstance(exc, KeyboardInterrupt) else "failed",
            finished_at=ctx.clock(),
            stats=phases.stats(),
            notes=phases.notes,
            error=f"{type(exc).__name__}: {exc}",
        )
        raise
    finished = ctx.clock()
    if status == "complete":
        report(Progress("saving", 0, None, "Committing the run"))
        await db(
            "complete_run",
            run_id,
            finished_at=finished,
            stats=phases.stats(),
            notes=phases.notes,
        )
    else:
        await db(
            "end_run",
            run_id,
            status=status,
            finished_at=finished,
            stats=phases.stats(),
            notes=phases.notes,
            error=error,
        )
    by_status = dict(phases.by_status)
    by_plan = dict(phases.by_plan)
    users = by_status.get("active", 0) + by_status.get("pending", 0)
    report(Progress("done", 1, 1, f"Run {run_id} {status}"))
    return RunResult(
        run_id, status, users, by_status, by_plan, dict(phases.notes), error, phases.stats()
    )


async def _until_cancelled(work: Any, cancel: asyncio.Event | None) -> None:
    """Await ``work``; if ``cancel`` is set first, cancel it and raise CancelledError."""
    task = asyncio.ensure_future(work)
    if cancel is None:
        await task
        return
    waiter = asyncio.ensure_future(cancel.wait())
    try:
        done, _ = await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()
    if task in done:
        task.result()
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    raise asyncio.CancelledError


__all__ += ["RunLocked"]
