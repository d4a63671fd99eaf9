"""`ZoomClient`: the read-only Zoom endpoints zoomtui needs, over one budgeted httpx client.

Every call goes `_get` → `Requester.send`, which applies the rate limits,
retries and JSON parsing; `_get` adds the bearer token, the one-time refresh
on 401 code 124, and the mapping of Zoom's error answers to exceptions.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Hashable
from contextlib import aclosing
from datetime import datetime
from types import TracebackType
from typing import Any

import httpx

from zoomtui import __version__
from zoomtui.clock import Clock, utcnow
from zoomtui.regions import REGIONS
from zoomtui.zoom.auth import Credentials, TokenProvider
from zoomtui.zoom.classify import api_error, is_error_body, is_page_token_expired
from zoomtui.zoom.errors import (
    ConfigError,
    NoPermission,
    NotMasterAccount,
    PageTokenExpired,
    ProtocolError,
)
from zoomtui.zoom.http import LeanClient
from zoomtui.zoom.lanes import Lanes
from zoomtui.zoom.models import (
    PlanUsage,
    SubAccount,
    Token,
    User,
    UserSummary,
)
from zoomtui.zoom.pagination import paginate
from zoomtui.zoom.ratelimit import CallStats, RateLimiter, category_for
from zoomtui.zoom.reports import ReportReads, _seg
from zoomtui.zoom.retry import Requester, RetryPolicy
from zoomtui.zoom.tls import tls_context
from zoomtui.zoom.urls import DEFAULT_OAUTH_URL, api_base_from_token, validate_url
from zoomtui.zoom.wire import WireTransport, environment_proxies

__all__ = ["Credentials", "ZoomClient"]

USER_STATUSES = ("active", "pending", "inactive")

try:  # pragma: no cover - depends on what is installed
    import sniffio  # noqa: F401
except ImportError:
    # httpcore imports sniffio inside every lock and event it sets up and Python does
    # not cache a failed import, so without this each request walks sys.path several
    # times (about a fifth of the client's CPU; encode/httpcore PR #1103). A None entry
    # makes that import fail at once, which httpcore already treats as "asyncio".
    # It has to be process-wide: the import runs inside httpcore's own functions, so
    # there is no client-local hook, and it only happens when sniffio is absent —
    # nothing installed can miss it, and anyone importing it gets the same ImportError.
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]


def user_key(user: User) -> Hashable:
    """Identity of a listed user: the Zoom id, or the email for pending users."""
    return user.id or "email:" + user.email.lower()


class ZoomClient(ReportReads):
    """Async client for Zoom's REST API v2 with one token, one limiter and one retry policy."""

    def __init__(
        self,
        credentials: Credentials,
        *,
        api_url: str | None = None,
        oauth_url: str = DEFAULT_OAUTH_URL,
        rate_tier: str = "pro",
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock = utcnow,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        max_concurrency: int = 32,
        timeout: float = 30.0,
        on_wait: Callable[[str, float], None] | None = None,
        rate_scale: float = 1.0,
        retry: RetryPolicy | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._allow_emulator = allow = transport is not None
        self._api_url = validate_url(api_url, allow_emulator=allow) if api_url else None
        self._oauth_url = validate_url(oauth_url, allow_emulator=allow)
        self.credentials = credentials
        self.clock = clock
        self.stats = CallStats()
        try:
            self.limiter = RateLimiter(
                rate_tier,
                now=monotonic,
                sleep=sleep,
                rate_scale=rate_scale,
                max_concurrency=max_concurrency,
                stats=self.stats,
                on_wait=on_wait,
            )
        except ValueError as exc:
            raise ConfigError(f"The rate settings are invalid: {exc}.") from exc
        self.max_concurrency = max(1, max_concurrency)

        def http_client(pool: int) -> LeanClient:
            # Keep every connection a lane may open alive: httpcore closes idle ones
            # beyond the keep-alive limit (default 20) and would reconnect constantly.
            # Without a proxy, the lean wire (wire.py) replaces httpcore, and
            # LeanClient shortens httpx's own path (http.py): together about two
            # thirds of the client's CPU per request.
            wire = transport
            if wire is None and not environment_proxies():
                wire = WireTransport(ssl_context=tls_context(), max_connections=pool)
            return LeanClient(
                transport=wire,
                verify=tls_context(),  # built once per process, not once per lane
                timeout=timeout,
                limits=httpx.Limits(max_connections=pool, max_keepalive_connections=pool),
                follow_redirects=False,
                headers={"Accept": "application/json", "User-Agent": f"zoomtui/{__version__}"},
            )

        # A given transport (the in-process emulator, tests) has no pool to split.
        self._http: LeanClient | Lanes = (
            http_client(self.max_concurrency)
            if transport is not None
            else Lanes(http_client, self.max_concurrency)
        )
        self._requester = Requester(self._http, self.limiter, clock, retry)
        self._tokens = TokenProvider(credentials, self._requester, self._oauth_url, clock)

    async def __aenter__(self) -> ZoomClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def token(self) -> Token:
        """Return a valid access token (cached; refreshed 5 minutes before it expires)."""
        return await self._tokens.get()

    def api_base(self, token: Token) -> str:
        """The /v2 base: configured, else the token's `api_url`, else the OAuth host's region."""
        if self._api_url:
            return self._api_url
        if token.api_url:
            return validate_url(
                api_base_from_token(token.api_url), allow_emulator=self._allow_emulator
            )
        for region in REGIONS.values():
            if region.oauth_url == self._oauth_url:
                return region.api_url
        raise ConfigError("Set the API URL: it cannot be derived from a custom OAuth URL.")

    async def _get(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        listing_started: datetime | None = None,
    ) -> Any:
        """GET a path under the API base and return its JSON, or raise the mapped error."""
        category = category_for("GET", path)
        used: list[Token] = []

        async def auth() -> str:
            token = await self._tokens.get()
            used.append(token)
            return f"Bearer {token.access_token}"

        # A token can be revoked again right after its replacement was issued (another
        # process of the same app asking for one, as before Zoom's multi-token change,
        # PSZoom #75): each revocation fails every request in flight with it, so a
        # request may meet a few; after three refreshes the 401 is the answer.
        refreshes = 0
        while True:
            base = self.api_base(await self._tokens.get())
            reply = await self._requester.send(
                "GET", base + path, category=category, auth=auth, params=params
            )
            if 200 <= reply.status < 300 and not is_error_body(reply.body):
                return reply.body
            jwt_app = self.credentials.kind == "jwt"
            if reply.status == 401 and reply.code == 124 and refreshes < 3 and used and not jwt_app:
                refreshes += 1
                await self._tokens.refresh(used[-1])
                continue
            if params and params.get("next_page_token"):
                elapsed = (self.clock() - listing_started).total_seconds() if listing_started else 0
                if is_page_token_expired(reply, elapsed):
                    raise PageTokenExpired(
                        f"The page token for {path} expired.", tracking_id=reply.tracking_id
                    )
            raise api_error(reply, "GET", path, jwt=jwt_app)

    async def iter_users(
        self,
        status: str,
        account_id: str | None = None,
        page_size: int = 300,
        on_total: Callable[[int], None] | None = None,
    ) -> AsyncGenerator[list[User], None]:
        """Yield users of one status page by page (each user once, even across restarts).

        ``on_total`` hears the ``total_records`` the first page announces.
        """
        if status not in USER_STATUSES:
            raise ValueError(f"status must be one of {', '.join(USER_STATUSES)}")
        path = f"/accounts/{_seg(account_id)}/users" if account_id else "/users"
        params = {"status": status, "page_size": page_size}
        pages = paginate(
            self._get, path, params, "users", User.from_json, user_key, self.clock, None, on_total
        )
        async with aclosing(pages):
            async for page in pages:
                yield page

    async def get_user(self, user_id: str, account_id: str | None = None) -> User:
        """Read one user, including the bundle fields the list leaves out."""
        prefix = f"/accounts/{_seg(account_id)}" if account_id else ""
        body = await self._get(f"{prefix}/users/{_seg(user_id)}")
        if type(body) is not dict:
            raise ProtocolError(f"Zoom's answer for the user {user_id} was not an object.")
        return User.from_json(body)

    async def get_user_settings(self, user_id: str, account_id: str | None = None) -> dict:
        """Read one user's settings; its `feature` object holds the per-user add-ons."""
        prefix = f"/accounts/{_seg(account_id)}" if account_id else ""
        body = await self._get(f"{prefix}/users/{_seg(user_id)}/settings")
        return body if isinstance(body, dict) else {}

    async def plan_usage(self, account_id: str | None = None) -> PlanUsage:
        """Seat counts per plan of the account (`me`) or of a sub account."""
        body = await self._get(f"/accounts/{_seg(account_id or 'me')}/plans/usage")
        return PlanUsage.from_json(body if isinstance(body, dict) else {})

    async def users_summary(self, account_id: str | None = None) -> UserSummary:
        """User counts per kind: the fallback when plan usage is not allowed."""
        prefix = f"/accounts/{_seg(account_id)}" if account_id else ""
        body = await self._get(f"{prefix}/users/summary")
        return UserSummary.from_json(body if isinstance(body, dict) else {})

    async def list_sub_accounts(self) -> list[SubAccount]:
        """List all sub accounts; raise NotMasterAccount when the account has none to list."""
        accounts: list[SubAccount] = []
        try:
            async for page in paginate(
                self._get,
                "/accounts",
                {"page_size": 300},
                "accounts",
                SubAccount.from_json,
                lambda a: a.id,
                self.clock,
            ):
                accounts.extend(page)
        except NoPermission as exc:
            if isinstance(exc, NotMasterAccount):
                raise
            raise NotMasterAccount(
                "This is not a master account, so it has no sub accounts to list.",
                tracking_id=exc.tracking_id,
                status=exc.status,
                code=exc.code,
            ) from exc
        return accounts
