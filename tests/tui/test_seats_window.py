"""Seats reads the reclaim counts and one page; the other pages come from reader threads."""

from __future__ import annotations

from typing import Any

from zoomtui.services.context import AppContext
from zoomtui.services.seats import reclaim
from zoomtui.store import queries
from zoomtui.store import reclaim as db
from zoomtui.tui.app import create_app
from zoomtui.tui.screens.reclaim import ReclaimScreen
from zoomtui.tui.screens.seats import SeatsScreen
from zoomtui.tui.widgets.window_table import WindowTable

from .conftest import reads_done, text_of
from .test_reads_off_loop import trace_sql

PAGE = 4


async def test_seats_shows_one_page_and_reads_the_others_off_the_loop(
    demo_ctx: AppContext, monkeypatch: Any
) -> None:
    full = reclaim(demo_ctx)  # what the CLI lists: every candidate, then the invitations
    rows = full.rows
    assert len(rows) > 3 * PAGE
    monkeypatch.setattr(WindowTable, "PAGE_SIZE", PAGE)
    built: list[int] = []
    record = queries.user_record
    monkeypatch.setattr(queries, "user_record", lambda *a: built.append(1) or record(*a))
    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await reads_done(app)
        screen = app.screen
        assert isinstance(screen, SeatsScreen) and screen.result is not None
        # The counts are counted, not the rows read: only the rows of the pages shown
        # became records.
        table = screen.query_one(WindowTable)
        cached = sum(len(page) for page in table._pages.values())
        assert len(built) == cached < len(rows)  # the pages the table shows, not every row
        summary = text_of(screen.query_one("#reclaim-summary"))
        assert f"{full.count:,} idle licensed + {full.invitations_count:,} old" in summary
        assert f"saving {full.yearly_savings:,.2f} per year" in summary
        assert table.total == len(rows)
        assert [table.row_at(i) for i in range(PAGE)] == rows[:PAGE]
        seen = trace_sql(monkeypatch, app)
        for _ in range(PAGE + 2):  # past the first page: row PAGE + 2 is read and shown
            await pilot.press("down")
        await pilot.pause()
        await reads_done(app)
        assert table.cursor == PAGE + 2 and table.row_at(PAGE + 2) == rows[PAGE + 2]
        await pilot.press("end")  # the last page: the invitations after the candidates
        await pilot.pause()
        await reads_done(app)
        await pilot.pause()
        assert table.row_at(len(rows) - 1) == rows[-1]
        shown = [table.render_line(y).text for y in range(table.size.height)]
        assert any(str(rows[-1]["email"]) in line for line in shown)  # drawn, not only cached
        await pilot.press("R")  # plans every candidate, not only the pages read
        await pilot.pause()
        await reads_done(app)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReclaimScreen) and dialog.plan is not None
        plan_id = dialog.plan["id"]
    assert any(sql.split()[0].upper() == "SELECT" for _thread, sql in seen)
    on_loop = [sql for thread, sql in seen if not thread.startswith("zoomtui-read")]
    assert on_loop == []
    items = db.items(demo_ctx.open_store().conn, plan_id)
    assert {i["email"] for i in items} == {r["email"] for r in full.candidates}
