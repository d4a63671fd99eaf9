"""The command palette (Ctrl+P): one entry per declared user action, category first.

Named palette, not commands: "commands" are the CLI's subcommands (zoomtui/commands/).
"""

from __future__ import annotations

from collections.abc import Callable
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


SYSTEM_COVERED = frozenset({"Quit", "Keys"})
"""Textual's system commands one of ours already is (``app: Quit``, ``app: Keys and commands``)."""


class PaletteProvider(Provider):
    """Every action of every screen, then Textual's system commands, in one fixed order.

    Choosing an action switches to its screen first. Why one provider for both: Textual
    gathers its providers from a set, so with its own system provider beside this one
    the list began with either, from one run to the next; and its "Quit" sat beside
    ``app: Quit``.
    """

    def _run(self, action: UserAction) -> None:
        app = cast("ZoomApp", self.app)
        app.run_worker(app.run_user_action(action), group="palette")

    def _entries(self) -> list[tuple[str, str, Callable[[], object], bool]]:
        """(title, help, command, shown before typing): ours as declared, then the system's."""
        entries: list[tuple[str, str, Callable[[], object], bool]] = [
            (action.palette_title, action.help, partial(self._run, action), True)
            for action in PALETTE_ACTIONS
        ]
        system = sorted(self.app.get_system_commands(self.screen), key=lambda c: c.title)
        entries += [
            (f"app: {c.title}", c.help, c.callback, c.discover)
            for c in system
            if c.title not in SYSTEM_COVERED
        ]
        return entries

    async def discover(self) -> Hits:
        for title, help_text, command, shown in self._entries():
            if shown:
                yield DiscoveryHit(title, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, command, _shown in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, text=title, help=help_text)


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
