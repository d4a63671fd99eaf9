"""``runs``, ``users``, ``diff`` and ``seats``: read the local history, never the network."""

from __future__ import annotations

import json
from typing import Any

import click

from zoomtui.commands.common import cli_errors, db_option, emit
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
    "days_inactive",
]
USER_TABLE = ["email", "status", "plan", "dept", "days_inactive", "addons"]
RUN_COLUMNS = ["id", "status", "started_at", "finished_at", "users"]
SEAT_COLUMNS = ["account_id", "plan", "type", "purchased", "assigned", "pending", "free"]
SEAT_TABLE = ["account_name", "plan", "type", "purchased", "assigned", "pending", "free"]


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


def _format(choices: tuple[str, ...] = ("table", "json", "csv")) -> Any:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default="table",
        show_default=True,
        help="Output format.",
    )


@click.command("runs")
@_format()
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
    type=click.Choice(["active", "pending", "inactive"]),
    help="active, pending or inactive (= deactivated); repeat for several. "
    "Default: active and pending.",
)
@click.option(
    "--addon",
    "addons",
    multiple=True,
    help="Add-on name, e.g. webinar or large_meeting; repeat to match any of several.",
)
@click.option("--account", help="Account id (main or sub account).")
@click.option("--dept", help="Department, exact match.")
@click.option(
    "--inactive-days",
    type=click.IntRange(0, MAX_DAYS),
    help="No activity for N days, or never.",
)
@click.option("--never-logged-in", is_flag=True, help="Only users who never logged in.")
@click.option("--search", default="", help="Text in email or name (case-insensitive).")
@click.option("--sort", type=click.Choice(SORT_KEYS), default="email", show_default=True)
@click.option("--desc", is_flag=True, help="Sort descending.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many users.")
@_columns_option(USER_COLUMNS, USER_TABLE)
@_format()
@db_option
@cli_errors
def users_cmd(
    run_id: int | None,
    plans: tuple[str, ...],
    statuses: tuple[str, ...],
    addons: tuple[str, ...],
    account: str | None,
    dept: str | None,
    inactive_days: int | None,
    never_logged_in: bool,
    search: str,
    sort: str,
    desc: bool,
    limit: int | None,
    columns: list[str] | None,
    fmt: str,
    db: str | None,
) -> None:
    """List the users of a run, filtered. The e-mail is never cut in the table."""
    ctx = context_from_env(db, existing=True)
    flt = UserFilter(
        plans=plans,
        statuses=statuses or ("active", "pending"),
        addons=addons,
        account=account,
        dept=dept,
        inactive_days=inactive_days,
        never_logged_in=never_logged_in,
        search=search,
    )
    _check_present(ctx, flt, run_id)
    page = query_users(ctx, flt, run_id=run_id, sort=sort, descending=desc, limit=limit)
    default = USER_COLUMNS if fmt == "csv" else USER_TABLE if fmt == "table" else None
    emit(page.rows, fmt, columns if columns and fmt != "json" else default, keep=["email"])
    if fmt == "table":
        click.echo(f"{page.total} users (run {page.run_id})", err=True)


def _check_present(ctx: AppContext, flt: UserFilter, run_id: int | None) -> None:
    """Refuse an add-on or account that the run does not have (exit 2), listing those it has.

    Why: a typo such as ``--addon webinr`` otherwise prints an empty list, which reads as
    "nobody has it". The TUI offers only present values, so only the CLI checks.
    """
    if not flt.addons and flt.account is None:
        return
    present = filter_options(ctx, run_id)
    wanted = flt.validated()
    for name, given, known in (
        ("add-on", wanted.addons, present.get("addons", [])),
        ("account", (flt.account,) if flt.account is not None else (), present.get("accounts", [])),
    ):
        for value in given:
            if value not in known:
                listed = ", ".join(known) or "none"
                raise ServiceError(
                    f"No user of this run has the {name} {value!r}; {name}s in it: {listed}.",
                    exit_code=2,
                )


@click.command("diff")
@click.argument("run_a", type=int, required=False)
@click.argument("run_b", type=int, required=False)
@click.option(
    "--inactive-days",
    type=click.IntRange(0, MAX_DAYS),
    help="Inactivity threshold (default: the inactive_days setting).",
)
@_format(("table", "json"))
@db_option
@cli_errors
def diff_cmd(
    run_a: int | None, run_b: int | None, inactive_days: int | None, fmt: str, db: str | None
) -> None:
    """Compare two runs (default: the two latest complete runs)."""
    ctx = context_from_env(db, existing=True)
    result = diff_runs(ctx, run_a, run_b, inactive_days)
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    click.echo(
        f"Run {result['from_run']} → {result['to_run']}: {len(result['added'])} added, "
        f"{len(result['removed'])} removed, {len(result['changed'])} changed"
    )
    if not (result["added"] or result["removed"] or result["changed"]):
        click.echo("No changes between these runs.")
    for user in result["added"]:
        click.echo(f"+ {user['email']}  {user['plan']}  {user['status']}")
    for user in result["removed"]:
        click.echo(f"- {user['email']}  {user['plan']}  {user['status']}")
    for change in result["changed"]:
        fields = "; ".join(
            f"{name}: {_short(before)} → {_short(after)}"
            for name, (before, after) in sorted(change["changes"].items())
        )
        click.echo(f"~ {change['email']}  {fields}")


def _short(value: Any) -> str:
    """A changed value in the TUI's words: ``yes``/``no``, lists joined, — for nothing."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "—"
    return "—" if value is None or value == "" else str(value)


@click.command("seats")
@click.option("--run", "run_id", type=int, help="Run id (default: the latest complete run).")
@_columns_option([*SEAT_COLUMNS, "account_name"], SEAT_TABLE)
@_format()
@db_option
@cli_errors
def seats_cmd(run_id: int | None, columns: list[str] | None, fmt: str, db: str | None) -> None:
    """Seat counts per account and plan. The account name is never cut in the table."""
    ctx = context_from_env(db, existing=True)
    records = seat_report(ctx, run_id)
    if fmt == "table":
        records = [{**r, "plan": str(r["plan"]).removeprefix("plan_")} for r in records]
    default = {"table": SEAT_TABLE, "csv": [*SEAT_COLUMNS, "account_name"]}.get(fmt)
    emit(records, fmt, columns if columns and fmt != "json" else default, keep=["account_name"])


COMMANDS: list[click.Command] = [runs_cmd, users_cmd, diff_cmd, seats_cmd]
