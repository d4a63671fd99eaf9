"""Storage grows with change: versions, identities, add-on carry-forward, history."""

from __future__ import annotations

from datetime import timedelta

from tests.store.conftest import T0, complete, user
from zoomtui.store import AddonRead, Store


def count(store: Store, table: str) -> int:
    return store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_unchanged_rerun_adds_no_versions(store: Store) -> None:
    rows = [user(n) for n in range(50)]
    complete(store, rows)
    versions, logins = count(store, "user_versions"), count(store, "logins")
    complete(store, rows, day=1)
    complete(store, rows, day=2)
    assert count(store, "user_versions") == versions == 50
    assert count(store, "logins") == logins == 50


def test_login_churn_does_not_create_versions(store: Store) -> None:
    complete(store, [user(1)])
    complete(store, [user(1, last_login_time=T0)], day=1)
    assert count(store, "user_versions") == 1
    assert count(store, "logins") == 2


def test_change_closes_and_older_runs_read_as_before(store: Store) -> None:
    r1 = complete(store, [user(1), user(2)])
    r2 = complete(store, [user(1, dept="Eng")], day=1)
    assert {r["dept"] for r in store.users(r1)[0]} == {"Sales"}
    assert store.users(r1)[1] == 2
    rows, total = store.users(r2)
    assert total == 1 and rows[0]["dept"] == "Eng"
    history = store.history_of("z1")
    assert [(h["valid_from_run"], h["valid_to_run"], h["dept"]) for h in history] == [
        (r1, r2, "Sales"),
        (r2, None, "Eng"),
    ]


def test_pending_then_active_keeps_identity(store: Store) -> None:
    complete(store, [user(1, zoom_id=None, status="pending", email="New@Example.com")])
    (identity,) = store.conn.execute("SELECT id FROM identities").fetchone()
    r2 = complete(store, [user(1, zoom_id="zz1", email="new@example.com")], day=1)
    assert count(store, "identities") == 1
    rows, _ = store.users(r2)
    assert rows[0]["identity"] == identity and rows[0]["id"] == "zz1"
    assert [h["status"] for h in store.history_of(identity)] == ["pending", "active"]


def test_big_zoom_one_type_exact(store: Store) -> None:
    big = (1 << 59) + 3
    r = complete(store, [user(1, zoom_one_type=big)])
    assert store.users(r)[0][0]["zoom_one_type"] == big


def test_addons_carry_forward(store: Store) -> None:
    r1 = complete(store, [user(1, addons=("webinar", "large_meeting"))])
    r2 = complete(store, [user(1, addons=None)], day=1)
    assert store.users(r2)[0][0]["addons"] == ["large_meeting", "webinar"]
    assert count(store, "user_versions") == 1
    # A settings read recorded during a later run wins over the carried value.
    run_id = store.begin_run(T0 + timedelta(days=2), full=False)
    store.record_addons(
        run_id,
        [
            {
                "zoom_id": "z1",
                "read_at": T0 + timedelta(days=2),
                "type": 2,
                "bundle": None,
                "addons": ("zoom_events",),
            }
        ],
    )
    store.stage_users(run_id, [user(1, addons=None)])
    store.complete_run(run_id, T0 + timedelta(days=2, minutes=1))
    assert store.users(run_id)[0][0]["addons"] == ["zoom_events"]
    assert store.users(r1)[0][0]["addons"] == ["large_meeting", "webinar"]
    state = store.addon_state()
    assert state["z1"]["addons"] == ("zoom_events",)
    assert state["z1"]["read_at"] == T0 + timedelta(days=2)
    assert state["z1"]["type"] == 2


def test_addon_read_survives_partial_run(store: Store) -> None:
    complete(store, [user(1, addons=None)])
    run_id = store.begin_run(T0 + timedelta(days=1), full=False)
    store.record_addons(run_id, [AddonRead("z1", T0 + timedelta(days=1), ("webinar",), 2)])
    store.end_run(run_id, "partial", T0 + timedelta(days=1))
    assert store.addon_state()["z1"]["addons"] == ("webinar",)
    r3 = complete(store, [user(1, addons=None)], day=2)
    assert store.users(r3)[0][0]["addons"] == ["webinar"]


def test_seats_accounts_sign_ins(store: Store) -> None:
    from zoomtui.store import AccountRow, SeatRow, SignInRow

    run_id = store.begin_run(T0, full=False)
    store.stage_seats(run_id, [SeatRow("main", "plan_base", "monthly", 10, 8, 1)])
    store.stage_accounts(run_id, [AccountRow("main", "Main", "o@x.com", "", 10, True)])
    events = [
        SignInRow("User1@example.com", T0 - timedelta(days=3), "Sign in", "1.2.3.4"),
        SignInRow("user1@example.com", T0 - timedelta(days=3), "Sign in", "1.2.3.4"),
        SignInRow("user1@example.com", T0 - timedelta(days=3), "Sign out"),
        SignInRow("user1@example.com", T0 - timedelta(days=1), "Sign in"),
    ]
    assert store.add_sign_ins(events) == 3
    assert store.add_sign_ins(events) == 0
    store.finish_sign_ins()
    store.stage_users(run_id, [user(1, last_login_time=None)])
    store.complete_run(run_id, T0)
    assert store.seats(run_id) == [
        {
            "account_id": "main",
            "plan": "plan_base",
            "type": "monthly",
            "purchased": 10,
            "assigned": 8,
            "pending": 1,
        }
    ]
    assert store.accounts()[0]["is_main"] is True
    assert len(store.sign_ins_of("USER1@example.com")) == 3
    assert store.latest_sign_in_time() == T0 - timedelta(days=1)
    row = store.users(run_id, now=T0)[0][0]
    assert row["last_sign_in"] == "2026-02-28T12:00:00Z"
    assert row["last_login_time"] is None and row["days_inactive"] == 1
