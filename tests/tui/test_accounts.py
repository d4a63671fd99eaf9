"""Several accounts in the TUI: the demo's three, the Accounts screen, switching, new profiles."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input, Label, Static

from tests.tui.conftest import FIXED_NOW, SIZE, text_of
from zoomtui.emulator import Emulator
from zoomtui.services.accounts import DemoAccounts, ProfileAccounts
from zoomtui.services.context import AppContext
from zoomtui.tui.app import ZoomApp, create_app
from zoomtui.tui.screens.accounts import AccountsScreen
from zoomtui.tui.screens.switcher import NewProfileDialog, ProfileSwitcher
from zoomtui.tui.screens.users import UsersScreen


def truth(emulator: Emulator) -> tuple[int, int]:
    """The emulated account family's users (active + pending) and licensed users."""
    ds = emulator.dataset
    users = [u for a in ds.accounts for s in ("active", "pending") for u in ds.users_of(a.id, s)]
    return len(users), sum(1 for u in users if u["type"] == 2)


def domains(emulator: Emulator) -> set[str]:
    return {a.domain for a in emulator.dataset.accounts}


def shown_emails(app: ZoomApp) -> set[str]:
    screen = app.screen
    assert isinstance(screen, UsersScreen)
    rows = [screen.table.row_at(i) for i in range(screen.table.total)]
    return {str(r["email"]) for r in rows if r is not None}


@pytest.fixture
async def demo_accounts(db_path: Path) -> AsyncIterator[DemoAccounts]:
    from zoomtui.services.demo import demo_contexts, fill_demo_histories

    contexts = demo_contexts(db_path, clock=lambda: FIXED_NOW, users=120)
    await fill_demo_histories(contexts)
    accounts = DemoAccounts(contexts)
    yield accounts
    accounts.close()


async def wait_for(app: ZoomApp, pilot: Any, check: Any) -> None:
    for _ in range(100):
        await pilot.pause()
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the app never got there")


async def test_the_demo_has_three_accounts_and_accounts_shows_each_truth(
    demo_accounts: DemoAccounts, db_path: Path
) -> None:
    contexts = demo_accounts.contexts
    assert list(contexts) == ["acme", "globex", "initech"]
    tiers = {c.settings.rate_tier for c in contexts.values()}
    assert len(tiers) == 3 and len({c.db_path for c in contexts.values()}) == 3
    assert contexts["acme"].db_path == db_path  # the first keeps the demo's own database
    assert all(c.open_store().complete_runs() for c in contexts.values())

    first = contexts["acme"]
    app = create_app(first, schedule=False, accounts=demo_accounts)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AccountsScreen)
        assert screen.records == demo_accounts.summary()
        table = screen.query_one(DataTable)
        assert table.row_count == 3
        for row, name in enumerate(["acme", "globex", "initech"]):
            users, licensed = truth(contexts[name].emulator)
            record = next(r for r in screen.records if r["profile"] == name)
            assert (record["users"], record["licensed"]) == (users, licensed), name
            assert str(table.get_cell_at(Coordinate(row, table.get_column_index("users")))) == (
                f"{users:,}"
            )
        total = text_of(screen.query_one("#accounts-total", Static))
        assert f"{sum(truth(c.emulator)[0] for c in contexts.values()):,} users" in total

        # Sort by users, largest first: acme (the biggest demo account) leads.
        for _ in range(4):
            await pilot.press("s")
        await pilot.press("S")
        assert screen.shown()[0]["profile"] == "acme"
        assert [r["users"] for r in screen.shown()] == sorted(
            (r["users"] for r in screen.records), reverse=True
        )

        # Enter on globex: its Users screen, with globex's users and nobody else's.
        table.move_cursor(row=[r["profile"] for r in screen.shown()].index("globex"))
        await pilot.press("enter")
        await wait_for(app, pilot, lambda: isinstance(app.screen, UsersScreen))
        assert app.ctx.profile == "globex" and app.current_mode == "users"
        emails = shown_emails(app)
        assert len(emails) == truth(contexts["globex"].emulator)[0]
        assert {e.split("@")[1] for e in emails} <= domains(contexts["globex"].emulator)
        assert "globex" in text_of(app.screen.query_one("TopBar"))


@pytest.mark.parametrize("size", [(60, 20), SIZE, (120, 40)])
async def test_accounts_columns_are_whole_and_the_total_is_one_line_at_80(
    demo_accounts: DemoAccounts, size: tuple[int, int]
) -> None:
    app = create_app(demo_accounts.contexts["acme"], schedule=False, accounts=demo_accounts)
    async with app.run_test(size=size) as pilot:
        await pilot.press("7")
        await pilot.pause()
        screen = app.screen
        table = screen.query_one(DataTable)
        keys = [str(c.key.value) for c in table.columns.values()]
        assert "savings_per_year" in keys and "profile" in keys  # what the screen is for
        assert table.virtual_size.width <= table.scrollable_content_region.width  # none cut
        assert ("account_id" in keys) == (size[0] >= 120)
        hint = text_of(screen.query_one("#accounts-hint", Static), width=size[0] - 2)
        assert ("narrow: Account" in hint) == (size[0] < 120)
        total = screen.query_one("#accounts-total", Static)
        assert "savings/yr" in text_of(total)
        if size[0] >= 80:
            assert total.size.height == 1


async def test_switching_profile_changes_users_and_is_refused_during_a_run(
    demo_accounts: DemoAccounts,
) -> None:
    contexts = demo_accounts.contexts
    app = create_app(contexts["acme"], schedule=False, accounts=demo_accounts)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = shown_emails(app)
        assert {e.split("@")[1] for e in before} <= domains(contexts["acme"].emulator)

        app.runner.state.running = True  # an aggregation of acme is going
        await pilot.press("p")
        await pilot.pause()
        assert not isinstance(app.screen, ProfileSwitcher)
        assert any("running" in n.message for n in app._notifications)
        app.runner.state.running = False

        await pilot.press("p")
        await pilot.pause()
        switcher = app.screen
        assert isinstance(switcher, ProfileSwitcher)
        rows = switcher.query_one(DataTable)
        assert rows.row_count == 3
        rows.move_cursor(row=2)  # initech
        await pilot.press("enter")
        await wait_for(app, pilot, lambda: app.ctx.profile == "initech")
        await wait_for(app, pilot, lambda: isinstance(app.screen, UsersScreen))
        after = shown_emails(app)
        assert after and after.isdisjoint(before)
        assert {e.split("@")[1] for e in after} <= domains(contexts["initech"].emulator)
        assert len(after) == truth(contexts["initech"].emulator)[0]

        # The palette offers the same switch.
        from zoomtui.tui.palette import PALETTE_ACTIONS

        assert any(a.action == "app.switch_profile" for a in PALETTE_ACTIONS)


async def test_the_profile_switcher_is_shown_again_with_the_profiles_as_they_are_now(
    demo_accounts: DemoAccounts,
) -> None:
    """Built once and shown again: the list read afresh, the cursor on the current profile."""
    contexts = demo_accounts.contexts
    first_name, second, third = list(contexts)

    async def opened(app: ZoomApp, pilot: Any) -> tuple[ProfileSwitcher, str, str | None]:
        await pilot.press("p")
        await pilot.pause()
        switcher = app.screen
        assert isinstance(switcher, ProfileSwitcher)
        focused = switcher.focused
        return switcher, app.export_screenshot(), focused.id if focused else None

    cold = create_app(contexts[first_name], schedule=False, accounts=DemoAccounts(contexts))
    async with cold.run_test(size=SIZE) as pilot:
        await pilot.pause()
        _, new, new_focus = await opened(cold, pilot)

    accounts = DemoAccounts({first_name: contexts[first_name], second: contexts[second]})
    app = create_app(contexts[first_name], schedule=False, accounts=accounts)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        switcher, _, _ = await opened(app, pilot)
        rows = switcher.query_one(DataTable)
        assert rows.row_count == 2
        await pilot.press("down", "escape")  # the cursor moved off the current profile
        await pilot.pause()
        accounts.contexts[third] = contexts[third]  # a profile added meanwhile
        again, shown, focus = await opened(app, pilot)
        assert again is switcher  # built once, shown again
        assert rows.row_count == 3 and rows.cursor_row == 0
        assert (shown, focus) == (new, new_focus)  # what a new switcher shows
        await pilot.press("escape")
        await pilot.pause()

        del accounts.contexts[second]  # and one deleted
        await opened(app, pilot)
        assert [k.value for k in rows.rows] == [first_name, third]
        await pilot.press("down", "enter")
        await wait_for(app, pilot, lambda: app.ctx.profile == third)
        await wait_for(app, pilot, lambda: isinstance(app.screen, UsersScreen))
        # A new one: the dialogs built once go with the old account's screens.
        after, _, _ = await opened(app, pilot)
        assert after is not switcher
        rows = after.query_one(DataTable)
        assert rows.cursor_row == 1  # on the profile now in use
        assert rows.get_row_at(1)[0] == "●" and rows.get_row_at(0)[0] == ""


# -- real profiles -----------------------------------------------------------------------------


def profile_history(name: str, seed: int, users: int) -> Emulator:
    """A profile whose history holds one complete run of an in-process emulated account."""
    from zoomtui.emulator import Dataset, EmulatorConfig
    from zoomtui.services import profiles
    from zoomtui.services.aggregate import aggregate
    from zoomtui.services.demo import demo_settings

    profiles.add(name)
    profile = profiles.Profile(name)
    emulator = Emulator(
        Dataset.generate(users=users, seed=seed, start=FIXED_NOW),
        EmulatorConfig(rate_scale=1000),
        clock=lambda: FIXED_NOW,
    )
    settings = demo_settings()
    profile.config.write_text(f'account_id = "{settings.account_id}"\ninactive_days = 30\n')
    profile.database.parent.mkdir(parents=True, exist_ok=True)
    ctx = AppContext(
        settings=settings.updated(inactive_days=30),
        db_path=profile.database,
        clock=lambda: FIXED_NOW,
        transport=emulator.transport(),
        client_options={"rate_scale": 1000},
    )
    assert asyncio.run(aggregate(ctx)).status == "complete"
    ctx.close()
    return emulator


@pytest.fixture
def two_profiles(monkeypatch: pytest.MonkeyPatch) -> dict[str, Emulator]:
    # Profiles live in the (temporary) platform directories, not at ZOOMTUI_CONFIG / _DB.
    for var in ("ZOOMTUI_CONFIG", "ZOOMTUI_DB"):
        monkeypatch.delenv(var, raising=False)
    return {"acme": profile_history("acme", 11, 90), "globex": profile_history("globex", 22, 60)}


async def test_accounts_rows_equal_summary_and_enter_opens_that_profile(
    two_profiles: dict[str, Emulator],
) -> None:
    from zoomtui.cli import main
    from zoomtui.commands.common import to_json
    from zoomtui.services import profiles

    cli = CliRunner().invoke(main, ["summary", "--format", "json"], catch_exceptions=False)
    assert cli.exit_code == 0
    expected = json.loads(cli.stdout)
    assert [r["profile"] for r in expected] == ["default", "acme", "globex"]

    ctx = profiles.context_of(profiles.Profile("default"), clock=lambda: FIXED_NOW)
    app = create_app(ctx, schedule=False, accounts=ProfileAccounts(ctx, clock=lambda: FIXED_NOW))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AccountsScreen)
        assert json.loads(to_json(screen.records)) == expected
        for name, emulator in two_profiles.items():
            record = next(r for r in screen.records if r["profile"] == name)
            assert (record["users"], record["licensed"]) == truth(emulator)

        # Export: the same records as `zoomtui summary --format json`.
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#export-format").value = "json"
        await pilot.pause()
        target = Path.cwd() / "accounts.json"
        dialog.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        exported = json.loads(target.read_text())
        assert [r["profile"] for r in exported] == [r["profile"] for r in screen.shown()]
        assert sorted(exported, key=lambda r: r["profile"]) == sorted(
            expected, key=lambda r: r["profile"]
        )

        table = screen.query_one(DataTable)
        table.move_cursor(row=[r["profile"] for r in screen.shown()].index("acme"))
        await pilot.press("enter")
        await wait_for(app, pilot, lambda: isinstance(app.screen, UsersScreen))
        assert app.ctx.profile == "acme"
        assert app.ctx.db_path == profiles.Profile("acme").database
        emails = shown_emails(app)
        assert len(emails) == truth(two_profiles["acme"])[0]
        assert {e.split("@")[1] for e in emails} <= domains(two_profiles["acme"])


async def test_connection_creates_a_profile_and_edits_it(
    two_profiles: dict[str, Emulator],
) -> None:
    from zoomtui.services import profiles

    ctx = profiles.context_of(profiles.Profile("acme"), clock=lambda: FIXED_NOW)
    app = create_app(ctx, schedule=False, accounts=ProfileAccounts(ctx, clock=lambda: FIXED_NOW))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await pilot.pause()
        assert "Profile acme" in text_of(app.screen.query_one("#conn-note", Static))
        await pilot.press("ctrl+n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, NewProfileDialog)
        name = dialog.query_one(Input)
        message = dialog.query_one("#new-profile-message", Label)

        name.value = "../etc"
        await pilot.press("enter")
        await pilot.pause()
        assert "cannot be a profile name" in text_of(message)
        name.value = "globex"
        await pilot.press("enter")
        await pilot.pause()
        assert "exists already" in text_of(message) and app.screen is dialog
        name.value = "globexx"
        await pilot.pause()
        assert "Close to the existing profile 'globex'" in text_of(message)
        name.value = "initech"
        await pilot.press("enter")
        await wait_for(app, pilot, lambda: app.ctx.profile == "initech")
        await wait_for(app, pilot, lambda: app.current_mode == "connection")
        assert profiles.names() == ["default", "acme", "globex", "initech"]
        new = profiles.Profile("initech")
        assert new.config.stat().st_mode & 0o777 == 0o600
        assert "Profile initech" in text_of(app.screen.query_one("#conn-note", Static))
        account = app.screen.query_one("#in-account_id", Input)
        assert account.value == ""  # a fresh form, not acme's

        account.value = "initech-account"
        app.screen.query_one("#in-client_id", Input).value = "initech-client"
        app.screen.query_one("#in-client_secret", Input).value = "initech-secret"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert 'account_id = "initech-account"' in new.config.read_text()
        assert "initech-account" not in profiles.Profile("acme").config.read_text()
        assert "initech" in text_of(app.screen.query_one("TopBar"))
