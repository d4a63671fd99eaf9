"""Aggregate: start, follow and cancel a run; see the schedule and when the next run is due."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal
from textual.widgets import Button, Input, Label, ProgressBar, RichLog, Static

from zoomtui.errors import ZoomtuiError
from zoomtui.services import schedule
from zoomtui.services.eta import words
from zoomtui.tui.actions import bindings_for
from zoomtui.tui.config_io import save_changes
from zoomtui.tui.messages import RunEvent, RunFinished, RunStarted
from zoomtui.tui.runner import PHASES
from zoomtui.tui.safe import safe
from zoomtui.tui.screens.base import ZoomScreen

PHASE_LABELS = {
    "token": "Token",
    "accounts": "Accounts",
    "users": "Users",
    "addons": "Add-ons",
    "seats": "Seats",
    "sign_ins": "Sign-ins",
    "saving": "Saving",
}


def phase_text(progress: Any, *, running: bool, note: str = "") -> str:
    """``1,200 / 1,200 · message`` for one phase; why it did nothing when it did nothing."""
    if progress is None:
        if note:
            return note
        return "waiting" if running else "—"
    done = f"{progress.done:,}"
    if progress.total is not None:
        done += f" / {progress.total:,}"
    if progress.message:
        done += f" · {progress.message}"
    left = words(getattr(progress, "left_s", None)) if running else ""
    if left:
        done += f" · {left}"
    return done


def pace_text(stats: Any) -> str:
    """``Pace settled on: Light 30/s · Medium 20/s · Heavy 10/s · 3 answered 429``.

    The rates are what the client learnt the account really allows per category
    (the configured tier is only where it starts), so an admin can tell a wrong
    tier or another app sharing the quota from the run alone.
    """
    rates = stats.get("rates") if isinstance(stats, dict) else None
    if not isinstance(rates, dict) or not rates:
        return ""
    parts = [f"{c} {float(r):g}/s" for c, r in rates.items() if isinstance(r, int | float)]
    throttled = stats.get("throttled") or {}
    refused = sum(v for v in throttled.values() if isinstance(v, int))
    if refused:
        parts.append(f"{refused:,} answered 429")
    return "Pace settled on: " + " · ".join(parts)


def left_text(reads: Any, listing: Any) -> str:
    """``Estimate: about 2 min 30 s left (3,000 settings reads at the pace in force)``."""
    left = words(getattr(reads, "left_s", None))
    if left and reads is not None and reads.total is not None:
        calls = max(0, reads.total - reads.done)
        return f"Estimate: {left} ({calls:,} settings reads at the pace in force)"
    if left:
        return f"Estimate: {left}"
    if listing is not None:
        return "Estimate: once every user is listed"
    return "Estimate: —"


class AggregateScreen(ZoomScreen):
    """Buttons, one progress row per phase, rate-limit waits, schedule and the run log."""

    MODE = "aggregate"
    BINDINGS: ClassVar[list[Binding]] = bindings_for("aggregate")  # type: ignore[assignment]

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="run-buttons"):
            yield Button("Run now", id="run-start", variant="primary", compact=True)
            yield Button("Full run", id="run-full", compact=True)
            yield Button("Cancel", id="run-cancel", variant="error", compact=True)
            yield Static("", id="run-status")
        with Grid(id="phases"):
            for phase in PHASES:
                yield Label(PHASE_LABELS[phase], classes="phase-label")
                yield ProgressBar(id=f"bar-{phase}", show_eta=False, show_percentage=False)
                yield Label("", id=f"text-{phase}", classes="phase-text")
        yield Static("", id="run-waits", classes="counts")
        with Horizontal(id="schedule-row"):
            yield Label("Schedule every", classes="pick-label")
            yield Input(
                id="schedule-interval", compact=True, max_length=12, placeholder="24h / 7d / off"
            )
            yield Static("", id="schedule-due")
        yield RichLog(id="run-log", wrap=True, markup=False, max_lines=500)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#schedule-interval", Input).value = self.ctx.settings.schedule_interval
        log = self.query_one(RichLog)
        for line in self.zapp.runner.state.log:
            log.write(line)
        self._log_seen = len(self.zapp.runner.state.log)
        self.refresh_state()
        self.refresh_due()
        self.set_interval(30, self.refresh_due)

    # -- state ----------------------------------------------------------------------------------

    def refresh_state(self) -> None:
        state = self.zapp.runner.state
        for phase in PHASES:
            progress = state.phases.get(phase)
            bar = self.query_one(f"#bar-{phase}", ProgressBar)
            if progress is None:
                bar.update(total=100, progress=0)
            elif progress.total:
                bar.update(total=progress.total, progress=progress.done)
            elif state.running and phase != "saving":
                bar.update(total=None)
            else:
                bar.update(total=max(progress.done, 1), progress=progress.done)
            notes = getattr(state.result, "notes", None) or {}
            text = phase_text(progress, running=state.running, note=str(notes.get(phase, "")))
            self.query_one(f"#text-{phase}", Label).update(safe(text))  # notes quote Zoom
        waits = f"Rate-limit waits: {state.waits} ({state.waited_s:.1f}s)"
        pace = pace_text(getattr(state.result, "stats", None))
        if pace:
            waits += "\n" + pace
        if state.running:
            waits += "\n" + left_text(state.phases.get("addons"), state.phases.get("users"))
        self.query_one("#run-waits", Static).update(waits)
        self.query_one("#run-start", Button).disabled = state.running
        self.query_one("#run-full", Button).disabled = state.running
        self.query_one("#run-cancel", Button).disabled = not state.running
        self.query_one("#run-status", Static).update(safe(self._status_text()))

    def _status_text(self) -> str:
        state = self.zapp.runner.state
        if state.running:
            text = " running (full)…" if state.full else " running…"
            left = words(getattr(state.phases.get("addons"), "left_s", None))
            return f"{text} {left}" if left else text
        if state.result is not None:
            r = state.result
            return f" run {r.run_id} {r.status} · {r.users:,} users"
        if state.error:
            return f" last: failed — {state.error}"
        return " idle"

    def refresh_due(self) -> None:
        try:
            _due, words = self.zapp.runner.next_due()
        except ZoomtuiError as exc:
            words = str(getattr(exc, "message", exc))
        if not self.ctx.settings.active and words != "not scheduled":
            words += " (connection inactive: no automatic runs)"
        self.query_one("#schedule-due", Static).update(safe(f" Next run: {words}"))

    @on(RunEvent)
    def _run_event(self, message: RunEvent) -> None:
        """Every run event (started, progress, logged, finished) redraws the panel.

        ``@on`` with the base class matches all four; ``ZoomScreen``'s own
        ``on_run_started`` / ``on_run_finished`` still run for the top bar and reloads.
        """
        log = self.query_one(RichLog)
        lines = self.zapp.runner.state.log
        if isinstance(message, RunStarted):
            self._log_seen = min(self._log_seen, len(lines))
        for line in lines[self._log_seen :]:
            log.write(line)
        self._log_seen = len(lines)
        self.refresh_state()
        if isinstance(message, RunFinished):
            self.refresh_due()

    # -- actions --------------------------------------------------------------------------------

    def action_start(self) -> None:
        self.zapp.runner.start(full=False)

    def action_start_full(self) -> None:
        self.zapp.runner.start(full=True)

    def action_cancel(self) -> None:
        if not self.zapp.runner.cancel():
            self.notify("No aggregation is running.")

    @on(Button.Pressed, "#run-start")
    def _start(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#run-full")
    def _full(self) -> None:
        self.action_start_full()

    @on(Button.Pressed, "#run-cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Input.Submitted, "#schedule-interval")
    def _schedule(self, event: Input.Submitted) -> None:
        text = event.value.strip().lower() or "off"
        try:
            interval = schedule.parse_interval(text)
        except ValueError as exc:
            self.query_one("#schedule-due", Static).update(safe(f" {exc}"))
            return
        try:
            save_changes(self.zapp, {"schedule_interval": schedule.format_interval(interval)})
        except (ZoomtuiError, OSError) as exc:  # a bad value or an unwritable file
            self.report(exc, "Schedule not saved")
            return
        event.input.value = self.ctx.settings.schedule_interval
        self.notify(f"Schedule: {self.ctx.settings.schedule_interval}")
        self.refresh_due()
