"""A hostile or broken peer: each broken reply is one ProtocolError sentence, never a crash."""

from __future__ import annotations

import ssl
from typing import Any

import httpx
import pytest
import respx

from tests.helpers.zoomfakes import API, TOKEN_URL, user_json
from zoomtui.zoom import CertificateError, Credentials, ProtocolError, ZoomClient
from zoomtui.zoom.models import FIELD_LIMITS, TRUNCATED, PlanUsage, SignInEvent, User

S2S = Credentials(account_id="a", client_id="c", client_secret="s")


def users(ids: list[int], **envelope: Any) -> httpx.Response:
    return httpx.Response(200, json={"users": [user_json(i) for i in ids], **envelope})


async def listed(client: ZoomClient) -> list[str | None]:
    return [u.id async for page in client.iter_users("active") for u in page]


BROKEN_PAGES = {
    "no list": [httpx.Response(200, json={"total_records": 5, "next_page_token": ""})],
    "list not a list": [httpx.Response(200, json={"users": "abc", "total_records": 3})],
    "item not an object": [httpx.Response(200, json={"users": [user_json(1), 7]})],
    "short listing": [users([1, 2], total_records=409, next_page_token="")],
    "repeated token": [
        users([1], next_page_token="A"),
        users([2], next_page_token="B"),
        users([3], next_page_token="A"),
    ],
    "endless fresh tokens": [users([1], next_page_token=f"t{n}") for n in range(40)],
    "endless empty pages": [users([], next_page_token=f"t{n}") for n in range(40)],
    "absurd page_count": [users([1], page_count=10**9)],
    "absurd total_records": [users([1], total_records=-1)],
    "token not a string": [users([1], next_page_token=["x"])],
    "id is a list": [httpx.Response(200, json={"users": [{**user_json(1), "id": ["x"]}]})],
    "email is a number": [httpx.Response(200, json={"users": [{**user_json(1), "email": 5}]})],
    "negative type": [httpx.Response(200, json={"users": [{**user_json(1), "type": -3}]})],
    "zoom_one_type past int64": [
        httpx.Response(
            200, content=b'{"users":[{"id":"u1","email":"a@x.org","zoom_one_type":%d}]}' % 2**63
        )
    ],
    "deep json": [httpx.Response(200, content=b"[" * 2000 + b"]" * 2000)],
    "page not an object": [httpx.Response(200, json=[1, 2])],
}


@pytest.mark.parametrize("case", sorted(BROKEN_PAGES))
async def test_broken_listing_is_one_protocol_error(
    case: str, zoom: respx.MockRouter, make_client
) -> None:
    zoom.get(f"{API}/users").side_effect = BROKEN_PAGES[case]
    with pytest.raises(ProtocolError) as caught:
        await listed(make_client())
    message = caught.value.message
    assert message.endswith(".") and "\n" not in message and len(message) < 300, message


async def test_churn_within_the_margin_is_accepted(zoom: respx.MockRouter, make_client) -> None:
    # Offset paging while users come and go: one user seen twice, one fewer than announced.
    zoom.get(f"{API}/users").side_effect = [
        users([1, 2, 3], total_records=6, next_page_token="A"),
        users([3, 4, 5], total_records=6, next_page_token=""),
    ]
    assert await listed(make_client()) == ["u1", "u2", "u3", "u4", "u5"]


async def test_empty_listing_may_leave_the_list_out(zoom: respx.MockRouter, make_client) -> None:
    zoom.get(f"{API}/users").mock(return_value=httpx.Response(200, json={"total_records": 0}))
    assert await listed(make_client()) == []


async def test_retry_after_of_years_is_a_protocol_error(zoom: respx.MockRouter, make_client):
    zoom.get(f"{API}/users").mock(
        return_value=httpx.Response(429, json={"code": 429}, headers={"Retry-After": "1e13"})
    )
    with pytest.raises(ProtocolError, match="longer than any of its rate limits"):
        await listed(make_client())


async def test_infinite_token_lifetime_is_a_protocol_error(zoom: respx.MockRouter, make_client):
    zoom.routes["token"].respond(
        200, content=b'{"access_token":"t","expires_in":1e400,"scope":"","token_type":"bearer"}'
    )
    with pytest.raises(ProtocolError, match="impossible lifetime"):
        await make_client().token()


async def test_tls_failure_names_the_certificate_and_is_not_retried(fake) -> None:
    calls = 0

    def refuse(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        raise ssl.SSLCertVerificationError(
            1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate"
        )

    client = ZoomClient(
        S2S,
        api_url=API,
        oauth_url=TOKEN_URL,
        transport=httpx.MockTransport(refuse),
        clock=fake.clock,
        sleep=fake.sleep,
    )
    async with client:
        with pytest.raises(
            CertificateError,
            match=r"certificate of zoom.us was refused \(certificate verify failed: self-signed",
        ) as caught:
            await client.token()
    assert calls == 1 and fake.sleeps == []
    assert "certificate" in caught.value.message


def test_over_long_texts_are_cut_with_a_marker() -> None:
    user = User.from_json({**user_json(1), "first_name": "A" * 10_000_000, "dept": "D" * 600})
    assert len(user.first_name) == FIELD_LIMITS["first_name"]
    assert user.first_name.endswith(TRUNCATED) and user.dept.endswith(TRUNCATED)
    event = SignInEvent.from_json(
        {
            "email": "a@x.org",
            "time": "2024-01-01T00:00:00Z",
            "type": "Sign in",
            "version": "v" * 999,
        }
    )
    assert event is not None and len(event.version) == FIELD_LIMITS["version"]


@pytest.mark.parametrize("hosts", [-5, 10**12])
def test_impossible_seat_counts_are_refused(hosts: int) -> None:
    with pytest.raises(ProtocolError, match="impossible value of purchased seats"):
        PlanUsage.from_json({"plan_base": {"type": "monthly", "hosts": hosts, "usage": 1}})


def test_times_beyond_sane_years_read_as_absent() -> None:
    user = User.from_json(
        {**user_json(1), "last_login_time": "9999-12-31T23:59:59-01:00", "created_at": "0001-01-01"}
    )
    assert user.last_login_time is None and user.created_at is None


async def test_more_items_than_announced_is_refused(zoom: respx.MockRouter, make_client) -> None:
    zoom.get(f"{API}/users").side_effect = [
        users(list(range(n * 20, n * 20 + 20)), total_records=0, next_page_token=f"t{n}")
        for n in range(5)
    ]
    with pytest.raises(ProtocolError, match="items where total_records said 0"):
        await listed(make_client())
