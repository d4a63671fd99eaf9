"""Read Zoom's error answers: which exception a 4xx (or an error-shaped 200) means.

Zoom names missing scopes only inside the message text ("does not contain
scopes:[x]"), signals some failures with HTTP 200 plus an error body, and uses
code 300 for expired page tokens as well as for bad requests; the rules for
telling these apart live here so the client stays about endpoints.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from zoomtui.zoom.auth import is_jwt_failure, jwt_retired
from zoomtui.zoom.errors import (
    AuthError,
    MissingScope,
    NoPermission,
    NotFound,
    ZoomError,
)
from zoomtui.zoom.ratelimit import endpoint_template
from zoomtui.zoom.retry import Reply

log = logging.getLogger("zoomtui.zoom")

_SCOPES = re.compile(r"scopes?\s*:?\s*\[([^\]]*)\]", re.IGNORECASE)
_SCOPE_CODES = (104, 4700, 4711)
_ERROR_KEYS = frozenset({"code", "message", "errors"})

# The granular scope each endpoint needs (zoom-api.md section 8), named when Zoom doesn't.
REQUIRED_SCOPES: dict[str, str] = {
    "GET /users": "user:read:list_users:admin",
    "GET /users/summary": "user:read:summary:admin",
    "GET /users/{userId}": "user:read:user:admin",
    "GET /users/{userId}/settings": "user:read:settings:admin",
    "GET /report/activities": "report:read:user_activities:admin",
    "GET /accounts": "account:read:list_sub_accounts:master",
    "GET /accounts/{accountId}/plans/usage": "billing:read:plan_usage:admin",
    "GET /report/operationlogs": "report:read:operation_logs:admin",
}


def is_error_body(body: Any) -> bool:
    """Tell whether a 2xx body is really Zoom's error object ({"code", "message"} only)."""
    return (
        isinstance(body, dict)
        and isinstance(body.get("code"), int)
        and "message" in body
        and body.keys() <= _ERROR_KEYS
    )


def is_page_token_expired(reply: Reply, listing_seconds: float = 0.0) -> bool:
    """Tell whether a failed page request means "start the listing again"."""
    if not 400 <= reply.status < 500 or reply.status in (401, 403, 429) or reply.code == 124:
        return False
    message = reply.message.lower()
    if "access token" in message:
        return False
    if "expired" in message or "page token" in message or "next_page_token" in message:
        return True
    if reply.code == 300 and "token" in message:
        return True
    return listing_seconds > 15 * 60 and reply.status in (400, 404, 410)


def api_error(reply: Reply, method: str, path: str, *, jwt: bool) -> ZoomError:
    """Map a failed answer to the exception an operator can act on, and log its tracking id."""
    log.warning(
        "%s %s failed: HTTP %s code %s (tracking id %s)",
        method,
        path,
        reply.status,
        reply.code,
        reply.tracking_id,
    )
    kwargs: dict[str, Any] = {
        "tracking_id": reply.tracking_id,
        "status": reply.status,
        "code": reply.code,
    }
    if jwt and is_jwt_failure(reply):
        return jwt_retired(reply)
    message = reply.message.strip()
    template = endpoint_template(method, path)
    found = _SCOPES.search(message)
    if found and found.group(1).strip():
        return MissingScope(found.group(1).strip(), **kwargs)
    if reply.code in _SCOPE_CODES or "scope" in message.lower():
        return MissingScope(REQUIRED_SCOPES.get(template, "unknown"), **kwargs)
    detail = f" ({message.rstrip('.')})" if message else ""
    if reply.status == 401:
        return AuthError(f"Zoom rejected the access token{detail}.", **kwargs)
    if reply.status == 403 or reply.code == 200:
        return NoPermission(f"Zoom does not allow this app to read {path}{detail}.", **kwargs)
    # 1010 "User does not belong to this account" / "User not found on this account"
    # came as HTTP 400 (moodle-mod_zoom #64): a user who moved account mid-run.
    if reply.status == 404 or reply.code in (1001, 1010, 1120):
        return NotFound(f"Zoom could not find {path}{detail}.", **kwargs)
    return ZoomError(f"Zoom answered HTTP {reply.status} for {path}{detail}.", **kwargs)
