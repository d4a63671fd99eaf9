"""``runs``, ``users``, ``diff`` and ``seats``: read the local history, never the network."""

from __future__ import annotations

from typing import Any

import click

from zoomtui.commands.common import cli_errors, db_option, emit, format_option, say, to_json
from zoomtui.licences import addon_filter_tokens, status_word, tokens_of
from zoomtui.services.context import AppContext, ServiceError, context_from_env
from zoomtui.services.diff import diff_runs
from zoomtui.services.runs import list_runs
from zoomtui.services.seats import seat_report
from zoomtui.services.users import MAX_DAYS, SORT_KEYS, UserFilter, filter_options, query_users

USER_COLUMNS = [
    "id",
    "email",
    "first_name",
    "last_name",
    "status",
    "type",
    "plan",
    "dept",
    "account_id",
    "last_login_time",
    "last_sign_in",
    "addons",
    "addon_capacities",
    "meetings_hosted_in",
    "days_inactive",
    "last_hosted_month",
    "hosting_since",
    "meetings_last_n_days",
    "meeting_minutes_last_n_days",
    "needs_licence",
]
USER_TABLE = ["email", "status", "plan", "dept", "days_idle", "addons"]
RUN_COLUMNS = ["id", "status", "started_at", "finished_at", "users"]
SEAT_COLUMNS = [
    "account_id", "plan", "type", "type_label", "purchased", "assigned", "pending", "free",
    "over_assigned",
]  # fmt: skip
SEAT_TABLE = [
    "account_name", "plan", "type_label", "purchased", "assigned", "pending", "free",
    "over_assigned",
]  # fmt: skip


def _columns_option(available: list[str], default: list[str]) -> Any:
    """``--columns a,b,c``: which columns the table and CSV show, in that order."""

    def parse(_ctx: Any, _param: Any, value: str | None) -> list[str] | None:
        if not value:
            return None
        names = [name.strip() for name in value.split(",") if name.strip()]
        unknown = [name for name in names if name not in available]
        if unknown or not names:
            raise click.BadParameter(
                f"unknown column {', '.join(map(repr, unknown)) or '(none given)'}; "
                f"choose from {', '.join(available)}."
            )
        return names

    return click.option(
        "--columns",
        callback=parse,
        help=f"Comma-separated columns of the table and CSV (table default: {','.join(default)}).",
    )


@click.command("runs")
@format_option()
@db_option
@cli_errors
def runs_cmd(fmt: str, db: str | None) -> None:
    """List every run with its status."""
    ctx = context_from_env(db, existing=True)
    records = list_runs(ctx)
    emit(records, fmt, RUN_COLUMNS if fmt != "json" else None)


@click.command("users")
@click.option("--run", "run_id", type=int, help="Run id (default: the latest complete run).")
@click.option(
    "--plan",
    "plans",
    multiple=True,
    help="Basic, Licensed, On-prem, Unassigned, None or 'Type N'; repeat for several.",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(["active", "pending", "deactivated", "inactive"]),
    help="active, pending or deactivated (Zoom's 'inactive', also accepted); "
    "repeat for several. Default: active and pending.",
)
@click.option(
    "--addon",
    "addons",
    multiple=True,
    help="Add-on name, e.g. webinar (any capacity) or webinar:1000 (one capacity); "
    "repeat to match any of several.",
)
@click.option("--account", help="Account id (main or sub account).")
@click.option("--dept", help="Department, exact match.")
@click.option(
    "--inactive-days",
    "--idle-days",
    "inactive_days",
    type=click.IntRange(0, MAX_DAYS),
    help="Idle: no login, no sign-in and not created in the last N days.",
)
@click.option("--never-logged-in", is_flag=True, help="Only users who never logged in.")
@click.option(
    "--not-hosted-days",
    type=click.IntRange(0, MAX_DAYS),
    help="Hosted no meeting in the calendar months overlapping the last N days.",
)
@click.option(
    "--hosted-minutes-below",
    type=click.IntRange(min=0),
    help="Hosted fewer than M meeting minutes in those months (N: --not-hosted-days, "
    "else the inactive_days setting).",
)
@click.option("--search", default="", help="Text in email or name (case-insensitive).")
@click.option("--sort", type=click.Choice(SORT_KEYS), default="email", show_default=True)
@click.option("--desc", is_flag=True, help="Sort descending.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many users.")
@_columns_option([*USER_COLUMNS, "days_idle"], USER_TABLE)
@format_option()
@db_option
@cli_errors
def users_cmd(
    run_id: int | None,
    statuses: tuple[str, ...],
    sort: str,
    desc: bool,
    limit: int | None,
    columns: list[str] | None,
    fmt: str,
    db: str | None,
    **filters: Any,
) -> None:
    """List the users of a run, filtered. The e-mail is never cut in the table."""
    ctx = context_from_env(db, existing=True)
    # The other options are named as UserFilter's fields (zoomtui/filters.py): no copy here.
    flt = UserFilter(statuses=statuses or ("active", "pending"), **filters)
    _check_present(ctx, flt, run_id)
    page = query_users(ctx, flt, run_id=run_id, sort=sort, descending=desc, limit=limit)
    rows = page.rows
    if fmt == "table":  # in the product's words: "deactivated", add-ons with capacity
        rows = [
            {
                **r,
                "status": status_word(r["status"]),
                "days_idle": r["days_inactive"],
                "addons": tokens_of(r["addons"], r["addon_capacities"]),
            }
            for r in rows
        ]
    default = USER_COLUMNS if fmt == "csv" else USER_TABLE if fmt == "table" else None
    emit(rows, fmt, columns if columns and fmt != "json" else default, keep=["email"])
    if fmt == "table":
        shown = ", ".join(status_word(x) for x in flt.validated().statuses)
        click.echo(f"{page.total} users (run {page.run_id}; {shown})", err=True)


def _check_present(ctx: AppContext, flt: UserFilter, run_id: int | None) -> None:
    """Refuse an add-on or account that the run does not have (exit 2), listing those it has.

    Why: a typo such as ``--addon webinr`` otherwise prints an empty list, which reads as
    "nobody has it". The TUI offers only present values, so only the CLI checks.
    """
    if not flt.addons and flt.account is None:
        return
    present = filter_options(ctx, run_id)
    known_addons = present.get("addons", [])
    for addon in flt.addons:
        token = (addon_filter_tokens(addon) or (addon.strip().lower(), False))[0]
        if token not in known_addons:
            raise ServiceError(
                f"Unknown add-on {addon!r}: no user of this run has it; add-ons in it: "
                f"{', '.join(known_addons) or 'none'} (one per --addon).",
                exit_code=2,
            )
    accounts = present.get("accounts", [])
    if flt.account is not None and flt.account not in accounts:
        raise ServiceError(
            f"Unknown account {flt.account!r}: no user of this run is in it; accounts in it: "
            f"{', '.join(accounts) or 'none'}.",
            exit_code=2,
        )


@click.command("diff")
@click.argument("run_a", type=int, required=False)
@click.argument("run_b", type=int, required=False)
@click.option(
    "--inactive-days",
    "--idle-days",
    "inactive_days",
    type=click.IntRange(0, MAX_DAYS),
    help="Idle threshold in days (default: the inactive_days setting).",
)
@format_option("table", "json")
@db_option
@cli_errors
def diff_cmd(
    run_a: int | None, run_b: int | None, inactive_days: int | None, fmt: str, db: str | None
) -> None:
    """Compare two runs (default: the two latest complete runs)."""
    ctx = context_from_env(db, existing=True)
    result = diff_runs(ctx, run_a, run_b, inactive_days)
    if fmt == "json":
        click.echo(to_json(result))
        return
    click.echo(
        f"Run {result.from_run} → {result.to_run}: {len(result.added)} added, "
        f"{len(result.removed)} removed, {len(result.changed)} changed"
    )
    if not (result.added or result.removed or result.changed):
        click.echo("No changes between these runs.")
    # every line quotes Zoom (addresses, departments): say() shows controls as placeholders
    for user in result.added:
        say(f"+ {user['email']}  {user['plan']}  {status_word(user['status'])}")
    for user in result.removed:
        say(f"- {user['email']}  {user['plan']}  {status_word(user['status'])}")
    for change in result.changed:
        fields = "; ".join(
            f"{name}: {_short(before, name)} → {_short(after, name)}"
            for name, (before, after) in sorted(change.changes.items())
        )
        say(f"~ {change.email}  {fields}")


def _short(value: Any, name: str = "") -> str:
    """A changed value in the TUI's words: ``yes``/``no``, lists joined, — for nothing."""
    if name == "status":
        return status_word(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "—"
    return "—" if value is None or value == "" else str(value)


@click.command("seats")
@click.option("--run", "run_id", type=int, help="Run id (default: the latest complete run).")
@_columns_option([*SEAT_COLUMNS, "account_name"], SEAT_TABLE)
@format_option()
@db_option
@cli_errors
def seats_cmd(run_id: int | None, columns: list[str] | None, fmt: str, db: str | None) -> None:
    """Seat counts per account and plan. The account name is never cut in the table."""
    ctx = context_from_env(db, existing=True)
    records = [seat.as_dict() for seat in seat_report(ctx, run_id)]
    if fmt == "table":
        records = [{**r, "plan": str(r["plan"]).removeprefix("plan_")} for r in records]
    default = {"table": SEAT_TABLE, "csv": [*SEAT_COLUMNS, "account_name"]}.get(fmt)
    emit(records, fmt, columns if columns and fmt != "json" else default, keep=["account_name"])


COMMANDS: list[click.Command] = [runs_cmd, users_cmd, diff_cmd, seats_cmd]
