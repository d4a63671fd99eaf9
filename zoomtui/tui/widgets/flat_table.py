"""A plain Rich table drawn into styled text without Rich's per-cell rendering.

Why: Rich draws every cell through ``Padding``, wrapping, justification and line
splitting, measuring each cell twice on the way: 75-90 ms of the event loop for the
63 lines of the Seats bars at 100,000 users (59 plans and add-ons), on the first
visit of Seats. When a table has no box, no title, one line per row and every cell
fits its column, each line is its cells padded to their columns' widths. That is
computed here as Rich computes it (a column is as wide as its widest cell plus its
padding, within its minimum and maximum widths; a cell is justified in it with its
text's own style; the padding takes the cell's style) in about a tenth of the time.
``tests/tui/test_flat_table.py`` checks it against Rich's own drawing, character by
character and style by style. Any other table (a cell that must wrap or be cropped,
a narrow terminal, a box) returns None: the caller lets Rich draw it, as before.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

Segments = list[tuple[str, Style | None]]


def _plain_table(table: Table) -> bool:
    """Whether ``table`` uses only what ``flat_lines`` draws (no box, title, footer…)."""
    top, _right, bottom, _left = table.padding
    return (
        table.box is None
        and not table.expand
        and table.width is None
        and table.min_width is None
        and not table.title
        and not table.caption
        and not table.show_footer
        and not table.collapse_padding
        and not table.row_styles
        and table.style in ("", "none", None)
        and not table.highlight
        and top == 0
        and bottom == 0
        and all(row.style is None for row in table.rows)
        and all(
            column.width is None
            and not column.ratio
            and not column.style
            and not column.highlight
            and column.justify in ("left", "right")
            for column in table.columns
        )
    )


def _cell_text(console: Console, cell: object) -> Text | None:
    """A cell as Rich renders it (strings through markup, as the console parses them)."""
    if isinstance(cell, str):
        cell = console.render_str(cell, highlight=False)
    if not isinstance(cell, Text):
        return None
    plain = cell.plain
    if "\n" in plain or "\t" in plain or cell.justify not in (None, "left", "right"):
        return None
    return cell


def flat_lines(console: Console, table: Table, width: int) -> list[Segments] | None:
    """``table``'s lines at ``width`` as (text, style) pieces; None when Rich must draw it."""
    if not table.columns or not _plain_table(table):
        return None
    _top, pad_right, _bottom, pad_left = table.padding
    last = len(table.columns) - 1
    get_style = console.get_style
    header_style = get_style(table.header_style or "")
    columns = []  # per column: (cells, left pad, right pad, justify, width)
    total = 0
    for index, column in enumerate(table.columns):
        left = 0 if index == 0 and not table.pad_edge else pad_left
        right = 0 if index == last and not table.pad_edge else pad_right
        raw = [column.header] if table.show_header else []
        raw.extend(column.cells)
        cells = [_cell_text(console, cell) for cell in raw]
        if any(cell is None for cell in cells):
            return None
        texts: list[Text] = cells  # type: ignore[assignment]  # no None left
        lengths = [cell_len(t.plain) for t in texts]
        widest = max(lengths, default=0) + left + right
        if column.min_width is not None:
            widest = max(widest, column.min_width + left + right)
        if column.max_width is not None:
            widest = min(widest, column.max_width + left + right)
        widest = widest or 1
        room = widest - left - right
        if any(length > room for length in lengths):
            return None  # a cell Rich would wrap or crop
        if any(column.justify == "right" and t.plain != t.plain.rstrip() for t in texts):
            return None  # Rich strips a right-justified cell's trailing spaces
        total += widest
        cell_style = header_style + get_style(column.header_style) if table.show_header else None
        columns.append((texts, lengths, left, right, column.justify, room, cell_style))
    if total > width:
        return None  # Rich would narrow the columns
    rows = len(columns[0][0])
    lines: list[Segments] = []
    for row in range(rows):
        line: Segments = []
        for texts, lengths, left, right, justify, room, header in columns:
            text = texts[row]
            style = header if row == 0 and header is not None else None
            how = text.justify or justify
            _cell(console, line, text, lengths[row], (left, right), how, room, style)
        lines.append(line)
    return lines


def _cell(
    console: Console,
    line: Segments,
    text: Text,
    length: int,
    pads: tuple[int, int],
    justify: str,
    room: int,
    style: Style | None,
) -> None:
    """One cell's pieces: its padding in the cell's style, its text justified in its own.

    The justifying gap joins the piece of text beside it when their styles agree, as
    it does in Rich (the gap is part of the same text there). Why it matters: a
    screenshot (SVG) draws a run of spaces that stands alone as background only, so an
    underlined account name lost the underline under its gap.
    """
    left, right = pads
    base = console.get_style(text.style) if text.style else None
    if style:
        base = style + base
    if text.spans:
        pieces = [
            (segment.text, style + segment.style if style else segment.style)
            for segment in text.render(console)
        ]
    else:
        pieces = [(text.plain, base)] if text.plain else []
    gap = " " * (room - length)
    if gap:
        at = 0 if justify == "right" else len(pieces)
        near = pieces[0] if at == 0 and pieces else pieces[-1] if pieces else None
        if near is not None and (near[1] or None) == (base or None):
            joined = gap + near[0] if at == 0 else near[0] + gap
            pieces[0 if at == 0 else -1] = (joined, near[1])
        else:
            pieces.insert(at, (gap, base))
    if left:
        line.append((" " * left, style))
    line.extend(pieces)
    if right:
        line.append((" " * right, style))


def flat_text(console: Console, table: Table, width: int) -> Text:
    """``table`` drawn at ``width`` into one styled text (``flat_lines`` when it can)."""
    lines: list[Segments] | None = flat_lines(console, table, width)
    if lines is None:
        rendered = console.render_lines(table, console.options.update_width(width), pad=False)
        lines = [[(s.text, s.style) for s in line if not s.control] for line in rendered]
    text = Text(no_wrap=True)
    for number, line in enumerate(lines):
        if number:
            text.append("\n")
        for piece, style in line:
            text.append(piece, style)
    return text
