"""Export records as CSV or JSON to a file or a stream, never overwriting by surprise.

Why: exports end up in shared folders and spreadsheets. A file is created
with mode 0600 — exports are not secret, but user lists carry e-mail
addresses, and the owner can always widen access; an existing file is only
replaced with ``overwrite=True`` (and then atomically); fields that could hold
credentials are dropped whatever the caller passes.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from zoomtui.errors import ZoomtuiError
from zoomtui.settings import MASK
from zoomtui.text import safe_text

__all__ = [
    "SECRET_FIELDS",
    "ExportError",
    "cell_text",
    "columns_of",
    "jsonable",
    "write_csv",
    "write_json",
]

# Never exported, at any depth: names of fields that can carry credentials.
SECRET_FIELDS = frozenset(
    {"client_secret", "api_secret", "access_token", "refresh_token", "password", "secret"}
)

Target = Path | str | IO[str]
Record = Mapping[str, Any]


class ExportError(ZoomtuiError):
    """An export could not be written; the message is one sentence naming the file."""


def write_csv(
    target: Target,
    records: Iterable[Record],
    columns: Sequence[str] | None = None,
    *,
    overwrite: bool = False,
    for_spreadsheets: bool = False,
    for_terminal: bool = False,
) -> int:
    """Write a header row and one row per record; return the number of records.

    Lists are joined with ``;``, None is empty, booleans are ``true``/``false``
    and datetimes ISO 8601. ``columns`` defaults to every key in first-seen order.
    ``for_spreadsheets``: a text cell that a spreadsheet would run as a formula
    (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a
    leading ``'``. Any account member can name themselves ``=HYPERLINK(...)``.
    ``for_terminal``: the CSV goes to a terminal, not a file, so control and bidi
    characters are shown as placeholders (``zoomtui.text.safe_text``) instead of acting.
    """
    rows = list(records)
    wanted = columns if columns is not None else columns_of(rows)
    names = [name for name in wanted if name not in SECRET_FIELDS]
    base = _inert_cell if for_spreadsheets else cell_text
    cell = (lambda value: safe_text(base(value))) if for_terminal else base
    with _opened(target, overwrite, newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(names)
        for record in rows:
            writer.writerow([cell(record.get(name)) for name in names])
    return len(rows)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert_cell(value: Any) -> str:
    """:func:`cell_text`, with text a spreadsheet would evaluate made literal."""
    text = cell_text(value)
    if text.startswith(_FORMULA_STARTS) and not isinstance(value, int | float):
        return "'" + text
    return text


def write_json(target: Target, data: Iterable[Record] | Record, *, overwrite: bool = False) -> int:
    """Write one JSON document (a list of records or one object); return the record count."""
    document = jsonable(data if isinstance(data, Mapping) else list(data))
    with _opened(target, overwrite) as stream:
        json.dump(document, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    return 1 if isinstance(document, dict) else len(document)


def columns_of(records: Iterable[Record]) -> list[str]:
    """Every key of the records, in first-seen order."""
    seen: dict[str, None] = {}
    for record in records:
        seen.update(dict.fromkeys(record))
    return list(seen)


def cell_text(value: Any) -> str:
    """One CSV cell: lists joined with ``;``, mappings as JSON, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return ";".join(cell_text(item) for item in items)
    if isinstance(value, Mapping):
        return json.dumps(jsonable(value), ensure_ascii=False, sort_keys=True)
    return str(value)


def jsonable(value: Any) -> Any:
    """Plain JSON types: ISO 8601 datetimes, sorted sets, dataclasses as dicts, no secrets."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items() if not _secret(str(k), v)}
    if isinstance(value, set | frozenset):
        return [jsonable(v) for v in sorted(value)]
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def _secret(key: str, value: Any) -> bool:
    """A credential field with a real value (masked or empty placeholders may pass)."""
    return key in SECRET_FIELDS and value not in (None, "", MASK)


@contextlib.contextmanager
def _opened(target: Target, overwrite: bool, newline: str | None = None) -> Iterator[IO[str]]:
    """Yield a text stream: the caller's stream, a new 0600 file, or an atomic replacement."""
    if not isinstance(target, Path | str):
        yield target
        return
    path = Path(target).expanduser()
    if overwrite and path.exists():
        yield from _replacing(path, newline)
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ExportError(f"{path} already exists; choose another name or overwrite it.") from None
    except OSError as exc:
        raise ExportError(f"Cannot create {path}: {exc.strerror}.") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as stream:
            yield stream
    except BaseException:
        path.unlink(missing_ok=True)  # no half-written export left behind
        raise


def _replacing(path: Path, newline: str | None) -> Iterator[IO[str]]:
    """Write a temp file next to ``path`` and move it over ``path`` when complete."""
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ExportError(f"Cannot write {path}: {exc.strerror}.") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as stream:
            yield stream
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
