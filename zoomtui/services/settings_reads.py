"""The settings reads of a run: the readers draining the queue the user listing fills.

One Medium-budget ``Get user settings`` per listed user (and a Light ``Get user`` for
a licensed user whose bundle the listing did not name) is most of a run's calls, so
this part has its own module; :class:`AggregationRun` owns the state, declared here.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from zoomtui.licences import read_feature
from zoomtui.services.addons import LastRead, Listed
from zoomtui.services.context import AppContext
from zoomtui.services.eta import seconds_left
from zoomtui.services.failures import NOT_ALLOWED, one_user_refused
from zoomtui.services.progress import Progress
from zoomtui.services.storethread import StoreThread
from zoomtui.store import Store
from zoomtui.zoom.errors import NotFound, ZoomError
from zoomtui.zoom.models import bundle_name
from zoomtui.zoom.ratelimit import MEDIUM

FLUSH_EVERY = 500


class SettingsReads:
    """The settings-reading steps of :class:`~zoomtui.services.phases.AggregationRun`."""

    # State of the run these steps read and write (set in AggregationRun.__init__).
    ctx: AppContext
    db: StoreThread
    run_id: int
    report: Callable[[Progress], None]
    notes: dict[str, str]
    main_id: str
    max_age: timedelta
    _client: Any
    queue: asyncio.Queue[Listed | None]
    reads: dict[str, LastRead]
    read_now: set[str]
    pending_reads: list[dict[str, Any]]
    unknown_flags: set[str]
    listing_done: bool
    full: bool
    announced: dict[tuple[str, str], int | None]
    listed_so_far: Counter[tuple[str, str]]
    addons_allowed: bool
    bundles_allowed: bool
    skipped_reads: int
    addons_done: int
    settled: int

    def _enqueue(self, listed: Listed) -> None:
        if (
            self.addons_allowed
            and listed.status != "pending"
            and listed.zoom_id not in self.read_now
        ):
            self.read_now.add(listed.zoom_id)
            self.queue.put_nowait(listed)

    async def _settings_worker(self) -> None:
        while True:
            item = await self.queue.get()
            try:
                if item is None:
                    return
                if self.addons_allowed:
                    await self._read_settings(item)
            finally:
                self.settled += item is not None
                self.queue.task_done()

    def _unlisted_reads(self) -> int | None:
        """Settings reads still to come from users not listed yet; None when not known.

        Known on a first or ``--full`` run, where every listed active or deactivated
        user is read, once each of those listings has announced its ``total_records``
        (its first page). A rerun reads only the users whose add-ons may have changed,
        which the listing reveals.
        """
        if self.listing_done:
            return 0
        if not (self.full or not self.reads) or None in self.announced.values():
            return None
        return sum(
            max(0, (total or 0) - self.listed_so_far[key]) for key, total in self.announced.items()
        )

    def _left_s(self) -> float | None:
        """Estimated seconds left: the settings reads still to make at the Medium pace in force.

        The reads dominate a run (one Medium call per user against one per 300
        listed); the reports run beside them in the Heavy budget.
        """
        unlisted = self._unlisted_reads()
        if unlisted is None or not self.addons_allowed:
            return None
        left = len(self.read_now) - self.settled + unlisted
        return seconds_left({MEDIUM: left}, self._client.stats.rates)

    def _report_reads(self) -> None:
        unlisted = self._unlisted_reads() or 0
        self.report(
            Progress("addons", self.addons_done, len(self.read_now) + unlisted,
                     "Reading settings", left_s=self._left_s())
        )  # fmt: skip

    async def _read_settings(self, user: Listed) -> None:
        sub = None if user.account_id == self.main_id else user.account_id
        # Get user (Light) runs beside the settings call (Medium): its own rate budget.
        bundle_read = asyncio.ensure_future(self._read_bundle(user, sub))
        try:
            settings = await self._client.get_user_settings(user.zoom_id, account_id=sub)
            read_bundle = await bundle_read
        except NotFound:
            return  # deleted between the listing and this read; the next run sees it gone
        except NOT_ALLOWED as exc:
            if self.addons_allowed:
                self.addons_allowed = False
                self.notes["addons"] = f"skipped: {exc.message}"
            return
        except ZoomError as exc:
            if not one_user_refused(exc):
                raise
            self._skip_read(exc)  # this user's add-ons stay as last read, or unknown
            return
        finally:
            bundle_read.cancel()  # a no-op once it is done
        feature = read_feature(settings)
        addons = feature.tokens
        self.unknown_flags.update(feature.unknown)
        now = self.ctx.clock()
        self.reads[user.zoom_id] = LastRead(now, user.type, user.bundle, user.status, addons)
        self.pending_reads.append(
            {
                "zoom_id": user.zoom_id,
                "read_at": now,
                "type": user.type,
                "bundle": user.bundle,
                "status": user.status,
                "addons": addons,
                "read_bundle": read_bundle,
            }
        )
        self.addons_done += 1
        if len(self.pending_reads) >= FLUSH_EVERY:
            await self._flush_reads()
        if self.addons_done % 50 == 0:
            self._report_reads()

    def _skip_read(self, exc: ZoomError) -> None:
        """Count a user whose settings Zoom refused; one user must not end the run."""
        self.skipped_reads += 1
        self.notes["settings_skipped"] = (
            f"{self.skipped_reads} user(s)' settings not read; the last answer: {exc.message}"
        )

    async def _read_bundle(self, user: Listed, sub: str | None) -> str | None:
        """The bundle Get user names ('' for none) for a licensed user whose listing did not.

        Zoom's user list names a Workplace bundle only on accounts with duplicate
        plans (``license_info_list``); Get user always has ``zoom_one_type``. None
        when not needed or not allowed, so the stored bundle stays as it was.
        """
        if not self.bundles_allowed or user.type != 2 or user.bundle is not None:
            return None
        try:
            full = await self._client.get_user(user.zoom_id, account_id=sub)
        except NotFound:
            return None
        except ZoomError as exc:
            if isinstance(exc, NOT_ALLOWED):
                if self.bundles_allowed:
                    self.bundles_allowed = False
                    self.notes["bundles"] = f"Workplace bundles not read: {exc.message}"
                return None
            if not one_user_refused(exc):
                raise
            return None
        return bundle_name(full) or ""

    async def _flush_reads(self) -> None:
        if self.pending_reads:
            reads, self.pending_reads = self.pending_reads, []
            await self.db(Store.record_addons, self.run_id, reads)
            self._report_reads()
