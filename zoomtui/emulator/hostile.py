"""Hostile-peer faults: answers a broken or malicious server could send, never Zoom's spec.

Zoom sends the list of every page (empty when there is nothing), a fresh
token per page until the last, `total_records` matching what it lists, small
`Retry-After` values and an hour's `expires_in`. These faults break exactly
those promises, one at a time, so the reliability suite can prove that no
broken reply completes a run, loops forever or crashes the client.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import orjson

HOSTILE_KINDS = (
    "no_list",  # a 200 page without its list ("users", "activity_logs", ...)
    "list_not_list",  # the list is a string: "users": "abc"
    "item_not_object",  # a list item that is a number
    "short_listing",  # 10 items and no next token while total_records says more
    "repeat_token",  # the first token of the listing sent again: A, B, A, B ...
    "endless_tokens",  # the first page again and again, each with a fresh token
    "page_count_absurd",  # page_count 10^9
    "wrong_types",  # the first item's id is a list and its email a number
    "huge_field",  # the first item's first name is 10 MB (kept, cut to its limit)
    "negative_seats",  # plan usage with -5 purchased seats
    "retry_after_huge",  # 429 with Retry-After: 1e13
    "expires_in_absurd",  # a token answer with expires_in 1e400
    "deep_json",  # a body nested 2,000 levels deep
)
ENDLESS_PREFIX = "endless-"
LIST_KEYS = ("users", "activity_logs", "accounts", "operation_logs")

Answer = Callable[[httpx.Request], httpx.Response]


class HostileState:
    """What a hostile fault remembers between calls: the first token of each listing."""

    def __init__(self) -> None:
        self.first_token: dict[str, str] = {}
        self.serial = 0


def hostile_answer(
    kind: str, request: httpx.Request, path: str, answer: Answer, state: HostileState
) -> httpx.Response:
    """The broken answer of one hostile fault kind to this request."""
    if kind == "retry_after_huge":
        return httpx.Response(
            429,
            headers={"Retry-After": "1e13", "content-type": "application/json"},
            content=b'{"code":429,"message":"Too many requests."}',
        )
    if kind == "deep_json":
        return _raw(200, b"[" * 2000 + b"]" * 2000)
    if kind == "expires_in_absurd":
        good = answer(request)
        raw = good.content.replace(b'"expires_in":', b'"expires_in":1e400,"was":', 1)
        return _raw(good.status_code, raw)
    if kind == "endless_tokens":
        params = {k: v for k, v in request.url.params.items() if k != "next_page_token"}
        good = answer(request.__class__(request.method, request.url.copy_with(params=params),
                                        headers=request.headers))  # fmt: skip
        body = _json(good)
        if body is None:
            return good
        state.serial += 1
        body["next_page_token"] = f"{ENDLESS_PREFIX}{state.serial}"
        return _encoded(good.status_code, body)
    good = answer(request)
    page = _json(good)
    if page is None or good.status_code != 200:
        return good
    return _encoded(good.status_code, _broken(kind, request, path, page, state))


def _broken(
    kind: str, request: httpx.Request, path: str, body: dict[str, Any], state: HostileState
) -> dict[str, Any]:
    """The page body with one promise broken (unchanged when the kind does not apply)."""
    key = next((k for k in LIST_KEYS if k in body), None)
    if kind == "negative_seats":
        base = body.get("plan_base")
        if isinstance(base, dict):
            base["hosts"] = -5
    elif kind == "page_count_absurd":
        body["page_count"] = 10**9
    elif key is None:
        return body
    elif kind == "no_list":
        del body[key]
    elif kind == "list_not_list":
        body[key] = "abc"
    elif kind == "item_not_object":
        body[key] = [*body[key], 42]
    elif kind == "short_listing":
        body[key] = body[key][:10]
        body["next_page_token"] = ""
        body.setdefault("total_records", 409)
        body["total_records"] = max(body["total_records"], 409)
    elif kind == "repeat_token":
        token = body.get("next_page_token") or ""
        first = state.first_token.setdefault(path, token)
        if first and request.url.params.get("next_page_token"):
            body["next_page_token"] = first
    elif kind in ("wrong_types", "huge_field") and body[key]:
        item = body[key][0]
        if kind == "wrong_types":
            item["id"], item["email"] = ["a", "b"], 12345
        else:
            item["first_name"] = "A" * 10_000_000
    return body


def _json(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return None
    return body if isinstance(body, dict) else None


def _encoded(status: int, body: dict[str, Any]) -> httpx.Response:
    return _raw(status, orjson.dumps(body))


def _raw(status: int, content: bytes) -> httpx.Response:
    return httpx.Response(status, headers={"content-type": "application/json"}, content=content)
