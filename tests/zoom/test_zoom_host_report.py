"""The host report client: calendar-month windows inside six months, every page, typed rows."""

from __future__ import annotations

from datetime import date

import httpx
import respx

from tests.helpers.zoomfakes import API
from zoomtui.zoom.models import HostActivity
from zoomtui.zoom.pagination import month_windows


def test_month_windows_are_calendar_months_clipped_to_six_months() -> None:
    windows = month_windows(date(2023, 1, 1), date(2024, 5, 15), date(2024, 5, 15))
    assert windows[0] == (date(2023, 11, 15), date(2023, 11, 30))
    assert windows[1] == (date(2023, 12, 1), date(2023, 12, 31))
    assert windows[-1] == (date(2024, 5, 1), date(2024, 5, 15))
    assert len(windows) == 7


def test_host_row_parses_numbers_and_refuses_nameless_rows() -> None:
    row = HostActivity.from_json(
        {
            "id": "u1",
            "email": "A@x.com",
            "type": "2",
            "meetings": 3,
            "participants": "12",
            "meeting_minutes": 95,
            "custom_attributes": [],
        }
    )
    assert row == HostActivity("u1", "A@x.com", "", "", 2, 3, 12, 95)
    assert HostActivity.from_json({"meetings": 1}) is None


async def test_host_report_reads_every_page_of_each_month(
    zoom: respx.MockRouter, make_client
) -> None:
    route = zoom.get(f"{API}/accounts/sub-1/report/users")

    def answer(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        assert params["type"] == "active" and params["page_size"] == "300"
        if params.get("next_page_token"):
            users = [{"id": "u2", "email": "b@x.com", "meetings": 1}]
            return httpx.Response(200, json={"users": users, "next_page_token": ""})
        users = [{"id": "u1", "email": "a@x.com", "meetings": 2}]
        return httpx.Response(200, json={"users": users, "next_page_token": "t"})

    route.side_effect = answer
    client = make_client()
    reports = [
        r
        async for r in client.iter_host_report(
            date(2024, 3, 1), date(2024, 5, 15), account_id="sub-1"
        )
    ]
    assert [(r.first, r.last) for r in reports] == [
        (date(2024, 3, 1), date(2024, 3, 31)),
        (date(2024, 4, 1), date(2024, 4, 30)),
        (date(2024, 5, 1), date(2024, 5, 15)),
    ]
    assert all([h.id for h in r.hosts] == ["u1", "u2"] for r in reports)
    assert route.call_count == 6
    assert client.stats.calls["Heavy"] == 6
