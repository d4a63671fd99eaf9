"""What every mode's screen shares: title bar, footer, run updates and error reporting."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from zoomtui import paths
from zoomtui.tui.actions import MODES
from zoomtui.tui.errors import error_text
from zoomtui.tui.messages import RunUpdated
from zoomtui.tui.widgets.top_bar import TopBar

if TYPE_CHECKING:
    from zoomtui.services.context import AppContext
    from zoomtui.tui.app import ZoomApp


class ZoomScreen(Screen[None]):
    """A mode's screen; subclasses yield their body from ``compose_body``."""

    MODE: ClassVar[str] = ""

    @property
    def zapp(self) -> ZoomApp:
        return cast("ZoomApp", self.app)

    @property
    def ctx(self) -> AppContext:
        return self.zapp.ctx

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield from self.compose_body()
        yield Footer(compact=True)

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.zapp.runner.subscribe(self)
        self.update_top_bar()

    def on_resize(self) -> None:
        self.update_top_bar()

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

    def on_run_updated(self, message: RunUpdated) -> None:
        if message.kind in ("started", "finished"):
            self.update_top_bar()
        if message.kind == "finished":
            self.run_finished()

    def run_finished(self) -> None:
        """A run ended: screens showing run data reload here."""

    def leave_then(self, proceed: Callable[[], object]) -> None:
        """Leave this screen (switch or quit) by calling ``proceed``; a form may ask first."""
        proceed()

    def report(self, exc: BaseException, title: str = "Error") -> None:
        """Show a failure as a notification, never a crash."""
        self.notify(error_text(exc), title=title, severity="error", timeout=8)
