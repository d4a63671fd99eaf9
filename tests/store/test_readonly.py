"""A history on a read-only mount can still be queried, and is never written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.store.conftest import T0, complete, user
from zoomtui.store import Store, StoreError
from zoomtui.store import store as store_module


def _unwritable(monkeypatch: pytest.MonkeyPatch) -> None:
    # The suite may run as root, for whom chmod does not stop writes: say what a
    # read-only mount says instead.
    monkeypatch.setattr(store_module.os, "access", lambda p, mode: mode != os.W_OK)


def test_readonly_open_queries_without_touching_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "h.db"
    with Store.open(path, clock=lambda: T0) as s:
        run_id = complete(s, [user(1), user(2)])
    before = sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in tmp_path.iterdir())
    _unwritable(monkeypatch)
    with Store.open(path, readonly=True) as s:
        assert s.latest_complete_run() is not None
        _rows, total = s.users(run_id)
        assert total == 2
        assert s.diff(run_id, run_id)["added"] == []
        with pytest.raises(Exception, match=r"readonly|read-only"):
            s.begin_run(T0, full=False)
    after = sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in tmp_path.iterdir())
    assert after == before


def test_readonly_open_of_a_missing_file_is_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _unwritable(monkeypatch)
    with pytest.raises(StoreError, match="There is no history database"):
        Store.open(tmp_path / "missing.db", readonly=True)
    assert not (tmp_path / "missing.db").exists()


def test_read_only_commands_work_on_an_unwritable_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from zoomtui.cli import main

    path = tmp_path / "h.db"
    with Store.open(path, clock=lambda: T0) as s:
        complete(s, [user(1), user(2)])
    _unwritable(monkeypatch)
    for command in (["runs"], ["users"], ["seats"], ["diff"]):
        result = CliRunner().invoke(main, [*command, "--db", str(path), "--format", "json"])
        assert result.exit_code in (0, 1), (command, result.output)
        assert "readonly" not in result.output.lower(), (command, result.output)
    result = CliRunner().invoke(main, ["users", "--db", str(path), "--format", "json"])
    assert result.exit_code == 0 and "user1@example.com" in result.stdout
