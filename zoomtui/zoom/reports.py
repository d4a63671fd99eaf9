"""The report endpoints of `ZoomClient`: sign-ins, operation logs and the host report.

Each reads one window at a time (a month at most, within Zoom's six months of
reports) through ``window_pages``, which moves a refused oldest window inside
Zoom's reach. A mixin so the client's module stays about its requests.
"""

from __future__ import annotations

import operator
from collections.abc import AsyncGenerator, Awaitable, Callable, Hashable
from contextlib import aclosing
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from zoomtui.clock import Clock
from zoomtui.zoom.models import HostActivity, HostReport, SignInEvent
from zoomtui.zoom.oplogs import OperationLog, entry_key
from zoomtui.zoom.pagination import month_windows, sign_in_windows, window_pages

_TIME = operator.itemgetter(1)  # SignInEvent.time


def _seg(value: str) -> str:
    return quote(str(value), safe="@")


def _event_key(event: SignInEvent) -> Hashable:
    return event  # a tuple of all its fields


class ReportReads:
    """The report iterators; the client provides ``_get`` and ``clock``."""

    clock: Clock
    _get: Callable[..., Awaitable[Any]]

    async def iter_sign_in_events(
        self, start: date, end: date, page_size: int = 300, account_id: str | None = None
    ) -> AsyncGenerator[list[SignInEvent], None]:
        """Yield sign-in/sign-out events between two dates, one month window at a time.

        Events are de-duplicated across windows too, in case Zoom reads window
        edges in another time zone and returns a boundary event twice. Events well
        inside their own window cannot come back in another, so only the rest is
        remembered across windows: keeping every key held ~100 MB for a
        100,000-user account's six months.
        """
        carry: set[Hashable] = set()
        today = self.clock().date()
        for first, last in sign_in_windows(start, end, today):
            inside_from = datetime.combine(first + timedelta(days=2), datetime.min.time(), UTC)
            inside_to = datetime.combine(last - timedelta(days=1), datetime.min.time(), UTC)
            params = {"from": first.isoformat(), "to": last.isoformat(), "page_size": page_size}
            pages = window_pages(
                self._get,
                f"/accounts/{account_id}/report/activities" if account_id else "/report/activities",
                params,
                "activity_logs",
                SignInEvent.from_json,
                _event_key,
                self.clock,
                set(carry),
                today=today,
            )
            async with aclosing(pages):
                async for page in pages:
                    yield page
                    # Most pages lie well inside their window: two C-speed passes rule
                    # them out instead of a test per event.
                    times = list(map(_TIME, page))
                    if times and not inside_from <= min(times) <= max(times) < inside_to:
                        carry.update(e for e in page if not inside_from <= e.time < inside_to)

    async def iter_operation_logs(
        self,
        start: date,
        end: date,
        account_id: str | None = None,
        category_type: str = "user",
        page_size: int = 300,
    ) -> AsyncGenerator[list[OperationLog], None]:
        """Yield admin operation log entries between two dates, one month window at a time.

        ``GET /report/operationlogs`` (Heavy) takes one month per request within the
        last six (docs/zoom-operation-logs.md); ``category_type=user`` keeps the
        admin actions on users.
        """
        path = (
            f"/accounts/{_seg(account_id)}/report/operationlogs"
            if account_id
            else "/report/operationlogs"
        )
        seen: set[Hashable] = set()
        today = self.clock().date()
        for first, last in sign_in_windows(start, end, today):
            params = {
                "from": first.isoformat(),
                "to": last.isoformat(),
                "page_size": page_size,
                "category_type": category_type,
            }
            pages = window_pages(
                self._get, path, params, "operation_logs", OperationLog.from_json, entry_key,
                self.clock, seen, today=today,
            )  # fmt: skip
            async with aclosing(pages):
                async for page in pages:
                    yield page

    async def iter_host_report(
        self, start: date, end: date, page_size: int = 300, account_id: str | None = None
    ) -> AsyncGenerator[HostReport, None]:
        """Yield the active host report one calendar month at a time, oldest first.

        ``GET /report/users`` (Heavy) accepts one month within the last six
        (zoom-api.md §5.2); each yielded window holds every page of it, so a
        caller can tell a month read in full from one cut short by an error.
        """
        path = f"/accounts/{_seg(account_id)}/report/users" if account_id else "/report/users"
        today = self.clock().date()
        for first, last in month_windows(start, end, today):
            params = {
                "type": "active",
                "from": first.isoformat(),
                "to": last.isoformat(),
                "page_size": page_size,
            }
            hosts: list[HostActivity] = []
            pages = window_pages(
                self._get, path, params, "users", HostActivity.from_json, _host_key, self.clock,
                today=today,
            )  # fmt: skip
            async with aclosing(pages):
                async for page in pages:
                    hosts.extend(page)
            # The oldest window may have been asked again from a later day (window_pages),
            # or not at all when that day is past its end: nothing of it can be read.
            asked = date.fromisoformat(str(params["from"]))
            if asked <= last:
                yield HostReport(asked, last, tuple(hosts))


def _host_key(host: HostActivity) -> Hashable:
    return host.id or host.email.casefold()
