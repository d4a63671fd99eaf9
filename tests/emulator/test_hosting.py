"""The emulated host report: Zoom's shape and limits, figures consistent with the users."""

from __future__ import annotations

from collections import Counter

from tests.helpers.emuapi import START, make_api
from zoomtui.emulator import Dataset
from zoomtui.emulator.hosting import BASIC_MINUTES


def report(api, path: str, start: str, end: str) -> list[dict]:
    body = api.get(path, **{"from": start, "to": end}, page_size=300, type="active").json()
    users = list(body["users"])
    while body["next_page_token"]:
        body = api.get(
            path,
            **{"from": start, "to": end},
            page_size=300,
            type="active",
            next_page_token=body["next_page_token"],
        ).json()
        users += body["users"]
    return users


def test_host_report_equals_the_truth_per_month(dataset: Dataset) -> None:
    api = make_api(dataset)
    truth = dataset.hosting_truth()
    served: dict[str, tuple[int, int, int]] = {}
    for account in dataset.accounts:
        path = "/report/users" if account.master else f"/accounts/{account.id}/report/users"
        for user in report(api, path, "2026-04-01", "2026-04-30"):
            served[user["email"].lower()] = (
                user["meetings"],
                user["participants"],
                user["meeting_minutes"],
            )
            assert set(user) >= {"id", "email", "user_name", "dept", "type", "custom_attributes"}
    expected = {e: m["2026-04"] for e, m in truth.items() if "2026-04" in m}
    assert served == expected and served


def test_hosting_is_plausible(dataset: Dataset) -> None:
    """Many licensed users who sign in never host; Basic hosts short meetings; a few are heavy."""
    truth = dataset.hosting_truth()
    assert not dataset.type_log  # freshly generated: every type is the type it always had
    by_email: dict[str, dict] = {}
    for account in dataset.accounts:
        for status in ("active", "inactive"):
            for user in dataset.users_of(account.id, status):
                by_email[user["email"].lower()] = user
    signed_in = {e["email"].lower() for e in dataset.sign_in_events(START.replace(month=1), START)}
    licensed_signed_in = [e for e in signed_in if by_email.get(e, {}).get("type") == 2]
    never = [e for e in licensed_signed_in if e not in truth]
    assert len(never) > len(licensed_signed_in) / 4
    kinds: Counter[str] = Counter()
    for email, months in truth.items():
        user = by_email[email]
        assert user["type"] in (1, 2)
        for meetings, participants, minutes in months.values():
            assert meetings > 0 and minutes > 0 and participants > 0
            if minutes / meetings > 80:
                kinds["long"] += 1
            if user["type"] == 1:
                assert minutes <= BASIC_MINUTES * meetings
    assert kinds["long"] > 0


def test_host_report_limits(dataset: Dataset) -> None:
    api = make_api(dataset)
    too_long = api.get("/report/users", **{"from": "2026-04-01", "to": "2026-05-20"})
    assert too_long.status_code == 400 and too_long.json()["code"] == 300
    too_old = api.get("/report/users", **{"from": "2025-10-01", "to": "2025-10-20"})
    assert too_old.status_code == 400 and "6 months" in too_old.json()["message"]
    assert api.emulator.stats.categories["Heavy"] == 2


def test_past_months_do_not_change_when_the_account_moves_on(dataset: Dataset) -> None:
    later = dataset.advance(20).advance(25)
    before, after = dataset.hosting_truth(), later.hosting_truth()
    for email, months in before.items():
        for month in ("2026-03", "2026-04", "2026-05"):
            if month in months and email in after:
                assert after[email].get(month) == months[month], (email, month)
    assert any("2026-06" in m for m in after.values())
