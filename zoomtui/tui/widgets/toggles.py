"""A checkbox whose state reads without colour (NO_COLOR): ``X`` when on, blank when off."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class TextCheckbox(Checkbox):
    """Textual draws ``X`` in both states and tells them apart by colour only."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button
