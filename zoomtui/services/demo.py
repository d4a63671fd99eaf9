"""The offline demo: three emulated Zoom accounts, each with its own history of runs."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from zoomtui import paths
from zoomtui.clock import Clock, utcnow
from zoomtui.services.aggregate import aggregate
from zoomtui.services.context import AppContext
from zoomtui.settings import Settings

DEMO_USERS = 1200
DEMO_SEED = 2026
DEMO_RUNS = 6
DEMO_STEP_DAYS = 5
# The demo's emulator is in-process: Zoom's per-second limits would only make it slow.
DEMO_RATE_SCALE = 100.0


@dataclass(frozen=True)
class DemoAccount:
    """One of the demo's accounts: its profile name, Zoom account id, seed, tier and size."""

    name: str
    account_id: str
    seed: int
    tier: str
    users: int
    runs: int = DEMO_RUNS


DEMO_ACCOUNTS = (
    DemoAccount("acme", "demo-account", DEMO_SEED, "pro", DEMO_USERS),
    DemoAccount("globex", "demo-globex", 7, "business", 400, runs=3),
    DemoAccount("initech", "demo-initech", 42, "free", 150, runs=3),
)
"""Three accounts of different sizes, seeds and rate tiers, so Accounts and switching show
something offline; the first is the demo of earlier releases (same seed, same database).
Why smaller and fewer runs for the other two: the first start fills every history before
the app opens (bench/demo_start.py), and the README's first command should not wait long."""


CONNECTION_KEYS = frozenset(
    {
        "auth",
        "account_id",
        "client_id",
        "client_secret",
        "api_key",
        "api_secret",
        "region",
        "api_url",
        "oauth_url",
        "rate_tier",
        "active",
        "schedule_interval",
    }
)
"""What the demo decides for itself; the rest (keymap, theme, prices) is the operator's."""


def demo_settings(
    api_url: str = "",
    oauth_url: str = "",
    base: Settings | None = None,
    account: DemoAccount = DEMO_ACCOUNTS[0],
) -> Settings:
    """The emulator's public demo credentials at its URLs (default: the in-process one).

    Display preferences come from ``base`` (the operator's settings file) so the demo
    behaves like the real thing: the same keymap, theme, price per seat and idle days.
    """
    from zoomtui.emulator import API_URL, DEMO_CREDENTIALS, OAUTH_URL

    defaults = Settings()
    start = (base or defaults).updated(**{k: getattr(defaults, k) for k in CONNECTION_KEYS})
    return start.updated(
        auth="s2s",
        account_id=account.account_id,
        client_id=DEMO_CREDENTIALS.client_id,
        client_secret=DEMO_CREDENTIALS.client_secret,
        region="custom",
        api_url=api_url or API_URL,
        oauth_url=oauth_url or OAUTH_URL,
        rate_tier=account.tier,
    )


def demo_context(
    db_path: Path | None = None,
    clock: Clock = utcnow,
    users: int = DEMO_USERS,
    fill: bool = True,
    *,
    hostile: bool = False,
    settings: Settings | None = None,
    account: DemoAccount = DEMO_ACCOUNTS[0],
) -> AppContext:
    """A context on one demo account; the first use fills the database with past runs.

    The emulator starts ``account.runs`` steps in the past and moves forward a step
    between runs, so trends and diffs mean something on first start. Inside a
    running event loop pass ``fill=False`` and await :func:`fill_demo_history`.
    ``hostile`` serves users whose names carry escape sequences and markup (tests).
    """
    from zoomtui.emulator import Dataset, Emulator, EmulatorConfig
    from zoomtui.emulator.auth import EmulatorCredentials

    now = clock()
    start = now - timedelta(days=DEMO_STEP_DAYS * (account.runs - 1))
    dataset = Dataset.generate(
        users=users, seed=account.seed, start=start, account_id=account.account_id, hostile=hostile
    )
    emulator = Emulator(
        dataset,
        EmulatorConfig(
            rate_scale=DEMO_RATE_SCALE,
            tier=account.tier,
            credentials=EmulatorCredentials(account_id=account.account_id),
        ),
        clock=lambda: demo_now(),
    )
    started = time.monotonic()

    def demo_now() -> datetime:
        """The emulated account's time, moving on in real time between its steps."""
        return emulator.dataset.now + timedelta(seconds=time.monotonic() - started)

    ctx = AppContext(
        settings=demo_settings(base=settings, account=account),
        db_path=db_path or paths.demo_database_file(),
        clock=demo_now,
        transport=emulator.transport(),
        emulator=emulator,
        demo=True,
        client_options={"rate_scale": DEMO_RATE_SCALE},
        profile=account.name,
    )
    if fill:
        asyncio.run(fill_demo_history(ctx))
    return ctx


async def fill_demo_history(ctx: AppContext) -> None:
    """Run the demo's past aggregations once; on later starts only move the emulator forward."""
    history_exists = bool(ctx.open_store().complete_runs())
    runs = next((a.runs for a in DEMO_ACCOUNTS if a.name == ctx.profile), DEMO_RUNS)
    for step in range(runs):
        if step:
            ctx.emulator.advance(DEMO_STEP_DAYS)
        if not history_exists:
            await aggregate(ctx)


def demo_database_of(first: Path, account: DemoAccount) -> Path:
    """Where a demo account keeps its history: the first at ``first``, the others beside it."""
    if account == DEMO_ACCOUNTS[0]:
        return first
    return first.with_name(f"{first.stem}-{account.name}{first.suffix}")


def demo_contexts(
    db_path: Path | None = None,
    clock: Clock = utcnow,
    users: int | None = None,
    *,
    settings: Settings | None = None,
) -> dict[str, AppContext]:
    """Every demo account's context, keyed by profile name; histories not filled yet.

    ``users`` sizes the first account (tests use small ones); the others keep their
    proportion to it. Fill them with :func:`fill_demo_histories`.
    """
    first = db_path or paths.demo_database_file()
    out = {}
    for account in DEMO_ACCOUNTS:
        size = account.users if users is None else max(30, users * account.users // DEMO_USERS)
        out[account.name] = demo_context(
            demo_database_of(first, account),
            clock,
            size,
            fill=False,
            settings=settings,
            account=account,
        )
    return out


async def fill_demo_histories(contexts: dict[str, AppContext]) -> None:
    """Fill (or move forward) every demo account's history, one after the other.

    Why not at once: the emulators run in this process, so concurrent runs would only
    share the same core (and the same GIL) and finish no sooner.
    """
    for ctx in contexts.values():
        await fill_demo_history(ctx)
