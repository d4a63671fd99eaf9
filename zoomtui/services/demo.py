"""The offline demo: an in-process emulator and a demo database with a history of runs."""

from __future__ import annotations

import asyncio
import time
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


def demo_settings(api_url: str = "", oauth_url: str = "", base: Settings | None = None) -> Settings:
    """The emulator's public demo credentials at its URLs (default: the in-process one).

    Display preferences come from ``base`` (the operator's settings file) so the demo
    behaves like the real thing: the same keymap, theme, price per seat and idle days.
    """
    from zoomtui.emulator import API_URL, DEMO_CREDENTIALS, OAUTH_URL

    defaults = Settings()
    start = (base or defaults).updated(**{k: getattr(defaults, k) for k in CONNECTION_KEYS})
    return start.updated(
        auth="s2s",
        account_id=DEMO_CREDENTIALS.account_id,
        client_id=DEMO_CREDENTIALS.client_id,
        client_secret=DEMO_CREDENTIALS.client_secret,
        region="custom",
        api_url=api_url or API_URL,
        oauth_url=oauth_url or OAUTH_URL,
    )


def demo_context(
    db_path: Path | None = None,
    clock: Clock = utcnow,
    users: int = DEMO_USERS,
    fill: bool = True,
    *,
    hostile: bool = False,
    settings: Settings | None = None,
) -> AppContext:
    """A context on the demo account; the first use fills the database with past runs.

    The emulator starts ``DEMO_RUNS`` weeks in the past and moves forward a week
    between runs, so trends and diffs mean something on first start. Inside a
    running event loop pass ``fill=False`` and await :func:`fill_demo_history`.
    ``hostile`` serves users whose names carry escape sequences and markup (tests).
    """
    from zoomtui.emulator import Dataset, Emulator, EmulatorConfig

    now = clock()
    start = now - timedelta(days=DEMO_STEP_DAYS * (DEMO_RUNS - 1))
    emulator = Emulator(
        Dataset.generate(users=users, seed=DEMO_SEED, start=start, hostile=hostile),
        EmulatorConfig(rate_scale=DEMO_RATE_SCALE),
        clock=lambda: demo_now(),
    )
    started = time.monotonic()

    def demo_now() -> datetime:
        """The emulated account's time, moving on in real time between its steps."""
        return emulator.dataset.now + timedelta(seconds=time.monotonic() - started)

    ctx = AppContext(
        settings=demo_settings(base=settings),
        db_path=db_path or paths.demo_database_file(),
        clock=demo_now,
        transport=emulator.transport(),
        emulator=emulator,
        demo=True,
        client_options={"rate_scale": DEMO_RATE_SCALE},
    )
    if fill:
        asyncio.run(fill_demo_history(ctx))
    return ctx


async def fill_demo_history(ctx: AppContext) -> None:
    """Run the demo's past aggregations once; on later starts only move the emulator forward."""
    history_exists = bool(ctx.open_store().complete_runs())
    for step in range(DEMO_RUNS):
        if step:
            ctx.emulator.advance(DEMO_STEP_DAYS)
        if not history_exists:
            await aggregate(ctx)
