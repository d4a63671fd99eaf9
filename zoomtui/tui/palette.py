"""The command palette (Ctrl+P): one entry per declared user action, category first.

Named palette, not commands: "commands" are the CLI's subcommands (zoomtui/commands/).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from textual import events
from textual.app import App
from textual.command import (
    Command,
    CommandInput,
    CommandList,
    CommandPalette,
    DiscoveryHit,
    Hit,
    Hits,
    Provider,
)
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from zoomtui.tui.actions import ACTIONS, APP, MODES, UserAction
from zoomtui.tui.backdrop import DimmedOnce
from zoomtui.tui.collector import collector_of
from zoomtui.tui.screens.base import RestyledWhenChanged, dialog_again

# A dialog's own keys (save / discard / stay) mean nothing from the palette.
PALETTE_ACTIONS = tuple(a for a in ACTIONS if a.scope == APP or a.scope in dict(MODES))

if TYPE_CHECKING:
    from zoomtui.tui.app import ZoomApp


class Entry(NamedTuple):
    """One command of the palette."""

    title: str
    help: str
    command: Callable[[], object]
    shown: bool  # listed before anything is typed
    id: str = ""  # the action's keymap id (none for Textual's system commands)


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

    def _entries(self) -> list[Entry]:
        """Ours as declared, then the system's."""
        entries = [
            Entry(action.palette_title, action.help, partial(self._run, action), True, action.id)
            for action in PALETTE_ACTIONS
        ]
        system = sorted(self.app.get_system_commands(self.screen), key=lambda c: c.title)
        entries += [
            Entry(f"app: {c.title}", c.help, c.callback, c.discover)
            for c in system
            if c.title not in SYSTEM_COVERED
        ]
        return entries

    async def discover(self) -> Hits:
        for entry in self._entries():
            if entry.shown:
                yield DiscoveryHit(entry.title, entry.command, help=entry.help)

    async def search(self, query: str) -> Hits:
        """Titles first; then the keymap ids, so "help" finds ``app.help`` (Keys and commands)."""
        matcher = self.matcher(query)
        for entry in self._entries():
            score = matcher.match(entry.title)
            prompt: str | Content = matcher.highlight(entry.title) if score > 0 else entry.title
            if score <= 0 and entry.id:
                score = matcher.match(entry.id) / 2  # after every title that matches
            if score > 0:
                yield Hit(score, prompt, entry.command, text=entry.title, help=entry.help)


PALETTE_DIALOG = "palette"
"""The name the palette is installed under: built once (ahead, ``tui/ahead.py``), shown again."""


class Palette(DimmedOnce, RestyledWhenChanged, CommandPalette):
    """Textual's command palette, built once and shown again, dimming the screen under it once.

    Why shown again: Textual builds a new palette at each ``ctrl+p``, composes and styles
    it, lays it out three times more (its list, its first Resize, its scrollbar) and only
    then shows its list: 130-180 ms at 100,000 users. Shown again, its widgets, styles
    and scrollbar are already there. Each showing takes the screen under it as the one
    its commands act on and lists them afresh, as a new palette does (``prepare``).

    Why dimming once: it paints itself several times as it opens and fills its list, and
    each paint tinted the whole screen under it again. And no pass of the cycle
    collector runs while it is open (``tui/collector.py``, as while a screen is built).
    """

    def __init__(self) -> None:
        super().__init__(id="--command-palette")
        self._open = False  # shown, with the collector paused (balanced on hiding)

    def _on_mount(self, event: events.Mount) -> None:
        """Textual's own handler takes the screen under the palette as the one its commands
        act on and lists them; ``prepare`` does that at each showing instead. Built ahead,
        there is no screen under it yet: it lists those of the screen shown meanwhile."""
        event.prevent_default()  # Textual's CommandPalette._on_mount: replaced by prepare
        Screen._on_mount(self, event)
        Widget._on_mount(self, event)
        self.watch(
            self.query_one(CommandList), "show_vertical_scrollbar", self._remeasure, init=False
        )
        shown = self.app.screen_stack
        self._act_on(shown[-2] if shown[-1] is self and len(shown) > 1 else shown[-1])

    def _remeasure(self) -> None:
        """Its list measured each command's lines for the width it had when they were added
        (Textual's ``OptionList``) and only a Resize measured them again: a scrollbar that
        came or went since left a command's last line cut off (or a blank one) in the list
        shown again."""
        self.query_one(CommandList)._clear_caches()

    def prepare(self, calling: Screen[Any]) -> None:
        """Show again, acting on ``calling`` (the screen under it)."""
        if self.is_mounted:
            self._act_on(calling)
            # Its cursor shown for a whole blink, as a new palette's focused search is:
            # it blinked on while hidden and could go out the moment it showed.
            self.query_one(CommandInput)._restart_blink()

    def _act_on(self, calling: Screen[Any]) -> None:
        """New providers for ``calling``, the search cleared, its commands gathered again."""
        self._calling_screen = calling
        for provider in self._providers:
            self.run_worker(provider._shutdown(), exit_on_error=False)
        style = self.get_visual_style("command-palette--highlight", partial=True)
        self._providers = [source(calling, style) for source in self._provider_classes]
        for provider in self._providers:
            provider._post_init()
        self._selected_command = None
        search = self.query_one(CommandInput)
        with self.prevent(Input.Changed):
            search.value = ""
        self._cancel_gather_commands()
        self._stop_no_matches_countdown()
        self._gather_commands("")

    def _refresh_command_list(
        self, command_list: CommandList, commands: list[Command], clear_current: bool
    ) -> None:
        """Textual's, but the same commands listed before typing only take the new actions.

        Why: Textual empties the list and fills it again, which lays the palette out
        again (30 ms at 120x40); each showing gathers the commands again for the screen
        under it, and they are mostly the ones listed already.
        """
        ranked = sorted(commands, key=lambda command: command.hit.score, reverse=True)
        listed = [command_list.get_option_at_index(i) for i in range(command_list.option_count)]
        if len(listed) == len(ranked) and all(
            isinstance(old, Command) and _same(old.hit, new.hit)
            for old, new in zip(listed, ranked, strict=True)
        ):
            for old, new in zip(listed, ranked, strict=True):
                cast(Command, old).hit = new.hit
            if ranked:
                command_list.highlighted = 0
            self._list_visible = bool(ranked)
            self._hit_count = len(ranked)
            return
        super()._refresh_command_list(command_list, commands, clear_current)

    def on_screen_resume(self) -> None:
        if not self._open:
            self._open = True
            self.app.post_message(CommandPalette.Opened())
            if collector := collector_of(self.app):
                collector.reading()

    def on_screen_suspend(self) -> None:
        self._close()
        if self.is_mounted and self not in self.app.screen_stack and self._calling_screen:
            # Closed (not covered): cleared and listing every command again now, unseen.
            # Left to ``prepare``, the next showing's first frame had the last search's
            # list (or an empty box after "No matches found") under the cleared search.
            self._act_on(self._calling_screen)

    def on_unmount(self) -> None:
        self._close()

    def _close(self) -> None:
        if self._open:
            self._open = False
            if collector := collector_of(self.app):
                collector.landed()


def _same(old: DiscoveryHit | Hit, new: DiscoveryHit | Hit) -> bool:
    """The same line of the list before anything is typed (a search's highlights differ)."""
    return (
        isinstance(old, DiscoveryHit)
        and isinstance(new, DiscoveryHit)
        and old.text == new.text
        and old.help == new.help
    )


class FreshPalette(DimmedOnce, CommandPalette):
    """Textual's palette built at each ``ctrl+p``: for a Textual without what ``Palette`` uses."""

    def on_mount(self) -> None:
        if collector := collector_of(self.app):
            collector.reading()

    def on_unmount(self) -> None:
        if collector := collector_of(self.app):
            collector.landed()


def _reusable() -> bool:
    """Whether this Textual has the private parts ``Palette`` uses to show one palette again."""
    needed = {
        CommandPalette: (
            "_gather_commands",
            "_cancel_gather_commands",
            "_stop_no_matches_countdown",
            "_provider_classes",
            "_refresh_command_list",
        ),
        CommandList: ("_clear_caches",),
        CommandInput: ("_restart_blink",),
        Provider: ("_post_init", "_shutdown"),
    }
    return all(hasattr(kind, name) for kind, names in needed.items() for name in names)


REUSABLE = _reusable()
"""False: a new palette at each ``ctrl+p``, as Textual does (none is built ahead)."""


def palette_dialog(app: App[Any]) -> CommandPalette:
    """The app's command palette, acting on the screen shown now."""
    if not REUSABLE:
        return FreshPalette(id="--command-palette")
    return dialog_again(app, PALETTE_DIALOG, Palette, Palette, lambda p: p.prepare(app.screen))
