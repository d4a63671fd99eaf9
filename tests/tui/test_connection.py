"""Connection screen: saving settings, errors in place, passing and failing Test Connection."""

from __future__ import annotations

import stat
from pathlib import Path

from textual.widgets import Input, Label, Select

from zoomtui.services.context import AppContext
from zoomtui.settings import load
from zoomtui.tui.app import create_app

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
