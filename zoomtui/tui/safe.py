"""Zoom text as a Textual widget should get it: a ``Text`` with controls made visible.

Why one helper: a string handed to ``Static``, ``Label``, a ``Select`` option or a Rich
table cell is parsed as markup, so a name like ``Bob [/]`` crashes the app and
``[@click=app.quit]x[/]`` becomes a live action. A ``Text`` object is never parsed, and
:func:`zoomtui.text.safe_text` turns escape sequences and bidi overrides into visible
placeholders before they reach the terminal.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from zoomtui.text import safe_text

__all__ = ["safe", "safe_text"]


def safe(value: Any, style: str = "", *, newlines: bool = False) -> Text:
    """``value`` as an unparsed ``Text`` with every control and bidi character made visible."""
    return Text(safe_text(value, newlines=newlines), style=style)
