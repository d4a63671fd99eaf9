"""The Reclaim dialog built once (or ahead) and shown again for each selection."""

from __future__ import annotations

import asyncio
import re
import threading
from typing import Any

import pytest

from tests.tui.conftest import count_layouts, reads_done, text_of
from tests.tui.test_accounts import demo_accounts, wait_for  # noqa: F401  (a fixture)
from zoomtui.services.accounts import DemoAccounts
from zoomtui.services.context import AppContext
from zoomtui.store import reclaim as db
from zoomtui.tui.app import ZoomApp, create_app
from zoomtui.tui.screens.reclaim import RECLAIM_DIALOG, ItemsTable, ReclaimScreen
from zoomtui.tui.screens.seats import SeatsScreen

SIZE = (120, 30)


async def opened(app: ZoomApp, pilot: Any, key: str = "R") -> ReclaimScreen:
    """The Reclaim dialog after ``key``, its plan stored and shown."""
    await pilot.press(key)
    await wait_for(app, pilot, lambda: isinstance(app.screen, ReclaimScreen) and app.screen.plan)
    await reads_done(app)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ReclaimScreen)
    return screen


def shown(screen: ReclaimScreen) -> tuple[str, list[Any], list[str]]:
    """What the dialog shows: its summary, rows and column labels (plan and item ids left out)."""
    table = screen.query_one(ItemsTable)
    summary = re.sub(r"P\d+", "P#", text_of(screen.query_one("#reclaim-plan-summary")))
    rows = [
        {k: v for k, v in (table.row_at(i) or {}).items() if k not in ("id", "plan_id")}
        for i in range(table.total)
    ]
    return summary, rows, [c.label for c in table.columns]


async def closed(pilot: Any) -> None:
    await pilot.press("escape")
    await pilot.pause()


async def test_shown_again_it_plans_anew_and_keeps_nothing_of_the_last_opening(
    demo_ctx: AppContext,
) -> None:
    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await reads_done(app)
        first = await opened(app, pilot)
        before = shown(first)
        plan = first.plan
        assert plan is not None
        await pilot.press("space", "t")  # a drop, then the next action's plan
        await wait_for(app, pilot, lambda: first.plan and first.plan["action"] == "deactivate")
        await reads_done(app)
        await pilot.press("j")  # and the journal
        await wait_for(app, pilot, lambda: first.showing == "journal")
        await closed(pilot)
        assert isinstance(app.screen, SeatsScreen)
        again = await opened(app, pilot)
        assert again is first  # shown again, not built again
        assert again.plan is not None and again.plan["id"] > plan["id"]  # a new plan
        assert again.action.label == "downgrade" and not again.dropped
        assert again.showing == "plan" and again.journal == []
        assert shown(again) == before  # as the first opening showed it
        assert again.focused is again.query_one(ItemsTable)
        assert again.query_one(ItemsTable).cursor == 0


async def test_from_users_shown_again_it_plans_for_the_new_selection(
    demo_ctx: AppContext,
) -> None:
    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await reads_done(app)
        from_seats = await opened(app, pilot)
        everyone = from_seats.plan
        assert everyone is not None and everyone["items"] > 1
        await closed(pilot)
        assert from_seats.only is None  # every candidate of the run
        await pilot.press("1")
        await reads_done(app)
        some = await opened(app, pilot)  # the users the filters show
        assert some is from_seats and some.plan is not None
        planned = {i["email"] for i in db.items(demo_ctx.open_store().conn, some.plan["id"])}
        assert some.only is not None and planned and planned <= some.only
        assert some.picked == len(some.only) > len(planned)


async def test_escape_while_the_plan_is_stored_then_the_next_opening_shows_its_own(
    demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zoomtui.tui.screens import reclaim_items

    release, entered = threading.Event(), threading.Event()
    original = reclaim_items.create_plan
    held = [True]

    def slow(*args: Any) -> Any:
        if held[0]:
            held[0] = False
            entered.set()
            release.wait(timeout=10)  # the first plan's write stays under way
        return original(*args)

    monkeypatch.setattr(reclaim_items, "create_plan", slow)
    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await reads_done(app)
        await pilot.press("R")
        dialog = app.screen
        assert isinstance(dialog, ReclaimScreen)
        for _ in range(200):  # (a Pilot pause waits for the held write: plain sleeps here)
            if entered.is_set():
                break
            await asyncio.sleep(0.02)
        dialog.action_close()  # Escape, the plan still being written
        await asyncio.sleep(0.05)
        assert isinstance(app.screen, SeatsScreen) and dialog.plan is None
        app.screen.action_reclaim()  # type: ignore[attr-defined]  # R, asked again meanwhile
        again = app.screen
        assert again is dialog
        for _ in range(200):  # its own plan, written in the other reader thread
            if again.plan is not None:
                break
            await asyncio.sleep(0.02)
        second = again.plan
        assert second is not None
        release.set()  # the first plan lands now, into the shown dialog: dropped
        await reads_done(app)
        await pilot.pause()
        assert app.screen is again and again.plan is second
        plans = db.plans(demo_ctx.open_store().conn)
        assert len(plans) == 2  # the first was stored too, after the second: not shown
        assert f"Plan P{second['id']} " in text_of(again.query_one("#reclaim-plan-summary"))


async def test_built_ahead_it_shows_what_a_dialog_built_when_asked_shows(
    demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await reads_done(app)
        cold = shown(await opened(app, pilot))

    app = create_app(demo_ctx, start_mode="seats", schedule=False, build_ahead=True)
    async with app.run_test(size=SIZE) as pilot:
        app.ahead.quiet_s = 0.0
        await wait_for(app, pilot, lambda: app.ahead.done() and RECLAIM_DIALOG in app.ahead.built)
        await reads_done(app)
        built = app.get_screen(RECLAIM_DIALOG)
        assert isinstance(built, ReclaimScreen) and built.plan is None  # nothing planned ahead
        plans = len(db.plans(demo_ctx.open_store().conn))
        layouts = count_layouts(monkeypatch)
        dialog = await opened(app, pilot)
        assert dialog is built and shown(dialog) == cold
        assert len(db.plans(demo_ctx.open_store().conn)) == plans + 1
        # Shown, its first rows (their scrollbar's first showing), its plan; never the
        # screen under it (7 times, and Seats under it once, when built at each opening).
        assert layouts.count("SeatsScreen") == 0
        assert layouts.count("ReclaimScreen") <= 4, layouts
        await closed(pilot)
        layouts.clear()
        await opened(app, pilot)  # shown again: shown, its first rows, its plan (2 here: the
        assert set(layouts) == {"ReclaimScreen"} and len(layouts) <= 3  # demo's plan is quick)


async def test_after_a_profile_switch_it_plans_on_the_new_account(
    demo_accounts: DemoAccounts,  # noqa: F811  (the fixture imported above)
) -> None:
    contexts = demo_accounts.contexts
    app = create_app(contexts["acme"], start_mode="seats", schedule=False, accounts=demo_accounts)
    async with app.run_test(size=SIZE) as pilot:
        await reads_done(app)
        acme = await opened(app, pilot)
        assert acme.plan is not None
        acme_rows = shown(acme)[1]
        await closed(pilot)
        app.switch_profile("globex")
        await wait_for(
            app, pilot, lambda: app.ctx.profile == "globex" and isinstance(app.screen, SeatsScreen)
        )
        await reads_done(app)
        globex = await opened(app, pilot)
        assert globex.plan is not None  # (the switch lets the dialogs built once go)
        stored = db.items(contexts["globex"].open_store().conn, globex.plan["id"])
        rows = shown(globex)[1]
        assert [r["email"] for r in rows] == [i["email"] for i in stored]
        assert rows != acme_rows


async def test_the_plan_is_written_from_the_key_before_the_preview_is_read(
    demo_ctx: AppContext,
) -> None:
    from zoomtui.tui.screens import reclaim

    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await reads_done(app)
        seats_screen = app.screen
        assert isinstance(seats_screen, SeatsScreen)
        started: list[Any] = []
        start = app.reader.start

        def noted(fn: Any, *args: Any) -> Any:
            started.append(fn)
            return start(fn, *args)

        app.reader.start = noted  # type: ignore[method-assign]
        for again in (False, True):  # built (as it mounts), then shown again (at the key)
            seats_screen.action_reclaim()  # R
            if again:  # both reads handed to the reader threads before anything is shown
                assert started == [reclaim.plan_and_page, reclaim.preview]
            await wait_for(app, pilot, lambda: isinstance(app.screen, ReclaimScreen))
            dialog = app.screen
            await wait_for(app, pilot, lambda d=dialog: d.plan)  # type: ignore[misc]
            await reads_done(app)
            assert started[:2] == [reclaim.plan_and_page, reclaim.preview]  # then the add-ons
            started.clear()
            await closed(pilot)
        assert app.collector._reads == 0  # each read started so has landed: passes resume
