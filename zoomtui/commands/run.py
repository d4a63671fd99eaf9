"""``test-connection`` and ``aggregate``: the commands that talk to Zoom."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

import click

from zoomtui.commands.common import cli_errors, db_option, say, to_json
from zoomtui.licences import status_word
from zoomtui.services.aggregate import Progress, RunResult, aggregate
from zoomtui.services.connection import test_connection
from zoomtui.services.context import AppContext, context_from_env
from zoomtui.services.eta import words
from zoomtui.services.schedule import describe_due, is_due, next_due, parse_interval
from zoomtui.text import safe_text

# Exit codes of `aggregate` (documented in README): 0 complete, 1 failed,
# 3 partial, 4 another aggregation running, 130 cancelled.
EXIT = {"complete": 0, "failed": 1, "partial": 3, "cancelled": 130}
EXIT_LOCKED = 4


@click.command("test-connection")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@db_option
@cli_errors
def test_connection_cmd(as_json: bool, db: str | None) -> None:
    """Obtain a token and report what the credentials allow."""
    ctx = context_from_env(db)
    report = asyncio.run(test_connection(ctx))
    if as_json:
        click.echo(to_json(report.to_json()))
    else:
        for line in report.lines():  # Zoom's own words about missing permissions
            say(line)
        if report.error:
            say(report.error, err=True)
    sys.exit(0 if report.ok else 1)


# Running totals of the concurrent phases, worded so a total never reads as the
# count of whichever account or status happened to report last.
_TOTALS = {
    "users": "users listed",
    "sign_ins": "sign-in events read",
    "addons": "users' settings read",
    "seats": "accounts' seat counts read",
}
LOG_EVERY_S = 15.0


def describe(p: Progress) -> str:
    """One progress line: a phase's running total, or its message."""
    noun = _TOTALS.get(p.phase)
    if noun is None:
        return f"{p.phase}: {p.message}"
    count = f"{p.done:,}" + (f"/{p.total:,}" if p.total else "")
    left = words(p.left_s)
    return f"{p.phase}: {count} {noun}" + (f" · {left}" if left else "")


class _StderrProgress:
    """Progress on stderr: a rewritten line on a terminal; otherwise (cron, a log
    file) each phase's first report and then at most one line per phase every
    15 seconds, so a long run leaves a short, steady log."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last_phase = ""
        self.last_draw = 0.0
        self.logged: dict[str, float] = {}
        self.unlogged: dict[str, str] = {}  # each phase's latest line not yet written

    def __call__(self, p: Progress) -> None:
        if p.phase == "waiting":
            click.echo("\r" + safe_text(f"waiting {p.waiting_s:.1f}s: {p.message}"), err=True)
            return
        text = safe_text(describe(p))  # messages may name Zoom's accounts
        now = time.monotonic()
        if self.tty:
            if p.phase != self.last_phase or now - self.last_draw > 0.1:
                click.echo("\r\x1b[2K" + text[:79], err=True, nl=False)
                self.last_draw = now
        else:
            if p.phase in ("saving", "done"):  # the phases' final totals first
                for line in self.unlogged.values():
                    click.echo(line, err=True)
                self.unlogged.clear()
            if now - self.logged.get(p.phase, -LOG_EVERY_S) >= LOG_EVERY_S:
                click.echo(text, err=True)
                self.logged[p.phase] = now
                self.unlogged.pop(p.phase, None)
            else:
                self.unlogged[p.phase] = text
        self.last_phase = p.phase

    def close(self) -> None:
        if self.tty:
            click.echo("\r\x1b[2K", err=True, nl=False)


def _not_due(ctx: AppContext, as_json: bool, quiet: bool) -> bool:
    """For ``--if-due``: say why nothing runs and return True, or return False to run."""
    settings = ctx.settings
    now = ctx.clock()
    interval = parse_interval(settings.schedule_interval)
    reason: str | None = None
    due_at = None
    if not settings.active:
        reason = "The configuration is not active (active = false); nothing to do."
    elif interval is None:
        reason = "Scheduling is off (schedule_interval = off); nothing to do."
    else:
        last = ctx.open_store().latest_complete_run()
        finished = last.finished_at if last else None
        due_at = next_due(finished, interval)
        if not is_due(finished, interval, now=now):
            when = f"{due_at:%Y-%m-%d %H:%M} UTC" if due_at else "never"
            reason = f"Not due yet: the next run is {describe_due(now, due_at)} ({when})."
    if reason is None:
        return False
    if as_json:
        payload: dict[str, Any] = {
            "run_id": None,
            "status": "not_due",
            "next_due": due_at.isoformat().replace("+00:00", "Z") if due_at else None,
            "message": reason,
        }
        click.echo(json.dumps(payload))
    if not quiet:
        click.echo(reason, err=True)
    return True


async def _run_with_signals(
    ctx: AppContext, full: bool, progress: Callable[[Progress], None] | None
) -> RunResult:
    """Run once; SIGINT and SIGTERM cancel the run cleanly instead of killing it."""
    cancel = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, cancel.set)
    try:
        return await aggregate(ctx, full=full, progress=progress, cancel=cancel)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


@click.command(
    "aggregate",
    epilog="Exit codes: 0 complete, 1 failed, 3 partial (e.g. Zoom's daily limit), "
    "4 another aggregation is running on this database, 130 cancelled (Ctrl-C, SIGTERM).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout.")
@click.option("--if-due", is_flag=True, help="Run only when the schedule interval has passed.")
@click.option("--full", is_flag=True, help="Re-read every user's settings, not only stale ones.")
@click.option("--quiet", "-q", is_flag=True, help="No progress or not-due note on stderr.")
@click.option(
    "--all-profiles",
    is_flag=True,
    help="Every active profile at once (each account has its own rate limits); "
    "exit code = the worst outcome.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="With --all-profiles: worker processes sharing the profiles (default: one per "
    "5 profiles, at most one per CPU core and 8; 1 runs them all in this process).",
)
@db_option
@cli_errors
def aggregate_cmd(
    as_json: bool,
    if_due: bool,
    full: bool,
    quiet: bool,
    all_profiles: bool,
    workers: int | None,
    db: str | None,
) -> None:
    """Pull users, plans, add-ons, seats and sign-ins into a new run."""
    if all_profiles:
        if db:
            raise click.UsageError("--all-profiles uses each profile's own history, not --db.")
        from zoomtui.commands.profiles import aggregate_all_profiles

        aggregate_all_profiles(as_json, if_due, full, quiet, workers)
    if workers is not None:
        raise click.UsageError("--workers goes with --all-profiles.")
    ctx = context_from_env(db)
    if if_due and _not_due(ctx, as_json, quiet):
        sys.exit(0)
    progress = None if quiet else _StderrProgress()
    try:
        result = asyncio.run(_run_with_signals(ctx, full, progress))
    finally:
        if progress is not None:
            progress.close()
        ctx.close()
    if as_json:
        click.echo(to_json(result.to_json()))
    else:
        click.echo(
            f"Run {result.run_id}: {result.status}, {result.users} users (active or pending)"
        )
        for status, n in sorted(result.by_status.items()):  # per account listing
            say(f"  {status_word(status):<12} {n:>8}")
        for key, note in sorted(result.notes.items()):  # notes quote Zoom's errors
            say(f"  note: {key}: {note}")
    if result.error:
        say(result.error, err=True)
    sys.exit(EXIT.get(result.status, 1))


COMMANDS: list[click.Command] = [test_connection_cmd, aggregate_cmd]
