"""The Seats table drawn without Rich's per-cell rendering equals Rich's drawing exactly."""

from __future__ import annotations

import random

import pytest
from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from zoomtui.tui.widgets.bars import SeatLine, seat_table
from zoomtui.tui.widgets.flat_table import flat_lines, flat_text


def console() -> Console:
    # As Textual's app console: markup on, highlighting off, a terminal with colours.
    return Console(markup=True, highlight=False, force_terminal=True, color_system="truecolor")


def by_rich(con: Console, table: Table, width: int) -> list[list[tuple[str, Style]]]:
    """Rich's own drawing, one (character, style) per cell of each line."""
    rendered = con.render_lines(table, con.options.update_width(width), pad=False)
    return [
        [(ch, s.style or Style.null()) for s in line if not s.control for ch in s.text]
        for line in rendered
    ]


def by_flat(lines: list[list[tuple[str, Style | None]]]) -> list[list[tuple[str, Style]]]:
    return [[(ch, style or Style.null()) for text, style in line for ch in text] for line in lines]


def random_lines(rng: random.Random) -> list[SeatLine]:
    words = ["Base", "plan", "Large", "Meetings", "1000", "Webinar", "Plus", "É", "日本"]
    groups = [""] if rng.random() < 0.3 else [f"Account {i} ({i:x}-id)" for i in range(3)]
    out = []
    for _ in range(rng.randint(0, 12)):
        label = " ".join(rng.choice(words) for _ in range(rng.randint(1, 8)))
        purchased = rng.choice([0, 5, 37, 3316, 26726, 1_234_567])
        assigned = rng.randint(0, max(purchased + 3, 1))
        out.append(SeatLine(label, purchased, assigned, rng.randint(0, 900), rng.choice(groups)))
    return out


def test_seat_tables_match_rich_cell_for_cell() -> None:
    """Random plans, names and widths: every table drawn flat equals Rich's drawing."""
    rng = random.Random(14)
    con = console()
    flat = 0
    for _ in range(400):
        lines = random_lines(rng)
        width = rng.randint(30, 200)
        table = seat_table(lines, width, rng.choice([12, 20]))
        drawn = flat_lines(con, table, width)
        if drawn is not None:
            flat += 1
            assert by_flat(drawn) == by_rich(con, table, width)
        # Either way, flat_text is Rich's drawing.
        text = flat_text(con, table, width)
        expected = by_rich(con, table, width)
        assert text.plain.split("\n") == ["".join(ch for ch, _ in line) for line in expected]
    assert flat > 150  # the wide case is the common one: drawn without Rich's cells


def test_the_seats_of_a_large_account_are_drawn_flat_at_120_columns() -> None:
    lines = [
        SeatLine(f"Workplace Enterprise {i}, monthly", 900 + i, 800, 20, "Main (demo)")
        for i in range(60)
    ]
    con = console()
    table = seat_table(lines, 118, 20)
    drawn = flat_lines(con, table, 118)
    assert drawn is not None
    assert by_flat(drawn) == by_rich(con, table, 118)


@pytest.mark.parametrize("pad_edge", [True, False])
def test_styles_padding_and_justification_as_rich(pad_edge: bool) -> None:
    """Header and cell styles, spans, right-justified cells and padding: as Rich draws them."""
    con = console()
    table = Table(box=None, pad_edge=pad_edge, header_style="bold red", padding=(0, 2))
    table.add_column("Name", header_style="underline")
    table.add_column("N", justify="right", min_width=6)
    table.add_column("Note", max_width=30)
    note = Text("ok ", style="on blue")
    note.append("warn", style="bold yellow")
    table.add_row(Text("  a", style="underline"), "1,234", note)
    table.add_row("[bold]b[/]", Text("-5", style="bold"), "")
    table.add_row(Text("中文", style="italic"), "", Text("x", justify="right", style="reverse"))
    drawn = flat_lines(con, table, 80)
    assert drawn is not None
    assert by_flat(drawn) == by_rich(con, table, 80)


def test_what_rich_must_draw_is_left_to_it() -> None:
    """A cell to wrap, a narrow width, a box or a title: no flat drawing."""
    con = console()
    table = Table(box=None)
    table.add_column("Plan", max_width=5)
    table.add_row("a name too long")
    assert flat_lines(con, table, 80) is None
    wide = Table(box=None)
    wide.add_column("A")
    wide.add_row("x" * 50)
    assert flat_lines(con, wide, 20) is None
    assert flat_lines(con, wide, 80) is not None
    assert flat_lines(con, Table(), 80) is None
    titled = Table(box=None, title="T")
    titled.add_column("A")
    assert flat_lines(con, titled, 80) is None
