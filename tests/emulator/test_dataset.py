"""The generated account: deterministic, realistic proportions, consistent seats and logins."""

from __future__ import annotations

from array import array
from collections import Counter
from datetime import timedelta

from tests.helpers.emuapi import START
from zoomtui.emulator import Dataset
from zoomtui.emulator.columns import Columns
from zoomtui.emulator.names import FIRST_NAMES, LAST_NAMES
from zoomtui.emulator.plans import ADDONS


def all_users(ds: Dataset) -> list[dict]:
    return [
        u
        for a in ds.accounts
        for s in ("active", "inactive", "pending")
        for u in ds.users_of(a.id, s)
    ]


def test_same_seed_same_data_other_seed_other_data(dataset: Dataset) -> None:
    again = Dataset.generate(users=1500, seed=7, start=START)
    assert all_users(again) == all_users(dataset)
    assert again.sign_in_events(START - timedelta(days=20), START) == dataset.sign_in_events(
        START - timedelta(days=20), START
    )
    other = Dataset.generate(users=1500, seed=8, start=START)
    assert all_users(other) != all_users(dataset)


def test_status_proportions_and_pending_quirks(dataset: Dataset) -> None:
    users = all_users(dataset)
    counts = Counter(u["status"] for u in users)
    assert 0.03 < counts["pending"] / len(users) < 0.07
    assert 0.06 < counts["inactive"] / len(users) < 0.10
    for user in users:
        if user["status"] == "pending":
            assert "id" not in user and "last_login_time" not in user
            assert user["created_at"] == START.strftime("%Y-%m-%dT%H:%M:%SZ")
        else:
            assert len(user["id"]) == 22
    never = [u for u in users if u["status"] == "active" and "last_login_time" not in u]
    assert never, "some active users never logged in"
    assert len({u["email"].lower() for u in users}) == len(users)


def test_accounts_plans_bundles_and_names(dataset: Dataset) -> None:
    assert 3 <= len(dataset.accounts) <= 4
    assert dataset.main.id == "demo-account" and dataset.main.master
    assert sum(a.education for a in dataset.accounts) == 1
    users = all_users(dataset)
    assert {u["type"] for u in users} == {1, 2, 4, 99}
    assert any(isinstance(u.get("plan_united_type"), str) for u in users)
    options = [lic["license_option"] for u in users for lic in u.get("license_info_list", [])]
    assert any(o > 2**53 for o in options)
    names = " ".join(u["display_name"] for u in users)
    assert any(ch in names for ch in "éßü李")
    assert any("+" in u["email"] for u in users)
    assert {len(f[1]) for f in FIRST_NAMES} and len({f[1] for f in FIRST_NAMES}) == len(FIRST_NAMES)
    assert len({n[1] for n in LAST_NAMES}) == len(LAST_NAMES)


def test_seat_pools_cover_the_users_holding_each_addon(dataset: Dataset) -> None:
    for account in dataset.accounts:
        usage = dataset.plan_usage_of(account.id)
        holders: Counter[str] = Counter()
        for user in dataset.users_of(account.id, "active"):
            feature = dataset.settings_of(account.id, user["id"])["feature"]
            for addon in ADDONS:
                if addon.plan_key is None:  # no seat pool in plan usage (Phone, ...)
                    continue
                capacity = feature.get(addon.capacity_key or "", 0)
                if feature[addon.feature] == addon.value and capacity in (0, addon.capacity):
                    holders[f"{addon.plan_key}/{addon.plan_type}"] += 1
        pools: dict[str, dict] = {}
        for key, value in usage.items():
            for entry in value if isinstance(value, list) else [value]:
                if "hosts" in entry:
                    pools[f"{key}/{entry['type']}"] = entry
                    assert entry["hosts"] >= entry["usage"] + entry["pending"]
        for pool, count in holders.items():
            assert pools[pool]["usage"] == count, pool
    edu = next(a for a in dataset.accounts if a.education)
    assert any(k.startswith("plan_zoom_one_edu_") for k in dataset.plan_usage_of(edu.id))


def test_last_login_matches_sign_ins_with_three_day_buffer(dataset: Dataset) -> None:
    events = dataset.sign_in_events(START - timedelta(days=150), START)
    latest: dict[str, str] = {}
    for event in events:
        assert set(event) == {"email", "time", "type", "ip_address", "client_type", "version"}
        if event["type"] == "Sign in":
            latest.setdefault(event["email"], event["time"])  # newest first
    checked = 0
    for user in dataset.users_of("demo-account", "active"):
        if user["email"] in latest:
            assert user["last_login_time"] <= latest[user["email"]]
            gap = _ts(latest[user["email"]]) - _ts(user["last_login_time"])
            assert gap < 3 * 86_400
            checked += 1
    assert checked > 100


def _ts(text: str) -> float:
    from datetime import datetime

    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").timestamp()


def test_twenty_thousand_users_are_stored_in_compact_columns() -> None:
    ds = Dataset.generate(users=20_000, seed=3, start=START)
    assert len(ds) == 20_000
    assert isinstance(ds.cols, Columns)
    assert all(isinstance(getattr(ds.cols, f), array) for f in Columns.__slots__)
    assert isinstance(ds.events, array) and ds.events.typecode == "q"
    assert ds._cache == {}  # nothing rendered until asked
    column_bytes = sum(getattr(ds.cols, f).itemsize * len(ds) for f in Columns.__slots__)
    assert column_bytes < 60 * len(ds)
    assert list(ds.events) == sorted(ds.events)
