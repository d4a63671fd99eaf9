"""End-to-end flows on the in-process demo account: runs, filters, diff, export, connection."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

from textual.widgets import Button, Input, Label

from zoomtui.services.context import AppContext
from zoomtui.services.runs import list_runs
from zoomtui.services.users import UserFilter, query_users
from zoomtui.tui.app import create_app
from zoomtui.tui.screens.dialogs import ExportDialog
from zoomtui.tui.screens.diff import DiffScreen
from zoomtui.tui.widgets.window_table import WindowTable

from .conftest import SIZE, text_of


async def test_start_an_aggregation_and_see_it_complete(demo_ctx: AppContext) -> None:
    before = len(list_runs(demo_ctx))
    app = create_app(demo_ctx, start_mode="aggregate", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = app.runner.state.result
        assert result is not None and result.status == "complete"
        assert "complete" in text_of(app.screen.query_one("#run-status"))
        assert any("complete" in line for line in app.runner.state.log)
        assert "Pace settled on: " in text_of(app.screen.query_one("#run-waits"))
        assert "Medium" in text_of(app.screen.query_one("#run-waits"))
    assert len(list_runs(demo_ctx)) == before + 1


async def test_cancel_an_aggregation(demo_ctx: AppContext) -> None:
    emulator = demo_ctx.emulator
    # Slow enough that "c" always lands mid-run, however loaded the machine (cancel is prompt).
    emulator.config = dataclasses.replace(emulator.config, latency_ms=3000)
    app = create_app(demo_ctx, start_mode="aggregate", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert app.runner.running
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.runner.state.result.status == "cancelled"
        assert not app.screen.query_one("#run-start", Button).disabled
    statuses = [r["status"] for r in list_runs(demo_ctx)]
    assert statuses[-1] == "cancelled" or "cancelled" in statuses


async def test_filtering_users(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(WindowTable)
        await pilot.pause()
        default_total = query_users(demo_ctx, UserFilter(), limit=1).total
        assert table.total == default_total > 0
        await pilot.press("d")  # deactivated users one key away
        await pilot.pause()
        everyone = query_users(
            demo_ctx, UserFilter(statuses=("active", "pending", "inactive")), limit=1
        ).total
        assert table.total == everyone > default_total
        await pilot.press("d", "slash", *"example.com")
        await pilot.press("enter")
        await pilot.pause()
        assert table.total == query_users(demo_ctx, UserFilter(search="example.com")).total
        await pilot.press("ctrl+a")  # leave nothing half-typed
        app.screen.query_one("#search", Input).value = "no-such-user-zz"
        await pilot.press("enter")
        await pilot.pause()
        assert table.total == 0
        assert "0 of" in text_of(app.screen.query_one("#users-counts"))


async def test_comparing_two_marked_runs(demo_ctx: AppContext) -> None:
    complete = sorted(r["id"] for r in list_runs(demo_ctx) if r["status"] == "complete")
    app = create_app(demo_ctx, start_mode="runs", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the runs are read in a worker: wait until they are listed
        await pilot.press("space", "down", "down", "space", "c")  # newest first
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.current_mode == "diff"
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        assert screen.pair == (complete[-3], complete[-1])
        summary = text_of(screen.query_one("#diff-summary"))
        assert f"Run {complete[-3]} → {complete[-1]}" in summary
        assert screen.rows  # demo weeks always change something


async def _submit_export(app, pilot) -> None:  # type: ignore[no-untyped-def]
    app.screen.query_one("#export-path", Input).focus()
    await pilot.press("enter")
    await pilot.pause()


async def test_export_users_never_overwrites_silently(demo_ctx: AppContext, tmp_path: Path) -> None:
    target = tmp_path / "out" / "users.csv"
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one("#export-path", Input).value = str(target)
        await _submit_export(app, pilot)
        await pilot.pause()
        rows = list(csv.DictReader(target.open(encoding="utf-8")))
        assert len(rows) == query_users(demo_ctx, UserFilter()).total
        assert "client_secret" not in rows[0]
        target.write_text("keep me")
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await _submit_export(app, pilot)
        await pilot.pause()
        assert "exists" in text_of(app.screen.query_one("#export-message", Label))
        assert target.read_text() == "keep me"
        app.screen.query_one("#export-format").value = "json"
        await pilot.pause()
        json_target = Path(app.screen.query_one("#export-path", Input).value)
        assert json_target.suffix == ".json"
        await _submit_export(app, pilot)
        await pilot.pause()
        assert isinstance(json.loads(json_target.read_text()), list)
        assert target.read_text() == "keep me"
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await _submit_export(app, pilot)
        await _submit_export(app, pilot)  # the second press confirms the overwrite
        assert target.read_text().startswith("id,") or "email" in target.read_text()


async def test_connection_test_passes_with_demo_credentials(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        report = app.screen.last_report
        assert report is not None and report.ok
        assert all(cap.available for cap in report.capabilities.values())
        assert "Connected" in text_of(app.screen.query_one("#conn-result"), width=200)


async def test_connection_test_fails_with_a_wrong_secret(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#in-client_secret", Input).value = "wrong-secret"
        await pilot.press("ctrl+t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        report = app.screen.last_report
        assert report is not None and not report.ok and report.error
        text = text_of(app.screen.query_one("#conn-result"), width=200)
        assert "failed" in text.lower()
        assert "wrong-secret" not in text
    assert demo_ctx.settings.client_secret != "wrong-secret"  # testing never saves


async def test_missing_scope_is_named(demo_ctx: AppContext) -> None:
    emulator = demo_ctx.emulator
    scopes = frozenset(s for s in emulator.config.scopes if not s.startswith("report:"))
    emulator.config = dataclasses.replace(emulator.config, scopes=scopes)
    app = create_app(demo_ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        report = app.screen.last_report
        assert report is not None and report.ok
        assert not report.capabilities["sign_ins"].available
        text = text_of(app.screen.query_one("#conn-result"), width=200)
        assert "missing" in text and "report:read" in text


async def test_brackets_step_the_users_view_through_earlier_runs(demo_ctx: AppContext) -> None:
    complete = [r["id"] for r in list_runs(demo_ctx) if r["status"] == "complete"]
    assert len(complete) >= 2
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        counts = app.screen.query_one("#users-counts")
        assert f"Run {complete[-1]} (latest)" in text_of(counts)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert f"Run {complete[-2]} (older run" in text_of(counts)
        older = query_users(demo_ctx, UserFilter(), complete[-2]).total
        assert app.screen.query_one(WindowTable).total == older
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert f"Run {complete[-1]} (latest)" in text_of(counts)


def test_release_empties_a_fresh_export_list_a_slice_at_a_time() -> None:
    from zoomtui.tui.screens.exporting import RELEASE_STEP, release

    records = [{"n": n} for n in range(RELEASE_STEP * 2 + 7)]
    release(records)
    assert records == []


async def test_an_export_of_what_a_screen_holds_leaves_it_whole(
    demo_ctx: AppContext, tmp_path: Path
) -> None:
    """Only a fetch that reads a new list (``fresh``) is emptied after writing."""
    app = create_app(demo_ctx, start_mode="runs", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        runs = len(app.screen.runs)
        for name in ("a.csv", "b.csv"):
            await pilot.press("e")
            await pilot.pause()
            app.screen.query_one("#export-path", Input).value = str(tmp_path / name)
            await _submit_export(app, pilot)
            await pilot.pause()
        assert len(app.screen.runs) == runs
        for name in ("a.csv", "b.csv"):
            assert len(list(csv.DictReader((tmp_path / name).open(encoding="utf-8")))) == runs


async def test_the_export_dialog_asks_afresh_each_time_it_is_shown_again(
    demo_ctx: AppContext, tmp_path: Path
) -> None:
    from textual.widgets import Select

    target = tmp_path / "users.json"
    target.write_text("keep me")
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        first = app.screen
        assert isinstance(first, ExportDialog)
        default = first.query_one("#export-path", Input).value
        first.query_one("#export-format", Select).value = "json"
        first.query_one("#export-path", Input).value = str(target)
        await _submit_export(app, pilot)  # exists: asks to confirm
        assert first.query_one("#export-ok", Button).label.plain == "Overwrite"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("4")  # Seats: its candidates' export
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert app.screen is first  # built once, shown again
        title = text_of(first.query_one(".dialog-title", Label))
        assert title.startswith("Export reclaim candidates (")
        assert first.query_one("#export-format", Select).value == "csv"
        assert first.query_one("#export-path", Input).value != str(target)
        assert first.query_one("#export-path", Input).value.endswith(".csv")
        assert first.query_one("#export-path", Input).has_focus
        assert text_of(first.query_one("#export-message", Label)).strip() == ""
        assert first.query_one("#export-ok", Button).label.plain == "Export"
        assert default.endswith(".csv")
    assert target.read_text() == "keep me"
