"""The Textual application: modes, keymap, theme memory and the shared aggregation runner."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from typing import Any, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.notifications import SeverityLevel
from textual.worker import Worker, WorkerState

from zoomtui.errors import ZoomtuiError
from zoomtui.services.accounts import Accounts, DemoAccounts, ProfileAccounts
from zoomtui.services.context import AppContext
from zoomtui.text import safe_text
from zoomtui.tui import palette
from zoomtui.tui.actions import ACTIONS, APP, MODES, UserAction, bindings_for
from zoomtui.tui.ahead import CHECK_S, AheadBuilder
from zoomtui.tui.collector import Collector, FreezingReader
from zoomtui.tui.errors import error_text
from zoomtui.tui.palette import PALETTE_DIALOG, Palette, PaletteProvider, palette_dialog
from zoomtui.tui.runner import RunController, RunState
from zoomtui.tui.screens import SCREENS, SWITCHING, SwitchingScreen
from zoomtui.tui.screens.base import ZoomScreen, dialog_again
from zoomtui.tui.screens.dialogs import COLUMNS_DIALOG, UnsavedDialog
from zoomtui.tui.screens.exporting import EXPORT_DIALOG, unprepared_export_dialog
from zoomtui.tui.screens.help import HelpScreen, keymap_of
from zoomtui.tui.screens.reclaim import RECLAIM_DIALOG, unprepared_reclaim_dialog
from zoomtui.tui.screens.switcher import SWITCHER_DIALOG, ProfileSwitcher, switcher_dialog
from zoomtui.tui.screens.users import (
    DETAIL_DIALOG,
    unprepared_column_picker,
    unprepared_detail_dialog,
)

OPERATOR_INPUT = (
    events.Key,
    events.MouseDown,
    # Scrolling a table with the wheel is using the app: a screen built meanwhile held
    # the scrolling for its 0.15-0.45 s (ahead.py), as a full collection would.
    events.MouseScrollDown,
    events.MouseScrollUp,
    events.MouseScrollLeft,
    events.MouseScrollRight,
)
"""What the operator does that puts off the work done in quiet moments."""

QUIET_CHECK_S = 2.0
"""How often the app looks for a quiet moment for the collector's full pass (collector.py)."""


class ZoomApp(App[None]):
    """zoomtui: one mode per screen, switched with one digit; the core lives in services."""

    CSS_PATH = "app.tcss"
    TITLE = "zoomtui"
    COMMANDS: ClassVar = {PaletteProvider}  # Textual's system commands included (palette.py)
    MODES: ClassVar = {**SCREENS, SWITCHING: SwitchingScreen}
    BINDINGS: ClassVar[list[Binding]] = bindings_for(APP)  # type: ignore[assignment]

    def __init__(
        self,
        ctx: AppContext,
        *,
        start_mode: str = "users",
        schedule: bool = True,
        accounts: Accounts | None = None,
        build_ahead: bool = False,
    ):
        super().__init__()
        self.ctx = ctx
        if accounts is None:
            accounts = DemoAccounts({ctx.profile: ctx}) if ctx.demo else ProfileAccounts(ctx)
        self.accounts = accounts
        self.start_mode = start_mode
        self.runner = RunController(self, schedule=schedule)
        self.collector = Collector()
        # The screens' database reads, off the loop; what they bring back is frozen (collector.py).
        self.reader = FreezingReader(lambda: self.ctx, self.collector)
        # The other screens, built while the operator is quiet (ahead.py): off in tests,
        # whose screens are built when they show them, on in ``zoomtui tui``.
        self.ahead = AheadBuilder(
            self,
            [m for m, _ in MODES],
            self.collector.quiet_for,
            dialogs={
                HELP_SCREEN: HelpScreen,
                EXPORT_DIALOG: unprepared_export_dialog,
                DETAIL_DIALOG: unprepared_detail_dialog,
                COLUMNS_DIALOG: unprepared_column_picker,
                SWITCHER_DIALOG: ProfileSwitcher,
                **({PALETTE_DIALOG: Palette} if palette.REUSABLE else {}),
                RECLAIM_DIALOG: unprepared_reclaim_dialog,
            },
        )
        self.ahead.enabled = build_ahead
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
        self.set_interval(QUIET_CHECK_S, self.collector.tick)
        if self.ahead.enabled:
            self.set_interval(CHECK_S, self.ahead.tick)

    def on_unmount(self) -> None:
        self.reader.close()
        self.collector.close()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, OPERATOR_INPUT):
            # The collector's full pass and the screens built ahead wait for a quiet moment.
            self.collector.input_seen()
        await super().on_event(event)

    def apply_settings(self, *, keep_unset: bool = False) -> None:
        """Apply the keymap and theme from the settings (after load or save).

        ``keep_unset`` (after a profile switch): a profile that sets no keymap keeps the
        keys the operator was using, since keys belong to the person, not the account.
        """
        settings = self.ctx.settings
        keymap = dict(getattr(settings, "keymap", {}) or {})
        if keymap or not keep_unset:
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

    def exit(self, *args: Any, **kwargs: Any) -> None:
        """Exit once the screen being built ahead is mounted (``AheadBuilder.stop_then``)."""
        self.ahead.stop_then(lambda: super(ZoomApp, self).exit(*args, **kwargs))

    async def action_quit(self) -> None:
        """Quit (ctrl+q), asking first when the Connection form has unsaved edits."""
        self.leave_then(self.exit)

    def action_leave_field(self) -> None:
        """Take the focus out of an input, so digits switch screens instead of typing."""
        self.screen.set_focus(None)

    # -- profiles -------------------------------------------------------------------------------

    def action_switch_profile(self) -> None:
        """Pick another profile (Zoom account) from a list, re-read each time it is shown."""
        if isinstance(self.screen, ProfileSwitcher) or not self._may_switch():
            return

        def chosen(name: str | None) -> None:
            if name is not None:
                self.switch_profile(name)

        self.push_screen(switcher_dialog(self), chosen)

    def _may_switch(self) -> bool:
        """No switch while this account's aggregation or a reclaim apply runs."""
        if busy_workers(self, "reclaim"):
            self.notify(
                f"A reclaim of {self.ctx.profile} is being applied: wait for it to finish "
                "before switching accounts.",
                title="Switch profile",
                severity="warning",
                timeout=8,
            )
            return False
        if not self.runner.running:
            return True
        self.notify(
            f"An aggregation of {self.ctx.profile} is running: wait for it to finish, or "
            "cancel it on the Aggregate screen (c), before switching accounts.",
            title="Switch profile",
            severity="warning",
            timeout=8,
        )
        return False

    def switch_profile(self, name: str, mode: str | None = None) -> None:
        """Make ``name`` the app's account and show ``mode`` (default: the current screen).

        Every screen is built afresh on the new account's settings and history, so
        none can show the old account's data (filters, marked runs and forms go too).
        """
        if not self._may_switch():
            return
        self.leave_then(
            lambda: self.run_worker(self._switch(name, mode), group="profile", exclusive=True)
        )

    async def _switch(self, name: str, mode: str | None) -> None:
        target = mode or (self.current_mode if self.current_mode in dict(MODES) else "users")
        try:
            ctx = self.accounts.open(name)
            ctx.open_store()  # an unreadable history is one sentence here, before any change
        except Exception as exc:
            self.notify(error_text(exc), title="Switch profile", severity="error", timeout=8)
            return
        await self.switch_mode(SWITCHING)
        old, self.ctx = self.ctx, ctx
        if old is not ctx:
            old.close()
        self.runner.state = RunState()
        for mode_name, _label in MODES:
            await self.remove_mode(mode_name)
            self.add_mode(mode_name, SCREENS[mode_name])
        self.apply_settings(keep_unset=True)
        # What was opened over "Switching profile…" meanwhile (the palette, help) goes:
        # left on that stack it came back over the next switch, and a dialog shown again
        # (``dialog_again``) would then sit in two stacks at once.
        # Again after the dialogs built once went: one opened while they went stayed too.
        while True:
            while self.current_mode == SWITCHING and len(self.screen_stack) > 1:
                await self.pop_screen()
            await self.ahead.forget_dialogs()
            if self.current_mode != SWITCHING or len(self.screen_stack) == 1:
                break
        await self.switch_mode(target)
        self.notify(f"Now on profile {name}.", title="Switch profile")

    def action_command_palette(self) -> None:
        """Textual's palette, as ``App.action_command_palette`` opens it, built once."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(palette_dialog(self))

    def action_help(self) -> None:
        """Show every key and command.

        The help screen is built once and shown again (composing it and adding its 78
        rows was most of the 0.15-0.2 s it took to open); it is built anew when the keys
        changed since (a keymap saved on the Connection screen, a profile switch).
        """
        if isinstance(self.screen, HelpScreen):
            return
        if self.is_screen_installed(HELP_SCREEN):
            built = self.get_screen(HELP_SCREEN)
            if not isinstance(built, HelpScreen) or built.keymap != keymap_of(self):
                self.uninstall_screen(HELP_SCREEN)
                built.remove()
        self.push_screen(dialog_again(self, HELP_SCREEN, HelpScreen, HelpScreen, lambda _: None))

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


def busy_workers(app: App[Any], group: str) -> list[Worker[Any]]:
    """The app's workers whose group starts with ``group`` and that have not finished."""
    return [
        w
        for w in app.workers
        if w.group.startswith(group) and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
    ]


def is_ours(error: BaseException) -> bool:
    """One of zoomtui's own errors (``ZoomtuiError``), which carries a one-sentence message."""
    return isinstance(error, ZoomtuiError)


HELP_SCREEN = "help"
"""The name the help screen is installed under: built once, shown again."""

# How long a thread may hold the GIL while another waits for it. Python's 5 ms
# default made the event loop wait up to 0.1-0.3 s behind a reading thread (an
# export of 91,643 rows): the loop gives the GIL up at every select() and other
# blocking call, and took it back only after a full interval each time. At 1 ms
# the loop's longest wait in that export is 6 ms, and the export is faster
# (8.0 s instead of 10-11 s); bench/tui_speed.py measures both.
SWITCH_INTERVAL_S = 0.001


def create_app(
    ctx: AppContext,
    *,
    start_mode: str = "users",
    schedule: bool = True,
    accounts: Accounts | None = None,
    build_ahead: bool = False,
) -> ZoomApp:
    """The one app factory used by the CLI, the tests and the screenshot script."""
    if start_mode not in dict(MODES):
        raise ValueError(f"Unknown screen {start_mode!r}.")
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    return ZoomApp(
        ctx, start_mode=start_mode, schedule=schedule, accounts=accounts, build_ahead=build_ahead
    )
