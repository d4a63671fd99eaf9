"""Every fault kind, its schedule by glob and call number, and the spec parser."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest

from tests.helpers.emuapi import make_api
from zoomtui.emulator import Dataset, Emulator, EmulatorConfig, Fault, parse_faults
from zoomtui.emulator.faults import FaultPlan


def faulty(dataset: Dataset, *faults: Fault):
    return make_api(dataset, faults=faults)


def test_429_variants(dataset: Dataset) -> None:
    api = faulty(
        dataset,
        Fault("429_seconds", "/users", at_calls=(1,)),
        Fault("429_date", "/users", at_calls=(2,)),
        Fault("429_none", "/users", at_calls=(3,)),
        Fault("429_daily", "/users", at_calls=(4,)),
    )
    seconds, date, none, daily, fine = (api.get("/users") for _ in range(5))
    assert seconds.status_code == 429 and seconds.headers["Retry-After"] == "1"
    assert seconds.headers["X-RateLimit-Type"] == "QPS"
    assert date.headers["Retry-After"] == "2026-06-01T09:00:02Z"
    assert none.status_code == 429 and not any(
        h.lower().startswith("x-ratelimit") for h in none.headers
    )
    assert "Retry-After" not in none.headers and "daily" not in none.json()["message"]
    assert daily.headers["X-RateLimit-Type"] == "Daily-limit"
    assert daily.headers["Retry-After"] == "2026-06-02T00:00:00Z"
    assert fine.status_code == 200


def test_5xx_is_html(dataset: Dataset) -> None:
    api = faulty(dataset, Fault("5xx", "/users"))
    response = api.get("/users")
    assert response.status_code in (500, 502, 503)
    assert response.headers["content-type"] == "text/html"
    assert response.text.startswith("<html>")


def test_timeout_and_reset_raise_transport_errors(dataset: Dataset) -> None:
    api = faulty(
        dataset, Fault("timeout", "/users", at_calls=(1,)), Fault("reset", "/users", at_calls=(2,))
    )
    with pytest.raises(httpx.ReadTimeout):
        api.get("/users")
    with pytest.raises(httpx.RemoteProtocolError):
        api.get("/users")
    assert api.get("/users").status_code == 200


def test_truncated_json(dataset: Dataset) -> None:
    api = faulty(dataset, Fault("truncated_json", "/users", at_calls=(1,)))
    broken = api.get("/users")
    assert broken.status_code == 200
    with pytest.raises(ValueError):
        broken.json()
    api.get("/users").json()


def test_token_revoked_until_a_new_token(dataset: Dataset) -> None:
    api = faulty(dataset, Fault("token_revoked", "/users*", at_calls=(2,)))
    assert api.get("/users").status_code == 200
    revoked = api.get("/users")
    assert (revoked.status_code, revoked.json()["code"]) == (401, 124)
    assert api.get("/users/summary").status_code == 401
    api.get_token()
    assert api.get("/users/summary").status_code == 200


def test_page_token_expired_only_counts_continuations(dataset: Dataset) -> None:
    api = faulty(dataset, Fault("page_token_expired", "/users", at_calls=(1,)))
    first = api.get("/users", page_size=10)
    assert first.status_code == 200
    again = api.get("/users", page_size=10, next_page_token=first.json()["next_page_token"])
    assert again.status_code == 400 and again.json()["code"] == 300
    restart = api.get("/users", page_size=10, next_page_token=first.json()["next_page_token"])
    assert restart.status_code == 200


def test_probability_schedule_is_seeded_and_glob_scoped() -> None:
    plan_a = FaultPlan((Fault("5xx", "/users/*/settings", probability=0.3),), seed=4)
    plan_b = FaultPlan((Fault("5xx", "/users/*/settings", probability=0.3),), seed=4)
    hits_a = [plan_a.pick("/users/x/settings", False) is not None for _ in range(200)]
    hits_b = [plan_b.pick("/users/x/settings", False) is not None for _ in range(200)]
    assert hits_a == hits_b and 30 < sum(hits_a) < 90
    assert plan_a.pick("/users", False) is None


def test_parse_faults_spec() -> None:
    faults = parse_faults("5xx:/users*@0.05; token_revoked:*#40,41 ;429_none")
    assert faults == (
        Fault("5xx", "/users*", probability=0.05),
        Fault("token_revoked", "*", at_calls=(40, 41)),
        Fault("429_none", "*"),
    )
    with pytest.raises(ValueError, match="unknown fault kind"):
        parse_faults("meltdown")


async def test_async_transport_applies_latency_concurrently(
    dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator = Emulator(
        dataset,
        EmulatorConfig(latency_ms=50, rate_limits=False),
        clock=lambda: datetime(2026, 6, 1, tzinfo=UTC),
    )
    sleeps: list[float] = []
    real_sleep = asyncio.sleep

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        await real_sleep(0)

    monkeypatch.setattr(asyncio, "sleep", fake_sleep)
    async with httpx.AsyncClient(transport=emulator.transport()) as client:
        token = await client.post(
            "http://emulator.local/oauth/token",
            data={"grant_type": "account_credentials", "account_id": "demo-account"},
            auth=("demo-client", "demo-secret"),
        )
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        responses = await asyncio.gather(
            *(
                client.get("http://emulator.local/v2/users/summary", headers=headers)
                for _ in range(20)
            )
        )
    assert {r.status_code for r in responses} == {200}
    assert sleeps.count(0.05) == 21
