"""Filters, search, sort and windowing of a run's users; the diff and the trend."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from tests.store.conftest import T0, complete, emails, user
from zoomtui.store import SeatRow, Store, history, queries

ODD = ["it's", "100%", "a_b", "back\\slash", "émoji🎉"]


@pytest.fixture
def run_id(store: Store) -> int:
    rows = [
        user(1, plan="Basic", type=1, dept="Eng", addons=("webinar",)),
        user(2, status="pending", zoom_id=None, last_login_time=None, addons=None),
        user(3, status="inactive", account_id="sub1", addons=("large_meeting", "webinar")),
        user(4, last_login_time=None, dept="Eng"),
        user(5, last_login_time=T0 - timedelta(days=200)),
    ]
    rows += [user(10 + i, last_name=name) for i, name in enumerate(ODD)]
    rows.append(user(20, last_name="100x"))
    rows.append(user(21, last_name="aXb"))
    return complete(store, rows)


def test_filters_each(store: Store, run_id: int) -> None:
    assert emails(store, run_id, plans=["Basic"]) == ["user1@example.com"]
    assert emails(store, run_id, statuses=["pending"]) == ["user2@example.com"]
    assert emails(store, run_id, addons=["large_meeting"]) == ["user3@example.com"]
    assert emails(store, run_id, addons=["webinar"]) == ["user1@example.com", "user3@example.com"]
    assert emails(store, run_id, account="sub1") == ["user3@example.com"]
    assert emails(store, run_id, dept="Eng") == ["user1@example.com", "user4@example.com"]
    assert emails(store, run_id, never_logged_in=True) == ["user2@example.com", "user4@example.com"]
    assert emails(store, run_id, inactive_before=T0 - timedelta(days=100)) == [
        "user2@example.com",
        "user4@example.com",
        "user5@example.com",
    ]
    assert emails(store, run_id, plans=["Basic"], dept="Sales") == []
    assert emails(store, run_id, plans=[]) == []


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        ("it's", ["user10@example.com"]),
        ("100%", ["user11@example.com"]),
        ("a_b", ["user12@example.com"]),
        ("K\\S", ["user13@example.com"]),
        ("ÉMOJI🎉", ["user14@example.com"]),
        ("USER1@", ["user1@example.com"]),
        ("x" * 10_000, []),
        ("🎉" * 10_000, []),
        ("%", ["user11@example.com"]),
        ("_", ["user12@example.com"]),
    ],
)
def test_search_is_literal_and_case_insensitive(
    store: Store, run_id: int, needle: str, expected: list[str]
) -> None:
    assert emails(store, run_id, search=needle) == expected


def test_sort_offset_limit_total(store: Store, run_id: int) -> None:
    everyone = emails(store, run_id, sort="last_name")
    page, total = store.users(run_id, sort="last_name", offset=2, limit=3)
    assert total == len(everyone) == 12
    assert [r["email"] for r in page] == everyone[2:5]
    desc, _ = store.users(run_id, sort="last_name", descending=True)
    assert [r["email"] for r in desc] == everyone[::-1]
    by_idle, _ = store.users(run_id, sort="days_inactive", descending=True, now=T0)
    assert [r["days_inactive"] for r in by_idle][:2] == [None, None]  # never = most inactive
    assert by_idle[2]["email"] == "user5@example.com" and by_idle[2]["days_inactive"] == 200
    beyond, total = store.users(run_id, offset=500, limit=10)
    assert beyond == [] and total == 12
    assert store.count_users(run_id, statuses=["active"]) == 10
    with pytest.raises(ValueError):
        store.users(run_id, sort="email; DROP TABLE runs")


@pytest.mark.parametrize(
    ("sort", "descending", "filters"),
    [
        ("email", False, {}),
        ("days_inactive", True, {"statuses": ["active", "pending", "inactive"]}),
        ("last_name", True, {"inactive_before": T0 - timedelta(days=100)}),
        ("user_created_at", False, {"addons": ["webinar"]}),
    ],
)
def test_whole_read_equals_the_windows(
    store: Store, run_id: int, monkeypatch: pytest.MonkeyPatch, sort: str, descending: bool,
    filters: dict,
) -> None:  # fmt: skip
    """Every row read in one statement (the CLI, reclaim, exports) equals the windowed reads
    (ids, then records by id) page by page: same records, same order, same total."""
    whole, total = store.users(run_id, sort=sort, descending=descending, now=T0, **filters)
    pages = []
    for offset in range(0, 14, 3):
        rows, count = store.users(
            run_id, sort=sort, descending=descending, offset=offset, limit=3, now=T0, **filters
        )
        assert count == total
        pages += rows
    assert whole and whole == pages and total == len(whole)
    monkeypatch.setattr(queries, "WHOLE_READ", 2)  # a big window, read in one statement
    window, count = store.users(
        run_id, sort=sort, descending=descending, offset=1, limit=3, now=T0, **filters
    )
    assert window == whole[1:4] and count == total
    rest, count = store.users(run_id, sort=sort, descending=descending, offset=1, limit=50,
                              now=T0, **filters)  # fmt: skip
    assert rest == whole[1:] and count == total


def test_records_do_not_share_their_lists(store: Store, run_id: int) -> None:
    """Records of the same add-ons are built from one cached split: each gets its own lists."""
    rows, _ = store.users(run_id, statuses=["active", "inactive"], addons=["webinar"])
    rows[0]["addons"].append("changed")
    rows[0]["addon_capacities"]["changed"] = 1
    again, _ = store.users(run_id, statuses=["active", "inactive"], addons=["webinar"])
    assert "changed" not in again[0]["addons"] and "changed" not in again[0]["addon_capacities"]
    assert all("changed" not in r["addons"] for r in rows[1:])


def test_user_record_fields(store: Store, run_id: int) -> None:
    row = store.users(run_id, search="user1@", now=T0)[0][0]
    assert row["id"] == "z1" and row["plan"] == "Basic" and row["type"] == 1
    assert row["last_login_time"] == "2026-02-28T12:00:00Z"
    assert row["addons"] == ["webinar"] and row["days_inactive"] == 1
    pending = store.users(run_id, statuses=["pending"])[0][0]
    assert pending["id"] is None and pending["addons"] == [] and not pending["addons_known"]


def test_diff(store: Store) -> None:
    base = [user(1), user(2), user(3), user(4), user(5, last_login_time=T0 - timedelta(days=85))]
    r1 = complete(store, base)
    store.begin_run(T0 + timedelta(days=1), full=False)  # then ended partial: never "removed"
    partial = store.runs()[-1].id
    store.stage_users(partial, [user(1)])
    store.end_run(partial, "partial", T0 + timedelta(days=1))
    after = [
        user(1, status="inactive"),
        user(2, plan="Basic", type=1),
        user(3, addons=("webinar",), dept="Eng"),
        user(5, last_login_time=T0 - timedelta(days=85)),
        user(6),
    ]
    r2 = complete(store, after, day=10)
    d = store.diff(r1, r2, T0 + timedelta(days=10), 90)
    assert [u["email"] for u in d["added"]] == ["user6@example.com"]
    assert [u["email"] for u in d["removed"]] == ["user4@example.com"]
    changes = {c["email"]: c["changes"] for c in d["changed"]}
    assert changes["user1@example.com"] == {"status": ["active", "inactive"]}
    assert changes["user2@example.com"] == {"plan": ["Licensed", "Basic"], "type": [2, 1]}
    assert changes["user3@example.com"] == {"addons": [[], ["webinar"]], "dept": ["Sales", "Eng"]}
    assert changes["user5@example.com"] == {"idle": [False, True]}  # 85 → 95 days
    assert set(changes) == {f"user{n}@example.com" for n in (1, 2, 3, 5)}
    assert store.diff(r2, r2, None, 90)["changed"] == []
    assert store.diff(r1, r2)["from_run"] == r1


def test_diff_reads_only_users_whose_idle_can_move(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A login that moved without crossing the cut is no candidate; every diff is the
    diff of every user compared (the candidates lose nothing), both ways, any days."""
    days = [0, 1, 5, 30, 90, 400]
    ago = lambda n: T0 - timedelta(days=n)  # noqa: E731
    first = [user(n, last_login_time=ago(n * 7 % 50)) for n in range(1, 13)]
    runs = [complete(store, [*first, user(30, last_login_time=ago(200))])]
    for step in (1, 2, 3):
        rows = [
            user(
                n,
                last_login_time=ago(n * 7 % 50 - step * 11),
                plan="Basic" if n == step else "Licensed",
            )
            for n in range(step, 13)
            if n != 6 + step
        ]
        rows.append(user(20 + step, user_created_at=ago(40)))
        rows.append(user(30, last_login_time=ago(-step * 11)))  # idle for months, back
        runs.append(complete(store, rows, day=step * 11))
    real = history._candidates
    seen: list[int] = []

    def counted(conn: sqlite3.Connection, *args: object) -> None:
        real(conn, *args)  # type: ignore[arg-type]
        seen.append(conn.execute("SELECT count(*) FROM _cand").fetchone()[0])

    def everyone(conn: sqlite3.Connection, *_args: object) -> None:
        conn.execute("INSERT INTO _cand SELECT id FROM identities")

    for a in runs:
        for b in runs:
            for n in days:
                monkeypatch.setattr(history, "_candidates", counted)
                fast = store.diff(a, b, T0, n)
                monkeypatch.setattr(history, "_candidates", everyone)
                assert fast == store.diff(a, b, T0, n), (a, b, n)
    # Every user's login moved each step; at 400 days none crossed, so only the
    # users whose version changed (plan, added, removed) were read.
    monkeypatch.setattr(history, "_candidates", counted)
    store.diff(runs[0], runs[1], T0, 400)
    assert 0 < seen[-1] <= 4
    back = {c["email"]: c["changes"] for c in store.diff(runs[0], runs[1], T0, 90)["changed"]}
    assert back["user30@example.com"] == {"idle": [True, False]}


def test_trend(store: Store) -> None:
    r1 = store.begin_run(T0, full=False)
    store.stage_users(r1, [user(1), user(2, plan="Basic", type=1), user(3, status="inactive")])
    store.stage_seats(r1, [SeatRow("main", "plan_base", "monthly", 10, 2)])
    store.complete_run(r1, T0)
    complete(store, [user(1, last_login_time=T0 - timedelta(days=200))], day=1)
    trend = store.trend(90)
    assert [(t["users"], t["licensed"], t["idle_licensed"]) for t in trend] == [
        (2, 1, 0),
        (1, 1, 1),
    ]
    assert trend[0]["seats_purchased"] == 10 and trend[0]["seats_assigned"] == 2


def test_trend_reads_the_counts_kept_at_completion(store: Store) -> None:
    """Counted once per run and inactive_days, the trend reads no user row on each visit."""
    r1 = complete(store, [user(1), user(2, plan="Basic", type=1)])
    complete(store, [user(1, last_login_time=T0 - timedelta(days=200))], day=1)
    live = store.trend(90)
    assert store.summarise_runs(90) == 2  # runs from before counts were kept
    assert store.summarise_runs(90) == 0
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        assert store.trend(90) == live
    finally:
        store.conn.set_trace_callback(None)
    assert statements and not [s for s in statements if "user_versions" in s]
    # Another inactive_days is counted live, then kept by the next run's count.
    assert store.trend(300)[1]["idle_licensed"] == 0
    assert store.summarise_runs(300) == 2
    assert store.run(r1).stats["summary"]["inactive_days"] == 300  # type: ignore[union-attr]


def test_one_users_record_by_address_whatever_the_case_and_however_many_contain_it(
    store: Store, tmp_path: Path
) -> None:
    """The detail's lookup: exact address through the identities, not the search text.

    Sixty addresses contain "bo@example.com" and sort before it; the search text
    (limit 50, as the detail read) never reached it.
    """
    from zoomtui.services.context import AppContext
    from zoomtui.services.users import user_detail
    from zoomtui.settings import Settings

    rows = [user(1, email="bo@example.com", zoom_id="zbo")]
    rows += [user(n, email=f"a{n:02d}bo@example.com") for n in range(2, 62)]
    run = complete(store, rows)
    assert emails(store, run, email="BO@Example.COM") == ["bo@example.com"]
    assert emails(store, run, email="nobody@example.com") == []
    ctx = AppContext(
        settings=Settings(), db_path=tmp_path / "data" / "history.db", clock=lambda: T0
    )
    ctx._store = store
    detail = user_detail(ctx, "Bo@example.com")
    assert detail["record"] is not None and detail["record"]["email"] == "bo@example.com"
