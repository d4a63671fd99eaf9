"""The one aggregation run of the app: start, cancel, progress fan-out and the schedule.

Why not in a screen: a scheduled run may start while the operator is on another screen, and
every screen (runs, users, seats) wants to refresh when a run completes.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from textual.dom import DOMNode
from textual.signal import Signal

from zoomtui.errors import ZoomtuiError
from zoomtui.services import aggregate as agg
from zoomtui.services import schedule
from zoomtui.services.runs import run_views
from zoomtui.text import safe_text
from zoomtui.tui.errors import error_text
from zoomtui.tui.messages import RunEvent, RunFinished, RunLogged, RunProgress, RunStarted

if TYPE_CHECKING:
    from zoomtui.tui.app import ZoomApp

PHASES = ("token", "accounts", "users", "addons", "seats", "sign_ins", "saving")
SCHEDULE_CHECK_S = 60.0


@dataclass
class RunState:
    """What the progress panel shows; survives screen switches."""

    running: bool = False
    full: bool = False
    started_at: datetime | None = None
    phases: dict[str, agg.Progress] = field(default_factory=dict)
    waits: int = 0
    waited_s: float = 0.0
    log: list[str] = field(default_factory=list)
    result: agg.RunResult | None = None
    error: str | None = None


class RunController:
    """Owns the aggregation worker and its cancel event; screens subscribe to its events.

    Events go out on a Textual ``Signal`` (it forgets screens that are gone); each
    subscriber gets the event posted as a typed message (``tui/messages.py``).
    """

    def __init__(self, app: ZoomApp, *, schedule: bool = True) -> None:
        self.app = app
        self.state = RunState()
        self.schedule_enabled = schedule
        self._cancel: asyncio.Event | None = None
        self.events: Signal[RunEvent] = Signal(app, "run")
        self._last_message: dict[str, str] = {}

    def subscribe(self, node: DOMNode) -> None:
        """Post every run event to ``node`` as a message (``on_run_started`` and so on)."""
        self.events.subscribe(node, node.post_message, immediate=True)

    def unsubscribe(self, node: DOMNode) -> None:
        """No more run events to ``node`` (it is going).

        Why: the signal forgets a removed node only at its next event, and until then
        its callback (``node.post_message``) kept the node alive: after a profile
        switch, the old account's screens and what they had read (a 100,000-user
        diff, the reclaim candidates) stayed in memory until the next run.
        """
        self.events.unsubscribe(node)

    def _publish(self, event: RunEvent) -> None:
        self.events.publish(event)

    def log(self, line: str) -> None:
        """Add a line to the run log, time-stamped with the app clock (controls made visible)."""
        stamp = self.app.ctx.clock().strftime("%H:%M:%S")
        entry = f"{stamp} {safe_text(line)}"
        self.state.log.append(entry)
        del self.state.log[:-500]
        self._publish(RunLogged(entry))

    @property
    def running(self) -> bool:
        return self.state.running

    def start(self, *, full: bool = False, reason: str = "") -> bool:
        """Start a run unless one is going; returns whether it started."""
        if self.state.running:
            self.app.notify("An aggregation is already running.", severity="warning")
            return False
        if not self.app.ctx.settings.has_credentials():
            self.app.notify(
                "No Zoom credentials yet: fill in the Connection screen (6) and save.",
                title="Aggregation",
                severity="error",
            )
            return False
        self._cancel = asyncio.Event()
        self._last_message = {}
        self.state = RunState(
            running=True, full=full, started_at=self.app.ctx.clock(), log=self.state.log
        )
        self.log(f"{'Full run' if full else 'Run'} started{reason}.")
        self._publish(RunStarted(full))
        self.app.run_worker(self._run(full), group="aggregate", exclusive=True, exit_on_error=False)
        return True

    def cancel(self) -> bool:
        """Ask the running aggregation to stop; returns whether one was running."""
        if not self.state.running or self._cancel is None:
            return False
        self._cancel.set()
        self.log("Cancelling…")
        return True

    async def _run(self, full: bool) -> None:
        state = self.state
        try:
            result = await agg.aggregate(
                self.app.ctx, full=full, progress=self._on_progress, cancel=self._cancel
            )
        except agg.RunLocked as exc:
            state.error = getattr(exc, "message", None) or str(exc) or "Another run is going."
        # Worker boundary: any failure, even a bug, must end the run on screen as
        # "failed" (aggregate has recorded it) rather than kill the app mid-run.
        except Exception as exc:
            state.error = error_text(exc)
        else:
            state.result = result
            state.error = result.error
            if result.status == "complete":
                state.phases["saving"] = agg.Progress("saving", 1, 1, "Saved")
        finally:
            state.running = False
        if state.result is not None:
            r = state.result
            line = f"Run {r.run_id} {r.status}: {r.users:,} users."
            if state.error:
                line += f" {state.error}"
            self.log(line)
            if r.status == "complete":
                self.app.notify(line, title="Aggregation")
            else:
                self.app.notify(line, title="Aggregation", severity="warning")
        else:
            self.log(f"Run failed: {state.error}")
            self.app.notify(state.error or "Run failed.", title="Aggregation", severity="error")
        self._publish(RunFinished(state.result, state.error))

    def _on_progress(self, progress: agg.Progress) -> None:
        state = self.state
        state.phases[progress.phase] = progress
        if progress.waiting_s:
            state.waits += 1
            state.waited_s += progress.waiting_s
            self.log(f"Rate limit: waiting {progress.waiting_s:.1f}s ({progress.phase}).")
        elif (
            progress.message
            and progress.phase not in ("users", "addons", "done")
            and self._last_message.get(progress.phase) != progress.message
        ):
            self.log(progress.message)
        self._last_message[progress.phase] = progress.message
        self._publish(RunProgress(progress))

    # -- schedule -------------------------------------------------------------------------------

    def _schedule_inputs(self) -> tuple[datetime | None, timedelta | None]:
        """The last complete run's end and the configured interval (ValueError when invalid)."""
        ctx = self.app.ctx
        interval = schedule.parse_interval(ctx.settings.schedule_interval or "off")
        # One small table (a row per run): read on the loop, typed, no ISO text to parse.
        finished = [v.finished_at for v in run_views(ctx) if v.complete]
        last = max((f for f in finished if f is not None), default=None)
        return last, interval

    def next_due(self) -> tuple[datetime | None, str]:
        """When the next scheduled run is due, and that in words."""
        try:
            last, interval = self._schedule_inputs()
        except ValueError:
            return None, "schedule interval is invalid"
        due = schedule.next_due(last, interval)
        return due, schedule.describe_due(self.app.ctx.clock(), due)

    def start_schedule(self) -> None:
        """Check every minute whether a scheduled run is due while the app is open."""
        if self.schedule_enabled:
            self.app.set_interval(SCHEDULE_CHECK_S, self.check_due)
            self.app.call_later(self.check_due)

    def check_due(self) -> bool:
        """Start a run when the connection is active and the schedule says it is due."""
        ctx = self.app.ctx
        if self.state.running or not ctx.settings.active:
            return False
        try:
            last, interval = self._schedule_inputs()
            due = schedule.is_due(last, interval, now=ctx.clock())
        except (ZoomtuiError, ValueError):  # unreadable history or an invalid interval: not due
            return False
        if not due:
            return False
        return self.start(reason=" (scheduled)")
