"""429 handling, daily limits and bounded retries of transient faults (on fake time)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
import respx

from tests.helpers.zoomfakes import API, FakeTime, user_json
from zoomtui.zoom import (
    DailyLimitReached,
    NetworkError,
    ProtocolError,
    RateLimited,
    ServerError,
)

OK = httpx.Response(200, json={"users": [user_json(1)], "next_page_token": ""})
PER_SECOND = {"code": 429, "message": "You have reached the maximum per-second rate limit."}
DAILY = {"code": 429, "message": "You have reached the maximum daily rate limit for this API."}


async def list_once(client) -> list:
    pages = [page async for page in client.iter_users("active")]
    return [u.id for page in pages for u in page]


def too_many(headers: dict[str, str] | None = None, body: dict | None = None) -> httpx.Response:
    return httpx.Response(429, json=body or PER_SECOND, headers=headers or {})


async def test_429_retry_after_seconds_is_waited(zoom: respx.MockRouter, make_client, fake):
    zoom.get(f"{API}/users").side_effect = [too_many({"Retry-After": "3"}), OK]
    client = make_client()
    assert await list_once(client) == ["u1"]
    assert fake.sleeps == [3.0]
    assert client.stats.retries == 1 and client.stats.wait_seconds == 3.0
    assert client.stats.as_dict() == {
        "calls": {"Medium": 2},
        "retries": 1,
        "waits": 1,
        "wait_seconds": 3.0,
        "token_requests": 1,
        "throttled": {"Medium": 1},
        "rates": {"Light": 30.0, "Medium": 15.0, "Heavy": 10.0},  # Medium cut by a quarter
    }


async def test_429_retry_after_iso_timestamp_waits_until_then(
    zoom: respx.MockRouter, make_client, fake: FakeTime
):
    at = "2024-05-15T12:00:07Z"  # fake clock starts at 12:00:00
    zoom.get(f"{API}/users").side_effect = [too_many({"Retry-After": at}), OK]
    assert await list_once(make_client()) == ["u1"]
    assert fake.sleeps == [7.0]


async def test_429_without_headers_backs_off_exponentially(
    zoom: respx.MockRouter, make_client, fake
):
    zoom.get(f"{API}/users").side_effect = [too_many(), too_many(), too_many(), OK]
    client = make_client()
    assert await list_once(client) == ["u1"]
    # The first 429 cuts the category's pace to 15/s and the request queues for its
    # turn (1/15 s, requests leave spaced after a cut); a request refused again backs
    # off too: base 1 s doubling, half fixed + half jitter (rng fixed at 0.5 in tests).
    assert fake.sleeps == [pytest.approx(1 / 15, abs=1e-5), 0.75, 1.5]
    assert client.stats.throttled == {"Medium": 3}


async def test_429_wait_pauses_the_whole_category(zoom: respx.MockRouter, make_client, fake):
    zoom.get(f"{API}/users").side_effect = [too_many({"Retry-After": "2"}), OK]
    client = make_client()
    await list_once(client)
    bucket = client.limiter.buckets["Medium"]
    assert bucket.blocked_until == pytest.approx(fake.now.timestamp(), abs=0.01)


async def test_429_forever_gives_up_with_rate_limited(zoom: respx.MockRouter, make_client, fake):
    zoom.get(f"{API}/users").mock(return_value=too_many({"Retry-After": "1"}))
    with pytest.raises(RateLimited) as caught:
        await list_once(make_client())
    assert not isinstance(caught.value, DailyLimitReached)
    assert len(fake.sleeps) == 5


@pytest.mark.parametrize(
    ("headers", "body", "reset"),
    [
        (
            {"X-RateLimit-Type": "Daily-limit", "Retry-After": "2024-05-16T00:00:00Z"},
            PER_SECOND,
            datetime(2024, 5, 16, tzinfo=UTC),
        ),
        ({}, DAILY, datetime(2024, 5, 16, tzinfo=UTC)),  # no header: next 00:00 UTC
        ({"Retry-After": "2024-05-15T18:30:00Z"}, DAILY, datetime(2024, 5, 15, 18, 30, tzinfo=UTC)),
    ],
)
async def test_daily_limit_raises_with_reset_time(
    zoom: respx.MockRouter, make_client, fake, headers, body, reset
):
    route = zoom.get(f"{API}/users").mock(return_value=too_many(headers, body))
    with pytest.raises(DailyLimitReached) as caught:
        await list_once(make_client())
    assert caught.value.reset_at == reset
    assert reset.strftime("%H:%M") in caught.value.message
    assert route.call_count == 1 and fake.sleeps == []


@pytest.mark.parametrize(
    "fault",
    [
        httpx.Response(502, text="<html><body>Bad Gateway</body></html>"),
        httpx.Response(503, json={"code": 503, "message": "busy"}),
        httpx.ReadTimeout("timed out"),
        httpx.ConnectError("Connection reset by peer"),
        httpx.RemoteProtocolError("peer closed connection"),
        ConnectionResetError(104, "Connection reset by peer"),
        httpx.Response(200, content=b'{"users": [{"id": "u1", "ema'),
    ],
)
async def test_transient_faults_are_retried_then_succeed(
    zoom: respx.MockRouter, make_client, fake, fault
):
    zoom.get(f"{API}/users").side_effect = [fault, fault, OK]
    client = make_client()
    assert await list_once(client) == ["u1"]
    assert fake.sleeps == [0.75, 1.5]
    assert client.stats.retries == 2


@pytest.mark.parametrize(
    ("fault", "error", "words"),
    [
        (httpx.Response(500, text="<html>oops</html>"), ServerError, "HTTP 500"),
        (httpx.ReadTimeout("timed out"), NetworkError, "The host api.zoom.us did not answer"),
        (httpx.ConnectError("unreachable"), NetworkError, "Could not connect to api.zoom.us"),
        (httpx.Response(200, content=b'{"users": ['), ProtocolError, "unreadable"),
    ],
)
async def test_exhausted_retries_raise_the_matching_error(
    zoom: respx.MockRouter, make_client, fake, fault, error, words
):
    route = zoom.get(f"{API}/users")
    route.side_effect = [fault] * 6
    with pytest.raises(error) as caught:
        await list_once(make_client())
    assert words in caught.value.message
    assert route.call_count == 6  # one try plus five retries
    assert fake.sleeps == [0.75, 1.5, 3.0, 6.0, 12.0]


async def test_backoff_is_capped(zoom: respx.MockRouter, make_client, fake):
    from zoomtui.zoom import RetryPolicy

    zoom.get(f"{API}/users").side_effect = [httpx.Response(500)] * 8 + [OK]
    client = make_client(retry=RetryPolicy(max_retries=8, rng=lambda: 1.0))
    assert await list_once(client) == ["u1"]
    assert max(fake.sleeps) == 30.0


async def test_on_wait_reports_reason_and_seconds(zoom: respx.MockRouter, make_client):
    seen: list[tuple[str, float]] = []
    zoom.get(f"{API}/users").side_effect = [too_many({"Retry-After": "4"}), OK]
    await list_once(make_client(on_wait=lambda reason, s: seen.append((reason, s))))
    assert seen == [("Zoom rate limit (Medium)", 4.0)]


async def test_token_endpoint_faults_are_retried(zoom: respx.MockRouter, make_client, fake):
    zoom.routes["token"].side_effect = [
        httpx.Response(503, text="down"),
        httpx.Response(200, json={"access_token": "t", "expires_in": 3600, "scope": ""}),
    ]
    assert (await make_client().token()).access_token == "t"
    assert fake.sleeps == [0.75]
