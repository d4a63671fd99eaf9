"""Shared CLI helpers: one-sentence errors with exit codes, and table/JSON/CSV output.

Why: every headless command must fail the same way (a sentence on stderr, a
meaningful exit code, no traceback) and print the same three formats, so cron
scripts can rely on them; a table fits 80 columns because operators work over
SSH on small terminals.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import shutil
import sys
import traceback
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any, NoReturn, ParamSpec, TypeVar

import click

from zoomtui.errors import ZoomtuiError
from zoomtui.services.export import columns_of, jsonable, write_csv
from zoomtui.text import json_safe, safe_text

__all__ = [
    "FORMATS",
    "cli_errors",
    "db_option",
    "describe_error",
    "emit",
    "error_boundary",
    "fail",
    "format_option",
    "render_table",
    "say",
    "to_json",
]

FORMATS = ("table", "json", "csv")
P = ParamSpec("P")
R = TypeVar("R")
_GAP = "  "


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one sentence on stderr and exit with ``code``."""
    say(message, err=True)
    sys.exit(code)


def say(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Echo a line that may quote Zoom (names, Zoom's error texts) with controls made visible.

    Why: a user's name or Zoom's error text can hold escape sequences that would retitle
    the operator's window or write their clipboard; see ``zoomtui.text``.
    """
    click.echo(safe_text(text), err=err, nl=nl)


def to_json(data: Any) -> str:
    """One JSON document for stdout: exact data, with no raw control or bidi character."""
    return json_safe(json.dumps(jsonable(data), ensure_ascii=False))


def describe_error(exc: BaseException) -> tuple[str, int, bool]:
    """The user-facing sentence, exit code and whether the error is a known kind.

    Known: our own errors (``ZoomtuiError``, with their sentence and exit code) and
    OS errors (file problems). Anything else is a bug and is reported as one.
    """
    if isinstance(exc, ZoomtuiError):
        text = exc.message or str(exc) or type(exc).__name__
        code = exc.exit_code if isinstance(exc.exit_code, int) and exc.exit_code else 1
        return " ".join(text.split()), code, True
    if isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        return " ".join(f"{exc.strerror or exc}{where}.".split()), 1, True
    detail = " ".join(str(exc).split())
    return f"Unexpected error: {type(exc).__name__}: {detail}".rstrip(": "), 1, False


@contextlib.contextmanager
def error_boundary() -> Iterator[None]:
    """Turn exceptions into one sentence on stderr and an exit code; click's own pass through.

    A traceback is printed only for unexpected errors and only when
    ``ZOOMTUI_DEBUG=1``.
    """
    try:
        yield
    except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
        raise
    except KeyboardInterrupt:
        fail("Interrupted.", 130)
    except BrokenPipeError:
        _silence_stdout()  # the reader went away (`| head`): stop quietly
        sys.exit(141)
    except Exception as exc:
        message, code, known = describe_error(exc)
        if not known and os.environ.get("ZOOMTUI_DEBUG") == "1":
            traceback.print_exception(exc, file=sys.stderr)
        fail(message, code)


def cli_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a click callback so that every error ends as one sentence and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with error_boundary():
            return func(*args, **kwargs)
        raise AssertionError("unreachable")  # error_boundary never swallows an error

    return wrapper


def db_option(func: Callable[P, R]) -> Callable[P, R]:
    """The ``--db PATH`` option (parameter ``db``) every headless command takes."""
    option = click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False),
        default=None,
        # `zoomtui --db PATH users` means the same as `zoomtui users --db PATH`.
        callback=lambda ctx, _param, value: value or ctx.find_root().params.get("db_path"),
        help="SQLite history file (default: ZOOMTUI_DB, else the platform data dir).",
    )
    return option(func)  # type: ignore[return-value]


def format_option(
    *formats: str, default: str = "table"
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The ``--format`` option (parameter ``fmt``), limited to ``formats`` when given."""
    choices = formats or FORMATS
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format.",
    )


def emit(
    records: Sequence[Mapping[str, Any]] | Mapping[str, Any],
    fmt: str,
    columns: Sequence[str] | None = None,
    *,
    width: int | None = None,
    keep: Sequence[str] = (),
) -> None:
    """Print records on stdout as ``table``, ``json`` or ``csv``.

    JSON is one document with every field (scripts want them all, and a
    mapping is printed as is); ``columns`` chooses and orders the columns of
    the table and CSV forms, default every key. A table fits ``width`` (default:
    the terminal's, no limit when piped); the ``keep`` columns are never cut. Zoom
    text is hostile: JSON writes control and bidi characters as ``\\uXXXX`` escapes
    (the data stays exact), a table shows them as placeholders, and CSV does too when
    stdout is a terminal (a pipe or a file gets the exact values).
    """
    if fmt == "json":
        text = json_safe(json.dumps(jsonable(records), ensure_ascii=False, indent=2)) + "\n"
    elif isinstance(records, Mapping):
        raise ValueError(f"Format {fmt} needs a list of records, not one object.")
    elif fmt == "csv":
        buffer = io.StringIO(newline="")
        write_csv(buffer, records, columns, for_terminal=_stdout_is_terminal())
        text = buffer.getvalue()
    elif fmt == "table":
        text = render_table(records, columns, width=width or terminal_width(), keep=keep)
        text = text if text.endswith("\n") or not text else text + "\n"
    else:
        raise ValueError(f"Unknown output format {fmt!r}.")
    click.echo(text, nl=False)


def terminal_width() -> int | None:
    """The terminal's width, or None (no limit) when stdout is not a terminal.

    Why no limit when piped: a script, ``grep`` or ``less -S`` wants whole values.
    """
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size((80, 24)).columns


def render_table(
    records: Sequence[Mapping[str, Any]],
    columns: Sequence[str] | None = None,
    *,
    width: int | None = 80,
    keep: Sequence[str] = (),
) -> str:
    """A plain text table that fits ``width``: long cells end in ``…``, numbers right-aligned.

    Only text columns shrink, and never the ``keep`` columns (the e-mail or account
    name that says whose row it is); a table whose numbers and kept columns alone
    exceed the width overflows rather than show a wrong number or a cut name.
    """
    names = list(columns) if columns is not None else columns_of(records)
    cells = [[_cell(record.get(name)) for name in names] for record in records]
    numeric = [_is_numeric([record.get(name) for record in records]) for name in names]
    natural = [
        max([_width(name), *(_width(row[i]) for row in cells)]) for i, name in enumerate(names)
    ]
    floor = [
        max([1, *(_width(row[i]) for row in cells)])
        if numeric[i]
        else natural[i]
        if name in keep
        else min(natural[i], 5)
        for i, name in enumerate(names)
    ]
    if width is None:
        widths = natural
    else:
        widths = _shrink(natural, floor, width - len(_GAP) * max(len(names) - 1, 0))
    lines = [_line(names, widths, numeric), _GAP.join("─" * w for w in widths)]
    lines.extend(_line(row, widths, numeric) for row in cells)
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _shrink(natural: list[int], floor: list[int], budget: int) -> list[int]:
    """Narrow the widest shrinkable column one step at a time until the row fits."""
    widths = list(natural)
    while sum(widths) > budget:
        candidates = [i for i, w in enumerate(widths) if w > floor[i]]
        if not candidates:
            break
        widest = max(candidates, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def _line(values: Sequence[str], widths: Sequence[int], numeric: Sequence[bool]) -> str:
    return _GAP.join(
        _pad(_fit(value, w), w, right)
        for value, w, right in zip(values, widths, numeric, strict=True)
    )


def _cell(value: Any) -> str:
    """Human text for a table cell (one line)."""
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, float):
        text = f"{value:.2f}"
    elif isinstance(value, datetime):
        text = value.strftime("%Y-%m-%d %H:%M")
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, list | tuple | set | frozenset):
        text = ", ".join(_cell(item) for item in value)
    elif isinstance(value, Mapping):
        text = ", ".join(f"{k}={_cell(v)}" for k, v in value.items())
    else:
        text = str(value)
    # controls and bidi overrides as visible placeholders; other invisible format
    # characters as spaces, so the columns stay aligned
    text = safe_text(text)
    return "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)


def _is_numeric(values: Sequence[Any]) -> bool:
    present = [v for v in values if v is not None]
    return bool(present) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in present
    )


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _width(text: str) -> int:
    """Terminal columns taken by ``text`` (wide East Asian characters count two)."""
    return sum(_char_width(ch) for ch in text)


def _fit(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        if used + _char_width(ch) > width - 1:
            break
        out.append(ch)
        used += _char_width(ch)
    return "".join(out) + "…"


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * max(width - _width(text), 0)
    return space + text if right else text + space


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _silence_stdout() -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
