"""Reclaim in the TUI: plan from Seats, drop an item, apply with confirmation, read the journal."""

from __future__ import annotations

from typing import Any

from zoomtui.services.context import AppContext
from zoomtui.services.seats import reclaim
from zoomtui.store import reclaim as db
from zoomtui.tui.app import create_app
from zoomtui.tui.screens import seats
from zoomtui.tui.screens.reclaim import ConfirmApply, ItemsTable, ReclaimScreen, held_addons
from zoomtui.tui.screens.seats import SeatsScreen

from .conftest import SIZE, text_of


async def test_plan_drop_apply_and_journal_from_seats(
    demo_ctx: AppContext, monkeypatch: Any
) -> None:
    reads: list[int] = []
    original = seats.seat_report
    monkeypatch.setattr(seats, "seat_report", lambda *a: reads.append(1) or original(*a))
    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()  # the screen's rows arrive from a reader thread
        await pilot.press("R")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReclaimScreen) and screen.plan is not None
        conn = demo_ctx.open_store().conn
        items = db.items(conn, screen.plan["id"])
        assert len(items) >= 2 and screen.plan["items"] == len(items)
        summary = text_of(screen.query_one("#reclaim-plan-summary"))
        assert f"{len(items)} of {len(items)} kept" in summary
        table = screen.query_one(ItemsTable)
        assert table.total == len(items)
        await pilot.press("space")  # drop the first item
        assert f"{len(items) - 1} of {len(items)} kept" in text_of(
            screen.query_one("#reclaim-plan-summary")
        )
        assert table.columns[0].text(items[0]) == "—"  # Keep column
        assert table.columns[0].text(items[1]) == "✓"
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmApply)
        assert f"for {len(items) - 1} users" in text_of(app.screen.query_one("#confirm-what"))
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        states = {i["id"]: i["state"] for i in db.items(conn, screen.plan["id"])}
        assert states[items[0]["id"]] == "dropped"  # never applied
        assert set(list(states.values())[1:]) <= {"done", "skipped"}
        journal = db.journal(conn, plan_id=screen.plan["id"])
        assert len(journal) == sum(s == "done" for s in states.values()) > 0
        await pilot.press("j")
        await pilot.pause()
        assert screen.query_one(ItemsTable).total == len(journal)
        assert table.columns[0].label == "Id"
        assert "Journal:" in text_of(screen.query_one("#reclaim-plan-summary"))
        before = len(reads)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SeatsScreen)
        assert len(reads) == before + 1  # Seats re-read after the apply


async def test_cancel_writes_nothing(demo_ctx: AppContext, monkeypatch: Any) -> None:
    reads: list[int] = []
    original = seats.seat_report
    monkeypatch.setattr(seats, "seat_report", lambda *a: reads.append(1) or original(*a))
    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the screen's rows arrive from a reader thread
        await pilot.press("R")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReclaimScreen) and screen.plan is not None
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen
        assert db.journal(demo_ctx.open_store().conn) == []
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReclaimScreen)
        assert len(reads) == 1  # nothing applied: Seats is not read again


def test_the_action_cycle_offers_each_removable_addon_the_selection_holds() -> None:
    from zoomtui.tui.screens.reclaim import action_cycle, held_addons

    rows = [
        {"addons": ["webinar", "zoom_phone"]},
        {"addons": ["zoom_phone", "cn_meeting"]},  # hosted-in regions are not removable
        {"addons": None},
    ]
    assert held_addons(rows) == ("zoom_phone", "webinar")  # the most held first
    labels = [a.label for a in action_cycle(held_addons(rows))]
    assert labels == [
        "downgrade", "deactivate", "remove-addon:zoom_phone", "remove-addon:webinar",
        "revoke-invitation",
    ]  # fmt: skip


async def test_t_reaches_an_addon_removal_planned_for_its_holders(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        seats_screen = app.screen
        assert isinstance(seats_screen, SeatsScreen) and seats_screen.result is not None
        await pilot.press("R")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReclaimScreen)
        removals = [a for a in screen.actions if a.name == "remove-addon"]
        assert removals  # the demo's idle licensed users hold add-ons
        # Seats holds only a page: the add-ons are those of every candidate, read with the plan
        everyone = reclaim(demo_ctx).rows
        assert [a.addon for a in removals] == list(held_addons(everyone))
        await pilot.press("t", "t")  # past downgrade and deactivate
        await pilot.pause()
        assert screen.plan is not None and screen.plan["action"] == removals[0].label
        holders = {r["email"] for r in everyone if removals[0].addon in (r.get("addons") or [])}
        planned = {i["email"] for i in db.items(demo_ctx.open_store().conn, screen.plan["id"])}
        assert planned and planned <= holders
        assert f"· {removals[0].label} ·" in text_of(screen.query_one("#reclaim-plan-summary"))


async def test_first_rows_shown_while_the_plan_is_stored_then_its_pages_read(
    demo_ctx: AppContext, monkeypatch: Any
) -> None:
    """The plan is written by SQLite in a reader thread while the other reads its first page
    as it will be stored (shown, nothing droppable); the dialog then shows the stored plan a
    page at a time (here 4 rows a page), and a drop on a later page counts like any other."""
    import asyncio
    import threading

    from zoomtui.tui.screens import reclaim_items as dialog  # where the dialog reads its plan

    monkeypatch.setattr(ItemsTable, "PAGE_SIZE", 4)
    release, entered = threading.Event(), threading.Event()
    original = dialog.create_plan

    def held(*args: Any) -> Any:
        entered.set()
        release.wait(timeout=10)  # the plan's write stays under way until the test lets it go
        return original(*args)

    monkeypatch.setattr(dialog, "create_plan", held)
    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("R")
        screen = app.screen
        assert isinstance(screen, ReclaimScreen)
        for _ in range(200):
            if entered.is_set():
                break
            await asyncio.sleep(0.02)
        for _ in range(200):  # the first page, read beside the write, is shown meanwhile
            if screen.query_one(ItemsTable).total:
                break
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.05)
        assert screen.plan is None
        table = screen.query_one(ItemsTable)
        shown = [table.row_at(i) for i in range(table.total)]
        assert table.total == 4 and all(r is not None and "id" not in r for r in shown)
        assert "Storing the plan…" in text_of(screen.query_one("#reclaim-plan-summary"))
        await pilot.press("space", "a")  # no item can be dropped, nothing applied, before the ids
        await asyncio.sleep(0.05)
        assert app.screen is screen and not screen.dropped and screen.plan is None
        release.set()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.plan is not None
        items = db.items(demo_ctx.open_store().conn, screen.plan["id"])
        assert table.total == len(items) > 8
        assert table.row_at(0) == items[0] and items[0]["state"] == "planned"
        keys = ("zoom_id", "email", "account_id", "action", "addon", "reason", "before", "saving")
        assert shown == [{k: i[k] for k in keys} for i in items[:4]]  # the rows shown first
        await pilot.press("end")  # the last page is read in a reader thread
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.cursor_row == items[-1]
        await pilot.press("space")
        summary = text_of(screen.query_one("#reclaim-plan-summary"))
        assert f"{len(items) - 1} of {len(items)} kept" in summary
        assert screen.dropped == {items[-1]["id"]}
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmApply)
        await pilot.press("n")
