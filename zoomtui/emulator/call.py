"""What a route is given and may answer: the call, the result, the error answers.

Apart from ``routes`` so that the modules holding groups of routes (``writes``,
``meetings``) and the table in ``routes`` that lists them share these without
importing each other.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from zoomtui.emulator.paging import BadPageToken, page_size

if TYPE_CHECKING:
    import httpx

    from zoomtui.clock import Clock
    from zoomtui.emulator.dataset import Dataset
    from zoomtui.emulator.handler import EmulatorConfig
    from zoomtui.emulator.paging import Pager

Body = dict[str, Any]
Result = tuple[int, Body]


@dataclass(frozen=True)
class Route:
    """One endpoint: path pattern, template name, category, scopes, implementation."""

    template: str
    pattern: re.Pattern[str]
    category: str
    classic: tuple[str, str]  # (main account, sub account)
    granular: tuple[str, str]
    fn: Callable[[Call], Result]
    method: str = "GET"


class Call:
    """One API call being answered: parsed query, resolved account, page cursors."""

    def __init__(
        self, ds: Dataset, request: httpx.Request, route: Route, params: dict[str, str],
        acct: int, clock: Clock, pager: Pager, config: EmulatorConfig,
    ) -> None:  # fmt: skip
        self.ds = ds
        self.request = request
        self.params = params
        self.acct = acct
        self.clock = clock
        self.pager = pager
        self.config = config
        self.query = dict(parse_qsl(request.url.query.decode(), keep_blank_values=True))
        self.now = int(clock().timestamp())
        skip = {"next_page_token", "page_size", "page_number"}
        rest = sorted((k, v) for k, v in self.query.items() if k not in skip)
        self._listing = f"{route.template}|{acct}|{rest}"

    def pager_offset(self, token: str, size: int) -> int:
        return self.pager.offset(token, f"{self._listing}|{size}", self.now)

    def pager_issue(self, offset: int, size: int) -> str:
        return self.pager.issue(f"{self._listing}|{size}", offset, self.now)


class Reject(Exception):
    """An error answer raised from inside a route."""

    def __init__(self, status: int, body: Body) -> None:
        super().__init__(body.get("message", ""))
        self.status = status
        self.body = body


def invalid_field(field: str, message: str) -> Reject:
    body = {"code": 300, "message": "Validation Failed.", "errors": [
        {"field": field, "message": message}]}  # fmt: skip
    return Reject(400, body)


def not_found_user(key: str) -> Result:
    return 404, {"code": 1001, "message": f"User does not exist: {key}."}


def paginate(call: Call, default_size: int = 30) -> tuple[int, int]:
    """(offset, size) of the requested page; raises ``Reject`` for a bad cursor or size."""
    size = page_size(call.query.get("page_size"), default_size)
    if size is None:
        raise invalid_field("page_size", "page_size must be an integer between 1 and 300.")
    token = call.query.get("next_page_token", "")
    if token:
        try:
            return call.pager_offset(token, size), size
        except BadPageToken:
            raise Reject(400, dict(BadPageToken.body)) from None
    number = call.query.get("page_number", "1")
    offset = (int(number) - 1) * size if number.isdigit() and int(number) > 0 else 0
    return offset, size


def envelope(call: Call, total: int, offset: int, size: int) -> Body:
    nxt = call.pager_issue(offset + size, size) if offset + size < total else ""
    return {
        "next_page_token": nxt,
        "page_count": math.ceil(total / size) if total else 0,
        "page_number": offset // size + 1,
        "page_size": size,
        "total_records": total,
    }
