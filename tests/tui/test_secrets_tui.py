"""Secrets in the TUI: a sentinel secret never reaches the screen, a notification or the log."""

from __future__ import annotations

from pathlib import Path

from zoomtui.emulator import API_URL, OAUTH_URL, Dataset, Emulator, EmulatorConfig
from zoomtui.services.context import AppContext
from zoomtui.services.demo import demo_settings
from zoomtui.tui.app import create_app

from .conftest import FIXED_NOW, SIZE

SENTINEL = "SENTINEL-tui-5ecret-91b"


async def test_a_wrong_secret_never_shows_on_screen_or_in_the_log(db_path: Path) -> None:
    emulator = Emulator(Dataset.generate(users=40, seed=3, start=FIXED_NOW), EmulatorConfig())
    settings = demo_settings().updated(client_secret=SENTINEL)
    assert (settings.api_url, settings.oauth_url) == (API_URL, OAUTH_URL)
    ctx = AppContext(settings, db_path, transport=emulator.transport(), emulator=emulator)
    app = create_app(ctx, start_mode="connection", schedule=False)
    shots: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shots.append(app.export_screenshot())
        await pilot.press("ctrl+t")  # Test Connection: Zoom refuses the secret
        await app.workers.wait_for_complete()
        await pilot.pause()
        shots.append(app.export_screenshot())
        notes = " ".join(str(n.message) for n in app._notifications)
        await pilot.press("escape", "5", "r")  # an aggregation fails on the same secret
        await app.workers.wait_for_complete()
        await pilot.pause()
        shots.append(app.export_screenshot())
        log = " ".join(app.runner.state.log)
    assert "client" in (shots[1] + notes).lower()  # the failure is explained
    assert "failed" in log.lower()  # the aggregation ran and failed on the secret
    for text in [*shots, notes, log]:
        assert SENTINEL not in text
    assert SENTINEL.encode() not in db_path.read_bytes()
    ctx.close()
