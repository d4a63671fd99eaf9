"""Send one request with Zoom's budgets, retries and backoff; return the parsed answer.

This is the single path every HTTP call takes (token requests included), so
429 handling, transient-fault retries and JSON parsing behave the same
everywhere. Errors that retrying cannot fix (4xx other than 429) come back as a
`Reply` for the caller to interpret; only exhausted retries raise here.
"""

from __future__ import annotations

import json
import logging
import math
import random
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson

from zoomtui.zoom.errors import (
    CertificateError,
    DailyLimitReached,
    NetworkError,
    ProtocolError,
    RateLimited,
    ServerError,
)
from zoomtui.zoom.lanes import Lanes
from zoomtui.zoom.ratelimit import RateLimiter, backoff_delay, next_utc_midnight, parse_retry_after

log = logging.getLogger("zoomtui.zoom")

TRACKING_HEADER = "x-zm-trackingid"
# A Retry-After beyond this is no rate limit Zoom has (its daily quotas reset
# within a day): a hostile or broken peer, answered with a ProtocolError.
MAX_RETRY_AFTER = 2 * 86_400.0


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry; `rng` is injectable so tests get exact delays."""

    max_retries: int = 5
    base: float = 1.0
    cap: float = 30.0
    longest_wait: float = 900.0  # a 429 asking for longer is treated as a daily limit
    rng: Callable[[], float] = field(default=random.random)


@dataclass(frozen=True)
class Reply:
    """A non-retryable answer: status, parsed JSON body (dict, or {} when none) and headers."""

    status: int
    body: Any
    headers: httpx.Headers
    tracking_id: str | None

    @property
    def code(self) -> int | None:
        code = self.body.get("code") if isinstance(self.body, dict) else None
        return code if isinstance(code, int) else None

    @property
    def message(self) -> str:
        """Zoom's error text, cut at 300 characters: it ends up inside our one sentence."""
        if isinstance(self.body, dict):
            text = self.body.get("message") or self.body.get("reason") or ""
            text = text if isinstance(text, str) else ""
            return text if len(text) <= 300 else text[:299] + "…"
        return ""


AuthHeader = Callable[[], Awaitable[str]]


class Requester:
    """Owns the httpx client and applies the limiter and retry policy to each request."""

    def __init__(
        self,
        http: httpx.AsyncClient | Lanes,
        limiter: RateLimiter,
        clock: Callable[[], datetime],
        policy: RetryPolicy | None = None,
    ) -> None:
        self.http = http
        self.limiter = limiter
        self.clock = clock
        self.policy = policy or RetryPolicy()

    async def send(
        self,
        method: str,
        url: str,
        *,
        category: str | None,
        auth: AuthHeader | None = None,
        params: dict[str, Any] | None = None,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        json_body: Any = None,
    ) -> Reply:
        """Send until a definitive answer arrives; raise when the retries are used up."""
        limiter, policy = self.limiter, self.policy
        host = urlsplit(url).hostname or url
        faults = throttles = 0
        while True:
            ticket = await limiter.acquire(category) if category is not None else 0
            request_headers = dict(headers or {})
            problem: str
            try:
                async with limiter.semaphore:
                    # The token is taken as late as possible: one revoked while this
                    # request waited for a slot would cost it a refresh for nothing.
                    if auth is not None:
                        request_headers["Authorization"] = await auth()
                    extra = {} if json_body is None else {"json": json_body}
                    response = await self.http.request(
                        method, url, params=params, data=data, headers=request_headers, **extra
                    )
            except httpx.TimeoutException:
                problem = f"The host {host} did not answer in time"
                failure: type[Exception] = NetworkError
            except (httpx.TransportError, OSError) as exc:
                tls = _tls_problem(exc)
                if tls is not None:
                    # Retrying cannot fix a certificate; say which problem it is at once.
                    raise CertificateError(
                        f"The TLS certificate of {host} was refused ({tls}); check the API "
                        "URL, the system clock, and any proxy that intercepts TLS "
                        "(SSL_CERT_FILE names extra trusted certificates)."
                    ) from exc
                problem = _connection_problem(host, exc)
                failure = NetworkError
            else:
                tracking = response.headers.get(TRACKING_HEADER)
                status = response.status_code
                if status == 429:
                    throttles += 1
                    await self._throttled(response, category, throttles, tracking, ticket)
                    continue
                if category is not None and status < 500:
                    limiter.succeeded(category, _advertised_limit(response.headers))
                if status >= 500:
                    problem = f"Zoom answered HTTP {status} from {host}"
                    failure = ServerError
                else:
                    body, ok = _parse_json(response.content)
                    if body is _TOO_DEEP:
                        raise ProtocolError(
                            f"Zoom sent an answer from {host} nested deeper than any real "
                            "answer, so it was not read.",
                            tracking_id=tracking,
                        )
                    if ok or status >= 300:
                        return Reply(status, body, response.headers, tracking)
                    problem = f"Zoom sent an unreadable answer from {host}"
                    failure = ProtocolError
                log.warning("%s %s: %s (tracking id %s)", method, _path(url), problem, tracking)
            if faults >= policy.max_retries:
                text = f"{problem} (gave up after {faults + 1} attempts)."
                raise failure(text)  # type: ignore[call-arg]
            delay = backoff_delay(faults, policy.rng, policy.base, policy.cap)
            faults += 1
            limiter.stats.retries += 1
            await limiter.wait(f"retrying: {problem}", delay)

    async def _throttled(
        self,
        response: httpx.Response,
        category: str | None,
        attempt: int,
        tracking: str | None,
        ticket: int,
    ) -> None:
        """Pace down after a per-second 429, or raise when it is a daily limit or retries ran out.

        The category's pace is cut (once for a burst) and the request goes back
        to wait for a token like any other, so a burst of 429s never turns into
        a burst of retries. A `Retry-After` holds back the whole category until
        then. Without one, only a request refused again at the slower pace backs
        off on its own too, exponentially, before it queues for its turn.
        """
        now = self.clock()
        body, _ = _parse_json(response.content)
        message = str(body.get("message") or "") if isinstance(body, dict) else ""
        wait, when = parse_retry_after(response.headers.get("Retry-After"), now)
        limit_type = (response.headers.get("X-RateLimit-Type") or "").lower()
        log.warning(
            "HTTP 429 (%s) type=%r retry-after=%r (tracking id %s)",
            response.request.url.path,
            limit_type,
            response.headers.get("Retry-After"),
            tracking,
        )
        if wait is not None and wait > MAX_RETRY_AFTER:
            raise ProtocolError(
                f"Zoom asked to wait {wait:.3g} seconds before retrying, longer than any of its "
                "rate limits, so the run stopped.",
                tracking_id=tracking,
                status=429,
            )
        daily = "daily" in limit_type or "daily" in message.lower()
        if daily or (wait is not None and wait > self.policy.longest_wait):
            raise DailyLimitReached(
                when or next_utc_midnight(now), tracking_id=tracking, status=429, code=429
            )
        if attempt > self.policy.max_retries:
            raise RateLimited(
                f"Zoom kept refusing requests for exceeding its rate limit after {attempt} tries.",
                retry_after=wait,
                tracking_id=tracking,
                status=429,
            )
        limiter = self.limiter
        limiter.stats.retries += 1
        if category is not None:
            limiter.throttled(category, ticket)
            if wait is not None:
                limiter.pause(category, wait)  # acquire() waits it out, for every caller
                return
            if attempt < 2:
                return
        if wait is None:
            wait = backoff_delay(
                max(0, attempt - 2) if category else attempt - 1,
                self.policy.rng,
                self.policy.base,
                self.policy.cap,
            )
        await limiter.wait(f"Zoom rate limit ({category or 'token'})", wait)


def _advertised_limit(headers: httpx.Headers) -> float | None:
    """The per-second limit a reply states in `X-RateLimit-Limit`, if it states one.

    Zoom sends `X-RateLimit-Type` `QPS` or `Daily-limit` with it (zoom-api.md
    section 6); a daily count says nothing about the per-second pace.
    """
    if (headers.get("X-RateLimit-Type") or "").strip().lower() != "qps":
        return None
    try:
        value = float(headers.get("X-RateLimit-Limit") or "")
    except ValueError:
        return None
    return value if math.isfinite(value) and value > 0 else None


def _parse_json(content: bytes) -> tuple[Any, bool]:
    """Parse a body; integers stay Python ints, exact to 64 bits (Zoom's bitmasks reach 2^59).

    orjson is about twice as fast on report pages; what it refuses (NaN, for
    one) goes to the standard parser. It reads a longer integer as a float,
    which the models refuse rather than round (see ``models._int``).
    """
    if not content:
        return {}, True
    try:
        return orjson.loads(content), True
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(content), True
    except RecursionError:
        # orjson stops at 1,024 levels; the standard parser runs out of stack.
        return _TOO_DEEP, False
    except (ValueError, UnicodeDecodeError):
        return {}, False


_TOO_DEEP: Any = object()  # the body of an answer nested too deeply to parse


def _tls_problem(exc: BaseException) -> str | None:
    """The certificate problem behind a connection failure, or None when it is not TLS."""
    seen: BaseException | None = exc
    for _ in range(8):  # httpx wraps httpcore's error, which wraps the ssl one
        if seen is None:
            return None
        if isinstance(seen, ssl.SSLError):
            detail = getattr(seen, "verify_message", None) or getattr(seen, "reason", None)
            text = str(detail or seen.strerror or seen)
            return " ".join(text.rpartition("] ")[2].replace("_", " ").split())[:200]
        seen = seen.__cause__ or seen.__context__
    return None


def _connection_problem(host: str, exc: BaseException) -> str:
    if isinstance(exc, httpx.ConnectError):
        return f"Could not connect to {host}; check the network and the API URL"
    return f"The connection to {host} failed ({type(exc).__name__})"


def _path(url: str) -> str:
    return urlsplit(url).path
