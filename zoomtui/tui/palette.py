"""The command palette (Ctrl+P): one entry per declared user action, category first.

Named palette, not commands: "commands" are the CLI's subcommands (zoomtui/commands/).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider

from zoomtui.tui.actions import ACTIONS, APP, MODES, UserAction
from zoomtui.tui.backdrop import DimmedOnce
from zoomtui.tui.collector import collector_of

# A dialog's own keys (save / discard / stay) mean nothing from the palette.
PALETTE_ACTIONS = tuple(a for a in ACTIONS if a.scope == APP or a.scope in dict(MODES))

if TYPE_CHECKING:
    from zoomtui.tui.app import ZoomApp


class PaletteProvider(Provider):
    """Offer every action of every screen; choosing one switches to its screen first."""

    def _run(self, action: UserAction) -> None:
        app = cast("ZoomApp", self.app)
        app.run_worker(app.run_user_action(action), group="palette")

    async def discover(self) -> Hits:
        for action in PALETTE_ACTIONS:
            yield DiscoveryHit(action.palette_title, partial(self._run, action), help=action.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action in PALETTE_ACTIONS:
            score = matcher.match(action.palette_title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(action.palette_title),
                    partial(self._run, action),
                    text=action.palette_title,
                    help=action.help,
                )


class Palette(DimmedOnce, CommandPalette):
    """Textual's command palette, dimming the screen under it once per change of that screen.

    Why: it paints itself six or seven times as it opens and fills its list, and each
    paint tinted the whole screen under it again: a third of its opening. And no pass
    of the cycle collector runs while it is open (``tui/collector.py``, as while a
    screen is built): its 3,000 objects made a full pass on closing it, 35-42 ms of
    the 85-100 ms Escape took at 100,000 users; the quiet-time pass frees them.
    """

    def on_mount(self) -> None:
        if collector := collector_of(self.app):
            collector.reading()

    def on_unmount(self) -> None:
        if collector := collector_of(self.app):
            collector.landed()
