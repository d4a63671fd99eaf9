"""Pacing that learns the limit in force: cut once per burst, probe back up, tier as a start.

Everything runs on fake time: a fake Zoom refuses requests beyond its own
per-second limit (a one-second token bucket on the fake clock), and the
client's pacing sleeps move that clock, so every figure here is exact.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest
import respx

from tests.helpers.zoomfakes import API, FakeTime
from zoomtui.zoom import DailyLimitReached
from zoomtui.zoom.ratelimit import BACKOFF, TokenBucket

SETTINGS = rf"{API}/users/u\d+/settings$"
PER_SECOND = {"code": 429, "message": "You have reached the maximum per-second rate limit."}


class PaceTime(FakeTime):
    """FakeTime with an exact float clock: pacing waits are fractions of a microsecond."""

    def __init__(self) -> None:
        super().__init__()
        self.t = self.now.timestamp()

    async def sleep(self, seconds: float) -> None:
        self.t += seconds
        await super().sleep(seconds)

    def monotonic(self) -> float:
        return self.t


@pytest.fixture
def fake() -> PaceTime:
    return PaceTime()


@pytest.fixture
def make_client(make_client, fake: PaceTime):
    def make(**kwargs):
        return make_client(monotonic=fake.monotonic, **kwargs)

    return make


class FakeZoom:
    """Answers settings reads within `rate` per second (bucket of one second), else 429."""

    def __init__(self, fake: PaceTime, rate: float, *, advertise: bool = False) -> None:
        self.fake = fake
        self.rate = rate
        self.advertise = advertise
        self.tokens = rate
        self.at = fake.t
        self.ok = self.refused = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        now = self.fake.t
        self.tokens = min(self.rate, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens < 1:
            self.refused += 1
            return httpx.Response(429, json=PER_SECOND, headers={"X-RateLimit-Type": "QPS"})
        self.tokens -= 1
        self.ok += 1
        headers = {"X-RateLimit-Type": "QPS", "X-RateLimit-Category": "Medium"}
        if self.advertise:
            headers["X-RateLimit-Limit"] = str(round(self.rate))
        return httpx.Response(200, json={"feature": {}}, headers=headers)


async def read_settings(client, count: int) -> None:
    """One caller reading settings back to back: demand always exceeds the pace."""
    for i in range(count):
        await client.get_user_settings(f"u{i}")


async def test_a_burst_of_429s_cuts_the_pace_once(zoom: respx.MockRouter, make_client):
    """Ten requests sent at the old pace, all refused: one cut, not ten."""
    arrived = 0
    gate = asyncio.Event()

    async def refuse_together(request: httpx.Request) -> httpx.Response:
        nonlocal arrived
        arrived += 1
        if arrived <= 10:
            if arrived == 10:
                gate.set()
            await gate.wait()
            return httpx.Response(429, json=PER_SECOND)
        return httpx.Response(200, json={"feature": {}})

    zoom.get(url__regex=SETTINGS).mock(side_effect=refuse_together)
    client = make_client(rate_tier="pro")
    await asyncio.gather(*(client.get_user_settings(f"u{i}") for i in range(10)))
    assert client.stats.throttled == {"Medium": 10}
    # one cut (two would be 11.25), then the refused ones' successes probed a little
    assert 20 * BACKOFF <= client.limiter.rate("Medium") < 20
    # the refused ones queued for tokens at the new pace: no request was refused twice
    assert client.stats.calls["Medium"] == 20


async def test_a_request_sent_after_the_cut_cuts_again(fake: PaceTime):
    bucket = TokenBucket(20, fake.monotonic, floor=2, ceiling=60)
    first = [bucket.delay() for _ in range(3)] and bucket.tickets
    assert bucket.throttled(first) and bucket.rate == 15
    assert not bucket.throttled(first - 1)  # left before the cut: already answered for
    assert bucket.delay() == pytest.approx(1 / 15)  # after a cut, requests leave spaced
    fake.t += 1 / 15
    assert bucket.delay() == 0
    assert bucket.throttled(bucket.tickets) and bucket.rate == pytest.approx(11.25)
    for _ in range(40):  # never below the floor (the lowest tier's limit)
        fake.t += 1
        bucket.delay()
        bucket.throttled(bucket.tickets)
    assert bucket.rate == 2


async def test_tier_too_high_settles_near_the_real_limit(
    zoom: respx.MockRouter, make_client, fake: PaceTime
):
    """Business pacing on a Pro account (Medium 20/s), no limit header: 429s teach it."""
    zoom_ = FakeZoom(fake, 20)
    zoom.get(url__regex=SETTINGS).mock(side_effect=zoom_)
    client = make_client(rate_tier="business")
    started = fake.now
    await read_settings(client, 600)
    elapsed = (fake.now - started).total_seconds()
    assert zoom_.ok == 600
    assert zoom_.refused / (zoom_.ok + zoom_.refused) < 0.10
    assert 20 * BACKOFF**2 <= client.limiter.rate("Medium") <= 20 / BACKOFF
    assert elapsed <= 1.3 * 600 / 20  # fake seconds: exact, not a wall-clock timing
    assert client.stats.as_dict()["rates"]["Medium"] == round(client.limiter.rate("Medium"), 2)


async def test_tier_too_high_adopts_the_stated_limit(
    zoom: respx.MockRouter, make_client, fake: PaceTime
):
    """A reply's `X-RateLimit-Limit` (QPS) is the account's limit: the pace drops to it."""
    zoom_ = FakeZoom(fake, 20, advertise=True)
    zoom.get(url__regex=SETTINGS).mock(side_effect=zoom_)
    client = make_client(rate_tier="business")
    await read_settings(client, 400)
    assert client.limiter.rate("Medium") == 20
    assert zoom_.refused == 0


async def test_recovery_after_a_cut_probes_back_up(
    zoom: respx.MockRouter, make_client, fake: PaceTime
):
    """A passing burst of another app's traffic cuts the pace; success brings it back."""
    zoom_ = FakeZoom(fake, 20, advertise=True)
    zoom.get(url__regex=SETTINGS).mock(side_effect=zoom_)
    client = make_client(rate_tier="pro")
    await read_settings(client, 50)
    zoom_.tokens = 0  # someone else just used this second's budget
    await read_settings(client, 5)
    low = client.limiter.rate("Medium")
    assert low < 20
    await read_settings(client, 400)
    assert client.limiter.rate("Medium") > low
    assert client.limiter.rate("Medium") == pytest.approx(20, abs=20 * (1 - BACKOFF))


async def test_tier_too_low_probes_up_and_finds_more(
    zoom: respx.MockRouter, make_client, fake: PaceTime
):
    """Pro pacing on a Business account (Medium 60/s) without limit headers: probing finds it."""
    zoom_ = FakeZoom(fake, 60)
    zoom.get(url__regex=SETTINGS).mock(side_effect=zoom_)
    client = make_client(rate_tier="pro")
    started = fake.now
    await read_settings(client, 1500)
    elapsed = (fake.now - started).total_seconds()
    assert client.limiter.rate("Medium") > 40
    assert elapsed < 1500 / 20 * 0.6  # well under what Pro's 20/s would take
    assert zoom_.refused / 1500 < 0.10


async def test_tier_too_low_jumps_to_the_stated_limit(
    zoom: respx.MockRouter, make_client, fake: PaceTime
):
    zoom_ = FakeZoom(fake, 60, advertise=True)
    zoom.get(url__regex=SETTINGS).mock(side_effect=zoom_)
    client = make_client(rate_tier="pro")
    await read_settings(client, 10)
    assert client.limiter.rate("Medium") == 60


async def test_probing_needs_callers_waiting(zoom: respx.MockRouter, make_client, fake: PaceTime):
    """A category used below its pace gives no evidence of more room: its pace stays put."""
    zoom.get(url__regex=SETTINGS).mock(return_value=httpx.Response(200, json={"feature": {}}))
    client = make_client(rate_tier="pro")
    for i in range(50):
        await client.get_user_settings(f"u{i}")
        fake.t += 1
    assert client.limiter.rate("Medium") == 20


async def test_daily_limit_still_ends_the_run_and_leaves_the_pace(
    zoom: respx.MockRouter, make_client, fake: PaceTime
):
    headers = {"X-RateLimit-Type": "Daily-limit", "Retry-After": "2024-05-16T00:00:00Z"}
    zoom.get(url__regex=SETTINGS).mock(return_value=httpx.Response(429, headers=headers))
    client = make_client(rate_tier="pro")
    with pytest.raises(DailyLimitReached) as caught:
        await client.get_user_settings("u1")
    assert caught.value.reset_at == datetime(2024, 5, 16, tzinfo=UTC)
    assert client.limiter.rate("Medium") == 20 and fake.sleeps == []
