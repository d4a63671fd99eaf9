"""advance(): deterministic next states containing every kind of change an audit reports."""

from __future__ import annotations

from typing import Any

from tests.helpers.emuapi import START
from zoomtui.emulator import Dataset


def by_email(ds: Dataset) -> dict[str, dict[str, Any]]:
    out = {}
    for account in ds.accounts:
        for status in ("active", "inactive", "pending"):
            for user in ds.users_of(account.id, status):
                settings = None if status == "pending" else ds.settings_of(account.id, user["id"])
                user["addons"] = sorted(
                    k for k, v in (settings or {}).get("feature", {}).items() if v is True
                )
                out[user["email"]] = user
    return out


def test_advance_is_deterministic(dataset: Dataset) -> None:
    assert by_email(dataset.advance(7)) == by_email(dataset.advance(7))
    assert dataset.advance(7).now == START.replace(day=8)


def test_advance_produces_each_kind_of_change(dataset: Dataset) -> None:
    later = dataset.advance(7)
    before, after = by_email(dataset), by_email(later)
    hired = set(after) - set(before)
    gone = set(before) - set(after)
    assert hired and gone
    both = set(before) & set(after)

    def changed(field: str) -> list[str]:
        return [e for e in both if before[e].get(field) != after[e].get(field)]

    status = [(before[e]["status"], after[e]["status"]) for e in changed("status")]
    assert ("pending", "active") in status and ("active", "inactive") in status
    accepted = next(
        e for e in both if before[e]["status"] == "pending" and after[e]["status"] == "active"
    )
    assert "id" not in before[accepted] and len(after[accepted]["id"]) == 22
    types = {(before[e]["type"], after[e]["type"]) for e in changed("type")}
    assert (1, 2) in types and (2, 1) in types
    addons = changed("addons")
    assert any(len(after[e]["addons"]) > len(before[e]["addons"]) for e in addons)
    assert any(len(after[e]["addons"]) < len(before[e]["addons"]) for e in addons)
    assert changed("dept")
    assert changed("last_login_time")
    assert later.sign_in_events(START, later.now)
    for account in later.accounts:
        usage = later.plan_usage_of(account.id)
        for value in usage.values():
            for entry in value if isinstance(value, list) else [value]:
                if "hosts" in entry:
                    assert entry["hosts"] >= entry["usage"] + entry["pending"]


def test_a_grant_never_gives_a_second_capacity_of_a_held_add_on() -> None:
    """A user holds one Webinar (one Large Meeting, one Concurrent Meeting level).

    Zoom's ``feature`` has one ``webinar`` flag and one ``webinar_capacity``: a
    mask with Webinar 500 and Webinar 1000 rendered one licence in settings but
    counted two seats in plan usage, so a rerun's hinted reads could never
    reconcile the pool. Seed 29 at 1,000 users granted such a second capacity.
    """
    from zoomtui.emulator.plans import EXCLUSIVE

    later = Dataset.generate(users=1000, seed=29, start=START).advance(1, churn=7.0)
    both = [
        (later.cols.serial[i], keep, drop)
        for i in range(len(later.cols))
        for keep, drop in EXCLUSIVE
        if later.cols.addons[i] >> keep & 1 and later.cols.addons[i] >> drop & 1
    ]
    assert both == []
