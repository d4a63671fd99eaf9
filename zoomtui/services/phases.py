"""The phases of one aggregation run, run concurrently within the client's rate budgets."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from contextlib import aclosing
from datetime import datetime, timedelta
from typing import Any

from zoomtui.services.addons import (
    LastRead,
    Listed,
    licensed_of,
    seat_differences,
    stale_reads,
    unexplained,
)
from zoomtui.services.context import AppContext
from zoomtui.services.convert import (
    account_row,
    seat_rows,
    summary_seat_rows,
    user_row,
)
from zoomtui.services.failures import (
    NOT_ALLOWED,
    first_cause,
    plan_usage_refused,
    unknown_flags_note,
)
from zoomtui.services.hints import Hints
from zoomtui.services.hosting import HostingPhase
from zoomtui.services.progress import Progress
from zoomtui.services.rolling import rolling_refresh
from zoomtui.services.settings_reads import SettingsReads
from zoomtui.services.storethread import StoreThread
from zoomtui.store import Store
from zoomtui.zoom.client import USER_STATUSES
from zoomtui.zoom.errors import NotFound, ZoomError
from zoomtui.zoom.models import (
    SignInEvent,
    SubAccount,
    bundle_name,
    plan_name,
)

# Zoom keeps six months; ask a little less so month-length edges never fall outside.
SIGN_IN_HISTORY = timedelta(days=180)
SIGN_IN_BATCH = 20_000


class AggregationRun(SettingsReads):
    """State and steps of one run; ``run()`` does the network part and stages everything.

    The listing feeds ``queue``; the settings reads that drain it are in ``SettingsReads``.
    """

    def __init__(
        self,
        ctx: AppContext,
        db: StoreThread,
        run_id: int,
        *,
        full: bool,
        report: Callable[[Progress], None],
    ) -> None:
        self.ctx, self.db, self.run_id, self.full, self.report = ctx, db, run_id, full, report
        self.notes: dict[str, str] = {}
        self.by_status: Counter[str] = Counter()
        self.by_plan: Counter[str] = Counter()
        self.counted: dict[str, tuple[str, str]] = {}  # user key -> (status, plan) counted
        self.unknown_flags: set[str] = set()
        self.listing_done = False
        # (account, status) of each listing whose users are read -> users it announced
        # (None until its first page), and how many it has listed so far.
        self.announced: dict[tuple[str, str], int | None] = {}
        self.listed_so_far: Counter[tuple[str, str]] = Counter()
        self.listed: dict[str, Listed] = {}
        self.emails: dict[str, str] = {}  # listed e-mail (case-folded) -> Zoom id
        self.hints: Hints | None = None
        self.hinted = 0  # users read again because the operation logs named them
        self.reads: dict[str, LastRead] = {}
        self.read_now: set[str] = set()
        self.seat_usage: dict[str, dict[str, int]] = {}
        self.queue: asyncio.Queue[Listed | None] = asyncio.Queue()
        self.addons_allowed = True
        self.bundles_allowed = True
        self.skipped_reads = 0
        self.addons_done = 0
        self.settled = 0  # settings reads finished, whatever their answer
        self.estimate_s: float | None = None  # time left when the listing ended
        self.sign_ins = 0
        self.recount = ""  # why whole accounts were re-read, for the run's stats
        # {account: {plan: [usage, tally]}} still differing after this run's reads
        self.unreconciled: dict[str, dict[str, list[int]]] = {}
        self.unreconciled_before: dict[str, Any] = {}
        self.pending_reads: list[dict[str, Any]] = []
        self.main_id = ctx.settings.account_id or "me"
        self.max_age = timedelta(days=ctx.settings.addons_max_age_days)
        self.rolling: frozenset[str] = frozenset()  # this run's share of the add-on refresh
        self._client: Any = None
        self.hosting: HostingPhase | None = None
        self.report_through: datetime | None = None  # start of the last complete run

    def stats(self) -> dict[str, Any]:
        """Calls per category, retries and waits of this run's client, and add-on reads."""
        stats = self._client.stats.as_dict() if self._client is not None else {}
        hosting = {}
        if self.hosting is not None:
            hosting = {"hosting_months": self.hosting.months, "hosting_rows": self.hosting.hosts}
        return {
            **stats,
            "addons_read": self.addons_done,
            "addons_recount": self.recount,
            "addons_hinted": self.hinted,
            "estimate_s": None if self.estimate_s is None else round(self.estimate_s, 1),
            "addons_rolling": len(self.rolling),
            **(self.hints.stats() if self.hints is not None else {}),
            "addons_unreconciled": self.unreconciled,
            **hosting,
        }

    async def run(self) -> None:
        complete = await self.db(Store.latest_complete_run)
        self.report_through = complete.started_at if complete else None
        kept = complete.stats.get("addons_unreconciled") if complete else None
        self.unreconciled_before = kept if isinstance(kept, dict) else {}
        self.reads = {
            zoom_id: LastRead(r["read_at"], r["type"], r["bundle"], r["status"], r["addons"])
            for zoom_id, r in (await self.db(Store.addon_state)).items()
        }
        if complete is not None and not self.reads:
            self.notes["licences"] = (
                "every user's settings read again, once, to apply Zoom's licence "
                "definitions (capacities, Concurrent Meeting) to the history"
            )
        self.rolling = rolling_refresh(self.reads, self.ctx.clock(), self.max_age)
        client = self.ctx.make_client(on_wait=self._on_wait)
        self._client = client
        async with client:
            self.report(Progress("token", 0, 1, "Requesting an access token"))
            await client.token()
            self.report(Progress("token", 1, 1, "Token obtained"))
            accounts = await self._accounts()
            try:
                await self._concurrent(accounts)
            except ExceptionGroup as group:
                raise first_cause(group) from None
            await self._flush_reads()
            await self.db.drain()
        if self.unknown_flags:
            self.notes["feature_flags"] = unknown_flags_note(self.unknown_flags)

    async def _concurrent(self, accounts: list[str | None]) -> None:
        """Listings, seats, sign-ins and settings reads at once; settings after listings."""
        async with asyncio.TaskGroup() as tg:
            # As many readers as requests may be in flight: a fixed 16 capped reads at
            # 16 / latency per second, under Business's Medium limit (60/s) past 0.27 s.
            readers = self._client.max_concurrency
            workers = [tg.create_task(self._settings_worker()) for _ in range(readers)]
            tg.create_task(self._sign_in_reports(accounts))
            self.hosting = HostingPhase(
                self.ctx, self.db, self._client, self.main_id, self.notes, self._on_hosting
            )
            tg.create_task(self.hosting.run(accounts))
            self.announced = {
                (a or self.main_id, s): None
                for a in accounts
                for s in USER_STATUSES
                if s != "pending"
            }  # pending users have no settings to read
            listings = [tg.create_task(self._list(a, s)) for a in accounts for s in USER_STATUSES]
            seats = [tg.create_task(self._seats(a)) for a in accounts]
            hints = tg.create_task(self._read_hints(accounts))
            await asyncio.gather(*listings)
            self.listing_done = True
            self.estimate_s = self._left_s()
            self._report_reads()
            await asyncio.gather(*seats)
            await self.queue.join()
            await hints
            self._enqueue_hinted()
            await self.queue.join()
            self._enqueue_mismatches()
            self._report_reads()
            await self.queue.join()
            for _ in workers:
                self.queue.put_nowait(None)
        left = seat_differences(self.listed.values(), self.reads, self.seat_usage)
        self.unreconciled = {a: {p: list(v) for p, v in d.items()} for a, d in left.items()}

    async def _read_hints(self, accounts: list[str | None]) -> None:
        """The operation logs since the last complete run (not on a first or --full run)."""
        if self.full or not self.reads:
            return
        self.hints = Hints(self._client, self.notes, self.main_id)
        await self.hints.read(accounts, self.report_through, self.ctx.clock())

    def _enqueue_hinted(self) -> None:
        """Re-read the listed users the operation logs named, before seat counts are compared."""
        if self.hints is None or self.hints.emails is None:
            return
        for email in self.hints.emails:
            zoom_id = self.emails.get(email)
            if self.addons_allowed and zoom_id is not None and zoom_id not in self.read_now:
                self.hinted += 1
                self._enqueue(self.listed[zoom_id])

    def _on_hosting(self, message: str) -> None:
        done = self.hosting.months if self.hosting is not None else 0
        self.report(Progress("hosting", done, None, f"Host report {message}"))

    def _on_wait(self, reason: str, seconds: float) -> None:
        self.report(Progress("waiting", 0, None, reason, waiting_s=seconds))

    async def _accounts(self) -> list[str | None]:
        """The main account (None) and every sub account the credentials may list."""
        self.report(Progress("accounts", 0, None, "Listing sub accounts"))
        subs: list[SubAccount] = []
        try:
            subs = await self._client.list_sub_accounts()
        except NOT_ALLOWED as exc:
            self.notes["sub_accounts"] = f"skipped: {exc.message}"
        await self.db(
            Store.stage_accounts,
            self.run_id,
            [account_row(None, self.main_id)] + [account_row(s) for s in subs],
        )
        self.report(Progress("accounts", len(subs) + 1, len(subs) + 1, "Accounts listed"))
        return [None, *[s.id for s in subs]]

    async def _list(self, account: str | None, status: str) -> None:
        account_id = account or self.main_id
        pages = self._client.iter_users(
            status, account_id=account, on_total=lambda n: self._announce(account_id, status, n)
        )
        try:
            async with aclosing(pages):  # a run that ends early stops the prefetched page too
                await self._store_pages(pages, account_id, status)
        except ZoomError as exc:
            # Without every account's users the run cannot complete (it would mark
            # them removed); say which listing failed, then let the run end.
            self.notes[f"users:{account_id}"] = f"{status} users not listed: {exc.message}"
            raise

    def _announce(self, account_id: str, status: str, total: int) -> None:
        if (account_id, status) in self.announced:
            self.announced[account_id, status] = total
            if self._unlisted_reads() is not None:  # every listing announced: an estimate
                self._report_reads()

    async def _store_pages(self, pages: Any, account_id: str, status: str) -> None:
        async for page in pages:
            self.listed_so_far[account_id, status] += len(page)
            rows = []
            for user in page:
                bundle = bundle_name(user)
                rows.append(user_row(user, account_id, bundle, status))
                self._count(
                    user.id or "\n" + user.email.casefold(), user.status or status, user.type
                )
                if user.id is None:
                    continue
                listed = Listed(user.id, account_id, user.type, bundle, user.status or status)
                self.listed[user.id] = listed
                self.emails[user.email.casefold()] = user.id
                if self.full or stale_reads(
                    [listed], self.reads, self.ctx.clock(), self.max_age, self.rolling
                ):
                    self._enqueue(listed)
            await self.db.enqueue(Store.stage_users, self.run_id, rows)
            total = sum(self.by_status.values())
            self.report(Progress("users", total, None, f"{account_id}: {status} users"))

    def _count(self, key: str, status: str, type_: int) -> None:
        """Count a listed user once: listed again (by a second account, or after moving
        between the status listings) the last listing wins, as in the store."""
        before = self.counted.get(key)
        if before is not None:
            self.by_status[before[0]] -= 1
            if before[0] in ("active", "pending"):
                self.by_plan[before[1]] -= 1
        plan = plan_name(type_)
        self.counted[key] = (status, plan)
        self.by_status[status] += 1
        if status in ("active", "pending"):
            self.by_plan[plan] += 1

    def _enqueue_mismatches(self) -> None:
        """Re-read licensed users of accounts whose seat counts disagree with the tally.

        A difference an earlier run's re-read left as it is (same counts) is not
        re-read again: Zoom counts something there that no user's flags show.
        """
        differences = seat_differences(self.listed.values(), self.reads, self.seat_usage)
        flagged = unexplained(differences, self.unreconciled_before)
        kept = sum(len(p) for p in differences.values()) - sum(len(p) for p in flagged.values())
        if kept:
            self.notes["addons_seat_counts"] = (
                f"{kept} add-on seat count(s) differ from the users' add-ons by as much as after "
                "an earlier full re-read; not re-read again while the gap stays the same"
            )
        if not flagged:
            return
        for zoom_id in sorted(licensed_of(self.listed.values(), flagged)):
            self._enqueue(self.listed[zoom_id])
        self.recount = "re-read licensed users of " + ", ".join(
            f"{a} ({', '.join(sorted(p))})" for a, p in sorted(flagged.items())
        )

    async def _seats(self, account: str | None) -> None:
        account_id = account or self.main_id
        try:
            usage = await self._client.plan_usage(account)
        except ZoomError as exc:
            if not plan_usage_refused(exc):
                raise
            try:
                summary = await self._client.users_summary(account)
            except (*NOT_ALLOWED, NotFound) as exc2:
                self.notes[f"seats:{account_id}"] = f"skipped: {exc.message} {exc2.message}"
                return
            self.notes[f"seats:{account_id}"] = (
                f"plan usage unavailable ({exc.message}); counts from /users/summary"
            )
            await self.db(Store.stage_seats, self.run_id, summary_seat_rows(account_id, summary))
            return
        rows = seat_rows(account_id, usage)
        await self.db(Store.stage_seats, self.run_id, rows)
        usage_by_plan: dict[str, int] = {}
        for row in rows:
            usage_by_plan[row.plan] = usage_by_plan.get(row.plan, 0) + row.assigned
        self.seat_usage[account_id] = usage_by_plan
        self.report(Progress("seats", len(self.seat_usage), None, f"{account_id}: seat counts"))

    async def _sign_in_reports(self, accounts: list[str | None]) -> None:
        """Every account's report at once, finished together after the last one ends.

        Finishing builds the per-email index that a backfill drops: built while
        another account's backfill was still writing, that one would go on
        maintaining it row by row (twice the store's time for sign-ins).
        """
        try:
            async with asyncio.TaskGroup() as tg:
                for account in accounts:
                    tg.create_task(self._sign_ins(account))
        finally:
            await self.db(Store.finish_sign_ins)

    async def _sign_ins(self, account: str | None) -> None:
        """One account's sign-in report since its newest stored event (six months at first)."""
        now = self.ctx.clock()
        account_id = account or self.main_id
        last = await self.db(Store.latest_sign_in_time, account_id)
        if last is not None and self.report_through is not None:
            # A run that ended early may have kept a report's newest pages but not its
            # older ones; only a complete run read every window, so never resume past it.
            last = min(last, self.report_through)
        elif self.report_through is None:
            last = None
        start = (last or now - SIGN_IN_HISTORY).date()
        # Committing every 300 events rewrote the same index pages over and over;
        # batch, and keep what was read however the report ends. A backfill (six
        # months) lets the store build the per-email index once at the end.
        bulk = last is None
        batch: list[SignInEvent] = []  # shaped as the store's SignInTuple: no copies
        try:
            pages = self._client.iter_sign_in_events(start, now.date(), account_id=account)
            async with aclosing(pages):
                async for page in pages:
                    batch.extend(page)
                    if len(batch) >= SIGN_IN_BATCH:
                        # Cleared once queued: a batch that cannot be queued is
                        # still written by the ``finally`` below.
                        await self.db.enqueue(Store.add_sign_ins, batch, bulk)
                        batch, bulk = [], False
                    self.sign_ins += len(page)
                    self.report(
                        Progress("sign_ins", self.sign_ins, None, "Sign-in/sign-out report")
                    )
        except (*NOT_ALLOWED, NotFound) as exc:
            key = "sign_ins" if account is None else f"sign_ins:{account_id}"
            self.notes[key] = f"skipped: {exc.message}"
        finally:
            if batch:
                await self.db(Store.add_sign_ins, batch, bulk)
