"""Upgrading a database written by an earlier zoomtui keeps everything it held."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from tests.store.conftest import T0
from zoomtui.store import SignInRow, Store
from zoomtui.store.schema import migrations

OLD_EVENTS = [
    ("ann@example.com", "2026-02-01T09:00:00Z", "Sign in", "10.0.0.1", "Browser", "5.9"),
    ("ann@example.com", "2026-02-01T17:00:00Z", "Sign out", "10.0.0.1", "Browser", "5.9"),
    ("bob@example.com", "2026-01-15T08:30:00Z", "Sign in", "", "Windows", ""),
]


def old_database(path: Path) -> None:
    """A database as zoomtui wrote it before m002, holding three sign-in events."""
    db = Database(sqlite3.connect(path, isolation_level=None))
    migrations.apply(db, stop_before="m002_sign_ins_by_time")
    db.conn.executemany(
        "INSERT INTO sign_ins (email, time, type, ip_address, client_type, version) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        OLD_EVENTS,
    )
    db.conn.close()


def test_sign_ins_move_to_time_order_without_loss(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    old_database(path)
    with Store.open(path, clock=lambda: T0) as s:
        rows = s.conn.execute(
            "SELECT email, time, type, ip_address, client_type, version FROM sign_ins"
        ).fetchall()
        assert sorted(rows) == sorted(OLD_EVENTS)
        indexes = {r[1] for r in s.conn.execute("PRAGMA index_list(sign_ins)")}
        assert "sign_ins_email" in indexes
        assert [e["type"] for e in s.sign_ins_of("ANN@example.com")] == ["Sign out", "Sign in"]
        # The same (time, email, type) is still one event; another type is not.
        when = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
        assert s.add_sign_ins([SignInRow(email="Ann@example.com", time=when, type="Sign in")]) == 0
        assert s.add_sign_ins([SignInRow(email="ann@example.com", time=when, type="Sign out")]) == 1


def test_bulk_load_rebuilds_the_email_index(tmp_path: Path) -> None:
    with Store.open(tmp_path / "history.db", clock=lambda: T0) as s:
        event = SignInRow(email="Cy@example.com", time=T0, type="Sign in")
        assert s.add_sign_ins([event], bulk=True) == 1

        def indexes() -> set[str]:
            return {r[1] for r in s.conn.execute("PRAGMA index_list(sign_ins)")}

        def latest() -> list[tuple[str, str]]:
            return s.conn.execute("SELECT email, time FROM sign_in_latest").fetchall()

        assert "sign_ins_email" not in indexes()
        assert s.sign_ins_of("cy@example.com")[0]["time"] == "2026-03-01T12:00:00Z"
        assert latest() == []
        s.finish_sign_ins()
        assert "sign_ins_email" in indexes()
        assert latest() == [("cy@example.com", "2026-03-01T12:00:00Z")]
        plan = " ".join(
            str(r[-1])
            for r in s.conn.execute(
                "EXPLAIN QUERY PLAN SELECT time FROM sign_ins WHERE email = ? ORDER BY time DESC",
                ("cy@example.com",),
            )
        )
        assert "sign_ins_email" in plan


def test_latest_sign_in_only_moves_forward(tmp_path: Path) -> None:
    with Store.open(tmp_path / "history.db", clock=lambda: T0) as s:
        old, new = T0 - timedelta(days=40), T0 - timedelta(days=2)
        s.add_sign_ins([SignInRow("d@example.com", new, "Sign in")])
        s.finish_sign_ins()
        # An older report window stored later must not move the latest back.
        s.add_sign_ins([SignInRow("d@example.com", old, "Sign in")])
        s.add_sign_ins([SignInRow("d@example.com", T0, "Sign out")])
        s.finish_sign_ins()
        got = s.conn.execute("SELECT time FROM sign_in_latest").fetchall()
        assert got == [("2026-02-27T12:00:00Z",)]
