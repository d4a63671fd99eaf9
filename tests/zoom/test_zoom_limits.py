"""Rate categories, per-tier budgets, the in-flight bound, URL policy and package layering."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import date

import httpx
import pytest
import respx

from tests.helpers.zoomfakes import API, S2S, FakeTime
from zoomtui.zoom import REGIONS, ConfigError, ZoomClient, validate_url
from zoomtui.zoom.pagination import sign_in_windows
from zoomtui.zoom.ratelimit import LIMITS, RateLimiter, category_for


@pytest.mark.parametrize(
    ("path", "category"),
    [
        ("/users", "Medium"),
        ("/accounts/a1/users", "Medium"),
        ("/users/u1", "Light"),
        ("/accounts/a1/users/u1", "Light"),
        ("/users/u1/settings", "Medium"),
        ("/accounts/a1/users/u1/settings", "Medium"),
        ("/users/summary", "Medium"),
        ("/report/activities", "Heavy"),
        ("/accounts/a1/report/activities", "Heavy"),
        ("/accounts", "Medium"),
        ("/accounts/me/plans/usage", "Heavy"),
    ],
)
def test_endpoint_categories(path: str, category: str):
    assert category_for("GET", path) == category


async def test_bucket_never_exceeds_the_per_second_limit(fake: FakeTime):
    limiter = RateLimiter("free", now=lambda: fake.now.timestamp(), sleep=fake.sleep)
    starts = []
    for _ in range(7):
        await limiter.acquire("Medium")  # free tier: 2 per second
        starts.append(fake.now.timestamp())
    for i in range(len(starts) - 2):
        assert starts[i + 2] - starts[i] >= 1.0  # any 3 calls span at least one second
    assert starts[-1] - starts[0] == pytest.approx(3.0)  # and the full rate is reached
    assert limiter.stats.calls == {"Medium": 7}


async def test_callers_short_of_budget_leave_in_order_and_one_sleeps_at_a_time(fake: FakeTime):
    async def sleep(seconds: float) -> None:
        await fake.sleep(seconds)
        await asyncio.sleep(0)  # let the other callers run, as a real sleep would

    limiter = RateLimiter("free", now=lambda: fake.now.timestamp(), sleep=sleep)
    left: list[tuple[int, float]] = []

    async def caller(i: int) -> None:
        await limiter.acquire("Medium")  # free tier: 2 per second
        left.append((i, fake.now.timestamp()))

    await asyncio.gather(*(caller(i) for i in range(12)))
    assert [i for i, _ in left] == list(range(12))  # first come, first served
    times = [t for _, t in left]
    assert all(times[i + 2] - times[i] >= 1.0 for i in range(len(times) - 2))
    # One sleep per second of budget waited for, not one per waiting caller per token.
    assert len(fake.sleeps) == 5
    assert limiter.stats.waits == 5


async def test_rate_scale_and_tiers_size_the_buckets(fake: FakeTime):
    now = lambda: fake.now.timestamp()  # noqa: E731
    business = RateLimiter("business", now=now, sleep=fake.sleep)
    scaled = RateLimiter("pro", now=now, sleep=fake.sleep, rate_scale=0.5)
    assert business.buckets is not None and business.buckets["Heavy"].limit == 40
    assert scaled.buckets is not None and scaled.buckets["Medium"].limit == 10
    assert LIMITS["pro"] == {"Light": 30, "Medium": 20, "Heavy": 10}
    unlimited = RateLimiter("pro", now=now, sleep=fake.sleep, rate_scale=float("inf"))
    for _ in range(100):
        await unlimited.acquire("Heavy")
    assert fake.sleeps == []


async def test_requests_in_flight_are_bounded(zoom: respx.MockRouter, make_client):
    in_flight = peak = 0

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.005)
        in_flight -= 1
        return httpx.Response(200, json={"id": "u", "email": "e"})

    zoom.get(url__regex=rf"{API}/users/u\d+$").mock(side_effect=slow)
    client = make_client(max_concurrency=3, rate_scale=float("inf"))
    await asyncio.gather(*(client.get_user(f"u{i}") for i in range(12)))
    assert peak == 3


@pytest.mark.parametrize(
    "url",
    ["http://api.zoom.us/v2", "http://10.0.0.5:8080/v2", "http://emulator.local/v2", "ftp://x/"],
)
def test_unsafe_urls_are_rejected(url: str):
    with pytest.raises(ConfigError):
        validate_url(url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/v2/", "http://localhost:9/v2", "http://[::1]:80/v2"]
)
def test_loopback_http_is_allowed(url: str):
    assert validate_url(url) == url.rstrip("/")


def test_emulator_host_needs_a_custom_transport():
    with pytest.raises(ConfigError, match="http://"):
        ZoomClient(S2S, api_url="http://emulator.local/v2")
    transport = httpx.MockTransport(lambda request: httpx.Response(200))
    ZoomClient(
        S2S,
        api_url="http://emulator.local/v2",
        oauth_url="http://emulator.local/oauth/token",
        transport=transport,
    )


def test_regions():
    assert (REGIONS["global"].api_url, REGIONS["global"].oauth_url) == (
        "https://api.zoom.us/v2",
        "https://zoom.us/oauth/token",
    )
    assert (REGIONS["gov"].api_url, REGIONS["gov"].oauth_url) == (
        "https://api.zoomgov.com/v2",
        "https://zoomgov.com/oauth/token",
    )


def test_sign_in_windows_are_at_most_a_month_and_within_six_months():
    today = date(2024, 3, 31)
    windows = sign_in_windows(date(2020, 1, 1), date(2024, 12, 31), today)
    assert windows[0][0] == date(2023, 9, 30) and windows[-1][1] == today
    for first, last in windows:
        assert first <= last and (last - first).days <= 30
        assert last.month == first.month or last.day < first.day  # inside one calendar month
    days = sum((last - first).days + 1 for first, last in windows)
    assert days == (today - windows[0][0]).days + 1  # contiguous, nothing missed
    assert sign_in_windows(date(2024, 4, 1), date(2024, 4, 2), today) == []


def test_zoom_package_imports_no_ui_or_store():
    code = (
        "import sys, zoomtui.zoom; "
        "bad = [m for m in sys.modules if m.startswith(('textual', 'zoomtui.store', "
        "'zoomtui.emulator', 'zoomtui.services', 'zoomtui.tui'))]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
