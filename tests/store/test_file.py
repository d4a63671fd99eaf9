"""The database file: permissions, refusal of bad files, concurrent reader and writer."""

from __future__ import annotations

import sqlite3
import stat
import threading
from pathlib import Path

import pytest

from tests.store.conftest import complete, user
from zoomtui.store import Store, StoreError


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_created_private_with_parents(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "history.db"
    with Store.open(path) as s:
        complete(s, [user(1)])
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 10_000
        assert mode(path) == 0o600
        for suffix in ("-wal", "-shm"):
            assert mode(Path(f"{path}{suffix}")) == 0o600


def test_corrupt_file_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    data = b"this is not a database" * 300
    path.write_bytes(data)
    with pytest.raises(StoreError, match=str(path)) as info:
        Store.open(path)
    assert info.value.message.count(".") >= 1
    assert path.read_bytes() == data


def test_newer_schema_refused(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('zoomtui', 'm999_future', 'x')"
    )
    conn.commit()
    conn.close()
    data = path.read_bytes()
    with pytest.raises(StoreError, match="newer zoomtui"):
        Store.open(path)
    assert path.read_bytes() == data


def test_foreign_database_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="another program"):
        Store.open(path)


def test_unreadable_path(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="directory"):
        Store.open(tmp_path)  # a directory, not a file
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError):
        Store.open(blocker / "history.db")  # parent is a file


def test_reopen_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    with Store.open(path) as s:
        run_id = complete(s, [user(1)])
    with Store.open(path) as s:
        assert s.users(run_id)[1] == 1


def test_writer_and_reader_without_locked(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    reader = Store.open(path)
    errors: list[BaseException] = []
    first = complete(reader, [user(n) for n in range(200)])

    def write() -> None:
        try:
            with Store.open(path) as writer:  # its own connection, as another process would
                for day in range(1, 8):
                    complete(writer, [user(n, dept=f"D{day}") for n in range(200)], day=day)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    while thread.is_alive():
        latest = reader.latest_complete_run()
        assert latest is not None
        rows, total = reader.users(latest.id, limit=10)
        assert total == 200 and len({r["dept"] for r in rows}) == 1
        assert reader.users(first)[1] == 200
    thread.join()
    last = reader.latest_complete_run()
    reader.close()
    assert errors == []
    assert last is not None and last.id == first + 7
