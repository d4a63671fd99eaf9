"""Licences, seats and idleness as Zoom defines them, end to end against the emulator."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.emuworld import World, make_world, truth_users
from zoomtui.emulator.plans import ADDONS
from zoomtui.services.aggregate import aggregate
from zoomtui.services.diff import diff_runs
from zoomtui.services.seats import reclaim, seat_report
from zoomtui.services.users import UserFilter, query_users
from zoomtui.store.codec import encode_addons

EVERYONE = UserFilter(statuses=("active", "pending", "deactivated"))


def users(world: World, flt: UserFilter = EVERYONE) -> list[dict[str, Any]]:
    return query_users(world.ctx, flt).rows


async def test_addons_are_the_licences_of_the_full_feature_object(tmp_path: Path) -> None:
    world = make_world(tmp_path / "h.db", users=600, seed=5)
    assert (await aggregate(world.ctx)).status == "complete"
    rows = users(world)
    assert rows
    seen: dict[str, int] = {}
    for row in rows:
        assert not {"cn_meeting", "in_meeting", "zoom_iq_for_sales"} & set(row["addons"])
        assert len(row["addons"]) == len(set(row["addons"]))
        if row["status"] != "active" or row["id"] is None:
            continue
        acct = world.dataset.account_index(row["account_id"])
        assert acct is not None
        feature = world.dataset.settings_of(row["account_id"], row["id"])["feature"]
        if feature["concurrent_meeting"] in ("Basic", "Plus"):
            assert row["addon_capacities"]["concurrent_meeting"] == feature["concurrent_meeting"]
            seen["concurrent"] = seen.get("concurrent", 0) + 1
        else:
            assert "concurrent_meeting" not in row["addons"]
        if feature["zoom_revenue_accelerator"]:
            assert feature["zoom_iq_for_sales"] is True  # the emulator sets both flags
            assert row["addons"].count("zoom_revenue_accelerator") == 1
            seen["revenue"] = seen.get("revenue", 0) + 1
        if feature["webinar"]:
            assert row["addon_capacities"]["webinar"] == feature["webinar_capacity"]
            seen["webinar"] = seen.get("webinar", 0) + 1
        regions = [n for f, n in (("cn_meeting", "China"), ("in_meeting", "India")) if feature[f]]
        assert row["meetings_hosted_in"] == regions
        seen["region"] = seen.get("region", 0) + bool(regions)
    # The dataset holds each case, so the assertions above were exercised.
    assert all(seen.get(k, 0) > 0 for k in ("concurrent", "revenue", "webinar", "region")), seen
    # zoom_spots is a licence flag zoomtui does not know: kept, and said once in the notes.
    run = world.ctx.open_store().latest_complete_run()
    assert run is not None
    if any("zoom_spots" in r["addons"] for r in rows):
        assert "zoom_spots" in run.notes.get("feature_flags", "")
    from zoomtui.services.runs import skipped_parts

    assert skipped_parts(run.notes) == []  # a note about unknown flags skips no part
    pending = [r for r in rows if r["status"] == "pending"]
    assert pending and all(not r["addons_known"] for r in pending)


async def test_free_seats_leave_out_invitations_and_counts_add_up(tmp_path: Path) -> None:
    world = make_world(tmp_path / "h.db")
    result = await aggregate(world.ctx)
    seats = seat_report(world.ctx)
    assert seats
    for record in seats:
        held = record.assigned + record.pending
        assert record.free == max(0, record.purchased - held)
        assert record.over_assigned == max(0, held - record.purchased)
        assert record.plan != "plan_phone"  # Zoom's plan usage has no Phone pool
    labels = {r.type: r.type_label for r in seats}
    assert labels.get("webinar500_monthly") == "Webinar 500, monthly"
    truth = truth_users(world.dataset)
    counted = {e for e, u in truth.items() if u["status"] in ("active", "pending")}
    assert result.users == len(counted)
    assert result.by_status["active"] + result.by_status["pending"] == result.users
    assert sum(result.by_plan.values()) == result.users


async def test_new_hires_are_not_idle_and_old_invitations_are_their_own_category(
    tmp_path: Path,
) -> None:
    world = make_world(tmp_path / "h.db", users=600, seed=3)
    await aggregate(world.ctx)
    world.advance(40)  # new users arrive, some without a login yet
    await aggregate(world.ctx)
    now = world.ctx.clock()
    cut = now - timedelta(days=30)
    everyone = users(world)

    def created(r: dict[str, Any]) -> Any:
        from zoomtui.store.records import parse_iso

        return parse_iso(r["user_created_at"])

    new_hires = [
        r
        for r in everyone
        if r["status"] == "active" and r["last_activity"] is None and created(r) >= cut
    ]
    assert new_hires, "the emulator adds users who have not logged in yet"
    idle = users(world, UserFilter(statuses=("active", "pending"), inactive_days=30))
    idle_emails = {r["email"] for r in idle}
    assert not idle_emails & {r["email"] for r in new_hires}
    for row in idle:
        assert created(row) < cut
        assert row["last_activity"] is None or row["last_activity"] < cut.isoformat()
    result = reclaim(world.ctx, inactive_days=30, price_per_seat=100.0)
    assert all(r["status"] == "active" for r in result.candidates)
    assert all(r["status"] == "pending" and created(r) < cut for r in result.invitations)
    young = [r for r in everyone if r["status"] == "pending" and created(r) >= cut]
    assert young, "recent invitations exist and are not reclaim candidates"
    assert not {r["email"] for r in young} & {r["email"] for r in result.invitations}
    total = result.count + result.invitations_count
    assert result.yearly_savings == round(total * 100.0, 2)


def old_rules(feature: dict[str, Any]) -> tuple[str, ...]:
    """What zoomtui 0.x stored: the name of every ``true`` boolean of ``feature``."""
    return tuple(sorted(k for k, v in feature.items() if v is True))


async def test_a_history_from_before_the_rules_reads_under_them_without_spurious_changes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "h.db"
    world = make_world(path, users=500, seed=9)
    first = await aggregate(world.ctx)
    world.ctx.close()
    # Turn the history into what the previous release wrote: old-rule add-on names,
    # old-rule reads, and no m003 (no meta table).
    conn = sqlite3.connect(path)
    ds = world.dataset
    for zoom_id, account_id in conn.execute(
        "SELECT zoom_id, account_id FROM user_versions WHERE zoom_id IS NOT NULL "
        "AND addons IS NOT NULL"
    ).fetchall():
        old = encode_addons(old_rules(ds.settings_of(account_id, zoom_id)["feature"]))
        conn.execute("UPDATE user_versions SET addons = ? WHERE zoom_id = ?", (old, zoom_id))
        conn.execute("UPDATE addon_reads SET addons = ? WHERE zoom_id = ?", (old, zoom_id))
    assert conn.execute(
        "SELECT count(*) FROM user_versions WHERE instr(addons, ',cn_meeting,')"
    ).fetchone()[0]
    conn.execute("DROP TABLE meta")
    conn.execute("ALTER TABLE addon_reads DROP COLUMN read_bundle")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm003_licences'")
    conn.commit()
    conn.close()

    # The next open migrates (the context reopens its store after close()).
    rows = users(world)
    assert not any({"cn_meeting", "zoom_iq_for_sales"} & set(r["addons"]) for r in rows)
    assert any(r["meetings_hosted_in"] for r in rows)
    second = await aggregate(world.ctx)  # nothing changed in Zoom
    run = world.ctx.open_store().run(second.run_id)
    assert run is not None and "licences" in run.notes  # the one-time re-read is said
    across = diff_runs(world.ctx, first.run_id, second.run_id)
    assert across.addons_compared == "without capacities"
    assert not [c for c in across.changed if "addons" in c.changes]
    # From now on add-ons are compared with capacities; capacities are stored.
    assert any(r["addon_capacities"] for r in users(world))
    bit = next(a.bit for a in ADDONS if a.feature == "webinar" and a.capacity == 500)
    row = next(
        i for i in range(len(ds.cols)) if ds.cols.addons[i] >> bit & 1 and ds.cols.status[i] == 0
    )
    ds.cols.addons[row] = (ds.cols.addons[row] & ~(1 << bit)) | (1 << (bit + 1))  # 500 → 1000
    ds._cache.clear()
    third = await aggregate(world.ctx, full=True)
    after = diff_runs(world.ctx, second.run_id, third.run_id)
    assert after.addons_compared == "with capacities"
    changes = [c.changes["addons"] for c in after.changed if "addons" in c.changes]
    assert len(changes) == 1
    before_tokens, after_tokens = changes[0]
    assert "webinar:500" in before_tokens and "webinar:1000" in after_tokens


def bundle_truth(world: World) -> dict[str, str | None]:
    """Each listed user's bundle as Get user would name it, by e-mail."""
    from zoomtui.zoom.labels import bundle_name
    from zoomtui.zoom.models import User

    ds, out = world.dataset, {}
    for account in ds.accounts:
        for status in ("active", "inactive"):
            for user in ds.users_of(account.id, status):
                acct = ds.account_index(account.id)
                assert acct is not None
                row = ds.find(acct, user["id"])
                assert row is not None
                zoom_one, united = ds.cols.zoom_one[row], ds.cols.united[row]
                label = bundle_name(
                    User(
                        id=user["id"],
                        email=user["email"],
                        zoom_one_type=zoom_one or None,
                        plan_united_type=str(united) if united else None,
                    )
                )
                out[user["email"].lower()] = label if user["type"] == 2 else None
    return out


async def test_workplace_bundles_are_named_where_the_list_does_not_name_them(
    tmp_path: Path,
) -> None:
    world = make_world(tmp_path / "h.db", users=500, seed=4)
    ds = world.dataset
    listed_with = [
        u for a in ds.accounts for u in ds.users_of(a.id, "active") if "license_info_list" in u
    ]
    duplicate = [a.id for a in ds.accounts if a.duplicate_plans]
    assert listed_with and {u["email"].split("@")[1] for u in listed_with} <= {
        a.domain for a in ds.accounts if a.duplicate_plans
    }, "only accounts with duplicate plans list license_info_list (zoom-api.md §12)"
    await aggregate(world.ctx)
    truth = bundle_truth(world)
    stored = {r["email"].lower(): r for r in users(world) if r["status"] != "pending"}
    workplace = [e for e, b in truth.items() if b and b.startswith("Zoom Workplace")]
    assert any(stored[e]["account_id"] not in duplicate for e in workplace)
    for email, bundle in truth.items():
        assert stored[email]["bundle"] == bundle, email
    lights = world.emulator.stats.categories["Light"]
    assert lights > 0
    # An unchanged rerun reads no one again and keeps every bundle.
    await aggregate(world.ctx)
    assert world.emulator.stats.categories["Light"] == lights
    assert {e: r["bundle"] for e, r in ((r["email"].lower(), r) for r in users(world))
            if r["status"] != "pending"} == truth  # fmt: skip
    # A downgrade from Workplace to a plain licence shows once the user is re-read.
    email = next(e for e in workplace if stored[e]["account_id"] not in duplicate)
    acct = ds.account_index(stored[email]["account_id"])
    assert acct is not None
    row = ds.find(acct, email)
    assert row is not None
    ds.cols.zoom_one[row] = 0
    ds._cache.clear()
    await aggregate(world.ctx, full=True)
    after = {r["email"].lower(): r for r in users(world)}
    assert after[email]["bundle"] is None


async def test_without_the_get_user_scope_bundles_are_skipped_with_a_note(tmp_path: Path) -> None:
    from zoomtui.emulator.auth import ALL_SCOPES

    scopes = frozenset(s for s in ALL_SCOPES if not s.startswith("user:read:user:"))
    world = make_world(tmp_path / "h.db", users=300, seed=4, scopes=scopes)
    result = await aggregate(world.ctx)
    assert result.status == "complete", result.error
    assert "user:read:user" in result.notes["bundles"]


async def test_a_seat_count_a_recount_cannot_explain_is_not_recounted_every_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zoomtui.emulator.dataset import Dataset

    extra = {"n": 1}
    original = Dataset.pool_usage

    def counted_more(self: Dataset, acct: int) -> dict[Any, list[int]]:
        # Zoom's usage counting a webinar seat no user's flags show (e.g. in a bundle).
        counts = {k: list(v) for k, v in original(self, acct).items()}
        if acct == 0:
            counts.setdefault(("plan_webinar", "webinar500_monthly"), [0, 0])[0] += extra["n"]
        return counts

    monkeypatch.setattr(Dataset, "pool_usage", counted_more)
    world = make_world(tmp_path / "h.db", users=400, seed=8)

    def settings_calls() -> int:
        calls = world.emulator.stats.calls
        return sum(n for k, n in calls.items() if k.endswith("/settings"))

    first = await aggregate(world.ctx)  # reads everyone; the difference stays
    store = world.ctx.open_store()
    kept = store.run(first.run_id)
    assert kept is not None and "plan_webinar" in str(kept.stats["addons_unreconciled"])
    before = settings_calls()
    second = await aggregate(world.ctx)  # the same difference: nobody re-read for it
    assert settings_calls() - before == 0
    assert "addons_seat_counts" in second.notes
    extra["n"] = 2  # Zoom's count moved: the licensed users of that account are re-read
    before = settings_calls()
    third = await aggregate(world.ctx)
    assert settings_calls() - before > 0
    assert "addons_seat_counts" not in third.notes
    before = settings_calls()
    await aggregate(world.ctx)  # and then left alone again
    assert settings_calls() - before == 0
