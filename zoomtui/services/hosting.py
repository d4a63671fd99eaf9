"""The hosting part of a run: Zoom's active host report, month by month, incrementally.

``GET /report/users`` is Heavy and reaches six months back, one month per
request series (zoom-api.md §5.2, docs/usage-report.md). The history keeps
every month forever, so a run asks only for months it does not hold
complete: on an unchanged rerun that is the current month alone (per
account). A month read after it ended is complete and never asked again;
the oldest month Zoom still serves is cut by the six-month limit, so it is
read once, kept as incomplete, and left alone after that.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import aclosing
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from zoomtui.services.context import AppContext
from zoomtui.services.failures import NOT_ALLOWED
from zoomtui.services.storethread import StoreThread
from zoomtui.store import Store
from zoomtui.store.hosting import MonthRead
from zoomtui.zoom.errors import DailyLimitReached, NotFound
from zoomtui.zoom.pagination import add_months


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_bounds(day: date) -> tuple[date, date]:
    """First and last day of the calendar month of ``day``."""
    first = day.replace(day=1)
    return first, add_months(first, 1) - timedelta(days=1)


def months_to_read(today: date, known: dict[str, dict[str, Any]]) -> list[tuple[date, date, bool]]:
    """(first, last, complete) of each month to ask for, oldest first.

    ``known``: the account's months already stored (``Store.hosting_months``).
    """
    bound = add_months(today, -6)
    out: list[tuple[date, date, bool]] = []
    day = bound.replace(day=1)
    while day <= today:
        first, last = month_bounds(day)
        stored = known.get(month_key(first))
        day = last + timedelta(days=1)
        if stored is not None and stored["complete"]:
            continue
        if first < bound:
            if stored is not None:
                continue  # cut by the six-month limit before, and can only get shorter
            out.append((bound, last, False))
            continue
        out.append((first, min(last, today), today > last))
    return out


@dataclass
class HostingPhase:
    """Reads every account's host report months concurrently; notes parts not allowed."""

    ctx: AppContext
    db: StoreThread
    client: Any
    main_id: str
    notes: dict[str, str]
    report: Callable[[str], None]
    hosts: int = 0
    months: int = 0

    async def run(self, accounts: list[str | None]) -> None:
        """Every account's months at once; a daily limit ends the phase after the others.

        Why not let it cancel them: months answered just before another account's
        request hit the daily limit were then dropped unwritten, and the next run
        asked for them again (the quota is what ran out).
        """
        limits: list[DailyLimitReached] = []

        async def one(account: str | None) -> None:
            try:
                await self._account(account)
            except DailyLimitReached as exc:
                limits.append(exc)

        async with asyncio.TaskGroup() as tg:
            for account in accounts:
                tg.create_task(one(account))
        if limits:
            raise limits[0]

    async def _account(self, account: str | None) -> None:
        account_id = account or self.main_id
        known = {m["month"]: m for m in await self.db(Store.hosting_months, account_id)}
        today = self.ctx.clock().date()
        for first, last, complete in months_to_read(today, known):
            try:
                await self._month(account, account_id, first, last, complete)
            except (*NOT_ALLOWED, NotFound) as exc:
                key = "hosting" if account is None else f"hosting:{account_id}"
                self.notes[key] = f"skipped: {exc.message}"
                return  # the other months would be refused the same way

    async def _month(
        self, account: str | None, account_id: str, first: date, last: date, complete: bool
    ) -> None:
        reports = self.client.iter_host_report(first, last, account_id=account)
        async with aclosing(reports):
            async for window in reports:
                read = MonthRead(
                    account_id,
                    month_key(window.first),
                    window.first,
                    window.last,
                    self.ctx.clock(),
                    complete and window.first == first and window.last == last,
                )
                rows = [
                    (h.email, h.id, h.meetings, h.participants, h.meeting_minutes)
                    for h in window.hosts
                ]
                # Awaited first: ``self.hosts += await ...`` reads the total before the
                # await and loses what other accounts' months added meanwhile.
                stored = await self.db(Store.record_hosting, read, rows)
                self.hosts += stored
                self.months += 1
                self.report(f"{account_id}: {read.month}")
