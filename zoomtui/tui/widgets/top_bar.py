"""The one-line title bar: app name, DEMO badge, screens with the current one marked, run state."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static


class TopBar(Static):
    """Renders what it is told; the screen updates it on mount and on run updates."""

    DEFAULT_CSS = """
    TopBar { height: 1; background: $panel; color: $foreground; }
    """

    def show(
        self,
        modes: Sequence[tuple[str, str]],
        current: str,
        *,
        demo: bool,
        status: str = "",
        profile: str = "",
    ) -> None:
        text = Text(" zoomtui ", style="bold")
        if demo:
            text.append(" DEMO ", style="bold reverse")
            text.append(" ")
        elif profile:  # which Zoom account this is, when there are several
            text.append(f" {profile} ", style="bold reverse")
            text.append(" ")
        for number, (mode, label) in enumerate(modes, start=1):
            if mode == current:
                text.append(f" {number} {label} ", style="bold reverse")
            else:
                text.append(f" {number}", style="bold")
                text.append(f" {label} ", style="dim")
        if status:
            text.append(f"  {status}", style="italic")
        text.truncate(max(self.size.width, 1) if self.size.width else 200, overflow="ellipsis")
        self.update(text)
