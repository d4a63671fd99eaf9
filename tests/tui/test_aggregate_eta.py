"""The Aggregate screen shows the time left while a run reads settings."""

from __future__ import annotations

from zoomtui.services.aggregate import Progress
from zoomtui.services.context import AppContext
from zoomtui.tui.app import create_app
from zoomtui.tui.messages import RunProgress

from .conftest import SIZE, text_of


async def test_the_estimate_follows_the_run(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, start_mode="aggregate", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert "Estimate" not in text_of(screen.query_one("#run-waits"))  # idle: no estimate
        runner = app.runner
        runner.state.running = True
        runner._on_progress(Progress("users", 3000, None, "demo: active users"))
        await pilot.pause()
        assert "Estimate: once every user is listed" in text_of(screen.query_one("#run-waits"))
        runner._on_progress(Progress("addons", 0, 3000, "Reading settings", left_s=150.0))
        await pilot.pause()
        assert "about 2 min 30 s left" in text_of(screen.query_one("#run-status"))
        waits = text_of(screen.query_one("#run-waits"))
        assert "Estimate: about 2 min 30 s left (3,000 settings reads at the pace in force)" in (
            waits
        )
        assert "about 2 min 30 s left" in text_of(screen.query_one("#text-addons"), width=200)
        runner._on_progress(Progress("addons", 2400, 3000, "Reading settings", left_s=31.0))
        await pilot.pause()
        assert "about 30 s left" in text_of(screen.query_one("#run-status"))
        assert "600 settings reads" in text_of(screen.query_one("#run-waits"))
        runner.state.running = False
        runner._publish(RunProgress(Progress("addons", 2400, 3000, "Reading settings")))
        await pilot.pause()
        assert "left" not in text_of(screen.query_one("#run-status"))
        assert "Estimate" not in text_of(screen.query_one("#run-waits"))
