"""Page through Zoom listings lazily, restarting safely when a page token expires.

Zoom's `next_page_token` dies after 15 minutes. When that happens the listing
starts again from page one and skips every item it already yielded (keyed by
id, or by email for pending users), so the caller — which stores each page as
it arrives — sees nothing twice and misses nothing. Old `page_number` listings
(`GET /accounts`) are followed too, but never after a token was seen, because
Zoom keeps sending a stale `page_count` next to tokens.

Every page is also checked against what a listing can be (`ListingGuard`): a
peer that answers 200 with a missing list, a short listing, a token it sent
before, endless fresh tokens or absurd counts ends the listing with a
`ProtocolError` — so a broken reply can never complete a run and mark the
users it left out as removed, nor hold the run lock forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable, Hashable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from zoomtui.clock import Clock
from zoomtui.zoom.errors import PageTokenExpired, ProtocolError, ZoomError

log = logging.getLogger("zoomtui.zoom")

T = TypeVar("T")
PAGE_TOKEN_TTL = timedelta(minutes=15)
MAX_RESTARTS = 5
# Sane bounds of a listing. No Zoom account lists ten million users, and a
# token is a short opaque string (Zoom's are ~32 characters).
MAX_RECORDS = 10_000_000
MAX_TOKEN_CHARS = 4096
# Zoom pages by offset, so users created or deleted while a listing runs can
# shift a few items across a page edge: one seen twice, or one missed (it is
# then missed by every client; the next run sees it). These margins allow that
# churn — 10 items plus 0.1% of the listing — and nothing like a short page of
# 10 where 409 were announced, or one page served again and again.
CHURN_ITEMS = 10
CHURN_RATIO = 0.001
# Pages beyond total_records / page_size: 2x plus 10 covers a peer that serves
# fewer items per page than asked; an endless listing of empty pages does not.
EMPTY_PAGES = 3

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
    on_total: Callable[[int], None] | None = None,
) -> AsyncGenerator[list[T], None]:
    """Yield each page's new items; `get(path, query, listing_started)` returns the JSON body.

    Pass `seen` to share de-duplication between listings (e.g. report windows), and
    `on_total` to learn the `total_records` a pass's first page announces.
    """
    seen = set() if seen is None else seen
    restarts = 0
    while True:
        try:
            pages = _one_pass(get, path, params, items_key, parse, key, clock, seen, on_total)
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
    on_total: Callable[[int], None] | None = None,
) -> AsyncGenerator[list[T], None]:
    started = clock()
    token, token_at = "", started
    page_number = 1
    used_tokens = False
    guard = ListingGuard(path, items_key, params.get("page_size"), len(seen))
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
            rows, next_token = guard.page(body)
            if on_total is not None and guard.pages == 1 and guard.total is not None:
                on_total(guard.total)
            page = _new_items(rows, parse, key, seen, guard)
            if next_token:
                token, token_at, used_tokens = next_token, received, True
            elif used_tokens or not rows or not _more_numbered_pages(body, page_number):
                guard.end()
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
    rows: list[Any],
    parse: Callable[[dict[str, Any]], T | None],
    key: Callable[[T], Hashable],
    seen: set[Hashable],
    guard: ListingGuard,
) -> list[T]:
    """The parsed items of a page not yielded before; items that are not objects are refused."""
    page: list[T] = []
    repeats = 0
    for row in rows:
        if type(row) is not dict:
            raise guard.broken(f"an item that is not an object ({type(row).__name__})")
        item = parse(row)
        if item is None:
            continue
        k = key(item)
        if k not in seen:
            seen.add(k)
            page.append(item)
        else:
            repeats += 1
    if repeats:
        guard.repeated(repeats)
    return page


class ListingGuard:
    """What one pass of a listing may look like; every check is O(1) per page or item.

    These are defences against a hostile or broken peer, not Zoom's documented
    behaviour: Zoom sends the list (empty when there is nothing), a fresh token
    per page until the last, and `total_records` matching what it lists.
    """

    def __init__(self, path: str, items_key: str, page_size: Any, known: int) -> None:
        self.path, self.items_key = path, items_key
        self.page_size = page_size if type(page_size) is int and page_size > 0 else 300
        self.known = known  # items yielded before this pass: a restart reads them again
        self.tokens: set[str] = set()
        self.pages = self.rows = self.repeats = self.empty = 0
        self.total: int | None = None
        self.most = 0  # the largest total_records announced in this pass

    def broken(self, what: str) -> ProtocolError:
        return ProtocolError(
            f"Zoom's listing of {self.path} was broken ({what}), so the run cannot trust it."
        )

    def page(self, body: Any) -> tuple[list[Any], str]:
        """Check one page's envelope; return its list and its next token ("" at the end)."""
        if type(body) is not dict:
            raise self.broken(f"a page that is not an object ({type(body).__name__})")
        self.pages += 1
        total = body.get("total_records")
        if total is not None:
            if type(total) is not int or not 0 <= total <= MAX_RECORDS:
                raise self.broken(f"total_records {_show(total)}")
            self.total = total
            self.most = max(self.most, total)
        count = body.get("page_count")
        if count is not None and (type(count) is not int or not 0 <= count <= MAX_RECORDS):
            raise self.broken(f"page_count {_show(count)}")
        token = body.get("next_page_token")
        if token is None:
            token = ""
        if type(token) is not str or len(token) > MAX_TOKEN_CHARS:
            raise self.broken("a page token that is not a short string")
        if token:
            if token in self.tokens:
                raise self.broken("a page token it had already sent")
            self.tokens.add(token)
        rows = body.get(self.items_key)
        if rows is None:
            # Zoom sends an empty list when there is nothing; only a listing that
            # says it holds nothing may leave it out.
            if self.total != 0:
                raise self.broken(f"a page without {self.items_key!r}")
            rows = []
        elif type(rows) is not list:
            raise self.broken(f"{self.items_key!r} that is not a list")
        self.rows += len(rows)
        if token and not rows:
            self.empty += 1
            if self.empty > EMPTY_PAGES:
                raise self.broken("pages without items that kept coming")
        if self.total is not None:
            if self.pages > 2 * (-(-self.most // self.page_size)) + 10:
                raise self.broken(f"more than {self.pages - 1} pages for {self.most} records")
            if self.rows > self.most + CHURN_ITEMS + CHURN_RATIO * self.most:
                raise self.broken(f"{self.rows} items where total_records said {self.most}")
        elif self.rows > MAX_RECORDS:  # a report has no total: bound it absolutely
            raise self.broken(f"more than {MAX_RECORDS} items")
        return rows, token

    def repeated(self, count: int) -> None:
        """Items seen before: a restart re-reads `known` of them; more is a loop."""
        self.repeats += count
        if self.repeats > self.known + CHURN_ITEMS + CHURN_RATIO * (self.rows + self.known):
            raise self.broken(f"{self.repeats} items it had already listed")

    def end(self) -> None:
        """At the last page: refuse a listing shorter than it said, beyond churn."""
        total = self.total
        if total is not None and self.rows < total - CHURN_ITEMS - CHURN_RATIO * total:
            raise self.broken(f"{self.rows} items where total_records said {total}")


def _show(value: Any) -> str:
    """A bad value for a sentence: small integers as is, anything else by its type."""
    if type(value) is int and abs(value) < 10**15:
        return str(value)
    return f"of type {type(value).__name__}" if type(value) is not int else "out of range"


def _more_numbered_pages(body: dict[str, Any], requested: int) -> bool:
    count, number = body.get("page_count"), body.get("page_number", requested)
    return isinstance(count, int) and number == requested and requested < count


# Where the oldest window starts again when Zoom refuses six calendar months back:
# 179 days is inside every reading of "the last six months" (180 days, either end
# counted, or the account's date a day ahead of UTC).
SAFE_REACH = timedelta(days=179)


async def window_pages(
    get: GetJson,
    path: str,
    params: dict[str, Any],
    items_key: str,
    parse: Callable[[dict[str, Any]], T | None],
    key: Callable[[T], Hashable],
    clock: Clock,
    seen: set[Hashable] | None = None,
    *,
    today: date,
) -> AsyncGenerator[list[T], None]:
    """``paginate`` one report window; the oldest starts later if Zoom refuses its start.

    Zoom keeps reports for "the last six months" without saying whether it counts
    calendar months (as ``sign_in_windows`` does), 180 days, or days in the account's
    time zone (zoom-api.md §5.1). A window starting before ``SAFE_REACH`` that Zoom
    refuses as invalid (HTTP 400, code 300, before any page) is asked again from
    ``SAFE_REACH`` back — ``params["from"]`` says what was asked — so a first run
    reads nearly six months instead of ending on the oldest day. Any other refusal,
    or one of the later start, is raised as before.
    """
    start = date.fromisoformat(params["from"])
    shifted = False
    while True:
        pages = paginate(get, path, params, items_key, parse, key, clock, seen)
        started = False
        try:
            async with contextlib.aclosing(pages):
                async for page in pages:
                    started = True
                    yield page
            return
        except ZoomError as exc:
            later = today - SAFE_REACH
            # Any window starting before the safe reach, not only the calendar bound's: at
            # 180 days the second calendar month can start before Zoom's bound too (on
            # 30 November, 180 days back is 3 June and June's window starts on the 1st).
            if started or shifted or not _refused_as_invalid(exc) or later <= start:
                raise
            log.info("%s refused from=%s (%s); asking from %s", path, start, exc.message, later)
            shifted = True
            start = later
            params["from"] = later.isoformat()
            if later > date.fromisoformat(params["to"]):
                return


def _refused_as_invalid(exc: ZoomError) -> bool:
    return exc.status == 400 and exc.code == 300


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
