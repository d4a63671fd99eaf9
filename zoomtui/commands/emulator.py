"""``zoomtui emulator``: serve the Zoom API emulator on loopback for demos, tests and benchmarks."""

from __future__ import annotations

import sys
from datetime import timedelta

import click

from zoomtui.clock import utcnow


def _scopes(raw: str | None) -> frozenset[str]:
    return frozenset(s for s in (raw or "").replace(",", " ").split() if s)


@click.command("emulator")
@click.option("--host", default="127.0.0.1", show_default=True, help="Loopback address.")
@click.option(
    "--port",
    default=0,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="TCP port; 0 picks a free one.",
)
@click.option(
    "--users",
    default=1000,
    show_default=True,
    type=click.IntRange(1, 2_000_000),
    help="Approximate number of users across all accounts.",
)
@click.option("--seed", default=1, show_default=True, type=int, help="Dataset seed.")
@click.option(
    "--tier",
    default="pro",
    show_default=True,
    type=click.Choice(["free", "pro", "business"]),
    help="Zoom rate-limit tier the emulated account has (whatever tier clients assume).",
)
@click.option(
    "--rate-scale",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0.001),
    help="Multiply every per-second rate limit.",
)
@click.option(
    "--shared-quota",
    default=0.0,
    show_default=True,
    type=click.FloatRange(0.0, 1.0, max_open=True),
    help="Fraction of each per-second limit another app of the account uses.",
)
@click.option(
    "--no-limit-headers",
    is_flag=True,
    help="Leave X-RateLimit-* headers off successful replies (Zoom does not promise them).",
)
@click.option(
    "--oplog-miss",
    default=0.0,
    show_default=True,
    type=click.FloatRange(0.0, 1.0),
    help="Share of admin operations the operation logs report leaves out (tests the "
    "fallback when hints are missing).",
)
@click.option("--no-rate-limits", is_flag=True, help="Never answer 429 on its own.")
@click.option("--daily-limits", is_flag=True, help="Also enforce Zoom's daily quotas.")
@click.option(
    "--latency-ms",
    default=0.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Delay added to every response.",
)
@click.option(
    "--faults",
    default="",
    metavar="SPEC",
    help="Faults to inject: KIND[:GLOB][@PROB|#N,N];... e.g. '5xx:/users*@0.05'; "
    "hostile-peer kinds such as 'short_listing:*/users' send what Zoom never would.",
)
@click.option(
    "--scopes",
    default=None,
    metavar="SCOPES",
    help="Scopes granted to tokens (space or comma separated); default: all needed.",
)
@click.option(
    "--advance-days",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Serve the account as it is this many days after generation.",
)
@click.option(
    "--hostile",
    is_flag=True,
    help="Every third user's names, department and e-mail carry terminal escape "
    "sequences, bidi overrides and markup (for security testing).",
)
@click.option(
    "--self-paid-subs",
    is_flag=True,
    help="Sub accounts pay their own bill: Zoom refuses their plan usage (code 2100).",
)
@click.option(
    "--report-history-days",
    default=0,
    show_default=True,
    type=click.IntRange(min=0),
    help="Reports reach back this many days (Zoom leaves it undocumented; 0: six "
    "calendar months, 180 the stricter reading).",
)
@click.option(
    "--jwt",
    "jwt_enabled",
    is_flag=True,
    help="Accept legacy JWT tokens signed with the demo API secret.",
)
def emulator(
    host: str, port: int, users: int, seed: int, tier: str, rate_scale: float,
    shared_quota: float, no_limit_headers: bool, oplog_miss: float, no_rate_limits: bool,
    daily_limits: bool,
    latency_ms: float, faults: str,
    scopes: str | None, advance_days: int, hostile: bool, self_paid_subs: bool,
    report_history_days: int, jwt_enabled: bool,
) -> None:  # fmt: skip
    """Serve an emulated Zoom account on loopback and print its URLs and demo credentials."""
    from zoomtui.emulator import DEMO_CREDENTIALS, Dataset, Emulator, EmulatorConfig
    from zoomtui.emulator.faults import parse_faults
    from zoomtui.emulator.server import LoopbackServer, is_loopback, serve

    if not is_loopback(host):
        raise click.ClickException(
            f"Refusing to serve on {host}: the emulator only listens on loopback addresses "
            "such as 127.0.0.1, ::1 or localhost."
        )
    try:
        fault_list = parse_faults(faults)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--faults") from None
    from zoomtui.emulator.auth import ALL_SCOPES

    config = EmulatorConfig(
        tier=tier, latency_ms=latency_ms, faults=fault_list, rate_scale=rate_scale,
        shared_quota=shared_quota, limit_headers=not no_limit_headers, oplog_miss=oplog_miss,
        rate_limits=not no_rate_limits, daily_limits=daily_limits, jwt_enabled=jwt_enabled,
        fault_seed=seed, scopes=_scopes(scopes) or ALL_SCOPES, self_paid_subs=self_paid_subs,
        report_history_days=report_history_days,
    )  # fmt: skip
    start = utcnow().replace(microsecond=0) - timedelta(days=advance_days)
    dataset = Dataset.generate(users=users, seed=seed, start=start, hostile=hostile)
    if advance_days:
        dataset = dataset.advance(advance_days)
    creds = DEMO_CREDENTIALS

    def ready(server: LoopbackServer) -> None:
        note = " (hostile names)" if hostile else ""
        click.echo(f"Zoom API emulator: {len(dataset)} users, seed {seed}, tier {tier}{note}")
        click.echo(f"API URL:        {server.url}/v2")
        click.echo(f"OAuth URL:      {server.url}/oauth/token")
        click.echo(f"Account ID:     {creds.account_id}")
        click.echo(f"Client ID:      {creds.client_id}")
        click.echo(f"Client secret:  {creds.client_secret}  (public demo value)")
        click.echo("Press Ctrl-C to stop.")
        sys.stdout.flush()

    try:
        serve(Emulator(dataset, config), host, port, on_ready=ready)
    except KeyboardInterrupt:
        click.echo("Emulator stopped.", err=True)
    except OSError as exc:
        raise click.ClickException(f"Cannot listen on {host}:{port}: {exc.strerror}.") from None


COMMANDS: list[click.Command] = [emulator]
