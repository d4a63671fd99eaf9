"""Helpers for store tests: a fresh database and compact user rows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from zoomtui.store import Store, UserRow

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterable[Store]:
    s = Store.open(tmp_path / "data" / "history.db", clock=lambda: T0)
    yield s
    s.close()


def user(n: int, **over: object) -> UserRow:
    base: dict[str, object] = {
        "zoom_id": f"z{n}",
        "email": f"user{n}@example.com",
        "first_name": f"First{n}",
        "last_name": f"Last{n}",
        "display_name": f"First{n} Last{n}",
        "status": "active",
        "type": 2,
        "plan": "Licensed",
        "dept": "Sales",
        "account_id": "main",
        "last_login_time": T0 - timedelta(days=n),
        "addons": (),
    }
    base.update(over)
    return UserRow(**base)  # type: ignore[arg-type]


def complete(store: Store, rows: list[UserRow], day: int = 0) -> int:
    """One complete run staging ``rows``; returns its id."""
    when = T0 + timedelta(days=day)
    run_id = store.begin_run(when, full=False)
    store.stage_users(run_id, rows)
    store.complete_run(run_id, when + timedelta(minutes=1), {"calls": {"light": 1}}, {})
    return run_id


def emails(store: Store, run_id: int, **filters: object) -> list[str]:
    rows, total = store.users(run_id, **filters)  # type: ignore[arg-type]
    assert total == len(rows)
    return [r["email"] for r in rows]
