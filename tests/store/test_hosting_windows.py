"""The hosting filters read per-connection derived tables that never go stale."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from tests.store.conftest import T0, complete, emails, user
from zoomtui.store import Store
from zoomtui.store import store as store_module
from zoomtui.store.hosting import HostTuple, MonthRead, window_table

EVERYONE = [f"user{n}@example.com" for n in range(1, 7)]


def record(store: Store, month: str, hosts: list[HostTuple], account: str = "main") -> None:
    year, mon = (int(x) for x in month.split("-"))
    first = date(year, mon, 1)
    store.record_hosting(MonthRead(account, month, first, first, T0, True), hosts)


def host(n: int, meetings: int, minutes: int) -> HostTuple:
    return (f"User{n}@Example.com", f"z{n}", meetings, meetings * 3, minutes)


def truth(store: Store, since: str) -> dict[str, int]:
    """Brute force from every stored row: e-mail -> minutes since ``since`` (hosts only)."""
    out: dict[str, int] = {}
    for email, months in store.all_hosting().items():
        for month, (meetings, _participants, minutes) in months.items():
            if month >= since and meetings > 0:
                out[email] = out.get(email, 0) + minutes
    return out


@pytest.fixture
def run_id(store: Store) -> int:
    run = complete(store, [user(n) for n in range(1, 7)])
    record(store, "2026-01", [host(3, 1, 30)])
    record(store, "2026-02", [host(1, 2, 100), host(2, 1, 200), host(4, 0, 0)])
    return run


def test_filters_equal_a_brute_force_reading(store: Store, run_id: int) -> None:
    hosted = truth(store, "2026-02")
    assert hosted == {"user1@example.com": 100, "user2@example.com": 200}
    assert emails(store, run_id, not_hosted_since="2026-02") == [
        e for e in EVERYONE if e not in hosted
    ]
    assert emails(store, run_id, hosted_minutes_below=("2026-02", 150)) == [
        e for e in EVERYONE if hosted.get(e, 0) < 150
    ]
    both = emails(store, run_id, not_hosted_since="2026-01", hosted_minutes_below=("2026-01", 150))
    assert both == [e for e in EVERYONE if e not in truth(store, "2026-01")]
    assert store.count_users(run_id, not_hosted_since="2026-02") == 4
    assert emails(store, run_id, hosted_minutes_below=("2026-02", 0)) == []  # < 0 minutes
    assert emails(store, run_id, hosted_minutes_below=("2026-02", 1)) == [
        e for e in EVERYONE if e not in hosted
    ]


def test_own_writes_and_other_connections_are_seen(store: Store, run_id: int) -> None:
    assert "user5@example.com" in emails(store, run_id, not_hosted_since="2026-02")
    record(store, "2026-03", [host(5, 1, 10)])  # this connection writes: tables rebuilt
    assert "user5@example.com" not in emails(store, run_id, not_hosted_since="2026-02")
    assert emails(store, run_id, hosted_minutes_below=("2026-02", 150)) == [
        e for e in EVERYONE if e != "user2@example.com"
    ]
    with closing(sqlite3.connect(store.path)) as other, other:  # another process, say
        other.execute("DELETE FROM hosting WHERE email = 'user2@example.com'")
    assert emails(store, run_id, hosted_minutes_below=("2026-02", 150)) == EVERYONE
    assert "user2@example.com" in emails(store, run_id, not_hosted_since="2026-02")


def test_many_windows_stay_exact(store: Store, run_id: int) -> None:
    for n, month in enumerate(("2025-10", "2025-11", "2025-12", "2026-03")):
        record(store, month, [host(n + 1, 1, 60 * (n + 1))])
    months = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)][6:16]
    for _ in range(2):  # more windows than a connection keeps, asked twice over
        for since in months:
            hosted = truth(store, since)
            assert emails(store, run_id, not_hosted_since=since) == [
                e for e in EVERYONE if e not in hosted
            ], since
            for least in (1, 90, 150):
                assert emails(store, run_id, hosted_minutes_below=(since, least)) == [
                    e for e in EVERYONE if hosted.get(e, 0) < least
                ], (since, least)


def test_a_read_only_history_can_be_filtered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "h.db"
    with Store.open(path, clock=lambda: T0) as s:
        run_id = complete(s, [user(n) for n in range(1, 7)])
        record(s, "2026-02", [host(1, 2, 100)])
    monkeypatch.setattr(store_module.os, "access", lambda p, mode: mode != os.W_OK)
    with Store.open(path, readonly=True) as s:
        assert emails(s, run_id, not_hosted_since="2026-02") == EVERYONE[1:]


@pytest.mark.parametrize("text", ["2026-1", "2026-02; DROP TABLE runs", "", "x" * 7])
def test_only_months_become_table_names(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        window_table(text)
