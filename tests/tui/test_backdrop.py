"""A dialog dims the screen under it exactly as Textual does, and again only when it changed."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from zoomtui.services.context import AppContext
from zoomtui.tui.app import create_app
from zoomtui.tui.palette import Palette
from zoomtui.tui.screens.base import Dialog

SIZE = (60, 16)
CSS = """
#box { width: 30; height: 5; border: round $accent; background: $surface; }
"""


class Under(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("\n".join(f"line {i} of the screen under" for i in range(14)), id="under")


class Ours(Dialog[None]):
    DEFAULT_CSS = CSS

    def compose(self) -> ComposeResult:
        yield Label("a dialog", id="box")


class Textuals(ModalScreen[None]):
    DEFAULT_CSS = CSS

    def compose(self) -> ComposeResult:
        yield Label("a dialog", id="box")


class Host(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Under())


def text_and_styles(app: App[Any]) -> list[list[tuple[str, str]]]:
    """Each segment of the terminal as painted: its text and its style."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return [
        [(seg.text, str(seg.style)) for strip in line for seg in strip] for line in update.strips
    ]


async def painted(dialog: type[Screen[None]], change: str | None = None) -> list[Any]:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.push_screen(dialog())
        await pilot.pause()
        if change is not None:
            app.screen_stack[-2].query_one("#under", Static).update(change)
            await pilot.pause()
            await pilot.pause()
        return text_and_styles(app)


async def test_a_dialog_dims_what_is_under_it_as_textual_does() -> None:
    ours = await painted(Ours)
    assert ours == await painted(Textuals)
    assert any("line 9 of the screen under" in "".join(t for t, _ in line) for line in ours)


async def test_a_change_under_an_open_dialog_shows_through_it() -> None:
    ours = await painted(Ours, change="\n" * 9 + "changed meanwhile")
    assert ours == await painted(Textuals, change="\n" * 9 + "changed meanwhile")
    text = "\n".join("".join(t for t, _ in line) for line in ours)
    assert "changed meanwhile" in text
    assert "line 9 of the screen under" not in text


async def test_the_screen_under_is_tinted_again_only_when_it_changed() -> None:
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = Ours()
        await app.push_screen(dialog)
        await pilot.pause()
        memo = dialog._backdrop_memo
        assert memo is not None
        hits, tinted = memo.hits, memo.tinted
        dialog.refresh()  # a paint with nothing changed under it
        await pilot.pause()
        assert (memo.hits, memo.tinted) == (hits + 1, tinted)
        app.screen_stack[-2].query_one("#under", Static).update("\n" * 9 + "changed")
        await pilot.pause()
        await pilot.pause()
        assert memo.tinted == tinted + 1  # the lines under it changed
        assert "changed" in "".join(t for line in text_and_styles(app) for t, _ in line)
        lines = memo.lines_tinted
        app.screen_stack[-2].query_one("#under", Static).update("\n" * 9 + "changed again")
        await pilot.pause()
        await pilot.pause()
        assert memo.lines_tinted == lines + 1  # the one line of 16 that changed, not all


ONE_LINE_CHANGED = "\n".join(
    f"line {i} of the screen under" if i != 9 else "line 9 changed meanwhile" for i in range(14)
)


async def test_a_dialog_over_a_screen_changed_in_one_line_dims_it_as_textual_does() -> None:
    ours = await painted(Ours, change=ONE_LINE_CHANGED)
    assert ours == await painted(Textuals, change=ONE_LINE_CHANGED)
    assert any("line 9 changed meanwhile" in "".join(t for t, _ in line) for line in ours)


async def test_the_command_palette_dims_once_too(empty_ctx: AppContext) -> None:
    app = create_app(empty_ctx, schedule=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, Palette)
        assert app.screen._backdrop_memo is not None  # drawn through a Backdrop
        await pilot.press("ctrl+p")  # already open: not a second palette
        await pilot.pause()
        assert sum(isinstance(s, Palette) for s in app.screen_stack) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, Palette)
