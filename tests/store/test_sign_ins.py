"""Sign-in events as the store keeps them: one time form, folded emails, no duplicates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tests.store.conftest import T0
from zoomtui.store import SignInRow, Store


def stored(store: Store) -> list[tuple[str, str, str]]:
    return store.conn.execute("SELECT time, email, type FROM sign_ins ORDER BY 1, 2").fetchall()


def test_times_are_stored_as_utc_whole_seconds(store: Store) -> None:
    plus2 = timezone(timedelta(hours=2))
    amsterdam_lmt = timezone(timedelta(minutes=19, seconds=32))
    store.add_sign_ins(
        [
            SignInRow("a@example.com", datetime(2026, 2, 1, 12, 0, 0, 999_999, UTC), "Sign in"),
            SignInRow("b@example.com", datetime(2026, 2, 1, 14, 30, 0, tzinfo=plus2), "Sign in"),
            # An offset with seconds (old local mean times) is not rounded to the minute.
            SignInRow("c@example.com", datetime(1800, 1, 1, 0, 19, 32, tzinfo=amsterdam_lmt), "x"),
        ]
    )
    assert stored(store) == [
        ("1800-01-01T00:00:00Z", "c@example.com", "x"),
        ("2026-02-01T12:00:00Z", "a@example.com", "Sign in"),
        ("2026-02-01T12:30:00Z", "b@example.com", "Sign in"),
    ]
    with pytest.raises(ValueError, match="naive"):
        store.add_sign_ins([SignInRow("d@example.com", datetime(2026, 2, 1), "Sign in")])


def test_emails_are_case_folded_ascii_or_not(store: Store) -> None:
    when = T0 - timedelta(days=1)
    # A generator of plain tuples is taken as well as a list of rows.
    assert (
        store.add_sign_ins(
            (e, when, "Sign in", "", "", "") for e in ("Ann@Example.COM", "STRAßE@example.com")
        )
        == 2
    )
    # Folded the same way as before, so these are the same two events again.
    again = [
        SignInRow("ann@example.com", when, "Sign in"),
        SignInRow("strasse@EXAMPLE.com", when, "Sign in"),
    ]
    assert store.add_sign_ins(again) == 0
    assert [e for _, e, _ in stored(store)] == ["ann@example.com", "strasse@example.com"]
    assert store.sign_ins_of("STRASSE@example.com")[0]["email"] == "strasse@example.com"


def test_other_fields_survive_json_batching(store: Store) -> None:
    odd = 'quote " back \\ nul \x00 emoji 😀 cjk 漢字'
    store.add_sign_ins([SignInRow("d@example.com", T0, "Sign in", odd, "Zoom Rooms", "6.1.0")])
    (row,) = store.sign_ins_of("d@example.com")
    assert (row["ip_address"], row["client_type"], row["version"]) == (odd, "Zoom Rooms", "6.1.0")


def test_a_killed_report_is_finished_by_the_next_run(store: Store) -> None:
    """Events kept by a run that died before finishing its report still count."""
    old = T0 - timedelta(days=170)  # older than where the next run's report starts
    store.add_sign_ins([SignInRow("e@example.com", old, "Sign in")], bulk=True)
    # ... the process dies here: no finish_sign_ins, the index is gone.
    assert store.conn.execute("SELECT * FROM sign_in_latest").fetchall() == []
    store.begin_run(T0, full=False)
    assert store.conn.execute("SELECT * FROM sign_in_latest").fetchall() == [
        ("e@example.com", "2025-09-12T12:00:00Z")
    ]
    indexes = {r[1] for r in store.conn.execute("PRAGMA index_list(sign_ins)")}
    assert "sign_ins_email" in indexes
    assert store.conn.execute("SELECT * FROM sign_ins_unfinished").fetchall() == []
