"""Credentials and access tokens: Server-to-Server OAuth, plus legacy JWT detection.

One `TokenProvider` per client caches the token, refreshes it ahead of expiry
and lets only one refresh run at a time, so a burst of concurrent calls (or of
401 code 124 answers) costs one token request, not one per call.
"""

from __future__ import annotations

import asyncio
import base64
import warnings
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

import jwt

from zoomtui.clock import Clock
from zoomtui.zoom.errors import (
    AuthError,
    InvalidAccount,
    InvalidClient,
    JWTRetired,
    ProtocolError,
    UnsupportedGrant,
)
from zoomtui.zoom.models import Token
from zoomtui.zoom.retry import Reply, Requester

REFRESH_AHEAD = timedelta(minutes=5)
JWT_LIFETIME = timedelta(hours=1)
# Zoom's tokens live an hour; a lifetime past a year is a broken or hostile
# answer (and `1e400` would overflow the expiry time).
MAX_TOKEN_LIFETIME_S = 366 * 86_400
JWT_RETIRED_MESSAGE = (
    "Zoom retired JWT apps on 2023-09-08, so the API key and secret no longer work; "
    "create a Server-to-Server OAuth app in the Zoom App Marketplace and use its "
    "account ID, client ID and client secret."
)
JWT_FAILURE_MESSAGES = ("invalid api key or secret", "account does not enabled rest api")


@dataclass(frozen=True, repr=False)
class Credentials:
    """Server-to-Server OAuth credentials, or a legacy JWT app's key and secret."""

    account_id: str = ""
    client_id: str = ""
    client_secret: str = ""
    api_key: str = ""
    api_secret: str = ""

    @property
    def kind(self) -> Literal["s2s", "jwt"]:
        return "jwt" if self.api_key and not self.client_id else "s2s"

    def __repr__(self) -> str:
        def mask(value: str) -> str:
            return "'***'" if value else "''"

        return (
            f"Credentials(account_id={self.account_id!r}, client_id={self.client_id!r}, "
            f"client_secret={mask(self.client_secret)}, api_key={self.api_key!r}, "
            f"api_secret={mask(self.api_secret)})"
        )


def is_jwt_failure(reply: Reply) -> bool:
    """Tell whether an answer is Zoom's way of rejecting a (retired) JWT app."""
    message = reply.message.lower()
    return reply.status in (400, 401) or any(m in message for m in JWT_FAILURE_MESSAGES)


def token_error(reply: Reply) -> AuthError:
    """Turn a failed `/oauth/token` answer into one clear sentence.

    Zoom's answer to a wrong account ID is not documented, so both plausible
    readings (a reason naming the account, or a bare `invalid_request`) map to
    it; `invalid_request` with another reason (401 "Invalid Token!" was seen,
    mattermost-plugin-zoom #203) shows Zoom's reason beside the account hint.
    """
    body = reply.body if isinstance(reply.body, dict) else {}
    error = str(body.get("error") or "").lower()
    reason = str(body.get("reason") or body.get("message") or "").strip()
    kwargs = {"tracking_id": reply.tracking_id, "status": reply.status, "code": reply.code}
    if "account" in reason.lower() or (error == "invalid_request" and not reason):
        return InvalidAccount(
            "Zoom did not accept the account ID; copy it again from the app's "
            "App Credentials page in the Zoom App Marketplace.",
            **kwargs,  # type: ignore[arg-type]
        )
    if error == "invalid_request":  # the account ID is one reading, not the only one
        return InvalidAccount(
            f"Zoom refused to issue an access token ({reason.rstrip('.')}); check the account "
            "ID, and copy it again from the app's App Credentials page if in doubt.",
            **kwargs,  # type: ignore[arg-type]
        )
    if error == "invalid_client" or "client" in reason.lower():
        return InvalidClient(
            "Zoom rejected the client ID or client secret; copy both again from the app's "
            "App Credentials page in the Zoom App Marketplace.",
            **kwargs,  # type: ignore[arg-type]
        )
    if error == "unsupported_grant_type":
        return UnsupportedGrant(
            "Zoom does not accept the account_credentials grant for this app; "
            "use a Server-to-Server OAuth app.",
            **kwargs,  # type: ignore[arg-type]
        )
    detail = reason or error or f"HTTP {reply.status}"
    return AuthError(
        f"Zoom refused to issue an access token: {detail.rstrip('.')}.",
        **kwargs,  # type: ignore[arg-type]
    )


class TokenProvider:
    """Caches one token per client and refreshes it once, under a lock."""

    def __init__(
        self, credentials: Credentials, requester: Requester, oauth_url: str, clock: Clock
    ) -> None:
        self.credentials = credentials
        self.requester = requester
        self.oauth_url = oauth_url
        self.clock = clock
        self._token: Token | None = None
        self._refresh_at = self.clock()
        self._lock = asyncio.Lock()

    async def get(self) -> Token:
        """Return the cached token, fetching a new one when it is near expiry."""
        token = self._token
        if token is not None and self.clock() < self._refresh_at:
            return token
        async with self._lock:
            token = self._token
            if token is not None and self.clock() < self._refresh_at:
                return token
            return await self._renew()

    async def refresh(self, rejected: Token) -> Token:
        """Replace a token Zoom rejected, unless another task already did."""
        async with self._lock:
            token = self._token
            if token is not None and token.access_token != rejected.access_token:
                return token
            return await self._renew()

    async def _renew(self) -> Token:
        token = self._jwt() if self.credentials.kind == "jwt" else await self._s2s()
        lifetime = token.expires_at - self.clock()
        self._refresh_at = token.expires_at - min(REFRESH_AHEAD, lifetime / 10)
        self._token = token
        return token

    def _jwt(self) -> Token:
        now = self.clock()
        expires_at = now + JWT_LIFETIME
        payload = {"iss": self.credentials.api_key, "exp": int(expires_at.timestamp())}
        with warnings.catch_warnings():  # short legacy secrets must not print warnings in the TUI
            warnings.simplefilter("ignore")
            encoded = jwt.encode(payload, self.credentials.api_secret, algorithm="HS256")
        return Token(access_token=encoded, expires_at=expires_at)

    async def _s2s(self) -> Token:
        creds = self.credentials
        if not (creds.account_id and creds.client_id and creds.client_secret):
            raise AuthError("Enter the account ID, client ID and client secret of the app.")
        basic = base64.b64encode(f"{creds.client_id}:{creds.client_secret}".encode()).decode()
        self.requester.limiter.stats.token_requests += 1
        reply = await self.requester.send(
            "POST",
            self.oauth_url,
            category=None,
            data={"grant_type": "account_credentials", "account_id": creds.account_id},
            headers={
                "Authorization": f"Basic {basic}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        body = reply.body if isinstance(reply.body, dict) else {}
        if reply.status != 200 or "error" in body:
            raise token_error(reply)
        access = body.get("access_token")
        if not isinstance(access, str) or not access:
            raise ProtocolError(
                "Zoom's token answer had no access token.", tracking_id=reply.tracking_id
            )
        expires_in = body.get("expires_in")
        seconds = expires_in if isinstance(expires_in, int | float) and expires_in > 0 else 3600
        if not seconds <= MAX_TOKEN_LIFETIME_S:  # also NaN and infinity (`1e400`)
            raise ProtocolError(
                "Zoom's token answer gave an impossible lifetime, so the token was not used.",
                tracking_id=reply.tracking_id,
            )
        api_url = body.get("api_url")
        return Token(
            access_token=access,
            expires_at=self.clock() + timedelta(seconds=seconds),
            scopes=frozenset(str(body.get("scope") or "").split()),
            api_url=api_url if isinstance(api_url, str) and api_url else None,
        )


def jwt_retired(reply: Reply) -> JWTRetired:
    """The error for any JWT-app failure: explain the retirement and the way out."""
    return JWTRetired(JWT_RETIRED_MESSAGE, tracking_id=reply.tracking_id, status=reply.status)
