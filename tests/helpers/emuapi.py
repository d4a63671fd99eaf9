"""Helpers for emulator tests: a fake clock and a sync caller for the handler."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from zoomtui.emulator import Dataset, Emulator, EmulatorConfig

START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


@dataclass
class Api:
    """Calls the emulator in-process (sync) with a fake wall clock and monotonic time."""

    emulator: Emulator
    now: list[datetime] = field(default_factory=lambda: [START])
    mono: list[float] = field(default_factory=lambda: [0.0])
    token: str = ""

    def tick(self, seconds: float) -> None:
        self.now[0] += timedelta(seconds=seconds)
        self.mono[0] += seconds

    def get_token(self, **form: str) -> httpx.Response:
        data = {"grant_type": "account_credentials", "account_id": "demo-account", **form}
        request = httpx.Request(
            "POST",
            "http://emulator.local/oauth/token",
            data=data,
            headers={"Authorization": "Basic ZGVtby1jbGllbnQ6ZGVtby1zZWNyZXQ="},
        )
        response = self.emulator.handle(request)
        if response.status_code == 200:
            self.token = response.json()["access_token"]
        return response

    def get(self, path: str, token: str | None = None, **params: Any) -> httpx.Response:
        if not self.token and token is None:
            self.get_token()
        bearer = self.token if token is None else token
        request = httpx.Request(
            "GET",
            f"http://emulator.local/v2{path}",
            params=params,
            headers={"Authorization": f"Bearer {bearer}"},
        )
        return self.emulator.handle(request)

    def send(self, method: str, path: str, json: Any = None, **params: Any) -> httpx.Response:
        """A write (or any method) with a JSON body."""
        if not self.token:
            self.get_token()
        request = httpx.Request(
            method,
            f"http://emulator.local/v2{path}",
            params=params,
            json=json,
            headers={"Authorization": f"Bearer {self.token}"},
        )
        return self.emulator.handle(request)


def make_api(dataset: Dataset, **config: Any) -> Api:
    api = Api(Emulator(dataset))
    config.setdefault("rate_limits", False)
    api.emulator = Emulator(
        dataset, EmulatorConfig(**config), clock=lambda: api.now[0], monotonic=lambda: api.mono[0]
    )
    return api
