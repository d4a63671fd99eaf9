"""Listings: exact page parameters, lazy pages, restarts after page-token expiry, sub accounts."""

from __future__ import annotations

import asyncio
from datetime import date

import httpx
import respx

from tests.helpers.zoomfakes import API, FakeTime, user_json

EXPIRED = {"code": 300, "message": "The next page token is invalid or expired."}


def page(ids: list[int], token: str = "", **extra: object) -> httpx.Response:
    return httpx.Response(
        200, json={"users": [user_json(i) for i in ids], "next_page_token": token, **extra}
    )


async def collect(client, status: str = "active", account_id: str | None = None) -> list[str]:
    return [u.id or u.email async for p in client.iter_users(status, account_id) for u in p]


async def test_each_page_repeats_the_same_params_plus_the_token(
    zoom: respx.MockRouter, make_client
):
    route = zoom.get(f"{API}/users")
    route.side_effect = [page([1, 2], "t2"), page([3], "t3"), page([4])]
    assert await collect(make_client(), "inactive") == ["u1", "u2", "u3", "u4"]
    params = [dict(c.request.url.params) for c in route.calls]
    assert params == [
        {"status": "inactive", "page_size": "300"},
        {"status": "inactive", "page_size": "300", "next_page_token": "t2"},
        {"status": "inactive", "page_size": "300", "next_page_token": "t3"},
    ]


async def test_sub_account_users_use_the_account_path(zoom: respx.MockRouter, make_client):
    route = zoom.get(f"{API}/accounts/sub-9/users").mock(return_value=page([7]))
    assert await collect(make_client(), "pending", "sub-9") == ["u7"]
    assert route.calls.last.request.url.params["status"] == "pending"


async def test_pages_are_yielded_before_the_next_request(zoom: respx.MockRouter, make_client):
    route = zoom.get(f"{API}/users")
    route.side_effect = [page([1], "t2"), page([2])]
    pages = make_client().iter_users("active")
    first = await anext(pages)
    assert [u.id for u in first] == ["u1"] and route.call_count == 1
    assert [u.id for u in await anext(pages)] == ["u2"]
    await pages.aclose()


async def test_expired_page_token_restarts_without_duplicates_or_losses(
    zoom: respx.MockRouter, make_client
):
    route = zoom.get(f"{API}/users")
    route.side_effect = [
        page([1, 2], "t2"),
        page([3, 4], "t3"),
        httpx.Response(400, json=EXPIRED),
        page([1, 2], "n2"),  # restart from page one; a new user 5 appeared meanwhile
        page([3, 4], "n3"),
        page([5, 6]),
    ]
    pages = [[u.id for u in p] async for p in make_client().iter_users("active")]
    assert pages == [["u1", "u2"], ["u3", "u4"], ["u5", "u6"]]
    assert "next_page_token" not in route.calls[3].request.url.params


async def test_next_page_is_requested_before_a_slow_caller_asks(
    zoom: respx.MockRouter, make_client, fake: FakeTime
):
    route = zoom.get(f"{API}/users")
    route.side_effect = [page([1], "t2"), page([2])]
    pages = make_client().iter_users("active")
    assert [u.id for u in await anext(pages)] == ["u1"]
    await asyncio.sleep(0)  # the prefetch runs while the caller stores the page
    assert route.call_count == 2
    fake.advance(minutes=16)  # the caller took long: its token was used long ago
    assert [u.id for u in await anext(pages)] == ["u2"]
    sent = [c.request.url.params.get("next_page_token") for c in route.calls]
    assert sent == [None, "t2"]
    await pages.aclose()


async def test_pending_users_without_id_are_deduplicated_by_email(
    zoom: respx.MockRouter, make_client
):
    pending = [{"email": "Pat@example.com", "status": "pending", "type": 1}]
    route = zoom.get(f"{API}/users")
    route.side_effect = [
        httpx.Response(200, json={"users": pending, "next_page_token": "t2"}),
        httpx.Response(400, json={"code": 300, "message": "Invalid next_page_token."}),
        httpx.Response(200, json={"users": pending, "next_page_token": ""}),
    ]
    users = [u async for p in make_client().iter_users("pending") for u in p]
    assert [(u.id, u.email) for u in users] == [(None, "Pat@example.com")]


async def test_access_token_expiry_is_not_mistaken_for_page_token_expiry(
    zoom: respx.MockRouter, make_client
):
    zoom.routes["token"].side_effect = [
        httpx.Response(200, json={"access_token": "a", "expires_in": 3600, "scope": ""}),
        httpx.Response(200, json={"access_token": "b", "expires_in": 3600, "scope": ""}),
    ]
    route = zoom.get(f"{API}/users")
    route.side_effect = [
        page([1], "t2"),
        httpx.Response(401, json={"code": 124, "message": "Access token is expired."}),
        page([2]),
    ]
    assert await collect(make_client()) == ["u1", "u2"]
    assert route.calls[2].request.url.params["next_page_token"] == "t2"


async def test_sub_accounts_follow_page_numbers(zoom: respx.MockRouter, make_client):
    def accounts(n: int, number: int) -> httpx.Response:
        body = {"accounts": [{"id": f"a{n}", "account_name": f"Sub {n}", "seats": n}]}
        return httpx.Response(200, json={**body, "page_count": 2, "page_number": number})

    route = zoom.get(f"{API}/accounts")
    route.side_effect = [accounts(1, 1), accounts(2, 2)]
    subs = await make_client().list_sub_accounts()
    assert [(a.id, a.seats) for a in subs] == [("a1", 1), ("a2", 2)]
    assert route.calls[1].request.url.params["page_number"] == "2"


async def test_stale_page_count_is_ignored_once_tokens_are_used(
    zoom: respx.MockRouter, make_client
):
    route = zoom.get(f"{API}/users")
    route.side_effect = [page([1], "t2", page_count=5, page_number=1), page([2], page_count=5)]
    assert await collect(make_client()) == ["u1", "u2"]
    assert route.call_count == 2


async def test_sign_in_report_is_split_into_month_windows(
    zoom: respx.MockRouter, make_client, fake: FakeTime
):
    route = zoom.get(f"{API}/report/activities")
    event = {"email": "a@example.com", "time": "2024-04-02T10:00:00Z", "type": "Sign in"}
    route.side_effect = lambda request: httpx.Response(
        200, json={"activity_logs": [event], "next_page_token": ""}
    )
    events = [
        e
        async for p in make_client().iter_sign_in_events(date(2023, 1, 1), date(2024, 6, 1))
        for e in p
    ]
    windows = [(c.request.url.params["from"], c.request.url.params["to"]) for c in route.calls]
    assert windows[0] == ("2023-11-15", "2023-12-14")  # clamped to six months before 2024-05-15
    assert windows[-1] == ("2024-05-15", "2024-05-15")  # clamped to today
    assert len(windows) == 7
    assert all(c.request.url.params["page_size"] == "300" for c in route.calls)
    assert len(events) == 1  # the same event in every window is yielded once
