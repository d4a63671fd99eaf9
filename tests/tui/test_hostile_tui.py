"""Hostile Zoom data in the TUI: every screen, the user detail and every dropdown.

The account is the demo's with ``hostile=True``: every third user's names, department and
e-mail address carry OSC 52 / OSC 0 sequences, CSI codes, C1 controls, bidi overrides,
``[/]``, ``[@click=app.quit]`` and ``[link=…]`` (``zoomtui.emulator.hostile_text``), and the
emulator appends such a payload to its error texts. What reaches the terminal is what the
compositor renders: every segment's text is checked for control, C1 and bidi characters,
and every segment's style for a link or a click action that came from the data.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from textual.app import App
from textual.widgets import Select

from zoomtui.emulator.hostile_text import ERROR_PAYLOAD, PAYLOADS
from zoomtui.errors import ZoomtuiError
from zoomtui.services.context import AppContext
from zoomtui.services.diff import diff_runs
from zoomtui.services.users import UserFilter, query_users
from zoomtui.tui.app import ZoomApp, create_app
from zoomtui.tui.screens.dialogs import UserDetailScreen
from zoomtui.tui.widgets.window_table import WindowTable

from .conftest import FIXED_NOW

BIG = (220, 150)  # every user of the small account on one screen
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
FORBIDDEN = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI}]")  # written out, not zoomtui.text's
ALL_STATUSES = ("active", "pending", "inactive")


@pytest.fixture
async def hostile_ctx(db_path: Path) -> AsyncIterator[AppContext]:
    """The small demo account, hostile, with its history of runs."""
    from zoomtui.services.demo import demo_context, fill_demo_history

    ctx = demo_context(db_path, clock=lambda: FIXED_NOW, users=120, fill=False, hostile=True)
    await fill_demo_history(ctx)
    yield ctx
    ctx.close()


def rendered(app: App[None]) -> str:
    """The text of every screen in the stack; fails on anything the data could do to a terminal.

    Segments with ``control`` set are Textual's own cursor moves; every other segment's text
    is written to the terminal as it is.
    """
    lines = []
    for screen in app.screen_stack:
        for strip in screen._compositor.render_strips():
            for segment in strip:
                if segment.control:
                    continue
                bad = FORBIDDEN.search(segment.text)
                assert bad is None, f"{bad.group()!r} reaches the terminal in {segment.text!r}"
                style = segment.style
                if style is not None:
                    assert "evil" not in (style.link or ""), segment
                    assert "app.quit" not in repr(style.meta), segment
            lines.append(strip.text)
    return "\n".join(lines)


async def settle(app: App[None], pilot: object) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


def flat(value: object) -> str:
    """Every string inside ``value``, joined (``str`` of a dict would escape them)."""
    if isinstance(value, dict):
        return " ".join(flat(k) + " " + flat(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return " ".join(flat(v) for v in value)
    return str(value)


def hostile_rows(ctx: AppContext) -> list[dict[str, object]]:
    rows = query_users(ctx, UserFilter(statuses=ALL_STATUSES)).rows
    return [r for r in rows if any(p in flat(r) for p in PAYLOADS)]


async def test_the_account_really_is_hostile(hostile_ctx: AppContext) -> None:
    rows = hostile_rows(hostile_ctx)
    for payload in PAYLOADS:  # each payload in some stored name, dept and address
        head = payload[:200]  # the very long name is cut at storage (per-field limits)
        for field in ("first_name", "last_name", "dept", "email"):
            assert any(head in str(r[field]) for r in rows), (payload, field)
    diff = diff_runs(hostile_ctx)
    assert any(p in flat(dataclasses.asdict(diff)) for p in PAYLOADS)


async def test_users_screen_and_deactivated_users(hostile_ctx: AppContext) -> None:
    app = create_app(hostile_ctx, schedule=False)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        text = rendered(app)
        assert "␛]" in text and "[@click=" in text  # shown as words (cells are narrow)
        assert "⟨U+202E⟩" in text
        await pilot.press("d")  # deactivated users too
        await settle(app, pilot)
        rendered(app)
        assert app.screen.query_one(WindowTable).total > 100
        await pilot.press("slash", *"[/]")  # odd search text is text too
        await pilot.pause(0.3)
        assert "“[/]”" in rendered(app)
        assert app.is_running


async def test_every_filter_dropdown_opens_and_filters(hostile_ctx: AppContext) -> None:
    app = create_app(hostile_ctx, schedule=False)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        await pilot.press("d", "f")  # deactivated users too: some departments are only theirs
        for name in ("plan", "addon", "account", "dept"):
            select = app.screen.query_one(f"#f-{name}", Select)
            select.focus()
            await pilot.press("enter")  # the overlay with every option
            await pilot.pause()
            assert select.expanded
            rendered(app)
            await pilot.press("escape")
            await pilot.pause()
        dept = app.screen.query_one("#f-dept", Select)
        options = [v for _, v in dept._options if isinstance(v, str)]
        hostile = [v for v in options if any(p in v for p in PAYLOADS)]
        assert hostile, options
        for value in hostile:
            dept.value = value
            await settle(app, pilot)
            text = rendered(app)
            assert "dept " in text  # the counts line names the chosen department, defused
            assert app.screen.query_one(WindowTable).total >= 1
        assert app.is_running


async def test_the_detail_of_every_kind_of_hostile_user(hostile_ctx: AppContext) -> None:
    rows = hostile_rows(hostile_ctx)
    picked = {}
    for row in rows:  # one user per payload in the first name (the field that crashed)
        for payload in PAYLOADS:
            if payload[:200] in str(row["first_name"]):  # long names are cut at storage
                picked.setdefault(payload, row)
    assert len(picked) == len(PAYLOADS)
    app = create_app(hostile_ctx, schedule=False)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        screen = app.screen
        for row in picked.values():
            screen.show_detail(str(row["email"]))  # type: ignore[attr-defined]
            await settle(app, pilot)
            assert isinstance(app.screen, UserDetailScreen)
            text = rendered(app)
            assert "Bob [/]" in text or "[/]" not in str(row["first_name"])
            await pilot.press("escape")
            await pilot.pause()
        assert app.is_running and app.return_code is None


@pytest.mark.parametrize("mode", ["runs", "diff", "seats"])
async def test_history_screens(hostile_ctx: AppContext, mode: str) -> None:
    app = create_app(hostile_ctx, start_mode=mode, schedule=False)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        text = rendered(app)
        if mode == "diff":
            assert "␛" in text or "⟨U+" in text  # hostile users were added or changed
            for _ in range(3):
                await pilot.press("k")  # added, removed, changed
                await pilot.pause()
                rendered(app)
        if mode == "seats":
            assert "␛" in text  # reclaim candidates include hostile users


class Forbidden(httpx.AsyncBaseTransport):
    """Zoom answers 403 with a hostile text to paths ending in ``suffixes``; the rest goes on."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *suffixes: str) -> None:
        self.inner, self.suffixes = inner, suffixes

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(self.suffixes):
            body = {"code": 200, "message": f"No permission. {ERROR_PAYLOAD}"}
            return httpx.Response(403, json=body)
        return await self.inner.handle_async_request(request)


async def test_aggregate_notes_errors_and_notifications(hostile_ctx: AppContext) -> None:
    emulator_transport = hostile_ctx.transport
    assert emulator_transport is not None
    hostile_ctx.transport = Forbidden(emulator_transport, "/plans/usage")  # a note quotes it
    app = create_app(hostile_ctx, start_mode="aggregate", schedule=False)
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("r")
        await settle(app, pilot)
        result = app.runner.state.result
        assert result is not None and result.status == "complete"
        assert "\x1b" in flat(result.notes)  # the notes quote Zoom's hostile text
        rendered(app)

        hostile_ctx.transport = Forbidden(emulator_transport, "/users")
        await pilot.press("r")
        await settle(app, pilot)
        assert app.runner.state.result.status == "failed"
        text = rendered(app)  # status line, log and the error notification
        assert "[@click=app.quit]x[/]" in text
        stored = max(hostile_ctx.open_store().runs(), key=lambda r: r.id)
        assert stored.status == "failed" and "\x1b" not in (stored.error or "")
        assert "␛]0;pwned" in (stored.error or "")
        await pilot.press("1")
        await settle(app, pilot)
        await app.switch_mode("runs")
        await settle(app, pilot)
        text = rendered(app)  # the highlighted (latest) run's error, defused
        assert "failed: Zoom does not allow" in text and "␛]0;pwned" in text
        assert app.is_running


async def test_connection_report_quotes_zoom_safely(hostile_ctx: AppContext) -> None:
    assert hostile_ctx.transport is not None  # seats: the capability's detail quotes Zoom
    hostile_ctx.transport = Forbidden(hostile_ctx.transport, "/plans/usage", "/summary")
    app = create_app(hostile_ctx, start_mode="connection", schedule=False)
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert app.screen.last_report is not None  # type: ignore[attr-defined]
        text = rendered(app)
        assert "␛]0;pwned" in text and "Bob [/]" in text


async def test_notifications_are_never_markup(hostile_ctx: AppContext) -> None:
    app = create_app(hostile_ctx, schedule=False)
    async with app.run_test(size=BIG) as pilot:
        await settle(app, pilot)
        app.notify(f"[@click=app.quit]x[/] {PAYLOADS[0]}", title=PAYLOADS[1])
        app.screen.notify("Bob [/] [link=https://evil.example/]x[/link]", severity="error")
        await pilot.pause()
        shown = list(app._notifications)
        assert [n.message for n in shown] == [
            "[@click=app.quit]x[/] ␛]52;c;aGFja2VkIGNsaXBib2FyZA==␇",
            "Bob [/] [link=https://evil.example/]x[/link]",
        ]
        assert shown[0].title == "␛]0;pwned window title␛\\"
        assert not any(n.markup for n in shown)  # a toast shows them as words
        rendered(app)
        assert app.is_running


class Boom(ZoomtuiError):
    """An error of ours: one sentence in ``message``."""


async def test_an_unhandled_error_of_ours_ends_the_app_non_zero(hostile_ctx: AppContext) -> None:
    app = create_app(hostile_ctx, schedule=False)
    with pytest.raises(Boom):
        async with app.run_test(size=BIG) as pilot:
            await settle(app, pilot)

            def explode() -> None:
                raise Boom(f"The history broke {PAYLOADS[0]}.")

            app.call_later(explode)
            await pilot.pause()
    assert app.return_code == 1 and isinstance(app.crash, Boom)


def test_run_app_exits_with_the_apps_code_and_one_sentence(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], empty_ctx: AppContext
) -> None:
    import zoomtui.tui as tui
    import zoomtui.tui.app as app_module

    class Crashed:
        return_code = 1
        crash: BaseException = Boom(f"The history broke {PAYLOADS[0]}.")
        ctx = empty_ctx  # the account the app ended on

        def run(self) -> None:
            return None

    monkeypatch.setattr(app_module, "create_app", lambda ctx, **kwargs: Crashed())
    monkeypatch.setattr(tui, "_quiet_logging", lambda: None)  # keeps the zoomtui logger as is
    monkeypatch.setattr("zoomtui.services.context.context_from_env", lambda db: empty_ctx)
    with pytest.raises(SystemExit) as exited:
        tui.run_app()
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert err == "zoomtui: The history broke ␛]52;c;aGFja2VkIGNsaXBib2FyZA==␇.\n"

    Crashed.crash = KeyError("bug")
    with pytest.raises(SystemExit) as exited:
        tui.run_app()
    assert exited.value.code == 1
    assert "unexpected error (KeyError)" in capsys.readouterr().err

    Crashed.return_code = 0
    tui.run_app()  # a normal quit: no exit, nothing said
    assert capsys.readouterr().err == ""


def test_zoomapp_is_what_create_app_makes(empty_ctx: AppContext) -> None:
    assert isinstance(create_app(empty_ctx, schedule=False), ZoomApp)
