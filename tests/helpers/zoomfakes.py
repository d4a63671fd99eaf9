"""Helpers for the Zoom client tests: fake time, constants and JSON builders.

Fake time: `sleep` records each requested duration and moves the clock, so
retry and rate-limit decisions are asserted exactly without ever sleeping.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from zoomtui.zoom import Credentials

API = "https://api.zoom.us/v2"
TOKEN_URL = "https://zoom.us/oauth/token"
S2S = Credentials(account_id="acc-1", client_id="cid", client_secret="csecret")
START = datetime(2024, 5, 15, 12, 0, tzinfo=UTC)


class FakeTime:
    """An injectable clock and sleep; sleeping advances the clock and is recorded."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def clock(self) -> datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += timedelta(seconds=seconds)

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def token_json(access: str = "tok-1", expires_in: int = 3600, **extra: Any) -> dict[str, Any]:
    return {
        "access_token": access,
        "token_type": "bearer",
        "expires_in": expires_in,
        "scope": "user:read:list_users:admin report:read:user_activities:admin",
        **extra,
    }


def user_json(i: int, **extra: Any) -> dict[str, Any]:
    return {"id": f"u{i}", "email": f"user{i}@example.com", "type": 2, "status": "active", **extra}
