"""Page through Zoom listings lazily, restarting safely when a page token expires.

Zoom's `next_page_token` dies after 15 minutes. When that happens the listing
starts again from page one and skips every item it already yielded (keyed by
id, or by email for pending users), so the caller — which stores each page as
it arrives — sees nothing twice and misses nothing. Old `page_number` listings
(`GET /accounts`) are followed too, but never after a token was seen, because
Zoom keeps sending a stale `page_count` next to tokens.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable, Hashable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from zoomtui.clock import Clock
from zoomtui.zoom.errors import PageTokenExpired, ZoomError

log = logging.getLogger("zoomtui.zoom")

T = TypeVar("T")
PAGE_TOKEN_TTL = timedelta(minutes=15)
MAX_RESTARTS = 5

GetJson = Callable[[str, dict[str, Any], datetime], Awaitable[Any]]


async def paginate(
    get: GetJson,
    path: str,
    params: dict[str, Any],
    items_key: str,
    parse: Callable[[dict[str, Any]], T | None],
    key: Callable[[T], Hashable],
    clock: Clock,
    seen: set[Hashable] | None = None,
) -> AsyncGenerator[list[T], None]:
    """Yield each page's new items; `get(path, query, listing_started)` returns the JSON body.

    Pass `seen` to share de-duplication between listings (e.g. report windows).
    """
    seen = set() if seen is None else seen
    restarts = 0
    while True:
        try:
            pages = _one_pass(get, path, params, items_key, parse, key, clock, seen)
            async with contextlib.aclosing(pages):
                async for page in pages:
                    yield page
            return
        except PageTokenExpired as exc:
            restarts += 1
            if restarts > MAX_RESTARTS:
                raise ZoomError(
                    f"Zoom's page tokens for {path} kept expiring; the listing was restarted "
                    f"{MAX_RESTARTS} times.",
                    tracking_id=exc.tracking_id,
                ) from exc
            log.info("page token for %s expired; restarting the listing (%d)", path, restarts)


async def _one_pass(
    get: GetJson,
    path: str,
    params: dict[str, Any],
    items_key: str,
    parse: Callable[[dict[str, Any]], T | None],
    key: Callable[[T], Hashable],
    clock: Clock,
    seen: set[Hashable],
) -> AsyncGenerator[list[T], None]:
    started = clock()
    token, token_at = "", started
    page_number = 1
    used_tokens = False
    # The next page is requested before this one is handed over, so the caller's
    # work on a page overlaps the round trip of the next (a chain of pages would
    # otherwise cost latency + processing per page).
    ahead: asyncio.Future[tuple[Any, datetime]] | None = None

    async def fetch(query: dict[str, Any]) -> tuple[Any, datetime]:
        body = await get(path, query, started)
        return body, clock()  # a token's age counts from its arrival, not its use

    try:
        while True:
            if ahead is None:
                query = _query(params, token, token_at, page_number, clock, path)
                body, received = await fetch(query)
            else:
                body, received = await ahead
                ahead = None
            rows = body.get(items_key) if isinstance(body, dict) else None
            page = _new_items(rows, parse, key, seen)
            next_token = body.get("next_page_token") if isinstance(body, dict) else None
            if next_token:
                if next_token == token:
                    raise ZoomError(f"Zoom returned the same page token twice for {path}.")
                token, token_at, used_tokens = str(next_token), received, True
            elif used_tokens or not rows or not _more_numbered_pages(body, page_number):
                if page:
                    yield page
                return
            else:
                page_number += 1
            ahead = asyncio.ensure_future(
                fetch(_query(params, token, token_at, page_number, clock, path))
            )
            if page:
                yield page
    finally:
        if ahead is not None:
            ahead.cancel()
            with contextlib.suppress(BaseException):
                await ahead


def _query(
    params: dict[str, Any],
    token: str,
    token_at: datetime,
    page_number: int,
    clock: Clock,
    path: str,
) -> dict[str, Any]:
    """The query of the next page: same parameters, plus the token or the page number."""
    query = dict(params)
    if token:
        if clock() - token_at >= PAGE_TOKEN_TTL:
            raise PageTokenExpired(f"The page token for {path} is older than 15 minutes.")
        query["next_page_token"] = token
    elif page_number > 1:
        query["page_number"] = page_number
    return query


def _new_items(
    rows: Any,
    parse: Callable[[dict[str, Any]], T | None],
    key: Callable[[T], Hashable],
    seen: set[Hashable],
) -> list[T]:
    """The parsed items of a page not yielded before."""
    page: list[T] = []
    for row in rows or ():
        item = parse(row)
        if item is None:
            continue
        k = key(item)
        if k not in seen:
            seen.add(k)
            page.append(item)
    return page


def _more_numbered_pages(body: dict[str, Any], requested: int) -> bool:
    count, number = body.get("page_count"), body.get("page_number", requested)
    return isinstance(count, int) and number == requested and requested < count


def add_months(day: date, months: int) -> date:
    """Shift a date by calendar months, clamping to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def sign_in_windows(start: date, end: date, today: date) -> list[tuple[date, date]]:
    """Split [start, end] into report windows Zoom accepts.

    Each window spans at most one calendar month (and at most 31 days,
    inclusive), and none reaches before six months ago or after today.
    """
    start = max(start, add_months(today, -6))
    end = min(end, today)
    windows: list[tuple[date, date]] = []
    while start <= end:
        stop = min(end, add_months(start, 1) - timedelta(days=1))
        windows.append((start, stop))
        start = stop + timedelta(days=1)
    return windows


def month_windows(start: date, end: date, today: date) -> list[tuple[date, date]]:
    """Calendar months overlapping [start, end], clipped to what Zoom's reports accept.

    The host report is read per calendar month so that each stored month is
    one request series; the oldest may be cut short by the six-month limit.
    """
    start = max(start, add_months(today, -6))
    end = min(end, today)
    windows: list[tuple[date, date]] = []
    while start <= end:
        next_month = add_months(start.replace(day=1), 1)
        stop = min(end, next_month - timedelta(days=1))
        windows.append((start, stop))
        start = next_month
    return windows
