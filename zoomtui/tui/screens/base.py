"""What every mode's screen shares: title bar, footer, run updates and error reporting."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from textual import events, on
from textual._context import NoActiveAppError, active_app
from textual.app import App, ComposeResult
from textual.screen import ModalScreen, Screen

from zoomtui import paths
from zoomtui.tui.actions import MODES
from zoomtui.tui.backdrop import DimmedOnce, ScreenMixin
from zoomtui.tui.collector import Collector, collector_of
from zoomtui.tui.errors import error_text
from zoomtui.tui.messages import RunFinished, RunStarted
from zoomtui.tui.widgets.footer import QuickFooter
from zoomtui.tui.widgets.top_bar import TopBar

if TYPE_CHECKING:
    from zoomtui.services.context import AppContext
    from zoomtui.tui.app import ZoomApp


PALETTE_HINT_WIDTH = 100
"""The narrowest terminal whose footer also shows the command palette's key."""

SCREENS_HINT_WIDTH = 80
"""The narrowest terminal whose footer also shows "1234567 Screens" (app.tcss hides it)."""


def keep_layout(screen: Screen[Any], event: events.Resize) -> None:
    """Skip Textual's second layout of a screen that has just been laid out at this size.

    Why: laying a screen out when it is first shown sends the screen a Resize, and
    Textual's own handler of it lays the screen out again, and every screen under a
    dialog with it: a sixth of the loop's time to open the user detail at 100,000
    users. A real resize of the terminal reaches the screen while it has its old size.
    """
    app = screen.app
    breakpoints = (
        screen.HORIZONTAL_BREAKPOINTS
        if screen.HORIZONTAL_BREAKPOINTS is not None
        else app.HORIZONTAL_BREAKPOINTS,
        screen.VERTICAL_BREAKPOINTS
        if screen.VERTICAL_BREAKPOINTS is not None
        else app.VERTICAL_BREAKPOINTS,
    )
    if any(breakpoints):
        return  # Textual's handler sets the breakpoint classes (Seats' narrow form)
    if event.size == screen.outer_size:
        event.prevent_default()


ResultT = TypeVar("ResultT")
DialogT = TypeVar("DialogT", bound=Screen[Any])


def dialog_again(
    app: App[Any],
    name: str,
    kind: type[DialogT],
    fresh: Callable[[], DialogT],
    prepare: Callable[[DialogT], object],
) -> DialogT:
    """The dialog installed as ``name``, prepared for this use; else a new one, installed.

    Why: a dialog built once (or ahead, ``tui/ahead.py``) and shown again skips composing,
    styling and first laying out its widgets: most of the time its key took to answer.
    One already open (a dialog takes the keys, so it never is) gets a fresh one; so does
    one still being built ahead: composed already, it would not show what ``prepare`` set.
    """
    if app.is_screen_installed(name):
        dialog = app.get_screen(name)
        if isinstance(dialog, kind) and dialog.is_mounted and dialog not in app.screen_stack:
            prepare(dialog)
            return dialog
        return fresh()
    dialog = fresh()
    app.install_screen(dialog, name)
    return dialog


class RestyledWhenChanged(ScreenMixin):
    """Mixed in before a screen or dialog shown again and again: restyled only when needed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._styled_for = self._style_inputs()  # styled as it mounts

    def _style_inputs(self) -> Hashable:
        """What the app contributes to this screen's styles, besides the screen's own nodes."""
        with contextlib.suppress(NoActiveAppError):
            app = active_app.get()
            return (getattr(app, "_css_update_count", None), app.classes, app.pseudo_classes)
        return None

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Let Textual restyle the whole screen on showing it only when that can change it.

        Why: Textual restyles every node of a screen each time it is shown (twice on a
        first visit), in case the app's classes, focus or theme changed while another
        screen was shown: 20–100 ms of the event loop per switch. Textual runs each
        class's handler in turn (no super call here): ``Screen._on_screen_resume``
        runs after this one and skips the restyle when told. A theme change still restyles
        (the CSS generation is part of the inputs), so does a change of the app's
        focus, dark/light or classes. A dialog shown again (``dialog_again``) restyled
        every node too: help's table then drew each visible cell again through Rich.
        """
        inputs = self._style_inputs()
        if inputs is not None and inputs == self._styled_for:
            event.refresh_styles = False
        self._styled_for = inputs


class Dialog(DimmedOnce, RestyledWhenChanged, ModalScreen[ResultT]):
    """A modal screen over a mode's screen, laid out once when shown (``keep_layout``).

    The screen under it is dimmed once per change of that screen (``tui/backdrop.py``).
    """

    @on(events.Resize)
    def _keep_layout(self, event: events.Resize) -> None:
        keep_layout(self, event)


class ZoomScreen(RestyledWhenChanged, Screen[None]):
    """A mode's screen; subclasses yield their body from ``compose_body``."""

    MODE: ClassVar[str] = ""

    _tickets: dict[str, int]

    def __init__(self) -> None:
        super().__init__()
        # Why: Textual re-parses the whole stylesheet and restyles every node of every
        # screen built so far (``App.refresh_css``) when it first shows a screen whose
        # CSS generation differs from the app's, and a new screen starts at -1. Its
        # widgets are styled with the current stylesheet as they mount, so a first
        # visit paid 0.1–0.8 s of the event loop for nothing; a theme change still
        # bumps the app's generation and so restyles this screen when next shown.
        # A private attribute: read defensively, so a Textual without it only costs time.
        with contextlib.suppress(NoActiveAppError):
            generation = getattr(active_app.get(), "_css_update_count", None)
            if isinstance(generation, int) and hasattr(self, "_css_update_count"):
                self._css_update_count = generation
        self._collector: Collector | None = None
        self._pause_collector()

    def _pause_collector(self) -> None:
        """No cycle-collector pass while this screen is built; its widgets frozen once shown.

        Why: composing, styling and mounting a screen's 30-90 widgets allocated enough
        to run the collector's passes on the loop: 15-25 ms of a first visit of
        Connection or Aggregate (``bench/tui_speed.py --breakdown``). The widgets live
        as long as the app, as what a read brings back does, so the app's collector
        treats the build as it treats a read (``tui/collector.py``): no automatic pass
        until it is done, then frozen. A screen never shown lets go when unmounted; at
        worst the collector resumes by itself after ``LONGEST_PAUSE_S``.
        """
        with contextlib.suppress(NoActiveAppError):
            if collector := collector_of(active_app.get()):
                collector.reading()
                self._collector = collector

    def _resume_collector(self) -> None:
        collector, self._collector = self._collector, None
        if collector is not None:
            collector.landed()

    def ticket(self, read: str) -> int:
        """Number a new request of ``read`` (a reload, a diff); see ``is_latest``.

        Why not exclusive workers: cancelling a worker does not stop the SQLite query
        in its thread, and a cancelled worker makes ``workers.wait_for_complete`` fail.
        The older read finishes and its answer is dropped instead.
        """
        if not hasattr(self, "_tickets"):
            self._tickets = {}
        self._tickets[read] = self._tickets.get(read, 0) + 1
        return self._tickets[read]

    def is_latest(self, read: str, ticket: int) -> bool:
        """Whether ``ticket`` is still the newest request of ``read``."""
        return getattr(self, "_tickets", {}).get(read) == ticket

    def reading(self, group: str) -> bool:
        """Whether a read of this screen's worker ``group`` is under way."""
        return any(w.group == group and not w.is_finished for w in self.app.workers)

    @property
    def zapp(self) -> ZoomApp:
        return cast("ZoomApp", self.app)

    @property
    def ctx(self) -> AppContext:
        return self.zapp.ctx

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield from self.compose_body()
        yield QuickFooter(show_command_palette=self._palette_hint())

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.zapp.runner.subscribe(self)
        self.update_top_bar()
        self.call_after_refresh(self._resume_collector)  # built and drawn: see _pause_collector

    def on_unmount(self) -> None:
        self.zapp.runner.unsubscribe(self)
        self._resume_collector()

    @on(events.Resize)
    def _keep_layout(self, event: events.Resize) -> None:
        keep_layout(self, event)

    def on_resize(self) -> None:
        self.update_top_bar()
        # Below 80 columns "1234567 Screens" pushed "f1 Help" and "p Profile" out of the
        # footer; the tab bar above already numbers every screen.
        footer = self.query_one(QuickFooter)
        footer.tight = self.app.size.width < SCREENS_HINT_WIDTH
        # Below 100 columns the palette's "^p palette" pushed the screen's last keys
        # ("p Profile" at 80) out of the footer; help and the README still name ctrl+p.
        footer.show_command_palette = self._palette_hint()

    def _palette_hint(self) -> bool:
        return self.app.size.width >= PALETTE_HINT_WIDTH

    def update_top_bar(self) -> None:
        state = self.zapp.runner.state
        status = ""
        if state.running:
            status = "aggregation running…"
        # The profile is named once there is more than one account to tell apart.
        profile = self.ctx.profile
        several = self.ctx.demo or profile != paths.DEFAULT_PROFILE
        self.query_one(TopBar).show(
            MODES,
            self.MODE,
            demo=self.ctx.demo,
            status=status,
            profile=profile if several else "",
        )

    def on_run_started(self, _message: RunStarted) -> None:
        self.update_top_bar()

    def on_run_finished(self, _message: RunFinished) -> None:
        self.update_top_bar()
        self.run_finished()

    def run_finished(self) -> None:
        """A run ended: screens showing run data reload here."""

    def leave_then(self, proceed: Callable[[], object]) -> None:
        """Leave this screen (switch or quit) by calling ``proceed``; a form may ask first."""
        proceed()

    def report(self, exc: BaseException, title: str = "Error") -> None:
        """Show a failure as a notification, never a crash."""
        self.notify(error_text(exc), title=title, severity="error", timeout=8)
