"""The screens the README shows, declared once: snapshot tests and ``scripts/screenshots.py``.

``tests/tui/test_scenes.py`` compares each scene with its snapshot, and the files in
``screenshots/`` with those snapshots, so a screenshot cannot silently go stale;
``scripts/screenshots.py`` writes ``screenshots/`` from the same scenes and the same
renderer (``textual._doc.take_svg_screenshot``, what ``snap_compare`` uses).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter

FIXED_NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
WIDE = (120, 40)
NARROW = (80, 24)
SCENE_USERS = 120  # small enough for a test, large enough for every kind of change
RUN_SECONDS = 12  # every stored run lasts this long, so the Time column is stable


@dataclass(frozen=True)
class Scene:
    """One screen of the app: where it starts, the keys pressed, the terminal size."""

    name: str  # the screenshot's file name, and the snapshot's test id
    mode: str
    size: tuple[int, int]
    press: tuple[str, ...] = ()
    then: tuple[str, ...] = ()  # pressed once the workers the first keys started are done
    demo: bool = True  # False: an empty database (no demo account)
    colours: int = 0  # 16: as a 16-colour terminal (TERM=xterm) shows it; 0: truecolor
    screenshot: bool = True  # also a picture in screenshots/ (the README shows some)

    async def drive(self, pilot: Any) -> None:
        """Press the keys, let every worker finish, and drop toasts (their timing varies)."""
        from textual.widgets import Input

        await pilot.pause()
        for key in self.press:  # one at a time: a key may open a dialog the next one is for
            await pilot.press(key)
            await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if self.then:
            await pilot.press(*self.then)
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        pilot.app.clear_notifications()
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False  # the cursor always shown, not caught mid-blink
        await pilot.pause()


SCENES: tuple[Scene, ...] = (
    Scene("users", "users", WIDE),
    Scene("users-80x24", "users", NARROW),
    Scene("users-filtered", "users", WIDE, ("f", "slash", "k", "i", "m", "enter")),
    Scene("user-detail", "users", WIDE, ("down", "down", "enter")),
    Scene("runs", "runs", WIDE),
    Scene("diff", "diff", WIDE),
    Scene("seats", "seats", WIDE),
    Scene("aggregate", "aggregate", WIDE, ("r",)),
    Scene("connection", "connection", WIDE, ("ctrl+t",)),
    Scene("help", "users", WIDE, ("f1",)),
    Scene("reclaim-plan", "seats", WIDE, ("R",)),
    # Plan, keep one item, apply, confirm; then open the journal.
    Scene("reclaim-journal", "seats", WIDE, ("R", "down", "space", "a", "y"), ("j",)),
    # 16 colours: fields, the focused field, buttons and the cursor row must stay apart.
    Scene("users-16", "users", NARROW, ("f", "slash"), colours=16, screenshot=False),
    Scene("connection-16", "connection", NARROW, colours=16, screenshot=False),
    Scene("aggregate-16", "aggregate", NARROW, ("tab",), colours=16, screenshot=False),
)


def build_demo(db_path: Path) -> None:
    """The demo's history at ``FIXED_NOW`` in ``db_path``, every run ``RUN_SECONDS`` long.

    Built outside any event loop (``snap_compare`` runs its own). The demo's runs take
    real time, which varies with the machine's load; fixing their length keeps the
    Runs view's Time column, and so the pictures, stable.
    """
    from zoomtui.services.demo import demo_context

    demo_context(db_path, clock=lambda: FIXED_NOW, users=SCENE_USERS).close()
    with sqlite3.connect(db_path) as conn:
        for run_id, started in conn.execute("SELECT id, started_at FROM runs").fetchall():
            moved = datetime.fromisoformat(started.replace("Z", "+00:00"))
            moved += timedelta(seconds=RUN_SECONDS)
            conn.execute(
                "UPDATE runs SET finished_at = ? WHERE id = ?",
                (moved.strftime("%Y-%m-%dT%H:%M:%SZ"), run_id),
            )
    conn.close()


def scene_app(scene: Scene, work: Path, demo_db: Path) -> Any:
    """The app for ``scene`` on a copy of ``demo_db`` (a scene may write to its database)."""
    from zoomtui.services.context import AppContext
    from zoomtui.services.demo import DEMO_RUNS, DEMO_STEP_DAYS, demo_context
    from zoomtui.settings import load
    from zoomtui.tui.app import create_app

    db_path = work / f"{scene.name}.db"
    if scene.demo:
        shutil.copyfile(demo_db, db_path)
        ctx = demo_context(db_path, clock=lambda: FIXED_NOW, users=SCENE_USERS, fill=False)
        for _ in range(DEMO_RUNS - 1):  # the account as the last stored run left it
            ctx.emulator.advance(DEMO_STEP_DAYS)
        ctx.clock = lambda: FIXED_NOW  # a stopped clock: the run log's times are the same each time
    else:
        ctx = AppContext(settings=load(env={}), db_path=db_path)
    from textual import constants

    # What TEXTUAL_COLOR_SYSTEM gives the app's console, whatever TERM the tests run under.
    chosen = constants.COLOR_SYSTEM
    constants.COLOR_SYSTEM = "standard" if scene.colours == 16 else "truecolor"  # type: ignore[misc]
    try:
        app = create_app(ctx, start_mode=scene.mode, schedule=False)
    finally:
        constants.COLOR_SYSTEM = chosen  # type: ignore[misc]
    if scene.colours != 16:
        return app
    app._filters.append(SixteenColours())  # the screenshot itself is always truecolor
    return app


class SixteenColours(LineFilter):
    """Every colour as a 16-colour terminal shows it: Rich's downgrade to the 16 standard
    colours (what it writes to such a terminal), drawn with the standard palette."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(text, _sixteen(style), control) if style else Segment(text, style, control)
            for text, style, control in segments
        ]


@lru_cache(1024)
def _sixteen(style: Style) -> Style:
    def down(colour: RichColor | None) -> RichColor | None:
        if colour is None or colour.is_default:
            return colour
        standard = colour.downgrade(ColorSystem.STANDARD)
        return RichColor.from_triplet(standard.get_truecolor())

    return style + Style.from_color(down(style.color), down(style.bgcolor))


def render(scene: Scene, work: Path, demo_db: Path) -> str:
    """The scene as an SVG, drawn exactly as ``snap_compare`` draws it."""
    from textual._doc import take_svg_screenshot

    app = scene_app(scene, work, demo_db)
    return take_svg_screenshot(app=app, terminal_size=scene.size, run_before=scene.drive)


def normalize_svg(svg: str) -> str:
    """The SVG without Rich's per-export id (as pytest-textual-snapshot compares them)."""
    return re.sub(r"\bterminal-\d+-([\w-]+)", r"terminal-\1", svg)
