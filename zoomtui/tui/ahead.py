"""Building the screens not shown yet while the operator is quiet, so a first visit is a return.

Why: Textual builds a screen the first time it is shown: composing, mounting and
styling 40-90 widgets, then its database reads. On 2 cores that was 0.15-0.45 s
of the event loop per screen before the key that asked for it was answered, and
1-2.5 s before the data of Seats, Diff and Reclaim was on screen at 100,000 users
(``bench/tui_speed.py``). Built ahead, showing it is what showing it again costs.

How: once the operator has not typed, clicked or scrolled for ``QUIET_S`` and no read is
under way, one screen is built: created, registered and mounted as Textual
does when it first shows a mode, but not shown. Its ``on_mount`` starts its
reads as on a first visit, and it is laid out for the terminal's size unless
a key was pressed meanwhile (that key would wait for the layout too); once those
reads landed, it is laid out and drawn once more, unseen, with what they brought.
The next one starts as this one ends, if the operator is still quiet, so a key
pressed meanwhile waits for one screen's building at most. A screen built ahead
is then like one shown before: what it shows is refreshed by the same signals (a
run finishing, the Runs screen's re-read when shown). Then the dialogs the app
shows again rather than builds each time (help, export, the user detail, the
column picker, the profile switcher, the palette, Reclaim) are built and
installed the same way. A profile switch forgets those dialogs (each holds the
screen it was last shown over), and quitting waits for the build under way.

The builder uses three private attributes of Textual's ``App`` (its modes, their
screen stacks, and the registration of a screen, all as ``App._init_mode`` uses
them). With a Textual that lacks them it stops building: screens are then built
when first shown, as before, only slower.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from textual.worker import WorkerState

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

QUIET_S = 1.0
"""Seconds without a key, a click or the wheel before a screen is built ahead."""

HANDLED_S = 1.0
"""The longest a dialog built ahead is waited for to handle what its unseen layout sent it."""

CHECK_S = 0.25
"""How often the app asks the builder whether to build the next screen."""

READS_S = 10.0
"""The longest a screen built ahead is waited for to read its data, before drawing it unseen."""


class AheadBuilder:
    """Builds the app's mode screens not shown yet, then its dialogs, while the operator is
    quiet, one after the other in ``modes`` order."""

    def __init__(
        self,
        app: App[Any],
        modes: Iterable[str],
        quiet_for: Callable[[], float],
        *,
        dialogs: Mapping[str, Callable[[], Screen[Any]]] | None = None,
        quiet_s: float = QUIET_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._app = app
        self._modes = tuple(modes)
        # Dialogs shown again rather than built each time (help, export, the detail, ...):
        # built after the modes, installed under their names, where the app looks for them.
        self._dialogs = dict(dialogs or {})
        self._quiet_for = quiet_for  # seconds since the operator's last key, click or scroll
        self.quiet_s = quiet_s
        self._clock = clock
        self._building = False
        self.enabled = True
        self.built: list[str] = []  # the modes built ahead, in order (the bench reads it)
        self.build_s: dict[str, float] = {}  # how long each took to mount

    async def forget_dialogs(self) -> None:
        """The dialogs built once go (a profile switch); they are built again while quiet.

        Why: each kept the screen it was last shown over (its dimmed backdrop, the
        palette's commands), so the old account's screens, and what they had read,
        stayed in memory after a profile switch.
        """
        app = self._app
        for name in self._dialogs:
            if app.is_screen_installed(name):
                built = app.get_screen(name)
                if built not in app.screen_stack:
                    app.uninstall_screen(name)
                    await built.remove()

    def pending(self) -> list[str]:
        """The modes whose screen does not exist yet, then the dialogs not installed."""
        stacks = getattr(self._app, "_screen_stacks", None)
        if not isinstance(stacks, dict):
            return []
        modes = [mode for mode in self._modes if mode not in stacks]
        return modes + [n for n in self._dialogs if not self._app.is_screen_installed(n)]

    def done(self) -> bool:
        return not self.enabled or not self.pending()

    def stop_then(self, then: Callable[[], None]) -> None:
        """Stop building; ``then`` once the build under way has ended (the app's exit).

        Why: a screen or dialog still mounting when Textual closed the app ran its mount
        handlers on widgets already closed: quitting in the first seconds of a session
        printed a traceback and ended non-zero. Stopped, the build ends at its next step.
        """
        self.enabled = False
        building = [
            w
            for w in self._app.workers
            if w.group == "ahead" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
        ]
        if not building:
            then()
            return

        async def ended_then() -> None:
            with contextlib.suppress(TimeoutError):  # never stuck: then at worst as before
                await asyncio.wait_for(self._app.workers.wait_for_complete(building), 2.0)
            then()

        self._app.run_worker(ended_then(), group="exit")

    def _busy(self) -> bool:
        """A read or a profile switch under way (a run, or a reclaim apply, does not count)."""
        return any(
            w.state in (WorkerState.PENDING, WorkerState.RUNNING)
            and (w.group.startswith("read-") or w.group in ("profile", "navigate"))
            for w in self._app.workers
        )

    def tick(self) -> None:
        """Build the next screen if the operator is quiet and nothing is being read.

        In a worker of its own: awaiting the mounting here, in the app's message
        loop, held every key pressed meanwhile until the whole screen was mounted.
        """
        if self._building or not self.enabled or not self._app.is_running:
            return
        if self._quiet_for() < self.quiet_s or self._busy():
            return
        pending = self.pending()
        if not pending:
            return
        self._building = True
        self._app.run_worker(self._build(pending[0]), group="ahead", exit_on_error=False)

    async def _build(self, mode: str) -> None:
        """Create and mount ``mode``'s screen as ``App._init_mode`` does, without showing it."""
        app: Any = self._app
        try:
            if mode in self._dialogs:
                await self._mount_dialog(app, mode)
            else:
                await self._mount(app, mode)
        finally:
            self._building = False
        # The next one at once, not at the next check: a quarter of a second between
        # builds made the first seconds, when a key finds screens not built yet, longer.
        if self.enabled and self.pending():
            self._app.call_later(self.tick)

    async def _mount_dialog(self, app: Any, name: str) -> None:
        """Install and mount the dialog ``name`` as ``push_screen`` would, without showing it."""
        try:
            load_css, get_screen = app._load_screen_css, app._get_screen
        except AttributeError:
            self.enabled = False
            return
        start = self._clock()
        try:
            screen = self._dialogs[name]()
            load_css(screen)
            app.install_screen(screen, name)
            screen, mounted = get_screen(name)
            await mounted
        except Exception:  # left to be built when first asked for, as before
            if app.is_screen_installed(name) and app.get_screen(name) not in app.screen_stack:
                with contextlib.suppress(Exception):
                    built = app.get_screen(name)
                    app.uninstall_screen(name)
                    await built.remove()
            self.enabled = False
            return
        await self._draw_unseen(app, screen)
        self.built.append(name)
        self.build_s[name] = round(self._clock() - start, 3)

    async def _draw_unseen(self, app: Any, screen: Screen[Any]) -> None:
        """Lay ``screen`` out for the terminal and draw it once, unseen, while quiet.

        So its widgets' lines are ready when it is first shown (help's 78-row table, the
        export form, the Seats bars and tables once their reads landed). Twice, each
        after the screen handled what the step before sent it: the Resize of its first
        layout (help adds its rows then), then its scrollbars' updates from the first
        drawing. Help's first showing 142 -> 73 ms at 100,000 users and 120x40, none of
        its table's 51 visible cells drawn then. A key pressed meanwhile ends it, and a
        screen shown meanwhile is drawn by Textual (drawing it here would take what it
        has to repaint). Textual's private compositor: without it the screen is drawn
        when shown, as before.
        """
        for _ in range(2):
            if not self._unseen(app, screen):
                return
            screen._refresh_layout(app.size)
            await self._handled(screen)
            if not self._unseen(app, screen):
                return
            screen._refresh_layout(app.size)
            with contextlib.suppress(Exception):
                screen._compositor.render_update(full=True)
            await self._handled(screen)

    def _unseen(self, app: Any, screen: Screen[Any]) -> bool:
        """Whether ``screen`` may be drawn unseen now: the operator is quiet, and it is
        neither shown nor gone (a profile switch removes the old account's screens)."""
        return (
            self.enabled
            and self._quiet_for() >= self.quiet_s
            and screen.is_attached
            and screen not in app.screen_stack
        )

    async def _reads_landed(self) -> bool:
        """Once no read is under way (``READS_S`` at most): whether none is."""
        waited = 0.0
        while self._busy():
            if waited >= READS_S or not self._app.is_running or not self.enabled:
                return False
            await asyncio.sleep(CHECK_S / 5)
            waited += CHECK_S / 5
        return True

    @staticmethod
    async def _handled(screen: Screen[Any]) -> None:
        """Once ``screen`` has handled the messages sent to it so far (one second at most)."""
        done = asyncio.Event()
        screen.call_later(done.set)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), HANDLED_S)

    async def _mount(self, app: Any, mode: str) -> None:
        try:
            factory = app._modes[mode]
            stacks = app._screen_stacks
            load_css, get_screen = app._load_screen_css, app._get_screen
        except AttributeError:
            self.enabled = False  # a Textual without them: screens are built when shown
            return
        start = self._clock()
        screen = None
        try:
            screen = factory()
            load_css(screen)
            screen, mounted = get_screen(screen)
            stacks[mode] = [screen]  # switch_mode now shows it as a screen shown before
            await mounted
        except Exception:
            # Building stops and this mode is left to be built when first shown, where an
            # error shows to the operator who asked for it (a worker would swallow it
            # here, and the builder retry it at every check). An error in the screen's
            # own handlers (compose, mount) goes to the app as on a first visit.
            if screen is not None and stacks.get(mode) == [screen]:
                del stacks[mode]
                with contextlib.suppress(Exception):
                    await screen.remove()
            self.enabled = False
            return
        if self._quiet_for() >= self.quiet_s:  # else it is laid out when shown, as before
            screen._refresh_layout(app.size)  # for the terminal, as on being shown
            # Its reads landed, laid out and drawn with what they brought: Seats' bars
            # and tables were drawn and laid out when first shown, 0.19 s more than
            # showing it again at 100,000 users (``bench/tui_speed.py --ahead``).
            if await self._reads_landed():
                await self._draw_unseen(app, screen)
        self.built.append(mode)
        self.build_s[mode] = round(self._clock() - start, 3)
