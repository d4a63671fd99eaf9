"""The OAuth token endpoint and bearer-token checks, with Zoom's error bodies.

Server-to-Server OAuth: Basic client credentials, form body
``grant_type=account_credentials&account_id=...``; errors come back as
``{"reason", "error"}``. API calls need ``Authorization: Bearer``; a bad or
expired token gives 401 code 124. Legacy JWT (HS256 with the API secret) is
answered as Zoom has since its retirement unless the config re-enables it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import httpx

READ_SCOPES = frozenset(
    {
        "user:read:list_users:admin",
        "user:read:user:admin",
        "user:read:settings:admin",
        "user:read:summary:admin",
        "report:read:user_activities:admin",
        "report:read:list_users:admin",
        "report:read:operation_logs:admin",
        "billing:read:plan_usage:admin",
        "account:read:list_sub_accounts:master",
        "user:read:list_users:master",
        "user:read:user:master",
        "user:read:settings:master",
        "user:read:summary:master",
        "billing:read:plan_usage:master",
        "report:read:user_activities:master",
        "report:read:list_users:master",
        "report:read:operation_logs:master",
    }
)
# What a licence reclaim adds: the user writes and the live meeting checks (docs/reclaim.md).
RECLAIM_SCOPES = frozenset(
    f"{scope}:{level}"
    for scope in (
        "user:update:user",
        "user:update:settings",
        "user:update:status",
        "user:delete:user",
        "meeting:read:list_meetings",
        "webinar:read:list_webinars",
    )
    for level in ("admin", "master")
)
ALL_SCOPES = READ_SCOPES | RECLAIM_SCOPES
CLASSIC_SCOPES = frozenset(
    {"user:read:admin", "report:read:admin", "account:read:admin", "billing:master", "user:master",
     "user:write:admin", "meeting:read:admin", "webinar:read:admin"}
)  # fmt: skip

INVALID_TOKEN = {"code": 124, "message": "Invalid access token."}
EXPIRED_TOKEN = {"code": 124, "message": "Access token is expired."}
# HTTP status for the JWT bodies is not documented anywhere we could find (UNCERTAIN).
JWT_RETIRED = {"code": 200, "message": "Account does not enabled REST API."}
JWT_BAD_KEY = {"code": 200, "message": "Invalid api key or secret."}
INVALID_CLIENT = {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
UNSUPPORTED_GRANT = {"reason": "unsupported grant type", "error": "unsupported_grant_type"}
# Zoom's answer to a wrong account_id has not been observed (UNCERTAIN); this body is our choice.
INVALID_ACCOUNT = {"reason": "Invalid account_id", "error": "invalid_request"}
MISSING_GRANT = {"reason": "Missing grant type", "error": "invalid_request"}


@dataclass(frozen=True)
class EmulatorCredentials:
    """The credentials the emulator accepts (public demo values by default)."""

    account_id: str = "demo-account"
    client_id: str = "demo-client"
    client_secret: str = "demo-secret"
    api_key: str = "demo-api-key"
    api_secret: str = "demo-api-secret"


DEMO_CREDENTIALS = EmulatorCredentials()


@dataclass(frozen=True)
class Issued:
    """What the emulator remembers about an access token it issued."""

    expires_at: float  # epoch seconds
    scopes: frozenset[str]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_jwt(payload: dict[str, Any], secret: str, alg: str = "HS256") -> str:
    """A compact JWS (HS256 or HS512), as Zoom's and legacy JWT apps' tokens look."""
    header = b64url(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode())
    body = b64url(json.dumps(payload, separators=(",", ":")).encode())
    digest = hashlib.sha256 if alg == "HS256" else hashlib.sha512
    signature = hmac.new(secret.encode(), f"{header}.{body}".encode(), digest).digest()
    return f"{header}.{body}.{b64url(signature)}"


def read_legacy_jwt(token: str) -> tuple[dict[str, Any], str, str] | None:
    """(payload, signing input, signature) of an HS256 JWT, or None if it is not one."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header = json.loads(_unb64(parts[0]))
        payload = json.loads(_unb64(parts[1]))
    except (ValueError, binascii.Error):
        return None
    if not isinstance(header, dict) or header.get("alg") != "HS256":
        return None
    if not isinstance(payload, dict) or "iss" not in payload:
        return None
    return payload, f"{parts[0]}.{parts[1]}", parts[2]


def jwt_signature_ok(signing_input: str, signature: str, secret: str) -> bool:
    expected = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return hmac.compare_digest(b64url(expected), signature)


def check_token_request(
    request: httpx.Request, credentials: EmulatorCredentials
) -> dict[str, str] | None:
    """The error body for a bad token request, or None when it is acceptable."""
    form = {k: v[0] for k, v in parse_qs(request.content.decode("utf-8", "replace")).items()}
    if not _basic_ok(request.headers.get("authorization", ""), credentials):
        return INVALID_CLIENT
    grant = form.get("grant_type")
    if grant is None:  # also the case when sent in the query string (observed 400)
        return MISSING_GRANT
    if grant != "account_credentials":
        return UNSUPPORTED_GRANT
    if form.get("account_id") != credentials.account_id:
        return INVALID_ACCOUNT
    return None


def _basic_ok(header: str, credentials: EmulatorCredentials) -> bool:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (ValueError, binascii.Error):
        return False
    client_id, _, secret = decoded.partition(":")
    return hmac.compare_digest(client_id, credentials.client_id) and hmac.compare_digest(
        secret, credentials.client_secret
    )


def new_access_token(account_id: str, client_id: str, iat: int, ttl: int, serial: int) -> str:
    """An opaque but Zoom-shaped ("eyJ...") access token."""
    payload = {
        "aud": "https://oauth.zoom.us",
        "uid": account_id,
        "ver": 10,
        "auid": b64url(hashlib.sha256(account_id.encode()).digest()[:16]),
        "nbf": iat,
        "iss": f"zm:cid:{client_id}",
        "gno": 0,
        "exp": iat + ttl,
        "iat": iat,
        "aid": account_id,
        "jti": f"{serial:08d}-{secrets.token_hex(8)}",
    }
    return make_jwt(payload, secrets.token_hex(16), alg="HS512")
