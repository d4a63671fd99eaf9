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
    _shown: tuple[Sequence[tuple[str, str]], str, bool, str, str] | None = None

    def show(
        self,
        modes: Sequence[tuple[str, str]],
        current: str,
        *,
        demo: bool,
        status: str = "",
        profile: str = "",
    ) -> None:
        self._shown = (modes, current, demo, status, profile)
        width = self.size.width
        if not width:
            return  # not laid out yet: on_resize draws it at its real width
        self._draw(width)

    def on_resize(self) -> None:
        """Draw again at the new width (the first layout included).

        Why: drawn before layout, the bar guessed a width and kept the variant
        with the app name, which seven screens at 80 columns do not leave room for.
        """
        if self.size.width:
            self._draw(self.size.width)

    def _draw(self, width: int) -> None:
        if self._shown is None:
            return
        modes, current, demo, status, profile = self._shown
        variants = [
            _bar(modes, current, demo, profile, status, name=True, short=None),
            _bar(modes, current, demo, profile, status, name=False, short=None),
            _bar(modes, current, demo, profile, status, name=False, short=4),
            _bar(modes, current, demo, profile, status, name=False, short=0),
        ]
        # Narrower terminals lose the app name, then label letters, never a screen number.
        text = next((v for v in variants if v.cell_len <= width), variants[-1])
        text.truncate(max(width, 1), overflow="ellipsis")
        self.update(text)


def _bar(
    modes: Sequence[tuple[str, str]],
    current: str,
    demo: bool,
    profile: str,
    status: str,
    *,
    name: bool,
    short: int | None,
) -> Text:
    """One rendering of the bar; ``short`` cuts the other screens' labels (0: numbers only)."""
    text = Text(" zoomtui " if name else "", style="bold")
    if demo:
        text.append(" DEMO ", style="bold reverse")
        text.append(" ")
    if profile:  # which Zoom account this is, when there are several
        shown = profile if short != 0 or len(profile) <= 12 else profile[:11] + "…"
        text.append(f" {shown} ", style="bold reverse")
        text.append(" ")
    for number, (mode, label) in enumerate(modes, start=1):
        if mode == current:
            text.append(f" {number} {label} ", style="bold reverse")
        elif short == 0:
            text.append(f" {number} ", style="bold")
        else:
            text.append(f" {number}", style="bold")
            text.append(f" {label[:short] if short else label} ", style="dim")
    if status:
        text.append(f"  {status}", style="italic")
    return text
