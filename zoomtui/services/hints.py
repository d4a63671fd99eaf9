"""Whose settings to re-read after a seat count moved: hints from Zoom's operation logs.

A rerun re-reads the settings of users whose listing changed (new, type,
bundle, status) and its share of the rolling refresh. A change of add-ons
alone shows nowhere in the listing, only in plan usage's seat counts; without
hints, a moved count meant re-reading every licensed user of the account
(45,778 reads after 2% of 100,000 users changed). Zoom's operation logs
(``GET /report/operationlogs``, Heavy, docs/zoom-operation-logs.md) list the
admin actions on users, licence assignments included; each user they name
since the last complete run is re-read too. The seat counts still decide: a
difference the hinted reads do not reconcile falls back to re-reading the
whole account (``Phases._enqueue_mismatches``), so exactness never depends
on a hint. Hints only save calls.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from zoomtui.zoom.errors import DailyLimitReached, ZoomError
from zoomtui.zoom.oplogs import hinted_emails
from zoomtui.zoom.pagination import add_months

# Read from a day before the last complete run began: an entry Zoom writes late,
# with a time before that run, is still inside the next run's window.
OVERLAP = timedelta(days=1)
NOTE = "operation_logs"
FALLBACK = "seat-count differences re-read every licensed user of the account instead"


class Hints:
    """Reads the operation logs of every account and keeps the e-mail addresses they name."""

    def __init__(self, client: Any, notes: dict[str, str], main_id: str) -> None:
        self.client, self.notes, self.main_id = client, notes, main_id
        self.entries = 0
        self.emails: set[str] | None = None  # None: not read (fall back)

    async def read(self, accounts: list[str | None], since: datetime | None, now: datetime) -> None:
        """Collect the hints of [since - OVERLAP, now]; on any refusal note why and keep none."""
        if since is None:
            return  # first run: every user's settings are read anyway
        start, today = (since - OVERLAP).date(), now.date()
        if start < add_months(today, -6):
            self.notes[NOTE] = (
                "not read: the last complete run is older than the six months Zoom keeps; "
                + FALLBACK
            )
            return
        emails: set[str] = set()
        for account in accounts:
            try:
                pages = self.client.iter_operation_logs(start, today, account_id=account)
                async for page in pages:
                    self.entries += len(page)
                    emails |= hinted_emails(page)
            except DailyLimitReached:
                raise  # the run ends partial, as for every other call
            except ZoomError as exc:  # a missing scope, a refusal, an error: no hints
                self.notes[NOTE] = f"not read ({exc.message}); {FALLBACK}"
                return
        self.emails = emails

    def stats(self) -> dict[str, Any]:
        return {"oplog_entries": self.entries, "oplog_read": self.emails is not None}
