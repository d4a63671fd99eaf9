"""Shared CLI helpers: one-sentence errors with exit codes, and the three output formats."""

from __future__ import annotations

import csv
import io
import json

import click
import pytest
from click.testing import CliRunner, Result

from zoomtui.commands.common import (
    cli_errors,
    db_option,
    emit,
    format_option,
    render_table,
    terminal_width,
)
from zoomtui.errors import ZoomtuiError
from zoomtui.settings import SettingsError


class Outside(Exception):
    """An error from another package, even one that looks like ours, is a bug."""

    message = "The thing failed."
    user_message = "The thing failed."
    exit_code = 5


class Ours(ZoomtuiError):
    """Stands in for zoomtui's own error classes (ZoomError, StoreError…)."""

    exit_code = 5


def invoke(exc: BaseException, env: dict[str, str] | None = None) -> Result:
    @click.command()
    @cli_errors
    def boom() -> None:
        raise exc

    return CliRunner().invoke(boom, [], env=env)


@pytest.mark.parametrize(
    ("exc", "stderr", "code"),
    [
        (SettingsError("Bad value."), "Bad value.\n", 1),
        (SettingsError("Bad value.", exit_code=2), "Bad value.\n", 2),
        (Outside(), "Unexpected error: Outside\n", 1),
        (Ours("Token\n  expired."), "Token expired.\n", 5),
        (Ours("Bad flag.", exit_code=2), "Bad flag.\n", 2),
        (KeyboardInterrupt(), "Interrupted.\n", 130),
        (FileNotFoundError(2, "No such file", "/x/y"), "No such file: /x/y.\n", 1),
        (ValueError("odd"), "Unexpected error: ValueError: odd\n", 1),
    ],
)  # fmt: skip
def test_errors_become_one_sentence(exc: BaseException, stderr: str, code: int) -> None:
    result = invoke(exc)
    assert result.exit_code == code
    assert result.stderr == stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_debug_shows_the_traceback_of_unexpected_errors() -> None:
    result = invoke(ValueError("odd"), env={"ZOOMTUI_DEBUG": "1"})
    assert result.exit_code == 1
    assert "Traceback" in result.stderr
    assert result.stderr.endswith("Unexpected error: ValueError: odd\n")


def test_click_usage_errors_pass_through() -> None:
    @click.command()
    @format_option("table", "json")
    @db_option
    @cli_errors
    def cmd(fmt: str, db: str | None) -> None:
        click.echo(f"{fmt} {db}")

    assert CliRunner().invoke(cmd, ["--format", "json", "--db", "x.db"]).output == "json x.db\n"
    bad = CliRunner().invoke(cmd, ["--format", "csv"])
    assert bad.exit_code == 2
    assert "Invalid value for '--format'" in bad.stderr


RECORDS = [
    {
        "email": "ann@example.com",
        "plan": "Licensed",
        "days": 3,
        "addons": ["webinar", "zoom_rooms"],
    },
    {"email": "bob@example.com", "plan": "Basic", "days": 120, "addons": []},
    {"email": "nobody@example.com", "plan": "Basic", "days": None, "addons": []},
]


def emitted(records: object, fmt: str, columns: list[str] | None = None) -> str:
    @click.command()
    def cmd() -> None:
        emit(records, fmt, columns)  # type: ignore[arg-type]

    result = CliRunner().invoke(cmd, [])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_emit_json_is_one_document_with_every_field() -> None:
    out = emitted([{"name": "Zoë", "n": 1}], "json", ["n"])
    assert json.loads(out) == [{"name": "Zoë", "n": 1}]
    assert "Zoë" in out
    assert json.loads(emitted({"ok": True}, "json")) == {"ok": True}


def test_emit_csv_joins_lists_with_semicolons() -> None:
    rows = list(csv.reader(io.StringIO(emitted(RECORDS, "csv", ["email", "addons", "days"]))))
    assert rows[0] == ["email", "addons", "days"]
    assert rows[1] == ["ann@example.com", "webinar;zoom_rooms", "3"]
    assert rows[3] == ["nobody@example.com", "", ""]


def test_table_aligns_numbers_right() -> None:
    lines = render_table(RECORDS, ["email", "days"]).splitlines()
    assert lines[0] == "email               days"
    assert lines[2] == "ann@example.com        3"
    assert lines[3] == "bob@example.com      120"
    assert lines[4] == "nobody@example.com"


def test_table_fits_80_columns_and_truncates_text_with_ellipsis() -> None:
    records = [{"id": i, "name": "x" * 200, "dept": "Engineering " * 5} for i in range(3)]
    lines = render_table(records).splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert lines[2].endswith("…")
    assert "xxx…" in lines[2]
    assert lines[2].split()[0] == "0"  # numbers are never cut


def test_table_counts_wide_characters_twice() -> None:
    records = [{"name": "山田太郎" * 30, "n": 1}]
    line = render_table(records, width=40).splitlines()[2]
    width = sum(2 if "\u4e00" <= ch <= "\u9fff" else 1 for ch in line)
    assert width <= 40
    assert "…" in line


def test_table_formats_cells() -> None:
    records = [{"ok": True, "price": 149.9, "tags": ("a", "b"), "text": "two\nlines"}]
    row = render_table(records).splitlines()[2]
    assert row.split("  ")[:3] == ["yes", "149.90", "a, b"]
    assert "two␊lines" in row  # a newline from Zoom is shown, not obeyed (zoomtui.text)


def test_table_without_records_prints_the_header() -> None:
    assert render_table([], ["id", "status"]).splitlines()[0] == "id  status"


def test_kept_columns_are_never_cut() -> None:
    records = [{"email": "aiko.delacruz@example-long-domain.com", "dept": "Engineering " * 5}]
    line = render_table(records, ["email", "dept"], width=40, keep=["email"]).splitlines()[2]
    assert line.startswith("aiko.delacruz@example-long-domain.com  ")
    assert line.endswith("…")  # the other text column gave way
    narrow = render_table(records, ["email"], width=20, keep=["email"]).splitlines()[2]
    assert narrow == "aiko.delacruz@example-long-domain.com"  # overflows rather than cut


def test_a_piped_table_is_never_cut() -> None:
    records = [{"name": "x" * 200, "n": 1}]
    assert terminal_width() is None  # pytest captures stdout: not a terminal
    assert "…" not in render_table(records, width=None)
    assert "x" * 200 in emitted(records, "table", ["name", "n"])
