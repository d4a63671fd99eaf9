"""Scheduling, user detail, seats and reclaim, diff kinds on the demo account."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select

from zoomtui.services.context import AppContext
from zoomtui.services.runs import list_runs
from zoomtui.services.seats import reclaim
from zoomtui.settings import load
from zoomtui.tui.app import create_app
from zoomtui.tui.screens.dialogs import UserDetailScreen
from zoomtui.tui.screens.diff import DiffScreen
from zoomtui.tui.widgets.footer import QuickFooter
from zoomtui.tui.widgets.user_detail import UserDetail
from zoomtui.tui.widgets.window_table import WindowTable

from .conftest import FIXED_NOW, SIZE, count_layouts, text_of


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
        await pilot.pause()  # the screen's rows arrive from a reader thread
        table = app.screen.query_one(WindowTable)
        email = table.cursor_row["email"]
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, UserDetailScreen)
        assert app.screen.email == email
        assert app.screen.detail["record"]["email"] == email
        record = text_of(app.screen.query_one(UserDetail).sections["record"])
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
        assert f"{expected.count:,} idle licensed + " in summary
        assert f"{expected.yearly_savings:,.2f}" in summary
        listed = expected.count + expected.invitations_count  # idle, then old invitations
        assert app.screen.query_one("#reclaim-table", WindowTable).total == listed
        assert "plan_base" not in text_of(app.screen.query_one("#seat-bars"))
        assert "Base plan, monthly" in text_of(app.screen.query_one("#seat-bars"), width=200)
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


async def test_diff_pickers_keep_their_pair_when_a_new_run_lands(demo_ctx: AppContext) -> None:
    complete = sorted(r["id"] for r in list_runs(demo_ctx) if r["status"] == "complete")
    app = create_app(demo_ctx, start_mode="diff", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        chosen = (complete[0], complete[1])
        screen.query_one("#diff-from", Select).value = chosen[0]
        screen.query_one("#diff-to", Select).value = chosen[1]
        await pilot.pause()
        assert screen.pair == chosen
        await pilot.press("5", "r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        pickers = [screen.query_one(i, Select).value for i in ("#diff-from", "#diff-to")]
        assert tuple(pickers) == chosen  # not blank ("run run")
        assert f"Run {chosen[0]} → {chosen[1]}" in text_of(screen.query_one("#diff-summary"))
        newest = max(r["id"] for r in list_runs(demo_ctx) if r["status"] == "complete")
        screen.query_one("#diff-to", Select).value = newest
        await pilot.pause()
        assert f"Run {chosen[0]} → {newest}" in text_of(screen.query_one("#diff-summary"))
        screen.query_one("#diff-from", Select).value = newest
        await pilot.pause()
        assert "different runs" in text_of(screen.query_one("#diff-summary"))


async def test_diff_on_the_latest_pair_follows_a_new_run(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, start_mode="diff", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        await pilot.press("5", "r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        newest = max(r["id"] for r in list_runs(demo_ctx) if r["status"] == "complete")
        assert screen.pair is not None and screen.pair[1] == newest
        assert screen.query_one("#diff-to", Select).value == newest


async def test_user_detail_has_its_own_footer_and_plain_words(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the screen's rows arrive from a reader thread
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, UserDetailScreen)
        footer = app.screen.query_one(QuickFooter)
        keys = {b.id for _k, b, _e, _t in app.screen.active_bindings.values() if b.show}
        assert footer.region.y == SIZE[1] - 1 and "detail.close" in keys
        assert "users.search" not in keys and "users.export" not in keys
        record = text_of(app.screen.query_one(UserDetail).sections["record"])
        assert "(Zoom user type" in record or "Type " in record
        history = text_of(app.screen.query_one(UserDetail).sections["history"])
        assert " on:" not in history and "since run" in history


async def test_home_and_end_move_to_the_first_and_last_run(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, start_mode="runs", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#runs-table", DataTable)
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1 > 0
        await pilot.press("home")
        assert table.cursor_row == 0


def test_run_times_read_as_people_say_them() -> None:
    from zoomtui.tui.screens.runs import _duration

    assert [_duration(s) for s in (None, 0.2, 1.0, 59.6, 144, 3900)] == [
        "",
        "<1 s",
        "1 s",
        "1 min 00 s",
        "2 min 24 s",
        "1 h 05 min",
    ]


async def test_export_defaults_to_the_current_directory(demo_ctx: AppContext, in_tmp_dir) -> None:  # type: ignore[no-untyped-def]
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        path = Path(app.screen.query_one("#export-path", Input).value).expanduser()
        assert path.parent == in_tmp_dir and path.name.startswith("users-")
        await pilot.press("enter")
        await pilot.pause()
    assert path.exists()


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
        assert f"{expected.count:,} not hosting licensed + " in summary
        assert f"{expected.yearly_savings:,.2f}" in summary
    from zoomtui.services.users import UserFilter, query_users, user_detail

    host = next(r for r in query_users(demo_ctx, UserFilter()).rows if r["last_hosted_month"])
    email = host["email"]

    detail = user_detail(demo_ctx, email)
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(UserDetailScreen(email, detail))
        await pilot.pause()
        hosting = text_of(app.screen.query_one(UserDetail).sections["hosting"], width=200)
        assert host["last_hosted_month"] in hosting and "Meetings" in hosting
        record = text_of(app.screen.query_one(UserDetail).sections["record"], width=200)
        assert "Needs a licence" in record and "Last hosted" in record


async def test_the_detail_wraps_long_values_and_scrolls_to_its_last_section(
    demo_ctx: AppContext,
) -> None:
    from zoomtui.services.users import UserFilter, query_users, user_detail

    email = str(query_users(demo_ctx, UserFilter()).rows[0]["email"])
    detail = user_detail(demo_ctx, email)
    teams = [f"team{i}" for i in range(30)]
    detail["record"]["dept"] = " ".join(teams)  # 239 characters
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(UserDetailScreen(email, detail))
        await pilot.pause()
        view = app.screen.query_one(UserDetail)
        height = view.scrollable_content_region.height
        assert view.virtual_size.height > height  # more than one screenful: it scrolls
        assert view.show_vertical_scrollbar
        first = [view.render_line(y).text.rstrip() for y in range(height)]
        assert first[0] == "Record" and first[1].startswith("Email")
        # The long value wraps within the width, whole, not cut.
        shown = " ".join(line for line in first if "team" in line).split()
        assert len([line for line in first if "team" in line]) >= 4
        assert [word for word in shown if word.startswith("team")] == teams
        assert all(len(line) <= view.scrollable_content_region.width for line in first)
        await pilot.press("end")
        await pilot.pause()
        assert view.scroll_offset.y == view.virtual_size.height - height
        last = [view.render_line(y).text.rstrip() for y in range(height)]
        assert "Changes across runs" in last and last[-1] == ""  # the gap after the section
        assert last[-2] != ""  # one gap, not two
        dark = view.render_line(1)
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        light = view.render_line(1)
        assert light.text == dark.text and next(iter(light)).style != next(iter(dark)).style


async def test_a_screen_is_laid_out_again_on_a_resize_not_when_first_shown(
    demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zoomtui.services.users import UserFilter, query_users, user_detail

    laid_out = count_layouts(monkeypatch)
    email = str(query_users(demo_ctx, UserFilter()).rows[0]["email"])
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        laid_out.clear()
        app.push_screen(UserDetailScreen(email, user_detail(demo_ctx, email)))
        await pilot.pause()
        # Textual's own handler of the Resize that the first layout sends laid the
        # dialog out a second time, and the users list under it once more.
        assert "UsersScreen" not in laid_out
        assert laid_out.count("UserDetailScreen") <= 3
        shown = laid_out.count("UserDetailScreen")
        laid_out.clear()
        await pilot.resize_terminal(SIZE[0] - 10, SIZE[1] - 4)
        await pilot.pause()
        assert "UsersScreen" in laid_out and "UserDetailScreen" in laid_out
        view = app.screen.query_one(UserDetail)
        assert view.size.width < SIZE[0] - 10 and shown >= 1


async def test_the_detail_is_shown_again_for_the_next_user_from_its_top(
    demo_ctx: AppContext,
) -> None:
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(WindowTable)
        first_email = table.cursor_row["email"]
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, UserDetailScreen) and dialog.email == first_email
        await pilot.press("end")  # scrolled down in the first user's detail
        await pilot.pause()
        assert dialog.query_one(UserDetail).scroll_offset.y > 0
        await pilot.press("escape", "down")
        await pilot.pause()
        second_email = table.cursor_row["email"]
        assert second_email != first_email
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is dialog  # built once, shown again
        view = dialog.query_one(UserDetail)
        assert view.scroll_offset.y == 0 and view.has_focus
        title = text_of(dialog.query_one(".dialog-title"))
        assert second_email in title and first_email not in title
        record = text_of(view.sections["record"])
        assert second_email in record and first_email not in record
        assert view.render_line(1).text.split()[-1] == second_email  # drawn, not only kept
