"""The screen's keys in one line, drawn by one widget: Textual's footer, without its widgets.

Why: Textual's ``Footer`` is a container of one ``FooterKey`` widget per key (15-17
on our screens, with a group and a label), built again whenever the keys change:
each focus change between a field and a table, each dialog. Building and styling
them was 60-180 ms of the event loop per first visit of a screen and most of the
0.2-0.3 s that leaving the search field took (``bench/tui_speed.py``: focus search,
back to list). This draws the same keys, in Textual's compact footer's places,
colours (its ``$footer-*`` variables) and groups ("1234567 Screens"), with the
command palette's key on the right, in one ``render_line``; a click or a tap on a
key presses it, as on Textual's footer, and the mouse over a key shows its tooltip.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from itertools import groupby
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

PALETTE_EDGE = "▏"
"""What marks off the command palette's key (Textual's ``vkey`` left border)."""


@dataclass(frozen=True, slots=True)
class FooterItem:
    """One key, or a group's label, where the footer draws it (``x`` and ``width`` in cells)."""

    key: str  # what a click presses; "" for a group's label
    display: str
    description: str
    tooltip: str
    disabled: bool = False
    grouped: bool = False  # one of a group's keys, drawn without its description
    palette: bool = False  # the command palette's key, on the right
    label: bool = False  # a group's description, after its keys
    x: int = 0
    width: int = 0


class QuickFooter(Widget, can_focus=False):
    """The active bindings of its screen, as Textual's ``Footer(compact=True)`` shows them."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer-key--key",
        "footer-key--description",
        "footer-key--hover",
        "footer-key--edge",
    }
    DEFAULT_CSS = """
    QuickFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-key--hover {
            background: $block-hover-background;
        }
        .footer-key--edge {
            color: $foreground 20%;
        }
    }
    """

    show_command_palette = reactive(True)
    tight = reactive(False)
    """Leave out the grouped keys and their label (below 80 columns: the tab bar numbers them)."""

    def __init__(self, *, show_command_palette: bool = True) -> None:
        super().__init__()
        self.set_reactive(QuickFooter.show_command_palette, show_command_palette)
        self._listed: tuple[FooterItem, ...] = ()  # the bindings, before placing
        self._hover: int | None = None

    # -- what to show ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._read_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if not screen.app.app_focus:
            return  # as Textual's footer: the app lost the terminal's focus
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._read_keys)

    def _read_keys(self) -> None:
        """The screen's keys as Textual's footer would list them; redrawn only when changed."""
        if not self.is_attached:  # called after a refresh: its screen may be gone meanwhile
            return
        keys = tuple(self._listed_bindings())
        if keys != self._listed:
            self._listed = keys
            self._hover = None
            self.tooltip = None  # the key under the mouse may be gone
            self.refresh()

    def _listed_bindings(self) -> list[FooterItem]:
        """``Footer.compose``'s selection and grouping, as items rather than widgets."""
        app = self.app
        active = self.screen.active_bindings
        by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
        for _node, binding, enabled, tooltip in active.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        out: list[FooterItem] = []
        for group, same in groupby(by_action.values(), lambda b: b[0][0].group):
            members = list(same)
            if group is not None and len(members) > 1:
                for (binding, enabled, tooltip), *_ in members:
                    display = app.get_key_display(binding)
                    out.append(
                        FooterItem(
                            binding.key,
                            display,
                            "",
                            tooltip or binding.description,
                            disabled=not enabled,
                            grouped=True,
                        )
                    )
                out.append(FooterItem("", "", group.description, "", label=True))
                continue
            for (binding, enabled, tooltip), *_ in members:
                display = app.get_key_display(binding)
                out.append(
                    FooterItem(
                        binding.key, display, binding.description, tooltip, disabled=not enabled
                    )
                )
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = active.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, _tooltip = found
                out.append(
                    FooterItem(
                        binding.key,
                        app.get_key_display(binding),
                        binding.description,
                        binding.tooltip or binding.description,
                        disabled=not enabled,
                        palette=True,
                    )
                )
        return out

    def watch_show_command_palette(self) -> None:
        if self.is_mounted:
            self._read_keys()

    def watch_tight(self) -> None:
        self.refresh()

    # -- where ----------------------------------------------------------------------------------

    def items(self) -> list[FooterItem]:
        """The keys shown, placed as Textual's compact footer places its widgets.

        A key: its key and description, then a cell. A group: a cell, its keys side by
        side, a cell, its label. The palette's key: at the right, after its edge, a cell
        before the end. What does not fit before the palette's key is not shown.
        """
        width = self.size.width
        placed: list[FooterItem] = []
        palette = next((k for k in self._listed if k.palette), None)
        right = width
        if palette is not None:
            text = len(palette.display) + 1 + len(palette.description) + 1  # edge, a space
            right = max(0, width - text - 1)
            placed.append(replace(palette, x=right, width=text))
        x = 0
        previous_grouped = False
        for item in self._listed:
            if item.palette or (self.tight and (item.grouped or item.label)):
                continue
            if item.grouped and not previous_grouped:
                x += 1  # the group's own padding
            previous_grouped = item.grouped
            if item.grouped:
                size = len(item.display)
            elif item.label:
                x += 1  # the group's margin
                size = len(item.description)
            elif item.description:
                size = len(item.display) + 1 + len(item.description)
            else:
                size = len(item.display)
            if x + size > right:
                break
            placed.append(replace(item, x=x, width=size))
            x += size + (0 if item.grouped or item.label else 1)
        return sorted(placed, key=lambda i: i.x)

    def item_at(self, x: int) -> FooterItem | None:
        return next((i for i in self.items() if i.key and i.x <= x < i.x + i.width), None)

    # -- drawing --------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y != 0 or not width:
            return Strip.blank(width, base)
        key_style = base + self.get_component_rich_style("footer-key--key")
        text_style = base + self.get_component_rich_style("footer-key--description")
        hover = self.get_component_rich_style("footer-key--hover")
        edge = base + self.get_component_rich_style("footer-key--edge")
        segments: list[Segment] = []
        x = 0
        for item in self.items():
            if item.x > x:
                segments.append(Segment(" " * (item.x - x), base))
            over = self._hover is not None and item.key and item.x == self._hover
            extra = hover if over else Style()
            dim = Style(dim=True) if item.disabled else Style()
            if item.label:
                segments.append(Segment(item.description, text_style + dim))
            elif item.palette:
                segments.append(Segment(PALETTE_EDGE, edge))
                segments.append(Segment(item.display, key_style + extra + dim))
                segments.append(Segment(" " + item.description, text_style + extra + dim))
            else:
                segments.append(Segment(item.display, key_style + extra + dim))
                if item.description:
                    segments.append(Segment(" " + item.description, text_style + extra + dim))
            x = item.x + item.width
        if x < width:
            segments.append(Segment(" " * (width - x), base))
        return Strip(segments).crop(0, width)

    # -- the mouse ------------------------------------------------------------------------------

    def on_mouse_down(self, event: events.MouseDown) -> None:
        item = self.item_at(event.x)
        if item is None:
            return
        event.stop()
        if item.disabled:
            self.app.bell()
        else:
            self.app.simulate_key(item.key)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        item = self.item_at(event.x)
        at = item.x if item is not None else None
        if at != self._hover:
            self._hover = at
            self.tooltip = (item.tooltip or None) if item is not None else None
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()
