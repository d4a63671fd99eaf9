"""End to end: aggregation runs against the emulator equal its ground truth, run after run."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest

from tests.helpers.emuworld import ADDON_KEYS, World, make_world, truth_users
from zoomtui.emulator import Fault
from zoomtui.services.aggregate import aggregate
from zoomtui.services.context import ServiceError
from zoomtui.services.diff import diff_runs
from zoomtui.services.runs import list_runs
from zoomtui.services.seats import seat_report
from zoomtui.services.usage import HOSTING_FIELDS
from zoomtui.services.users import UserFilter, query_users, user_detail
from zoomtui.zoom.models import PlanUsage

ALL = UserFilter(statuses=("active", "pending", "inactive"))


def stored_users(world: World, run_id: int | None = None) -> dict[str, dict[str, Any]]:
    page = query_users(world.ctx, ALL, run_id=run_id)
    return {row["email"].lower(): row for row in page.rows}


def assert_matches_truth(world: World, run_id: int | None = None) -> None:
    truth = truth_users(world.dataset)
    stored = stored_users(world, run_id)
    assert set(stored) == set(truth)
    for email, expected in truth.items():
        row = stored[email]
        got = {key: row[key] for key in expected}
        assert got == expected, email


async def test_first_run_equals_ground_truth(world: World) -> None:
    result = await aggregate(world.ctx)
    assert result.status == "complete", result.error
    truth = truth_users(world.dataset)
    by_status = Counter(u["status"] for u in truth.values())
    assert result.by_status == dict(by_status)
    assert result.users == by_status["active"] + by_status["pending"]
    assert result.by_plan == dict(
        Counter(u["plan"] for u in truth.values() if u["status"] != "inactive")
    )
    assert_matches_truth(world)
    assert len(world.dataset.accounts) > 1  # sub accounts were part of it
    assert {u["account_id"] for u in stored_users(world).values()} == {
        a.id for a in world.dataset.accounts
    }


async def test_pending_users_have_no_id_and_no_settings_read(world: World) -> None:
    await aggregate(world.ctx)
    pending = query_users(world.ctx, UserFilter(statuses=("pending",))).rows
    assert pending
    assert all(row["id"] is None for row in pending)
    calls = world.emulator.stats.calls
    settings_calls = sum(n for key, n in calls.items() if key.endswith("/settings"))
    non_pending = sum(1 for u in truth_users(world.dataset).values() if u["id"])
    assert settings_calls == non_pending


async def test_default_filter_hides_deactivated_users(world: World) -> None:
    await aggregate(world.ctx)
    shown = query_users(world.ctx, UserFilter()).rows
    assert shown and all(row["status"] in ("active", "pending") for row in shown)
    hidden = query_users(world.ctx, UserFilter(statuses=("inactive",))).total
    assert hidden > 0


async def test_seats_equal_plan_usage(world: World) -> None:
    await aggregate(world.ctx)
    expected = set()
    for account in world.dataset.accounts:
        for seat in PlanUsage.from_json(world.dataset.plan_usage_of(account.id)).seats:
            expected.add(
                (account.id, seat.plan, seat.type, seat.purchased, seat.assigned, seat.pending)
            )
    got = {
        (r.account_id, r.plan, r.type, r.purchased, r.assigned, r.pending)
        for r in seat_report(world.ctx)
    }
    assert got == expected


async def test_sign_ins_are_kept_and_give_the_latest_sign_in(world: World) -> None:
    await aggregate(world.ctx)
    ds = world.dataset
    events = [
        event
        for account in ds.accounts  # sub accounts have their own report
        for event in ds.sign_in_events(
            ds.now.date() - timedelta(days=150), ds.now.date(), account_id=account.id
        )
    ]
    latest: dict[str, str] = {}
    for event in events:
        if event["type"] == "Sign in":
            email = event["email"].lower()
            latest[email] = max(latest.get(email, ""), event["time"])
    assert latest
    stored = stored_users(world)
    checked: Counter[str] = Counter()
    for email, when in latest.items():
        if email in stored:
            assert stored[email]["last_sign_in"] >= when
            checked[stored[email]["account_id"]] += 1
    assert len(checked) == len(ds.accounts)
    email = next(iter(latest))
    detail = user_detail(world.ctx, email)
    assert detail["sign_ins"], "sign-in history of the detail panel"


async def test_runs_after_advance_match_truth_and_diff(world: World) -> None:
    first = await aggregate(world.ctx)
    store = world.ctx.open_store()
    # As a run completed before runs kept their counts: the next aggregation counts it.
    store.conn.execute(
        "UPDATE runs SET stats = json_remove(stats, '$.summary') WHERE id = ?", (first.run_id,)
    )
    before = truth_users(world.dataset)
    world.advance(10)
    second = await aggregate(world.ctx)
    days = world.ctx.settings.inactive_days
    kept = [run.stats["summary"] for run in store.complete_runs()]
    assert [k["inactive_days"] for k in kept] == [days, days]
    assert store.trend(days) == kept  # what Runs shows: counts kept, read, not recounted
    assert (first.status, second.status) == ("complete", "complete")
    assert_matches_truth(world)
    assert_matches_truth_of(world, first.run_id, before)
    after = truth_users(world.dataset)
    diff = diff_runs(world.ctx)
    assert (diff.from_run, diff.to_run) == (first.run_id, second.run_id)
    assert {u["email"].lower() for u in diff.added} == set(after) - set(before)
    assert {u["email"].lower() for u in diff.removed} == set(before) - set(after)
    changed = {c.email.lower(): c.changes for c in diff.changed}
    for email in set(before) & set(after):
        for field in ("status", "plan", "dept"):
            if before[email][field] != after[email][field]:
                assert changed[email][field] == [before[email][field], after[email][field]]
        was, now = licence_tokens(before[email]), licence_tokens(after[email])
        if was != now:  # the diff compares add-ons with their capacity or level
            assert changed[email]["addons"] == [was, now]
    assert changed, "ten days of evolution changed somebody"


def assert_matches_truth_of(world: World, run_id: int, truth: dict[str, Any]) -> None:
    stored = stored_users(world, run_id)
    assert set(stored) == set(truth)
    for email, expected in truth.items():
        assert {k: stored[email][k] for k in expected} == expected


async def test_unchanged_rerun_reads_no_settings(world: World) -> None:
    await aggregate(world.ctx)
    before = Counter(world.emulator.stats.calls)
    result = await aggregate(world.ctx)
    assert result.status == "complete"
    calls = Counter(world.emulator.stats.calls)
    calls.subtract(before)
    assert sum(n for key, n in calls.items() if key.endswith("/settings")) == 0
    assert result.notes == {}
    # the pace each category settled on is part of the run's stats (and `aggregate --json`)
    assert set(result.stats["rates"]) == {"Light", "Medium", "Heavy"}
    assert result.to_json()["stats"]["rates"]["Medium"] > 0


def settings_reads(world: World, before: Counter[str]) -> int:
    calls = Counter(world.emulator.stats.calls)
    calls.subtract(before)
    return sum(n for key, n in calls.items() if key.endswith("/settings"))


def give_addon(world: World, bit: int) -> str:
    """Give one active licensed user of the main account an add-on; return the email."""
    ds = world.dataset
    cols = ds.cols
    for row in ds.rows(0, 0):  # main account, active
        if cols.utype[row] == 2 and not cols.addons[row] >> bit & 1:
            cols.addons[row] |= 1 << bit
            ds._cache.clear()
            email = ds.users_of(ds.main.id, "active")[list(ds.rows(0, 0)).index(row)]["email"]
            return str(email).lower()
    raise AssertionError("no licensed user without the add-on")


async def test_addon_seat_count_change_triggers_reread_of_that_account(world: World) -> None:
    await aggregate(world.ctx)
    email = give_addon(world, 6)  # zoom_whiteboard: plan_whiteboard usage goes up by one
    before = Counter(world.emulator.stats.calls)
    result = await aggregate(world.ctx)
    assert "plan_whiteboard" in result.stats["addons_recount"]
    assert result.notes == {}  # a recount is not a skipped part
    assert settings_reads(world, before) > 0
    assert "zoom_whiteboard" in stored_users(world)[email]["addons"]
    assert_matches_truth(world)


async def test_addons_are_reread_when_older_than_max_age(world: World) -> None:
    await aggregate(world.ctx)
    world.advance(3)
    await aggregate(world.ctx)
    truth = truth_users(world.dataset)
    stored = stored_users(world)
    for email, expected in truth.items():  # everything but swapped add-ons is exact
        assert {
            k: v for k, v in stored[email].items() if k in expected and k not in ADDON_KEYS
        } == {k: v for k, v in expected.items() if k not in ADDON_KEYS}
    world.advance(8)  # older than addons_max_age_days: everyone is re-read
    before = Counter(world.emulator.stats.calls)
    await aggregate(world.ctx)
    assert settings_reads(world, before) == sum(
        1 for u in truth_users(world.dataset).values() if u["id"]
    )
    assert_matches_truth(world)


async def test_full_run_rereads_everyone(world: World) -> None:
    await aggregate(world.ctx)
    before = Counter(world.emulator.stats.calls)
    await aggregate(world.ctx, full=True)
    calls = Counter(world.emulator.stats.calls)
    calls.subtract(before)
    reads = sum(n for key, n in calls.items() if key.endswith("/settings"))
    assert reads == sum(1 for u in truth_users(world.dataset).values() if u["id"])


async def test_cancel_ends_as_cancelled_and_keeps_earlier_runs(world: World) -> None:
    first = await aggregate(world.ctx)
    snapshot = stored_users(world)
    world.advance(5)
    world.emulator.config = world.emulator.config.__class__(latency_ms=20, rate_scale=1000)
    cancel = asyncio.Event()

    def progress(p: Any) -> None:
        if p.phase == "users" and p.done > 50:
            cancel.set()

    result = await aggregate(world.ctx, full=True, progress=progress, cancel=cancel)
    assert result.status == "cancelled"
    runs = {r["id"]: r["status"] for r in list_runs(world.ctx)}
    assert runs == {first.run_id: "complete", result.run_id: "cancelled"}
    assert without_age(stored_users(world)) == without_age(snapshot)


def without_age(users: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Records without ``days_inactive``, which moves on with the clock by design, nor the
    hosting fields, which read the hosting history as it stands now."""
    moving = {"days_inactive", *HOSTING_FIELDS}
    return {e: {k: v for k, v in r.items() if k not in moving} for e, r in users.items()}


async def test_daily_limit_ends_partial_with_reset_time(tmp_path: Any) -> None:
    world = make_world(tmp_path / "h.db", faults=(Fault("429_daily", "*/settings", at_calls=(5,)),))
    result = await aggregate(world.ctx)
    assert result.status == "partial"
    assert "daily" in (result.error or "").lower()
    assert "resets at" in (result.error or "")
    assert query_users_or_none(world) is None

    # Asked by number, a run that ended early shows the seat counts it read, and
    # says so in one sentence when it read none; it is never the default run.
    store = world.ctx.open_store()
    if store.seats(result.run_id):
        assert seat_report(world.ctx, result.run_id)
    else:
        with pytest.raises(ServiceError, match="is partial and recorded no seat counts"):
            seat_report(world.ctx, result.run_id)
    with pytest.raises(ServiceError, match="no complete run"):
        seat_report(world.ctx)


def query_users_or_none(world: World) -> Any:
    try:
        return query_users(world.ctx, ALL)
    except Exception as exc:  # no complete run: a clear ServiceError
        assert "no complete run" in str(exc)
        return None


async def test_missing_scopes_skip_parts_and_complete(tmp_path: Any) -> None:
    from zoomtui.emulator.auth import ALL_SCOPES

    scopes = frozenset(s for s in ALL_SCOPES if "settings" not in s and "user_activities" not in s)
    world = make_world(tmp_path / "h.db", scopes=scopes)
    result = await aggregate(world.ctx)
    assert result.status == "complete", result.error
    assert "settings" in result.notes["addons"]
    assert "user_activities" in result.notes["sign_ins"]
    truth = truth_users(world.dataset)
    assert set(stored_users(world)) == set(truth)


async def test_faults_are_recovered_with_exact_data(tmp_path: Any) -> None:
    faults = (
        Fault("5xx", "*", probability=0.03),
        Fault("429_seconds", "*", probability=0.02),
        Fault("truncated_json", "*", probability=0.02),
        Fault("reset", "*", probability=0.02),
        Fault("page_token_expired", "/users", at_calls=(2,)),
        Fault("token_revoked", "*", at_calls=(30,)),
    )
    world = make_world(tmp_path / "h.db", faults=faults)
    world.ctx.client_options["sleep"] = _no_sleep
    result = await aggregate(world.ctx)
    assert result.status == "complete", result.error
    assert_matches_truth(world)


async def _no_sleep(_seconds: float) -> None:
    await asyncio.sleep(0)


async def test_cancelling_the_caller_stops_the_run_and_records_it(world: World) -> None:
    world.emulator.config = world.emulator.config.__class__(latency_ms=20, rate_scale=1000)
    task = asyncio.ensure_future(aggregate(world.ctx, full=True))
    while not list_runs(world.ctx):
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    else:
        raise AssertionError("the caller's cancellation was swallowed")
    before = sum(world.emulator.stats.calls.values())
    await asyncio.sleep(0.3)  # an orphaned run would keep calling the API meanwhile
    assert sum(world.emulator.stats.calls.values()) == before
    assert [r["status"] for r in list_runs(world.ctx)] == ["cancelled"]


async def test_no_credentials_is_one_sentence_and_no_run(world: World) -> None:
    from zoomtui.services.context import ServiceError

    world.ctx.settings = world.ctx.settings.unset("client_secret")
    try:
        await aggregate(world.ctx)
    except ServiceError as exc:
        assert "No Zoom credentials" in exc.message
    else:
        raise AssertionError("expected a ServiceError")
    assert list_runs(world.ctx) == []


async def test_a_sub_account_that_cannot_be_listed_is_named_and_fails_the_run(
    tmp_path: Any,
) -> None:
    world = make_world(tmp_path / "h.db", faults=(Fault("5xx", "/accounts/*/users"),))
    world.ctx.client_options["sleep"] = _no_sleep
    result = await aggregate(world.ctx)
    assert result.status == "failed"
    subs = {a.id for a in world.dataset.accounts[1:]}
    named = {key.split(":", 1)[1] for key in result.notes if key.startswith("users:")}
    assert named and named <= subs
    assert query_users_or_none(world) is None  # nobody was marked removed: no run to read


def test_seats_of_a_run_that_ended_early(tmp_path: Any) -> None:
    from datetime import UTC, datetime

    from zoomtui.store import SeatRow

    world = make_world(tmp_path / "h.db")
    store = world.ctx.open_store()
    when = datetime(2026, 3, 1, tzinfo=UTC)
    run_id = store.begin_run(when, full=False)
    store.stage_seats(run_id, [SeatRow("acct", "plan_base", "monthly", 10, 7, 1)])
    store.end_run(run_id, "partial", finished_at=when, error="daily limit")
    (row,) = seat_report(world.ctx, run_id)
    assert (row.account_id, row.purchased, row.assigned, row.free) == (
        "acct",
        10,
        7,
        2,
    )  # 1 pending holds a seat
    with pytest.raises(ServiceError, match="no complete run"):
        seat_report(world.ctx)  # never the default run
    with pytest.raises(ServiceError, match="There is no run 99"):
        seat_report(world.ctx, 99)


def licence_tokens(truth: dict[str, Any]) -> list[str]:
    """``webinar`` with capacity 1000 as ``webinar:1000``, Concurrent Meeting Plus as ``:plus``."""
    caps = truth["addon_capacities"]
    return [f"{a}:{str(caps[a]).lower()}" if a in caps else a for a in truth["addons"]]
