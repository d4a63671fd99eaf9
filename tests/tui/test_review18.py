"""Review of the dialogs built once and shown again: cases a user can reach."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from tests.tui.conftest import reads_done, text_of
from tests.tui.test_accounts import demo_accounts, wait_for  # noqa: F401  (a fixture)
from zoomtui.services.accounts import DemoAccounts
from zoomtui.services.context import AppContext
from zoomtui.store import reclaim as db
from zoomtui.tui.app import create_app
from zoomtui.tui.screens import reclaim
from zoomtui.tui.screens.reclaim import ConfirmApply, ReclaimScreen
from zoomtui.tui.screens.seats import SeatsScreen

SIZE = (120, 30)


async def until(check: Any) -> None:
    """Plain sleeps: a Pilot pause would wait for the reader thread held below."""
    for _ in range(250):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the app never got there")


def held_reread(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """Hold the re-read that follows an apply until released."""
    release, entered = threading.Event(), threading.Event()
    original = reclaim.head_and_page

    def slow(*args: Any) -> Any:
        entered.set()
        release.wait(timeout=10)
        return original(*args)

    monkeypatch.setattr(reclaim, "head_and_page", slow)
    return release, entered


async def applied_and_rereading(app: Any, pilot: Any, entered: threading.Event) -> ReclaimScreen:
    await reads_done(app)
    await pilot.press("R")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, ReclaimScreen) and dialog.plan is not None
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(app.screen, ConfirmApply)
    await pilot.press("y")
    await until(entered.is_set)  # applied, told, and its items being read again
    assert app.screen is dialog
    return dialog


@pytest.mark.parametrize("key", ["escape", "t"])
async def test_a_key_while_the_applied_plan_is_read_again_breaks_nothing(
    demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    """Esc then R (the dialog shown again for a new plan), or t, as the apply's toast shows.

    The apply's worker read the applied plan's items again after it let keys in: the plan
    asked for meanwhile was replaced by the applied one (or, not yet stored, a crash).
    """
    release, entered = held_reread(monkeypatch)
    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await applied_and_rereading(app, pilot, entered)
        applied = dialog.plan
        assert applied is not None
        if key == "escape":
            dialog.action_close()
            await asyncio.sleep(0.05)
            if isinstance(app.screen, SeatsScreen):
                app.screen.action_reclaim()  # R again at once
        else:
            dialog.action_next_action()
        for _ in range(25):  # a plan asked for meanwhile (if the key was let in) is stored
            if dialog.plan is not None and dialog.plan["id"] != applied["id"]:
                break
            await asyncio.sleep(0.02)
        release.set()
        await reads_done(app)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and app.return_code is None
        shown = app.screen
        assert isinstance(shown, ReclaimScreen) and shown.plan is not None
        newest = max(p["id"] for p in db.plans(demo_ctx.open_store().conn))
        assert shown.plan["id"] == newest  # the plan last asked for, not one read again late
        assert shown.plan["action"] == shown.action.label
        summary = text_of(shown.query_one("#reclaim-plan-summary"))
        assert f"Plan P{shown.plan['id']} · {shown.plan['action']}" in summary


async def test_a_palette_opened_while_the_dialogs_are_forgotten_stays_in_one_stack(
    demo_accounts: DemoAccounts,  # noqa: F811
) -> None:
    """A profile switch removes the dialogs built once (``AheadBuilder.forget_dialogs``)
    after popping what was opened over "Switching profile…": a palette opened while they went (each
    takes time to go, as big ones do) stayed over it, then sat in two stacks at once."""
    from tests.tui.test_palette_again import opened_in_one_stack_then_switched
    from zoomtui.tui.palette import Palette

    app = create_app(demo_accounts.contexts["acme"], schedule=False, accounts=demo_accounts)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")  # the palette built once, installed
        await wait_for(app, pilot, lambda: isinstance(app.screen, Palette))
        await pilot.press("escape")
        await pilot.pause()
        forgetting = asyncio.Event()
        forget = app.ahead.forget_dialogs

        async def slow() -> None:
            forgetting.set()
            await asyncio.sleep(0.2)
            await forget()

        app.ahead.forget_dialogs = slow  # type: ignore[method-assign]
        app.switch_profile("globex")
        await until(forgetting.is_set)
        await pilot.press("ctrl+p")  # over "Switching profile…", the dialogs going
        await wait_for(app, pilot, lambda: app.ctx.profile == "globex")
        await wait_for(app, pilot, lambda: app.current_mode == "users" and not app.workers)
        if isinstance(app.screen, Palette):
            await pilot.press("escape")
            await pilot.pause()
        await opened_in_one_stack_then_switched(app, pilot)


@pytest.mark.parametrize("name", ["users", "columns", "reclaim"])
async def test_quitting_while_a_screen_is_built_ahead_ends_cleanly(
    demo_ctx: AppContext, name: str
) -> None:
    """q pressed while a screen or dialog was being built ahead (the first seconds of a
    session): its mount handlers ran on widgets Textual had closed, a traceback on exit."""
    app = create_app(demo_ctx, start_mode="seats", schedule=False, build_ahead=True)
    get_screen = app._get_screen

    def then_quit(screen: Any) -> Any:  # the builder mounts it, unseen: quit now
        got = get_screen(screen)
        if screen == name or type(got[0]).__name__.lower().startswith(name):
            app.exit()
        return got

    app._get_screen = then_quit  # type: ignore[method-assign]
    async with app.run_test(size=SIZE):
        app.ahead.quiet_s = 0.0
        await until(lambda: not app.is_running)
    assert app.return_code == 0 and app.crash is None
