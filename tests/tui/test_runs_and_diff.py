"""Runs reads kept counts, off the loop; Diff shows the whole diff the CLI prints."""

from __future__ import annotations

from typing import Any

from zoomtui.services.context import AppContext
from zoomtui.services.diff import diff_runs
from zoomtui.services.runs import complete_run_ids
from zoomtui.tui.app import create_app
from zoomtui.tui.screens.diff import KINDS, DiffScreen, diff_rows, display_row
from zoomtui.tui.screens.runs import RunsScreen
from zoomtui.tui.widgets.wrap_table import WrapTable

from .conftest import SIZE, text_of
from .test_reads_off_loop import trace_sql


def _screen_text(table: WrapTable) -> str:
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


async def test_the_summary_and_every_row_agree_with_the_full_diff(demo_ctx: AppContext) -> None:
    first, *_, last = complete_run_ids(demo_ctx)  # the widest pair: more than a screenful
    full = diff_runs(demo_ctx, first, last)  # what `zoomtui diff FIRST LAST` prints
    fields = sum(len(c.changes) for c in full.changed)
    app = create_app(demo_ctx, start_mode="diff", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        screen.compare((first, last))
        await pilot.pause()
        summary = text_of(screen.query_one("#diff-summary"))
        assert (
            f"{len(full.added):,} added, {len(full.removed):,} removed, "
            f"{len(full.changed):,} changed ({fields:,} fields)"
        ) in summary
        table = screen.query_one(WrapTable)
        assert table.total == len(full.added) + len(full.removed) + fields > table.size.height
        for kind in KINDS:
            assert screen.kind == kind
            assert screen.rows == diff_rows(full, kind)
            await pilot.press("k")
        # Past the first screenful: the last change is on screen at End.
        await pilot.press("end")
        await pilot.pause()
        last = display_row(diff_rows(full)[-1])
        assert table.cursor_row == last
        assert str(last["email"]) in _screen_text(table)


async def test_runs_visits_read_kept_counts_off_the_loop(
    demo_ctx: AppContext, monkeypatch: Any
) -> None:
    """Each visit re-reads the runs (cron may have added one) without counting users."""
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        seen = trace_sql(monkeypatch, app)
        for key in ("2", "1", "2"):  # a first visit and a return
            await pilot.press(key)
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunsScreen)
        assert screen.runs and all(r.licensed is not None for r in screen.runs if r.complete)
    runs_reads = [sql for _thread, sql in seen if "FROM runs" in sql]
    assert len(runs_reads) >= 2
    assert [sql for thread, sql in seen if not thread.startswith("zoomtui-read")] == []
    assert not [sql for _thread, sql in seen if "user_versions" in sql and "count(" in sql]
