"""The admin operation logs the emulator records as users evolve, served as Zoom's report."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from tests.helpers.emuapi import START, Api, make_api
from zoomtui.emulator import Dataset
from zoomtui.emulator.auth import ALL_SCOPES

WINDOW = {"from": "2026-06-01", "to": "2026-06-30"}


@pytest.fixture(scope="module")
def evolved() -> Dataset:
    return Dataset.generate(users=1500, seed=7, start=START).advance(7)


def all_pages(api: Api, path: str = "/report/operationlogs", **params: Any) -> list[Any]:
    entries, token = [], ""
    while True:
        query = {**WINDOW, "page_size": 20, **params}
        if token:
            query["next_page_token"] = token
        reply = api.get(path, **query)
        assert reply.status_code == 200, reply.text
        body = reply.json()
        assert body["page_size"] == 20 and len(body["operation_logs"]) <= 20
        entries += body["operation_logs"]
        token = body["next_page_token"]
        if not token:
            return entries


def test_every_admin_change_of_users_is_logged_with_the_users_address(evolved: Dataset) -> None:
    api = make_api(evolved)
    api.now[0] = evolved.now
    entries = all_pages(api)
    main = [e for e in evolved.oplog if e.acct == 0]
    assert len(entries) == len(main) > 20  # several pages
    assert {frozenset(e) for e in entries} == {
        frozenset({"time", "operator", "category_type", "action", "operation_detail"})
    }
    times = [e["time"] for e in entries]
    assert times == sorted(times, reverse=True)  # newest first
    assert {e["category_type"] for e in entries} == {"User"}
    assert {e["action"] for e in entries} >= {"Add", "Update", "Delete"}
    details = " | ".join(e["operation_detail"] for e in entries)
    for shape in (r"Add User \S+@\S+  - User Type: \w+ - Department: ",
                  r"Update User \S+@\S+  - User Type: from \w+ to \w+",
                  r"Update User \S+@\S+  - [\w ]+: from (Off to On|On to Off)",
                  r"Deactivate User \S+@\S+", r"Delete User \S+@\S+  - User Type: "):  # fmt: skip
        assert re.search(shape, details), shape
    sub = evolved.accounts[1].id
    theirs = all_pages(api, f"/accounts/{sub}/report/operationlogs")
    assert theirs and all(f"@{evolved.accounts[1].domain}" in e["operator"] for e in theirs)


def test_the_category_filter_and_the_date_limits(evolved: Dataset) -> None:
    api = make_api(evolved)
    api.now[0] = evolved.now
    assert all_pages(api, category_type="user") == all_pages(api)
    assert all_pages(api, category_type="billing") == []
    assert api.get("/report/operationlogs", **WINDOW, category_type="nosuch").status_code == 400
    before = api.get("/report/operationlogs", **{"from": "2026-05-01", "to": "2026-05-31"})
    assert before.json()["operation_logs"] == []  # nothing happened before the first advance
    too_long = api.get("/report/operationlogs", **{"from": "2026-05-01", "to": "2026-06-20"})
    assert too_long.status_code == 400
    too_old = api.get("/report/operationlogs", **{"from": "2025-10-01", "to": "2025-10-20"})
    assert too_old.status_code == 400
    assert api.get("/report/operationlogs").status_code == 400  # from and to are required


def test_heavy_label_and_scope_checked_like_the_other_reports(evolved: Dataset) -> None:
    api = make_api(evolved, rate_limits=True)
    api.now[0] = evolved.now
    ok = api.get("/report/operationlogs", **WINDOW)
    assert ok.headers["X-RateLimit-Category"] == "Heavy"
    scopes = frozenset(s for s in ALL_SCOPES if "operation_logs" not in s)
    refused = make_api(evolved, scopes=scopes).get("/report/operationlogs", **WINDOW)
    assert refused.json()["code"] == 4711
    assert "report:read:operation_logs:admin" in refused.json()["message"]
    classic = make_api(evolved, scopes=frozenset({"report:read:admin"}))
    classic.now[0] = evolved.now
    assert classic.get("/report/operationlogs", **WINDOW).status_code == 200


def test_a_report_that_misses_changes_misses_the_same_ones_every_time(evolved: Dataset) -> None:
    full = make_api(evolved)
    half = make_api(evolved, oplog_miss=0.5)
    for api in (full, half):
        api.now[0] = evolved.now
    everything, some = all_pages(full), all_pages(half)
    assert 0 < len(some) < len(everything)
    assert some == all_pages(half)
    assert all(e in everything for e in some)


def test_entries_are_kept_across_advances_and_dropped_when_old() -> None:
    ds = Dataset.generate(users=400, seed=3, start=START)
    later = ds.advance(3).advance(3)
    assert [e for e in later.oplog if e.when < ds.now_epoch + 3 * 86_400]  # first advance's
    much_later = later.advance(250)
    assert min(e.when for e in much_later.oplog) >= int(
        (much_later.now - timedelta(days=200)).timestamp()
    )
