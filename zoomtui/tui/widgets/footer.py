"""Textual's footer, rebuilt only when the keys it shows change.

Why: Textual's ``Footer`` throws its keys away and builds them again on every
``bindings_updated_signal`` of its screen (each mount, each focus change), and
each new ``FooterKey`` is then restyled once more when its ``compact`` binding
adds the ``-compact`` class after mounting. A first visit of a screen rebuilt the
footer 5–7 times: 60–330 ms of the event loop (``bench/tui_speed.py``) for the
same fifteen keys. The keys, their looks and their clicks are Textual's own.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class QuickFooter(Footer):
    """A ``Footer`` that skips rebuilds which would show the same keys."""

    _shown: Hashable = None

    def _keys(self) -> Hashable:
        """What ``Footer.compose`` reads, as a value to compare."""
        if not self._bindings_ready:
            return None
        app = self.app
        keys: list[Any] = [self.compact, self.show_command_palette]
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            keys.append(
                (
                    binding.key,
                    app.get_key_display(binding),
                    binding.action,
                    binding.description,
                    binding.show,
                    binding.group,
                    binding.tooltip,
                    enabled,
                    tooltip,
                )
            )
        return tuple(keys)

    def compose(self) -> ComposeResult:
        self._shown = self._keys()
        for widget in super().compose():
            if isinstance(widget, FooterKey) and self.compact:
                widget.add_class("-compact", update=False)  # what its binding would add later
            yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if self.is_attached and self._keys() != self._shown:
            await self.recompose()
