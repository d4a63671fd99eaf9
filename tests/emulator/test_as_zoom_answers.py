"""Answers where the emulator had been kinder than Zoom, so the client never met Zoom's.

Each test names what Zoom does and where that is written; the emulator's code
cites the same source.
"""

from __future__ import annotations

import pytest

from tests.helpers.emuapi import START, make_api
from zoomtui.emulator import Dataset
from zoomtui.emulator.columns import ACTIVE, user_id
from zoomtui.emulator.meetings import upcoming_meetings


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return Dataset.generate(users=400, seed=11, start=START)


def test_a_meeting_list_pages_by_page_size_with_a_next_page_token(ds: Dataset) -> None:
    """Zoom's List meetings: ``page_size`` (default 30) per call, "a next page token will be
    returned whenever the set of available results exceeds the current page size"."""
    api = make_api(ds)
    now = int(START.timestamp())
    c = ds.cols
    row = next(
        r
        for r in range(len(c))
        if c.acct[r] == 0 and c.status[r] == ACTIVE and len(upcoming_meetings(ds, r, now)) >= 2
    )
    path = f"/users/{user_id(ds.seed, c.serial[row])}/meetings"
    first = api.get(path, type="upcoming", page_size=1).json()
    assert first["page_size"] == 1 and len(first["meetings"]) == 1
    assert first["total_records"] == len(upcoming_meetings(ds, row, now))
    assert first["next_page_token"]
    seen = list(first["meetings"])
    token = first["next_page_token"]
    while token:
        page = api.get(path, type="upcoming", page_size=1, next_page_token=token).json()
        seen += page["meetings"]
        token = page["next_page_token"]
    assert [m["duration"] for m in seen] == [d for _, d, _ in upcoming_meetings(ds, row, now)]
    everything = api.get(path, type="upcoming", page_size=300).json()
    assert everything["page_size"] == 300 and everything["next_page_token"] == ""


REPORTS = ("/report/activities", "/report/users", "/report/operationlogs")


@pytest.mark.parametrize("path", REPORTS)
def test_reports_of_a_free_account_are_refused_as_zoom_does(ds: Dataset, path: str) -> None:
    """Zoom's Report APIs are "only for paid accounts" (Pro or higher): code 200, HTTP 400."""
    window = {"from": "2026-05-20", "to": "2026-05-31"}
    assert make_api(ds, tier="pro").get(path, **window).status_code == 200
    refused = make_api(ds, tier="free").get(path, **window)
    assert refused.status_code == 400
    assert refused.json() == {
        "code": 200,
        "message": f"Only available for Paid account: {ds.accounts[0].id}.",
    }


@pytest.mark.parametrize("path", REPORTS)
def test_a_report_window_of_more_than_thirty_days_is_refused(ds: Dataset, path: str) -> None:
    """ "One month worth of data in one request": ZoomNet refuses ``to - from`` > 30 days."""
    api = make_api(ds)
    assert api.get(path, **{"from": "2026-05-01", "to": "2026-05-31"}).status_code == 200
    refused = api.get(path, **{"from": "2026-04-30", "to": "2026-05-31"})  # 31 days apart
    assert refused.status_code == 400 and refused.json()["code"] == 300


@pytest.mark.parametrize("path", REPORTS)
def test_the_six_month_reach_of_reports_can_be_read_as_days(ds: Dataset, path: str) -> None:
    """Zoom: "within the last six months"; calendar months or 180 days is not documented."""
    oldest = {"from": "2025-12-01", "to": "2025-12-20"}  # six calendar months before 2026-06-01
    assert make_api(ds).get(path, **oldest).status_code == 200
    days = make_api(ds, report_history_days=180)  # 2025-12-03 onwards
    refused = days.get(path, **oldest)
    assert refused.status_code == 400 and refused.json()["code"] == 300
    assert days.get(path, **{"from": "2025-12-03", "to": "2025-12-20"}).status_code == 200


def test_plan_usage_of_a_sub_account_that_pays_itself_is_refused(ds: Dataset) -> None:
    """Zoom's Billing APIs serve sub accounts the master pays for: 2100 "paid by self"."""
    sub = ds.accounts[1].id
    assert make_api(ds).get(f"/accounts/{sub}/plans/usage").status_code == 200
    api = make_api(ds, self_paid_subs=True)
    refused = api.get(f"/accounts/{sub}/plans/usage")
    assert refused.status_code == 400
    assert refused.json() == {"code": 2100, "message": "This sub account is paid by self."}
    assert api.get("/accounts/me/plans/usage").status_code == 200  # the master's own
    assert api.get(f"/accounts/{sub}/users/summary").status_code == 200


def test_meetings_of_a_user_who_cannot_host_are_refused(ds: Dataset) -> None:
    """List meetings, Zoom's spec: 400 / 3161 "Meeting hosting and scheduling capabilities
    are not allowed for your user account." — a user without a Meetings licence (type 4,
    "Unassigned without Meetings Basic"; 99, None) gets that, not an empty list."""
    api = make_api(ds)
    c = ds.cols
    for utype in (4, 99):
        row = next(r for r in range(len(c)) if c.acct[r] == 0 and c.utype[r] == utype
                   and c.status[r] == ACTIVE)  # fmt: skip
        refused = api.get(f"/users/{user_id(ds.seed, c.serial[row])}/meetings", type="live")
        assert refused.status_code == 400 and refused.json()["code"] == 3161
    basic = next(r for r in range(len(c)) if c.acct[r] == 0 and c.utype[r] == 1)
    assert api.get(f"/users/{user_id(ds.seed, c.serial[basic])}/meetings").status_code == 200
