"""``reclaim plan|apply|journal|undo``: act on an audit, safely (docs/reclaim.md).

Nothing is written to Zoom without a reviewed plan and a confirmation; a
script confirms with ``--yes`` because a prompt cannot be answered from cron.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import click

from zoomtui.commands.common import cli_errors, db_option, emit, fail, format_option, say
from zoomtui.services.context import AppContext, context_from_env
from zoomtui.services.reclaim.actions import parse_action
from zoomtui.services.reclaim.apply import apply_plan
from zoomtui.services.reclaim.journal import COLUMNS, journal_rows
from zoomtui.services.reclaim.plan import (
    build_plan,
    load_plan,
    plan_document,
    read_plan_document,
    verify_plan_file,
)
from zoomtui.services.reclaim.undo import parse_target, undo, undo_targets
from zoomtui.services.seats import DEFINITIONS
from zoomtui.services.users import MAX_DAYS

PLAN_TABLE = ["item_id", "email", "action", "last_login", "days_idle", "hosted", "saving"]
OUTCOME_TABLE = ["item_id", "email", "action", "result", "reason"]
JOURNAL_TABLE = ["journal_id", "plan_id", "kind", "email", "change", "state", "message"]
NOT_A_TERMINAL = (
    "Refusing to change licences without a confirmation: stdin is not a terminal, "
    "so pass --yes to confirm."
)


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _confirm(question: str, yes: bool) -> None:
    """Ask on a terminal; without one, only ``--yes`` goes ahead."""
    if yes:
        return
    if not sys.stdin.isatty():
        fail(NOT_A_TERMINAL, 2)
    if not click.confirm(question, default=False):
        fail("Nothing was changed.", 1)


@click.group("reclaim")
def reclaim_group() -> None:
    """Take back unused licences: plan, apply (re-checked live), journal, undo."""


@reclaim_group.command("plan")
@click.option("--idle-days", type=click.IntRange(0, MAX_DAYS), help="Idle threshold in days.")
@click.option(
    "--action",
    "action_text",
    default="downgrade",
    show_default=True,
    help="downgrade | deactivate | remove-addon:NAME | revoke-invitation",
)
@click.option("--definition", type=click.Choice(DEFINITIONS), default="idle", show_default=True)
@format_option("table", "json")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the plan file here.")
@db_option
@cli_errors
def plan_cmd(
    idle_days: int | None,
    action_text: str,
    definition: str,
    fmt: str,
    output: str | None,
    db: str | None,
) -> None:
    """Build a plan from the latest complete run; nothing is written to Zoom."""
    action = parse_action(action_text)
    ctx = context_from_env(db)
    plan = build_plan(ctx, action, idle_days, definition)
    document = plan_document(plan)
    if output:
        Path(output).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    if fmt == "json":
        emit(document, "json")
        return
    rows = [
        {
            "item_id": i["item_id"],
            "email": i["email"],
            "action": i["action"] + (f":{i['addon']}" if i["addon"] else ""),
            "last_login": (i["before"]["last_login_time"] or "never")[:10],
            "days_idle": i["reason"]["days_inactive"],
            "hosted": i["reason"]["last_hosted_month"] or "—",
            "saving": _money(i["saving"]),
        }
        for i in document["items"]
    ]
    emit(rows, "table", PLAN_TABLE)
    say(
        f"Plan P{plan['id']} from run {plan['run_id']}: {len(rows)} users, "
        f"yearly saving {_money(plan['yearly_saving'])}; {len(plan['excluded'])} excluded "
        f"by reclaim_exclude. {plan['undo_note']}"
    )
    where = output or "FILE"
    say(
        f"Review it, then: zoomtui reclaim apply {where}"
        + ("" if output else " (write it with -o)")
    )


@reclaim_group.command("apply")
@click.argument("plan_file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Confirm without asking (for scripts).")
@click.option("--dry-run", is_flag=True, help="Check every item live; write nothing.")
@format_option("table", "json")
@db_option
@cli_errors
def apply_cmd(plan_file: str, yes: bool, dry_run: bool, fmt: str, db: str | None) -> None:
    """Apply a plan file: each user is re-read live right before the change."""
    plan_id, kept, doc = read_plan_document(Path(plan_file))
    ctx = context_from_env(db)
    plan = load_plan(ctx, plan_id)
    verify_plan_file(Path(plan_file), doc, plan)
    items = [i for i in plan["items"] if i["id"] in kept and i["state"] != "done"]
    saving = sum(i["saving"] for i in items)
    if not dry_run:
        _confirm(
            f"Apply P{plan_id} ({plan['action']}) to {len(items)} users, yearly saving "
            f"{_money(saving)}? Each user is re-checked first. {plan['undo_note']}",
            yes,
        )
    result = asyncio.run(apply_plan(ctx, plan_id, kept, dry_run=dry_run))
    _report(result, fmt, ctx)
    sys.exit(1 if result["failed"] else 0)


def _report(result: dict[str, Any], fmt: str, ctx: AppContext) -> None:
    if fmt == "json":
        emit(result, "json")
        return
    emit(result["outcomes"], "table", OUTCOME_TABLE)
    if result["dry_run"]:
        outcomes = result["outcomes"]
        go = sum(o["result"] == "would apply" for o in outcomes)
        say(
            f"P{result['plan_id']} (dry run, nothing written): {go} would be applied, "
            f"{sum(o['result'] == 'would skip' for o in outcomes)} would be skipped."
        )
        return
    say(
        f"P{result['plan_id']}: {result['done']} done, {result['skipped']} skipped, "
        f"{result['failed']} failed; yearly saving {_money(result['yearly_saving'])}. "
        "`zoomtui reclaim journal` shows every change."
    )


@reclaim_group.command("journal")
@click.option("--plan", "plan_id", type=int, help="Only this plan's changes.")
@format_option()
@db_option
@cli_errors
def journal_cmd(plan_id: int | None, fmt: str, db: str | None) -> None:
    """Every change sent to Zoom, written before and after with Zoom's answer."""
    ctx = context_from_env(db)
    rows = journal_rows(ctx, plan_id)
    emit(rows, fmt, JOURNAL_TABLE if fmt == "table" else list(COLUMNS))


@reclaim_group.command("undo")
@click.argument("target")
@click.option("--yes", is_flag=True, help="Confirm without asking (for scripts).")
@format_option("table", "json")
@db_option
@cli_errors
def undo_cmd(target: str, yes: bool, fmt: str, db: str | None) -> None:
    """Undo one change (J12) or a whole plan (P3) from the journal."""
    kind, number = parse_target(target)
    ctx = context_from_env(db)
    targets = undo_targets(ctx, kind, number)
    if not targets:
        say("Nothing to undo: no applied change that is not undone already.")
        return
    _confirm(f"Undo {len(targets)} change(s) of {target}?", yes)
    result = asyncio.run(undo(ctx, kind, number))
    if fmt == "json":
        emit(result, "json")
    else:
        emit(result["outcomes"], "table", ["journal_id", "email", "action", "result", "reason"])
        say(f"{result['restored']} restored.")
    sys.exit(1 if any(o["result"] == "failed" for o in result["outcomes"]) else 0)


COMMANDS: list[click.Command] = [reclaim_group]
