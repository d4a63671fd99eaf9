"""The calls a licence reclaim makes: live reads of one user and the writes, answered as-is.

Writes return Zoom's answer (status, code, message) instead of raising, so
the caller can journal exactly what Zoom said; what Zoom never answered
(a timeout after every retry) still raises, and the journal keeps the change
as attempted. Everything goes through the client's one limiter and retry
policy (docs/reclaim.md: writes are Light or Medium, and each sets a state,
so sending one again gives the same result).
"""

from __future__ import annotations

from collections.abc import Hashable
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any

from zoomtui.zoom.client import ZoomClient, _seg
from zoomtui.zoom.pagination import paginate
from zoomtui.zoom.ratelimit import category_for

# The spec's largest ``page_size`` of the meeting and webinar lists; 30, the default,
# needs ten calls where one does.
LIST_PAGE_SIZE = 300


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
        """The user's meetings of one ``type`` (``live``, ``upcoming``), every page of them."""
        return await self._listing(user, "meetings", account_id, {"type": kind})

    async def webinars(self, user: str, account_id: str | None = None) -> list[dict]:
        return await self._listing(user, "webinars", account_id, {})

    async def _listing(
        self, user: str, key: str, account_id: str | None, query: dict[str, Any]
    ) -> list[dict]:
        """Every item of a user's meeting or webinar list, following ``next_page_token``.

        Zoom answers ``page_size`` items per call (300 at most, 30 when not asked) and
        "a next page token … whenever the set of available results exceeds the current
        page size" (its List meetings spec): a meeting that needs the licence may be on
        any page, so the check reads them all (checked and restarted like every listing).
        """
        found: list[dict] = []
        pages = paginate(
            self.client._get,
            f"{user_path(user, account_id)}/{key}",
            {**query, "page_size": LIST_PAGE_SIZE},
            key,
            _object,
            _meeting_key,
            self.client.clock,
        )
        async with aclosing(pages):
            async for page in pages:
                found.extend(page)
        return found

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


def _object(item: dict[str, Any]) -> dict[str, Any]:
    return item


def _meeting_key(item: dict[str, Any]) -> Hashable:
    """A listed meeting's identity: its id, uuid and start (occurrences share an id)."""
    return tuple(str(item.get(k)) for k in ("uuid", "id", "start_time"))
