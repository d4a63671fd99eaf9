"""The dimmed screen under a dialog, tinted again only when that screen's lines change.

Why: a dialog's screen is translucent, so Textual draws the screen under it as its
background: the whole terminal's lines of that screen, each segment tinted, then cut
into lines again (``textual.renderables.background_screen``). It does that at every
paint of the dialog, two or three per opening, though the screen under it rarely
changes meanwhile: 10 ms a paint at 120x40, a sixth of opening the column picker.

How: the dialog renders a ``Backdrop`` in place of Textual's ``BackgroundScreen``. It
asks the screen under for its lines as they are now (cheap: each widget keeps its
own), and when they are the lines of one of the last two paints, at the same size
and tint, it returns that paint's result; otherwise it tints exactly as Textual
does (the same renderables, fed the lines it has just read) the lines that differ
from the last paint's, and keeps that. Two, because the screen under is painted
focused, then again unfocused, at each opening. Line by line, because a line's tint
depends on that line alone and the screen under mostly changes in a few of them
between two openings (the Users table's cursor moved down: 2 lines of 40 at 120x40),
which were all tinted again before (opening the user detail: 25-28 ms of loop CPU
against 29-32, interleaved, on a fast host). A Textual without the compositor's
``render_strips`` gets its own drawing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from textual.renderables.background_screen import BackgroundScreen
from textual.strip import StripRenderable
from textual.visual import RenderOptions, RichVisual, Visual

if TYPE_CHECKING:
    from textual.color import Color
    from textual.css.styles import RulesMap
    from textual.screen import Screen
    from textual.strip import Strip
    from textual.style import Style

KEPT = 2
"""Paints kept per dialog: the screen under as it is focused, and as it is not."""


class _Tinted:
    """``BackgroundScreen`` fed lines already read from the screen under."""

    def __init__(self, lines: list[Strip], color: Color) -> None:
        self.lines = lines
        self.color = color

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        segments = console.render(StripRenderable(self.lines), options)
        return BackgroundScreen.process_segments(segments, self.color)


class BackdropMemo:
    """A dialog's last paints of the screen under it: (size and tint, its lines, result)."""

    def __init__(self) -> None:
        self.paints: list[tuple[tuple[Any, ...], list[Strip], list[Strip]]] = []
        self.hits = 0
        self.tinted = 0  # paints not found here
        self.lines_tinted = 0  # the lines of those tinted again

    def get(self, key: tuple[Any, ...], lines: list[Strip]) -> list[Strip] | None:
        for kept_key, kept_lines, result in self.paints:
            if kept_key == key and kept_lines == lines:
                self.hits += 1
                return list(result)
        return None

    def last(self, key: tuple[Any, ...], count: int) -> tuple[list[Strip], list[Strip]] | None:
        """The newest paint at ``key`` of ``count`` lines (its lines and result), if any."""
        for kept_key, kept_lines, result in self.paints:
            if kept_key == key and len(kept_lines) == len(result) == count:
                return kept_lines, result
        return None

    def put(self, key: tuple[Any, ...], lines: list[Strip], result: list[Strip]) -> None:
        self.tinted += 1
        self.paints = [(key, lines, list(result)), *self.paints][:KEPT]


class Backdrop(Visual):
    """The screen under a dialog, tinted; the same as Textual's, painted from a memo."""

    def __init__(self, dialog: Screen[Any], under: BackgroundScreen, memo: BackdropMemo) -> None:
        self._dialog = dialog
        self._under = under
        self._memo = memo

    def _textual(self, renderable: RenderableType) -> RichVisual:
        return RichVisual(self._dialog, renderable)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        compositor = getattr(self._under.screen, "_compositor", None)
        render_strips = getattr(compositor, "render_strips", None)
        if render_strips is None:
            return self._textual(self._under).render_strips(width, height, style, options)
        lines: list[Strip] = render_strips()
        key = (width, height, style, self._under.color)
        kept = self._memo.get(key, lines)
        if kept is not None:
            return kept
        result = self._tint(lines, key, style, options)
        if result is None:
            tinted = _Tinted(lines, self._under.color)
            result = self._textual(tinted).render_strips(width, height, style, options)
            self._memo.lines_tinted += len(lines)
        self._memo.put(key, lines, result)
        return result

    def _tint(
        self, lines: list[Strip], key: tuple[Any, ...], style: Style, options: RenderOptions
    ) -> list[Strip] | None:
        """The last paint at ``key`` with only the lines that changed since tinted again;
        None without such a paint, or when every line changed."""
        last = self._memo.last(key, len(lines))
        if last is None:
            return None
        kept_lines, kept = last
        pairs = enumerate(zip(kept_lines, lines, strict=True))
        changed = [i for i, (old, new) in pairs if old != new]
        if len(changed) == len(lines):
            return None
        tinted = _Tinted([lines[i] for i in changed], self._under.color)
        fresh = self._textual(tinted).render_strips(key[0], len(changed), style, options)
        if len(fresh) != len(changed):  # not one line per line: tinted whole, as Textual does
            return None
        self._memo.lines_tinted += len(changed)
        result = list(kept)
        for i, line in zip(changed, fresh, strict=True):
            result[i] = line
        return result

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._textual(self._under).get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._textual(self._under).get_height(rules, width)


if TYPE_CHECKING:
    ScreenMixin = Screen[Any]
else:
    # A mixin for screens, typed as one. Why not a Screen at run time: Textual takes
    # a class's CSS (``ModalScreen``'s translucent background) along its first DOMNode
    # base only (``DOMNode._css_bases``), and the mixin comes first.
    ScreenMixin = object


class DimmedOnce(ScreenMixin):
    """Mixed in before a translucent screen (a dialog): draws what is under as a ``Backdrop``."""

    _backdrop_memo: BackdropMemo | None = None

    def render(self) -> RenderableType:
        rendered = super().render()
        if not isinstance(rendered, BackgroundScreen):
            return rendered  # opaque, or nothing under it
        if self._backdrop_memo is None:
            self._backdrop_memo = BackdropMemo()
        return Backdrop(self, rendered, self._backdrop_memo)  # type: ignore[return-value]
