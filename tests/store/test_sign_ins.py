"""Sign-in events as the store keeps them: one time form, folded emails, no duplicates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from tests.store.conftest import T0
from zoomtui.store import SignInRow, Store


def stored(store: Store) -> list[tuple[str, str, str]]:
    return store.conn.execute("SELECT time, email, type FROM sign_ins ORDER BY 1, 2").fetchall()


def test_times_are_stored_as_utc_whole_seconds(store: Store) -> None:
    plus2 = timezone(timedelta(hours=2))
    store.add_sign_ins(
        [
            SignInRow("a@example.com", datetime(2026, 2, 1, 12, 0, 0, 999_999, UTC), "Sign in"),
            SignInRow("b@example.com", datetime(2026, 2, 1, 14, 30, 0, tzinfo=plus2), "Sign in"),
            SignInRow("c@example.com", datetime(2026, 2, 1, 9, 15, 7), "Sign out"),  # naive: UTC
        ]
    )
    assert stored(store) == [
        ("2026-02-01T09:15:07Z", "c@example.com", "Sign out"),
        ("2026-02-01T12:00:00Z", "a@example.com", "Sign in"),
        ("2026-02-01T12:30:00Z", "b@example.com", "Sign in"),
    ]


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
