"""``zoomtui profiles`` and ``zoomtui summary``: several Zoom accounts side by side."""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import Any

import click

from zoomtui.commands.common import cli_errors, emit, format_option, say, to_json
from zoomtui.services import all_profiles
from zoomtui.services import profiles as svc

PROFILE_TABLE = ["profile", "account_id", "active", "last_complete_run", "finished_at", "next_due"]
SUMMARY_COLUMNS = svc.SUMMARY_COLUMNS
# Worst first: the exit code of ``aggregate --all-profiles`` is the worst outcome's.
SEVERITY = {"error": 1, "failed": 1, "interrupted": 1, "cancelled": 130, "locked": 4,
            "partial": 3, "complete": 0, "not_due": 0, "inactive": 0,
            "not_configured": 0}  # fmt: skip


@click.group("profiles", invoke_without_command=True)
@format_option("table", "json")
@click.pass_context
@cli_errors
def profiles_cmd(ctx: click.Context, fmt: str) -> None:
    """List the profiles (one Zoom account each), or add, rename and remove them."""
    if ctx.invoked_subcommand is not None:
        return
    emit(svc.listing(), fmt, PROFILE_TABLE if fmt != "json" else None)


@profiles_cmd.command("add")
@click.argument("name")
@cli_errors
def add_cmd(name: str) -> None:
    """Create an empty profile; fill it with `zoomtui --profile NAME config set ...`."""
    profile = svc.add(name)
    click.echo(f"Created profile {name!r} ({profile.config}).", err=True)


@profiles_cmd.command("rename")
@click.argument("old")
@click.argument("new")
@cli_errors
def rename_cmd(old: str, new: str) -> None:
    """Give a named profile (settings and history) a new name."""
    svc.rename(old, new)
    click.echo(f"Renamed profile {old!r} to {new!r}.", err=True)


@profiles_cmd.command("remove")
@click.argument("name")
@click.option("--delete-history", is_flag=True, help="Delete its run history too.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask.")
@cli_errors
def remove_cmd(name: str, delete_history: bool, yes: bool) -> None:
    """Remove a named profile's settings (its history stays unless --delete-history)."""
    svc.checked(name)
    what = "settings and run history" if delete_history else "settings (the history stays)"
    if not yes:
        click.confirm(f"Remove profile {name!r}: its {what}?", abort=True, err=True)
    kept = svc.remove(name, delete_history=delete_history)
    note = f"; its history stays in {kept}" if kept else ""
    click.echo(f"Removed profile {name!r}{note}.", err=True)


@click.command("summary")
@format_option()
@cli_errors
def summary_cmd(fmt: str) -> None:
    """Every profile's latest complete run side by side, with a total line in the table."""
    records = svc.summary()
    if fmt == "table":
        total = svc.summary_total(records)
        shown = [{k: ("" if v is None else v) for k, v in r.items()} for r in [*records, total]]
        emit(shown, fmt, SUMMARY_COLUMNS)
    else:
        emit(records, fmt, SUMMARY_COLUMNS if fmt == "csv" else None)


def aggregate_all_profiles(
    as_json: bool, if_due: bool, full: bool, quiet: bool, workers: int | None = None
) -> None:
    """``aggregate --all-profiles``: every active profile at once; exit with the worst outcome."""

    def report(name: str, progress: Any) -> None:
        if not quiet and progress.phase in ("done",):
            say(f"{name}: {progress.message}", err=True)  # may quote Zoom

    async def run() -> list[svc.ProfileOutcome]:
        cancel = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, cancel.set)
        try:
            return await all_profiles.aggregate_all(
                if_due=if_due, full=full, cancel=cancel, report=report, workers=workers
            )
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)

    outcomes = asyncio.run(run())
    if as_json:
        click.echo(
            to_json([{"profile": o.profile, "status": o.status, "message": o.message, **o.result}
                     for o in outcomes])
        )  # fmt: skip
    elif not quiet:
        for o in outcomes:
            users = o.result.get("users")
            counted = f", {users} users" if users is not None else ""
            click.echo(f"{o.profile}: {o.status}{counted}")
    for o in outcomes:
        if o.message and SEVERITY.get(o.status, 1):
            say(f"{o.profile}: {o.message}", err=True)  # Zoom's error text
    worst = max((SEVERITY.get(o.status, 1) for o in outcomes), default=0, key=_rank)
    sys.exit(worst)


def _rank(code: int) -> int:
    """Order exit codes by how bad they are: 130 > 1 > 4 > 3 > 0."""
    return {0: 0, 3: 1, 4: 2, 1: 3, 130: 4}.get(code, 3)


COMMANDS: list[click.Command] = [profiles_cmd, summary_cmd]
