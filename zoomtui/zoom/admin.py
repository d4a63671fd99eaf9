"""The calls a licence reclaim makes: live reads of one user and the writes, answered as-is.

Writes return Zoom's answer (status, code, message) instead of raising, so
the caller can journal exactly what Zoom said; what Zoom never answered
(a timeout after every retry) still raises, and the journal keeps the change
as attempted. Everything goes through the client's one limiter and retry
policy (docs/reclaim.md: writes are Light or Medium, and each sets a state,
so sending one again gives the same result).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zoomtui.zoom.client import ZoomClient, _seg
from zoomtui.zoom.ratelimit import category_for


@dataclass(frozen=True)
class Answer:
    """Zoom's answer to one write."""

    status: int
    code: int | None
    message: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def path_segment(value: str) -> str:
    """One URL path segment, percent-encoded: an id or e-mail never adds a query or a ``/``."""
    return _seg(value)


def user_path(user: str, account_id: str | None = None) -> str:
    prefix = f"/accounts/{_seg(account_id)}" if account_id else ""
    return f"{prefix}/users/{_seg(user)}"


class AdminApi:
    """Live reads and writes for one reclaim, over an open ``ZoomClient``."""

    def __init__(self, client: ZoomClient) -> None:
        self.client = client

    async def user(self, user: str, account_id: str | None = None) -> dict[str, Any]:
        """GET /users/{userId} as Zoom sent it (role, groups and last login included)."""
        body = await self.client._get(user_path(user, account_id))
        return body if isinstance(body, dict) else {}

    async def settings(self, user: str, account_id: str | None = None) -> dict[str, Any]:
        return await self.client.get_user_settings(user, account_id)

    async def meetings(self, user: str, kind: str, account_id: str | None = None) -> list[dict]:
        """The user's meetings of one ``type`` (``live``, ``upcoming``): one page of 300.

        300 is the spec's largest ``page_size``; 30, the default, let a long meeting on
        a second page through the guard.
        """
        query = {"type": kind, "page_size": 300}
        body = await self.client._get(f"{user_path(user, account_id)}/meetings", query)
        found = body.get("meetings") if isinstance(body, dict) else None
        return [m for m in found or [] if isinstance(m, dict)]

    async def webinars(self, user: str, account_id: str | None = None) -> list[dict]:
        body = await self.client._get(f"{user_path(user, account_id)}/webinars", {"page_size": 300})
        found = body.get("webinars") if isinstance(body, dict) else None
        return [m for m in found or [] if isinstance(m, dict)]

    async def write(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> Answer:
        """Send one write; Zoom's answer whatever it is (a 401 is retried with a new token)."""
        client = self.client
        tokens = client._tokens
        refreshed = False
        while True:
            token = await tokens.get()

            async def auth(token: Any = token) -> str:
                return f"Bearer {token.access_token}"

            reply = await client._requester.send(
                method,
                client.api_base(token) + path,
                category=category_for(method, path),
                auth=auth,
                params=params,
                json_body=body,
            )
            if reply.status == 401 and not refreshed:
                refreshed = True
                await tokens.refresh(token)
                continue
            message = str(reply.body.get("message") or "") if isinstance(reply.body, dict) else ""
            return Answer(reply.status, reply.code, message)
