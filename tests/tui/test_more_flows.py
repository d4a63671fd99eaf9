"""Scheduling, user detail, seats and reclaim, diff kinds on the demo account."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input

from zoomtui.services.context import AppContext
from zoomtui.services.runs import list_runs
from zoomtui.services.seats import reclaim
from zoomtui.settings import load
from zoomtui.tui.app import create_app
from zoomtui.tui.screens.dialogs import UserDetailScreen
from zoomtui.tui.screens.diff import DiffScreen
from zoomtui.tui.widgets.window_table import WindowTable

from .conftest import FIXED_NOW, SIZE, text_of


async def test_a_due_scheduled_run_starts_when_the_app_opens(demo_ctx: AppContext) -> None:
    demo_ctx.settings = demo_ctx.settings.updated(schedule_interval="1d", active=True)
    later = FIXED_NOW + timedelta(days=2)
    demo_ctx.clock = lambda: later
    before = len(list_runs(demo_ctx))
    app = create_app(demo_ctx, start_mode="aggregate")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("scheduled" in line for line in app.runner.state.log)
        assert "due in 1 d" in text_of(app.screen.query_one("#schedule-due"))
    assert len(list_runs(demo_ctx)) == before + 1


async def test_inactive_connection_never_starts_a_scheduled_run(demo_ctx: AppContext) -> None:
    demo_ctx.settings = demo_ctx.settings.updated(schedule_interval="1d", active=False)
    demo_ctx.clock = lambda: FIXED_NOW + timedelta(days=2)
    app = create_app(demo_ctx, start_mode="aggregate")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.runner.running and app.runner.state.result is None
        assert "due now" in text_of(app.screen.query_one("#schedule-due"))


async def test_enter_shows_user_detail_with_sign_ins(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(WindowTable)
        email = table.cursor_row["email"]
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, UserDetailScreen)
        assert app.screen.email == email
        assert app.screen.detail["record"]["email"] == email
        record = text_of(app.screen.query_one("#detail-record"))
        assert email in record
        await pilot.press("escape")
        assert not isinstance(app.screen, UserDetailScreen)


async def test_reclaim_days_change_the_candidates_and_are_remembered(
    demo_ctx: AppContext,
) -> None:
    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        expected = reclaim(demo_ctx, inactive_days=90, price_per_seat=100.0)
        app.screen.query_one("#reclaim-price", Input).value = "100"
        days = app.screen.query_one("#reclaim-days", Input)
        days.value = "90"
        days.focus()
        await pilot.press("enter")
        await pilot.pause()
        summary = text_of(app.screen.query_one("#reclaim-summary"), width=200)
        assert f"{expected['count']:,} licensed idle ≥ 90 days" in summary
        assert f"{expected['yearly_savings']:,.2f}" in summary
        assert app.screen.query_one("#reclaim-table", WindowTable).total == expected["count"]
        assert "plan_base" not in text_of(app.screen.query_one("#seat-bars"))
        assert "base · " in text_of(app.screen.query_one("#seat-bars"), width=200)
    assert load(env={}).price_per_seat == 100.0  # a display preference, saved even in the demo


async def test_diff_kind_cycles(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, start_mode="diff", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        everything = len(screen.rows)
        await pilot.press("k")
        assert screen.kind == "added"
        assert all(row["kind"] == "added" for row in screen.rows)
        assert len(screen.rows) <= everything
        await pilot.press("k", "k", "k")
        assert screen.kind == "all" and len(screen.rows) == everything


async def test_reclaim_definition_choice_and_hosting_in_the_detail(demo_ctx: AppContext) -> None:
    from textual.widgets import Select

    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        days = demo_ctx.settings.inactive_days
        expected = reclaim(demo_ctx, inactive_days=days, definition="unused")
        app.screen.query_one("#reclaim-definition", Select).value = "unused"
        await pilot.pause()
        summary = text_of(app.screen.query_one("#reclaim-summary"), width=200)
        assert f"{expected['count']:,} licensed not hosting ≥ {days} days" in summary
        assert f"{expected['yearly_savings']:,.2f}" in summary
    from zoomtui.services.users import UserFilter, query_users, user_detail

    host = next(r for r in query_users(demo_ctx, UserFilter()).rows if r["last_hosted_month"])
    email = host["email"]

    detail = user_detail(demo_ctx, email)
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(UserDetailScreen(email, detail))
        await pilot.pause()
        hosting = text_of(app.screen.query_one("#detail-hosting"), width=200)
        assert host["last_hosted_month"] in hosting and "Meetings" in hosting
        record = text_of(app.screen.query_one("#detail-record"), width=200)
        assert "Needs a licence" in record and "Last hosted" in record
