"""The users filter bar's hosting filters select exactly what the CLI's options select."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from typing import Any

from textual.widgets import Input

from zoomtui.services.context import AppContext
from zoomtui.services.users import UserFilter, query_users
from zoomtui.tui.app import create_app
from zoomtui.tui.screens.seats import RECLAIM_COLUMNS
from zoomtui.tui.screens.users import COLUMNS, to_user_filter
from zoomtui.tui.widgets.window_table import WindowTable

from .conftest import FIXED_NOW, SIZE, reads_done, text_of


async def settle(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_into(pilot: Any, box: str, text: str) -> None:
    """Focus a filter box, replace what it holds by typing ``text``, press Enter."""
    field = pilot.app.screen.query_one(box, Input)
    field.focus()
    field.value = ""
    await pilot.press(*text, "enter")
    await settle(pilot)


async def shown_emails(table: WindowTable) -> list[str]:
    """Every row of the table; pages past the first are read in workers, waited for."""
    for i in range(0, table.total, WindowTable.PAGE_SIZE):
        table.row_at(i)
    await reads_done(table.app)
    return [str(table.row_at(i)["email"]) for i in range(table.total)]  # type: ignore[index]


def cli_emails(ctx: AppContext, flt: UserFilter) -> list[str]:
    """What ``zoomtui users`` with the same options lists (its UserFilter, its sort)."""
    return [r["email"] for r in query_users(ctx, flt).rows]


async def test_typed_hosting_filters_match_the_cli(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen, table = app.screen, app.screen.query_one(WindowTable)
        await pilot.press("f")  # the filter rows
        await type_into(pilot, "#f-not-hosted", "60")
        # `zoomtui users --not-hosted-days 60`
        expected = cli_emails(demo_ctx, UserFilter(not_hosted_days=60))
        assert to_user_filter(screen.state) == UserFilter(not_hosted_days=60)
        assert await shown_emails(table) == expected
        everyone = query_users(demo_ctx, UserFilter()).total
        assert 0 < table.total < everyone  # some host, some do not: the filter did something
        assert "not hosted in 60d" in text_of(screen.query_one("#users-counts"), width=200)

        # `... --plan Licensed --inactive-days 90 --not-hosted-days 60 --hosted-minutes-below 120`
        await type_into(pilot, "#f-inactive", "90")
        await type_into(pilot, "#f-hosted-min", "120")
        flt = UserFilter(inactive_days=90, not_hosted_days=60, hosted_minutes_below=120).validated()
        assert to_user_filter(screen.state) == flt
        assert await shown_emails(table) == cli_emails(demo_ctx, flt)
        counts = text_of(screen.query_one("#users-counts"), width=200)
        assert "idle ≥90d" in counts and "hosted <120 min in 60d" in counts

        # Minutes alone: the window is the inactive_days setting, as in the CLI, and says so.
        await type_into(pilot, "#f-not-hosted", "")
        await type_into(pilot, "#f-inactive", "")
        days = demo_ctx.settings.inactive_days
        flt = UserFilter(hosted_minutes_below=120)
        minutes_only = cli_emails(demo_ctx, flt)
        assert await shown_emails(table) == minutes_only
        assert f"hosted <120 min in {days}d" in text_of(screen.query_one("#users-counts"), 200)
        hosts_a_lot = set(cli_emails(demo_ctx, UserFilter())) - set(minutes_only)
        assert hosts_a_lot  # somebody hosted 120 minutes or more: the filter left them out


async def test_hosting_filters_combine_with_a_plan(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen, table = app.screen, app.screen.query_one(WindowTable)
        await pilot.press("f")
        screen.query_one("#f-plan").value = "Licensed"
        await settle(pilot)
        await type_into(pilot, "#f-not-hosted", "30")
        flt = UserFilter(plans=("Licensed",), not_hosted_days=30)
        assert to_user_filter(screen.state) == flt
        licensed_quiet = cli_emails(demo_ctx, flt)
        assert await shown_emails(table) == licensed_quiet
        licensed = cli_emails(demo_ctx, UserFilter(plans=("Licensed",)))
        assert set(licensed_quiet) < set(licensed)
        rows = [table.row_at(i) for i in range(table.total)]
        assert all(r is not None and r["meetings_last_n_days"] == 0 for r in rows)

        table.focus()
        await pilot.press("x")  # clear: the hosting boxes empty too
        await settle(pilot)
        assert screen.query_one("#f-not-hosted", Input).value == ""
        assert to_user_filter(screen.state) == UserFilter()


async def test_hosting_columns_are_offered_and_filled(demo_ctx: AppContext) -> None:
    app = create_app(demo_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(WindowTable)
        keys = [c.key for c in table.columns]
        assert "last_hosted_month" not in keys  # off by default: 80 columns keep the e-mail
        hosting = [c for c in COLUMNS if c.key in ("last_hosted_month", "needs_licence")]
        table.set_columns([table.columns[0], *hosting])
        row = next(
            r for i in range(table.total) if (r := table.row_at(i)) and r["last_hosted_month"]
        )
        assert hosting[0].text(row) == row["last_hosted_month"]
        assert hosting[1].text(row) in ("yes", "no")
    assert {"last_hosted_month", "needs_licence"} <= {c.key for c in RECLAIM_COLUMNS}


async def test_hosting_filter_without_host_report_says_so(empty_ctx: AppContext) -> None:
    """No run read the host report: the counts line explains, nobody is called a non-host."""
    from zoomtui.services.demo import demo_context, fill_demo_history

    ctx = demo_context(empty_ctx.db_path, clock=lambda: FIXED_NOW, users=40, fill=False)
    await fill_demo_history(ctx)
    ctx.close()
    with closing(sqlite3.connect(empty_ctx.db_path)) as conn, conn:
        conn.execute("DELETE FROM hosting")  # as if the report scope had always been missing
        conn.execute("DELETE FROM hosting_months")
    app = create_app(empty_ctx, schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await type_into(pilot, "#f-not-hosted", "60")
        assert app.screen.query_one(WindowTable).total == 0
        assert "Hosting is not known yet" in text_of(app.screen.query_one("#users-counts"), 200)


async def test_seats_name_idle_candidates_whose_hosting_needs_a_licence(
    demo_ctx: AppContext,
) -> None:
    from zoomtui.services.seats import reclaim

    idle = reclaim(demo_ctx, inactive_days=30).candidates
    sam = idle[0]["email"]  # idle by logins, yet hosts an all-hands: README's "Sam"
    demo_ctx.open_store().conn.execute(
        "INSERT OR REPLACE INTO hosting (email, month, zoom_id, account_id, meetings, "
        "participants, meeting_minutes, fetched_at, complete) "
        "VALUES (?, '2026-02', ?, ?, 1, 450, 180, '2026-03-01T00:00:00Z', 1)",
        (sam.casefold(), idle[0]["id"] or "", idle[0]["account_id"]),
    )
    app = create_app(demo_ctx, start_mode="seats", schedule=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_into(pilot, "#reclaim-days", "30")
        expected = reclaim(demo_ctx, inactive_days=30)
        assert expected.needs_licence_count == 1  # still a candidate: "idle" reads logins
        summary = text_of(app.screen.query_one("#reclaim-summary"), width=200)
        assert f"{expected.count:,} idle licensed" in summary
        assert "1 still need one by hosting" in summary
        table = app.screen.query_one("#reclaim-table", WindowTable)
        shown = {r["email"]: r for i in range(table.total) if (r := table.row_at(i))}
        needs = next(c for c in table.columns if c.key == "needs_licence")
        assert needs.text(shown[sam]) == "yes"
        assert {needs.text(r) for e, r in shown.items() if e != sam} <= {"no", ""}
