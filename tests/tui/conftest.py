"""TUI fixtures: an app on an empty tmp database, and one on a small in-process demo account."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from zoomtui.services.context import AppContext
from zoomtui.settings import load

FIXED_NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
SIZE = (80, 24)


@pytest.fixture(autouse=True)
def in_tmp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run each TUI test in its tmp dir: exports default to the current directory."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture(autouse=True)
def truecolor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps see a truecolor terminal whatever TERM the tests run under (no TERM reads as
    16 colours, which restyles fields: app.tcss ``App.-sixteen-colours``)."""
    from textual import constants

    monkeypatch.setattr(constants, "COLOR_SYSTEM", "truecolor")


@pytest.fixture
def empty_ctx(db_path: Path) -> AppContext:
    """Settings from the (tmp) file only and an empty tmp database."""
    return AppContext(settings=load(env={}), db_path=db_path)


@pytest.fixture
async def demo_ctx(db_path: Path) -> AsyncIterator[AppContext]:
    """A small demo account (in-process emulator, fixed clock) with a history of runs."""
    from zoomtui.services.demo import demo_context, fill_demo_history

    ctx = demo_context(db_path, clock=lambda: FIXED_NOW, users=120, fill=False)
    await fill_demo_history(ctx)
    yield ctx
    ctx.close()


def text_of(widget: object, width: int = 120) -> str:
    """The plain text a Static shows (strings, Content or Rich renderables)."""
    from rich.console import Console

    content = getattr(widget, "content", widget)
    console = Console(width=width, record=True, color_system=None, file=None)
    with console.capture() as capture:
        console.print(content, markup=False)
    return capture.get()


async def reads_done(app: object) -> None:
    """Wait until no database read of the app is under way (screens read in workers)."""
    from textual.app import App

    from zoomtui.tui.app import busy_workers

    assert isinstance(app, App)
    for _ in range(50):  # a finished read may start the next (a page, the candidates)
        reading = busy_workers(app, "read")
        if not reading:
            return
        await app.workers.wait_for_complete(reading)
        await asyncio.sleep(0)  # let the handlers that follow a read run
    raise AssertionError("reads never settled")


@pytest.fixture(autouse=True)
def pause_waits_for_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """``pilot.pause()`` also waits for the screens' reads, as an operator waits for data.

    Why: reads run in reader threads (``services/reader.py``); a test that presses a
    key and looks at the screen means the screen after its data arrived. Waiting on
    the workers, not on a delay, keeps the tests fast and not flaky.
    """
    from textual.pilot import Pilot

    original = Pilot.pause

    async def pause(self: Pilot[object], delay: float | None = None) -> None:
        await original(self, delay)
        await reads_done(self.app)
        await original(self)

    monkeypatch.setattr(Pilot, "pause", pause)


def count_layouts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, the class name of each screen Textual lays out (``_refresh_layout``)."""
    from textual.screen import Screen

    layouts: list[str] = []
    layout = Screen._refresh_layout

    def laid_out(self: Screen[object], *args: object, **kwargs: object) -> None:
        layouts.append(type(self).__name__)
        layout(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Screen, "_refresh_layout", laid_out)
    return layouts
