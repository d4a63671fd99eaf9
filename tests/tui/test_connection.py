"""Connection screen: saving settings, errors in place, passing and failing Test Connection."""

from __future__ import annotations

import stat
from pathlib import Path

from textual.widgets import Input, Label, Select
from textual.widgets._toast import Toast

from zoomtui.services.context import AppContext
from zoomtui.settings import load
from zoomtui.tui.app import create_app
from zoomtui.tui.screens.dialogs import UnsavedDialog

from .conftest import SIZE, text_of


async def _fill(app, values: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    for key, value in values.items():
        app.screen.query_one(f"#in-{key}", Input).value = value


async def test_save_writes_only_the_file_with_mode_0600(
    empty_ctx: AppContext, config_path: Path
) -> None:
    app = create_app(empty_ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await _fill(app, {"account_id": "acc-1", "client_id": "cid", "client_secret": "s3cret"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        secret_field = app.screen.query_one("#in-client_secret", Input)
        assert secret_field.password  # masked on screen
    saved = load(env={})
    assert (saved.account_id, saved.client_id, saved.client_secret) == ("acc-1", "cid", "s3cret")
    assert stat.S_IMODE(config_path.stat().st_mode) == 0o600
    assert app.ctx.settings.client_id == "cid"


async def test_invalid_input_is_explained_in_place_and_nothing_saved(
    empty_ctx: AppContext, config_path: Path
) -> None:
    app = create_app(empty_ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await _fill(app, {"account_id": "acc-1", "client_id": "cid", "client_secret": "x"})
        app.screen.query_one("#in-region", Select).value = "custom"
        await pilot.pause()
        await _fill(app, {"api_url": "http://zoom.example.com/v2"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = app.screen.query_one("#err-api_url", Label)
        assert error.display and "loopback" in text_of(error)
        assert "required" in text_of(app.screen.query_one("#err-oauth_url", Label))
    assert not config_path.exists()


async def test_required_credentials_are_named(empty_ctx: AppContext) -> None:
    app = create_app(empty_ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "required" in text_of(app.screen.query_one("#err-client_secret", Label))


# -- issue 16: the screen as a first-time user fills it in -------------------------------------


async def _wait_for_test(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_focus_starts_on_the_first_empty_field(config_path: Path, db_path: Path) -> None:
    config_path.write_text('account_id = "acc-1"\n')
    ctx = AppContext(settings=load(env={}), db_path=db_path)
    app = create_app(ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.focused is app.screen.query_one("#in-client_id", Input)


async def test_fields_are_in_fill_order_region_before_its_urls(empty_ctx: AppContext) -> None:
    app = create_app(empty_ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        region = app.screen.query_one("#in-region", Select)
        region.value = "custom"
        await pilot.pause()
        region.focus()
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#in-api_url", Input)
        order = [w.id for w in app.screen.query("Input, Select")]
        assert order.index("in-region") < order.index("in-api_url") < order.index("in-oauth_url")
        assert order.index("in-client_secret") < order.index("in-region")


async def test_successful_test_then_5_opens_aggregate_and_leaves_every_field(
    demo_ctx: AppContext,
) -> None:
    app = create_app(demo_ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.query_one("#in-api_url", Input).focus()  # where the user was typing
        await pilot.pause()
        before = screen.form_state()
        await pilot.press("ctrl+t")
        await _wait_for_test(app, pilot)
        assert "Connected" in text_of(screen.query_one("#conn-result"))
        assert "Tested the saved settings" in text_of(screen.query_one("#conn-status"))
        assert app.focused is screen.query_one("#conn-test")  # out of the form
        await pilot.press("5")
        await pilot.pause()
        assert app.current_mode == "aggregate"
        assert screen.form_state() == before
        assert not screen.unsaved()


async def test_test_uses_the_form_as_shown_and_says_it_is_not_saved(
    demo_ctx: AppContext,
) -> None:
    app = create_app(demo_ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await _fill(app, {"client_secret": "wrong-secret"})
        await pilot.press("ctrl+t")
        await _wait_for_test(app, pilot)
        assert "failed" in text_of(screen.query_one("#conn-result")).lower()
        assert "not saved yet" in text_of(screen.query_one("#conn-status"))
        assert app.ctx.settings.client_secret != "wrong-secret"
        await _fill(app, {"client_secret": app.ctx.settings.client_secret})
        await pilot.press("ctrl+t")
        await _wait_for_test(app, pilot)
        assert "Connected" in text_of(screen.query_one("#conn-result"))


async def test_unsaved_marker_and_save_moves_focus_out_of_the_form(
    empty_ctx: AppContext, config_path: Path
) -> None:
    app = create_app(empty_ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        dirty = screen.query_one("#conn-dirty", Label)
        assert "unsaved" not in text_of(dirty)
        await pilot.press(*"acc-1")
        await _fill(app, {"client_id": "cid", "client_secret": "s3cret"})
        await pilot.pause()
        assert "unsaved" in text_of(dirty)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "unsaved" not in text_of(dirty)
        assert "Saved to" in text_of(screen.query_one("#conn-status"))
        assert not app._notifications  # said in place, not in a toast over the result
        assert app.focused is screen.query_one("#conn-test")
        await pilot.press("5")
        await pilot.pause()
        assert app.current_mode == "aggregate"
    assert load(env={}).account_id == "acc-1"


async def test_leaving_with_unsaved_edits_asks_save_discard_or_stay(
    empty_ctx: AppContext,
) -> None:
    app = create_app(empty_ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        await pilot.press(*"acc-1", "escape", "1")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedDialog)
        assert "Account ID" in text_of(app.screen.query_one("#unsaved-what"))
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert app.current_mode == "connection" and app.screen is form
        assert form.query_one("#in-account_id", Input).value == "acc-1"
        await pilot.press("1", "d")  # discard
        await pilot.pause()
        assert app.current_mode == "users"
        assert form.query_one("#in-account_id", Input).value == ""
        await pilot.press("6")
        await pilot.pause()
        await _fill(app, {"account_id": "acc-2", "client_id": "c", "client_secret": "s"})
        await pilot.press("escape", "2", "s")  # save
        await pilot.pause()
        assert app.current_mode == "runs"
    assert load(env={}).account_id == "acc-2"


async def test_save_from_the_question_stays_when_the_form_is_invalid(
    empty_ctx: AppContext, config_path: Path
) -> None:
    app = create_app(empty_ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"acc-1", "escape", "3", "s")
        await pilot.pause()
        assert app.current_mode == "connection"
        assert "required" in text_of(app.screen.query_one("#err-client_id", Label))
    assert not config_path.exists()


async def test_quitting_with_unsaved_edits_asks(empty_ctx: AppContext) -> None:
    app = create_app(empty_ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"acc-1", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and app.current_mode == "connection"
        await pilot.press("ctrl+q", "d")
        await pilot.pause()
        assert not app.is_running


async def test_quitting_without_edits_does_not_ask(empty_ctx: AppContext) -> None:
    app = create_app(empty_ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_notifications_never_cover_the_test_result(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("ctrl+t")
        await _wait_for_test(app, pilot)
        app.notify("A scheduled run finished with a rather long sentence.", title="Aggregation")
        await pilot.pause(0.3)
        result = app.screen.query_one("#conn-result")
        toasts = list(app.screen.query(Toast))
        assert toasts and result.region.height > 0
        for toast in toasts:
            assert not toast.region.overlaps(result.region)


async def test_a_secret_readable_by_others_is_warned_about(
    empty_ctx: AppContext, config_path: Path
) -> None:
    from textual.widgets import Static

    config_path.write_text('client_secret = "s3cr3t"\n')
    config_path.chmod(0o644)
    app = create_app(empty_ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        note = text_of(app.screen.query_one("#conn-note", Static))
        assert "other users may read it" in note and "chmod 600" in note


async def test_the_result_names_the_reclaim_actions_the_scopes_allow(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await _wait_for_test(app, pilot)
        result = app.screen.query_one("#conn-result")
        text = text_of(result)
        assert "reclaim" in text and "downgrade" in text and "deactivate" in text
        assert "list users ·" in text  # the working parts share one row
        assert result.region.bottom <= SIZE[1] - 1  # above the footer, not scrolled away


async def test_the_operation_logs_are_an_optional_line_that_names_the_scope(
    demo_ctx: AppContext,
) -> None:
    import dataclasses

    emulator = demo_ctx.emulator
    assert emulator is not None
    app = create_app(demo_ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await _wait_for_test(app, pilot)
        text = text_of(app.screen.query_one("#conn-result"))
        assert "operation logs: yes (reruns re-read only changed users)" in text
        without = frozenset(s for s in emulator.config.scopes if "operation_logs" not in s)
        emulator.config = dataclasses.replace(emulator.config, scopes=without)
        await pilot.press("ctrl+t")
        await _wait_for_test(app, pilot)
        result = app.screen.query_one("#conn-result")
        text = text_of(result)
        assert "✓ Connected" in text and "  missing" not in text
        assert "optional" in text and "report:read:operation_logs:admin" in text
        assert "re-read every licensed user" in text
        assert result.region.bottom <= SIZE[1] - 1  # still above the footer at 80x24
