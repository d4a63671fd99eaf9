"""The Textual application: modes, keymap, theme memory and the shared aggregation runner."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import ClassVar

from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel

from zoomtui.errors import ZoomtuiError
from zoomtui.services.context import AppContext
from zoomtui.text import safe_text
from zoomtui.tui.actions import ACTIONS, APP, MODES, UserAction, bindings_for
from zoomtui.tui.commands import ActionsProvider
from zoomtui.tui.runner import RunController
from zoomtui.tui.screens import SCREENS
from zoomtui.tui.screens.base import ZoomScreen
from zoomtui.tui.screens.dialogs import UnsavedDialog
from zoomtui.tui.screens.help import HelpScreen


class ZoomApp(App[None]):
    """zoomtui: one mode per screen, switched with one digit; the core lives in services."""

    CSS_PATH = "app.tcss"
    TITLE = "zoomtui"
    COMMANDS = App.COMMANDS | {ActionsProvider}
    MODES: ClassVar = dict(SCREENS)
    BINDINGS: ClassVar[list[Binding]] = bindings_for(APP)  # type: ignore[assignment]

    def __init__(self, ctx: AppContext, *, start_mode: str = "users", schedule: bool = True):
        super().__init__()
        self.ctx = ctx
        self.start_mode = start_mode
        self.runner = RunController(self, schedule=schedule)
        self._theme_ready = False
        self.crash: BaseException | None = None  # what ended the app, for the exit sentence
        if self.console.color_system in ("standard", "windows"):
            # 16 colours (TERM=xterm): the theme's shades all become black, so fields, focus
            # and buttons get colours of their own in app.tcss (App.-sixteen-colours).
            self.add_class("-sixteen-colours")

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification as plain text: messages quote Zoom's errors and users' names.

        ``markup`` is accepted for Textual's signature and ignored: no notification of
        ours uses markup, and a message holding ``[@click=…]`` must stay words.
        """
        super().notify(
            safe_text(message),
            title=safe_text(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def _handle_exception(self, error: Exception) -> None:
        """An unhandled error ends the app non-zero; ours without a traceback.

        Textual sets the return code to 1 and prints a traceback with locals. An error of
        ours carries a one-sentence ``message`` that ``run_app`` prints instead: a
        traceback would only bury it (and its locals hold users' names).
        """
        self.crash = error
        if not is_ours(error):
            super()._handle_exception(error)
            return
        self._return_code = 1
        if self._exception is None:  # Pilot re-raises it, so tests still see the failure
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()

    def on_mount(self) -> None:
        self.apply_settings()
        self.switch_mode(self.start_mode)
        self.theme_changed_signal.subscribe(self, lambda _theme: self._save_theme())
        self._theme_ready = True
        self.runner.start_schedule()

    def apply_settings(self) -> None:
        """Apply the keymap and theme from the settings (after load or save)."""
        settings = self.ctx.settings
        keymap = dict(getattr(settings, "keymap", {}) or {})
        self.set_keymap(keymap)
        unknown = sorted(set(keymap) - {a.id for a in ACTIONS})
        if unknown:  # Textual ignores them silently; the operator should know why
            self.notify(
                f"Unknown keymap ids ignored: {', '.join(unknown)} (the README lists the ids).",
                severity="warning",
                timeout=10,
            )
        theme = getattr(settings, "theme", "") or ""
        if theme and theme in self.available_themes:
            self.theme = theme

    def _save_theme(self) -> None:
        """Remember the chosen theme in the settings file (not in the demo)."""
        if not self._theme_ready or self.ctx.settings.theme == self.theme:
            return
        from zoomtui.tui.config_io import save_field

        with contextlib.suppress(Exception):
            save_field(self, "theme", self.theme)

    def _mode_screen(self) -> ZoomScreen | None:
        """The current mode's own screen, under any dialog shown over it."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, ZoomScreen):
                return screen
        return None

    def leave_then(self, proceed: Callable[[], object]) -> None:
        """Leave the current screen through its own check (unsaved edits ask first)."""
        if isinstance(self.screen, UnsavedDialog):
            return  # already asking; answer that first
        screen = self._mode_screen()
        if screen is None:
            proceed()
        else:
            screen.leave_then(proceed)

    async def action_switch_mode(self, mode: str) -> None:
        """Switch screens, unless the current one has unsaved edits and the operator stays."""
        if mode != self.current_mode:
            self.leave_then(lambda: self.switch_mode(mode))

    async def action_quit(self) -> None:
        """Quit (ctrl+q), asking first when the Connection form has unsaved edits."""
        self.leave_then(self.exit)

    def action_leave_field(self) -> None:
        """Take the focus out of an input, so digits switch screens instead of typing."""
        self.screen.set_focus(None)

    def action_help(self) -> None:
        """Show every key and command."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def show_diff(self, run_a: int, run_b: int) -> None:
        """Open the Diff screen on two runs (from the Runs screen)."""
        from zoomtui.tui.screens.diff import DiffScreen

        async def go() -> None:
            await self.switch_mode("diff")
            screen = self.screen
            if isinstance(screen, DiffScreen):
                screen.pair = (run_a, run_b)
                screen.compare((run_a, run_b))

        self.run_worker(go(), group="navigate")

    async def run_user_action(self, action: UserAction) -> None:
        """Run a declared action from the palette, switching to its screen first."""
        if action.scope == APP:
            await self.run_action(action.action)
        elif self.current_mode == action.scope:
            await self.screen.run_action(action.action)
        else:

            async def go() -> None:
                await self.switch_mode(action.scope)
                await self.screen.run_action(action.action)

            self.leave_then(lambda: self.run_worker(go(), group="palette"))


def is_ours(error: BaseException) -> bool:
    """One of zoomtui's own errors (``ZoomtuiError``), which carries a one-sentence message."""
    return isinstance(error, ZoomtuiError)


def create_app(ctx: AppContext, *, start_mode: str = "users", schedule: bool = True) -> ZoomApp:
    """The one app factory used by the CLI, the tests and the screenshot script."""
    if start_mode not in dict(MODES):
        raise ValueError(f"Unknown screen {start_mode!r}.")
    return ZoomApp(ctx, start_mode=start_mode, schedule=schedule)
