"""The request handler: one synchronous function from httpx.Request to httpx.Response.

It layers, in Zoom's order as far as it can be observed: OAuth token issue,
bearer-token check, scope check, fault injection, per-category rate limits,
then the route itself; every response carries ``x-zm-trackingid``. Kept free
of I/O so the in-process transport and the loopback server share it.
"""

from __future__ import annotations

import json
import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

import httpx
import orjson

from zoomtui.clock import Clock, utcnow
from zoomtui.emulator import auth, hostile_text
from zoomtui.emulator.auth import DEMO_CREDENTIALS, EmulatorCredentials, Issued
from zoomtui.emulator.call import Call, Reject
from zoomtui.emulator.dataset import Dataset
from zoomtui.emulator.faults import DAILY_MESSAGE, QPS_MESSAGE, Fault, FaultPlan, html_error
from zoomtui.emulator.hostile import HOSTILE_KINDS, HostileState, hostile_answer
from zoomtui.emulator.paging import Pager
from zoomtui.emulator.ratelimit import RateLimiter, Verdict
from zoomtui.emulator.routes import match
from zoomtui.emulator.transport import EmulatorTransport

JSON = "application/json;charset=UTF-8"


@dataclass(frozen=True)
class EmulatorConfig:
    """How the emulated account behaves: tier, latency, faults, scopes, credentials."""

    tier: str = "pro"
    latency_ms: float = 0.0
    faults: tuple[Fault, ...] = ()
    scopes: frozenset[str] = auth.ALL_SCOPES
    credentials: EmulatorCredentials = DEMO_CREDENTIALS
    token_ttl: int = 3600
    page_token_ttl: int = 900
    rate_scale: float = 1.0
    shared_quota: float = 0.0  # fraction of each per-second limit another app uses
    limit_headers: bool = True  # X-RateLimit-* on successful replies (Zoom does not promise them)
    rate_limits: bool = True
    oplog_miss: float = 0.0  # share of admin operations the operation logs leave out
    report_history_days: int = 0  # reports reach back N days; 0: six calendar months
    self_paid_subs: bool = False  # sub accounts pay their own bill (no plan usage)
    daily_limits: bool = False
    jwt_enabled: bool = False
    master: bool = True
    fault_seed: int = 0
    server_timeout_s: float = 65.0  # how long the loopback server stalls a "timeout" fault


@dataclass
class EmulatorStats:
    """What the emulator was asked: calls per endpoint and category, and what it refused."""

    calls: Counter[str] = field(default_factory=Counter)  # "GET /users/{userId}/settings"
    categories: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    rate_limited: Counter[str] = field(default_factory=Counter)
    tokens: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "calls": dict(self.calls),
            "categories": dict(self.categories),
            "statuses": {str(k): v for k, v in self.statuses.items()},
            "faults": dict(self.faults),
            "rate_limited": dict(self.rate_limited),
            "tokens": self.tokens,
        }


class Emulator:
    """A Zoom REST API v2 emulator over a ``Dataset``."""

    def __init__(
        self,
        dataset: Dataset,
        config: EmulatorConfig | None = None,
        *,
        clock: Clock = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.dataset = dataset
        self.clock = clock
        self.stats = EmulatorStats()
        self._monotonic = monotonic
        self._page_key = secrets.token_bytes(16)
        self.config = config or EmulatorConfig()
        self._tokens: dict[str, Issued] = {}
        self._revoked: set[str] = set()
        self._serial = 0

    @property
    def config(self) -> EmulatorConfig:
        return self._config

    @config.setter
    def config(self, config: EmulatorConfig) -> None:
        """Swap the configuration between runs: limits, faults and cursor TTL start afresh."""
        self._config = config
        self.pager = Pager(self._page_key, config.page_token_ttl)
        self.limiter = RateLimiter(config.tier, scale=config.rate_scale,
                                   daily=config.daily_limits, shared=config.shared_quota,
                                   monotonic=self._monotonic,
                                   clock=self.clock)  # fmt: skip
        self.faults = FaultPlan(config.faults, config.fault_seed)
        self.hostile = HostileState()

    def advance(self, days: int, churn: float = 1.0) -> Dataset:
        """Replace the dataset by its state ``days`` later and return it."""
        self.dataset = self.dataset.advance(days, churn)
        return self.dataset

    def transport(self) -> httpx.MockTransport:
        """An in-process httpx transport (async and sync) serving this emulator."""
        return EmulatorTransport(self.handle, latency_ms=lambda: self.config.latency_ms)

    # --- entry point -----------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request; raises httpx transport errors for timeout/reset faults."""
        self._serial += 1
        tracking = f"v=2.0;clid=us06;rid=WEB_{secrets.token_hex(16)}"
        path = request.url.path
        if path == "/oauth/token":
            response = self._with_faults(request, path, None, self._oauth)
        elif path.startswith("/_emulator/"):
            response = self._control(request, path)
        elif path.startswith("/v2/"):
            response = self._api(request, path[3:])
        else:
            response = reply(404, {"code": 404, "message": "Not Found"})
        if self.dataset.hostile and response.status_code >= 400:
            response = hostile_text.spoil_error(response)  # Zoom's error texts are Zoom's
        response.headers["x-zm-trackingid"] = tracking
        self.stats.statuses[response.status_code] += 1
        return response

    def _oauth(self, request: httpx.Request) -> httpx.Response:
        self.stats.calls["POST /oauth/token"] += 1
        if request.method != "POST":
            return reply(405, {"reason": "Method Not Allowed", "error": "invalid_request"})
        error = auth.check_token_request(request, self.config.credentials)
        if error is not None:
            return reply(400, error)
        now = int(self.clock().timestamp())
        ttl = self.config.token_ttl
        creds = self.config.credentials
        token = auth.new_access_token(creds.account_id, creds.client_id, now, ttl, self._serial)
        self._tokens = {k: v for k, v in self._tokens.items() if v.expires_at > now - 86_400}
        self._tokens[token] = Issued(now + ttl, self.config.scopes)
        self.stats.tokens += 1
        base = f"{request.url.scheme}://{request.url.netloc.decode()}"
        return reply(200, {
            "access_token": token, "token_type": "bearer", "expires_in": ttl,
            "scope": " ".join(sorted(self.config.scopes)), "api_url": base,
        })  # fmt: skip

    def _api(self, request: httpx.Request, path: str) -> httpx.Response:
        found = match(path, request.method)
        if found is None:
            return reply(404, {"code": 404, "message": "Not Found"})
        route, params = found
        self.stats.calls[f"{route.method} {route.template}"] += 1
        self.stats.categories[route.category] += 1
        token = bearer(request)
        scopes = self._authorize(token)
        if isinstance(scopes, httpx.Response):
            return scopes
        acct = self.dataset.account_index(params.get("accountId", "me"))
        if acct is None:
            missing = params["accountId"]
            return reply(404, {"code": 2001, "message": f"Account does not exist: {missing}."})
        sub = acct != 0
        if not (scopes & {route.classic[sub], route.granular[sub]}):
            message = f"Invalid access token, does not contain scopes:[{route.granular[sub]}]."
            return reply(400, {"code": 4711, "message": message})

        def answer(req: httpx.Request) -> httpx.Response:
            verdict = self.limiter.check(route.category) if self.config.rate_limits else None
            if verdict is not None and verdict.kind:
                self.stats.rate_limited[route.category] += 1
                return rate_limited(verdict)
            try:
                status, body = route.fn(
                    Call(
                        self.dataset,
                        req,
                        route,
                        params,
                        acct,
                        self.clock,
                        self.pager,
                        self.config,
                    )
                )
            except Reject as exc:
                status, body = exc.status, exc.body
            # Zoom's writes answer 204 with no body (User API spec: userUpdate, userDelete).
            response = httpx.Response(204) if status == 204 else reply(status, body)
            if verdict is not None and status in (200, 204) and self.config.limit_headers:
                response.headers.update(rate_headers(verdict))
            return response

        return self._with_faults(request, path, token, answer)

    def _authorize(self, token: str | None) -> frozenset[str] | httpx.Response:
        """The token's scopes, or the 401 / JWT answer."""
        if not token or token in self._revoked:
            return reply(401, auth.INVALID_TOKEN)
        issued = self._tokens.get(token)
        now = self.clock().timestamp()
        if issued is not None:
            if now >= issued.expires_at:
                return reply(401, auth.EXPIRED_TOKEN)
            return issued.scopes
        legacy = auth.read_legacy_jwt(token)
        if legacy is None:
            return reply(401, auth.INVALID_TOKEN)
        payload, signing_input, signature = legacy
        if not self.config.jwt_enabled:
            return reply(400, auth.JWT_RETIRED)
        creds = self.config.credentials
        if payload.get("iss") != creds.api_key or not auth.jwt_signature_ok(
            signing_input, signature, creds.api_secret
        ):
            return reply(401, auth.JWT_BAD_KEY)
        exp = payload.get("exp")
        if isinstance(exp, int | float) and exp > 10**11:
            exp = exp / 1000  # Zoom's own sample signed exp in milliseconds
        if not isinstance(exp, int | float) or now >= exp:
            return reply(401, auth.EXPIRED_TOKEN)
        return auth.ALL_SCOPES | auth.CLASSIC_SCOPES

    def _with_faults(
        self,
        request: httpx.Request,
        path: str,
        token: str | None,
        answer: Callable[[httpx.Request], httpx.Response],
    ) -> httpx.Response:
        has_cursor = b"next_page_token=" in request.url.query
        fault = self.faults.pick(path, has_cursor)
        if fault is None:
            return answer(request)
        kind = fault.kind
        self.stats.faults[kind] += 1
        if kind in HOSTILE_KINDS:
            return hostile_answer(kind, request, path, answer, self.hostile)
        if kind == "timeout":
            raise httpx.ReadTimeout("injected timeout", request=request)
        if kind == "reset":
            raise httpx.RemoteProtocolError("Server disconnected (injected reset)", request=request)
        if kind == "5xx":
            status = self.faults.choose_5xx()
            return httpx.Response(status, headers={"content-type": "text/html"},
                                  content=html_error(status))  # fmt: skip
        if kind == "token_revoked":
            if token:
                self._revoked.add(token)
            return reply(401, auth.INVALID_TOKEN)
        if kind == "page_token_expired":
            return reply(
                400, {"code": 300, "message": "The next page token is invalid or expired."}
            )
        if kind == "truncated_json":
            good = answer(request)
            cut = good.content[: max(1, len(good.content) // 2)]
            return httpx.Response(good.status_code, headers=good.headers, content=cut)
        return self._fault_429(kind, path)

    def _fault_429(self, kind: str, path: str) -> httpx.Response:
        found = match(path)
        category = found[0].category if found else "Light"
        if kind == "429_none":
            return reply(429, {"code": 429, "message": QPS_MESSAGE})
        limit = max(1, round(self.limiter.rate(category)))
        if kind == "429_daily":
            now = self.clock()
            midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
            reset = midnight.replace(tzinfo=now.tzinfo)
            verdict = Verdict(category, "Daily-limit", limit, 0, reset, "Daily-limit")
            return rate_limited(verdict)
        response = rate_limited(Verdict(category, "QPS", limit, 0))
        if kind == "429_seconds":
            response.headers["Retry-After"] = "1"
        else:
            retry_at = self.clock().replace(microsecond=0) + timedelta(seconds=2)
            response.headers["Retry-After"] = retry_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        return response

    def _control(self, request: httpx.Request, path: str) -> httpx.Response:
        """Test and benchmark hooks: advance the account, read the stats."""
        if path == "/_emulator/advance" and request.method == "POST":
            raw = dict(parse_qsl(request.url.query.decode())).get("days", "")
            if not raw.isdigit() or int(raw) < 1:
                return reply(400, {"code": 300, "message": "days must be a positive integer."})
            ds = self.advance(int(raw))
            return reply(200, {"now": ds.now.strftime("%Y-%m-%dT%H:%M:%SZ"), "users": len(ds)})
        if path == "/_emulator/stats" and request.method == "GET":
            return reply(200, self.stats.as_dict())
        return reply(404, {"code": 404, "message": "Not Found"})


def bearer(request: httpx.Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def reply(status: int, body: dict[str, Any]) -> httpx.Response:
    """A JSON response, UTF-8 without ASCII escaping, exact big integers."""
    return httpx.Response(status, headers={"content-type": JSON}, content=encode(body))


def encode(body: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON; orjson for speed, ``json`` for what orjson refuses.

    Encoding list and report pages was a large share of a local run's CPU.
    orjson writes the same text for what routes return (``Fragment`` values
    are pre-rendered JSON); integers past 64 bits or non-string keys fall back
    to the standard library, which wrote every body before.
    """
    try:
        return orjson.dumps(body)
    except TypeError:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def rate_headers(verdict: Verdict) -> dict[str, str]:
    return {
        "X-RateLimit-Category": verdict.category,
        "X-RateLimit-Type": verdict.quota,
        "X-RateLimit-Limit": str(verdict.limit),
        "X-RateLimit-Remaining": str(verdict.remaining),
    }


def rate_limited(verdict: Verdict) -> httpx.Response:
    """Zoom's 429 for a per-second or daily limit, with its headers."""
    daily = verdict.kind == "Daily-limit"
    response = reply(429, {"code": 429, "message": DAILY_MESSAGE if daily else QPS_MESSAGE})
    response.headers["X-RateLimit-Category"] = verdict.category
    response.headers["X-RateLimit-Type"] = verdict.kind or "QPS"
    response.headers["X-RateLimit-Limit"] = str(verdict.limit)
    if daily and verdict.reset_at is not None:
        response.headers["Retry-After"] = verdict.reset_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return response
