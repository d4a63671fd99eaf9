"""Regenerate ``screenshots/`` from the offline demo at a fixed clock (never edit them by hand).

Usage: ``python scripts/screenshots.py [--out screenshots]``. The demo runs in a temporary
directory (config and database), so the real settings and history are never touched.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

FIXED_NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
WIDE = (120, 40)
NARROW = (80, 24)

Step = Callable[..., Awaitable[None]]


async def _nothing(pilot: object) -> None:
    return None


def _keys(*keys: str) -> Step:
    async def press(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press(*keys)

    return press


async def _filtered(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("f")
    await pilot.press("slash", *"kim", "enter")


async def _detail(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("down", "down", "enter")


async def _export(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("e")


async def _reclaim_journal(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("R")
    await pilot.pause()
    await pilot.press("down", "space", "a")
    await pilot.pause()
    await pilot.press("y")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("j")


# file name, start mode, size, steps
SHOTS: tuple[tuple[str, str, tuple[int, int], Step], ...] = (
    ("users", "users", WIDE, _nothing),
    ("users-80x24", "users", NARROW, _nothing),
    ("users-filtered", "users", WIDE, _filtered),
    ("user-detail", "users", WIDE, _detail),
    ("export", "users", WIDE, _export),
    ("runs", "runs", WIDE, _nothing),
    ("diff", "diff", WIDE, _nothing),
    ("seats", "seats", WIDE, _nothing),
    ("aggregate", "aggregate", WIDE, _keys("r")),
    ("connection", "connection", WIDE, _keys("ctrl+t")),
    ("help", "users", WIDE, _keys("f1")),
    ("reclaim-plan", "seats", WIDE, _keys("R")),
    ("reclaim-journal", "seats", WIDE, _reclaim_journal),  # last: it changes the demo account
)


async def take(out: Path, work: Path) -> list[Path]:
    """Fill a demo database, then drive the app to each screen and save an SVG."""
    from zoomtui.services.demo import demo_context, fill_demo_history
    from zoomtui.tui.app import create_app

    ctx = demo_context(work / "demo.db", clock=lambda: FIXED_NOW, fill=False)
    await fill_demo_history(ctx)
    written = []
    try:
        for name, mode, size, step in SHOTS:
            app = create_app(ctx, start_mode=mode, schedule=False)
            async with app.run_test(size=size) as pilot:
                await pilot.pause()
                await step(pilot)
                await app.workers.wait_for_complete()
                await pilot.pause()
                app.clear_notifications()
                await pilot.pause()
                path = out / f"{name}.svg"
                app.save_screenshot(filename=path.name, path=str(out))
                written.append(path)
    finally:
        ctx.close()
    return written


def main() -> None:
    logging.getLogger("zoomtui").addHandler(logging.NullHandler())  # retries are not news here
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_out = Path(__file__).resolve().parent.parent / "screenshots"
    parser.add_argument("--out", type=Path, default=default_out)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="zoomtui-shots-") as tmp:
        work = Path(tmp)
        os.environ["ZOOMTUI_CONFIG"] = str(work / "config.toml")
        os.environ["ZOOMTUI_DB"] = str(work / "history.db")
        os.environ["HOME"] = str(work)  # the export dialog shows ~/.local/share/zoomtui/…
        os.environ["XDG_DATA_HOME"] = str(work / ".local" / "share")
        for name in [n for n in os.environ if n.startswith("ZOOM_")]:
            del os.environ[name]
        for path in asyncio.run(take(args.out, work)):
            print(path)


if __name__ == "__main__":
    main()
