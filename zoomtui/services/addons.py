"""Which users' settings must be re-read this run: the add-on freshness rule.

Reading every user's settings is one Medium call per user (the N+1 of Zoom's
API), so a rerun only reads users whose add-ons may have changed: new users,
users whose type or bundle changed, users not read for ``max_age``, and every
licensed user of an account whose plan-usage seat count for an add-on
disagrees with the stored per-user tally — so a change visible in Zoom's own
seat counts is never missed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

# Per-user ``feature`` flag -> the plan-usage key that counts its seats.
ADDON_PLANS: dict[str, str] = {
    "large_meeting": "plan_large_meeting",
    "webinar": "plan_webinar",
    "zoom_events": "plan_zoom_events",
    "zoom_phone": "plan_phone",
    "zoom_whiteboard": "plan_whiteboard",
    "zoom_whiteboard_plus": "plan_whiteboard_plus",
    "zoom_iq_for_sales": "plan_zoom_iq",
    "zoom_translated_captions": "plan_ztransl",
    "zoom_workforce_management": "plan_workforce_management",
    "zoom_scheduler": "plan_zsched",
    "zoom_clips_plus": "plan_zoom_clips_plus",
}


@dataclass(frozen=True, slots=True)
class Listed:
    """What the listing tells about one user that matters for the rule."""

    zoom_id: str
    account_id: str
    type: int
    bundle: str | None
    status: str

    @property
    def licensed(self) -> bool:
        return self.type == 2 or self.bundle is not None


@dataclass(frozen=True, slots=True)
class AddonRead:
    """The stored result of the last settings read of one user."""

    read_at: datetime
    type: int | None
    bundle: str | None
    status: str | None
    addons: tuple[str, ...]


def stale_reads(
    users: Iterable[Listed],
    reads: Mapping[str, AddonRead],
    now: datetime,
    max_age: timedelta,
    rolling: frozenset[str] = frozenset(),
) -> set[str]:
    """Users to re-read whatever the seat counts say: new, changed type/bundle/status, or stale.

    ``rolling`` is this run's share of the refresh (see `rolling.rolling_refresh`); ``max_age``
    stays a hard limit for whatever the rotation has not reached.
    """
    due: set[str] = set()
    for u in users:
        if u.status == "pending":
            continue
        read = reads.get(u.zoom_id)
        if (
            read is None
            or read.type != u.type
            or read.bundle != u.bundle
            or read.status != u.status
            or u.zoom_id in rolling
            or now - read.read_at >= max_age
        ):
            due.add(u.zoom_id)
    return due


def seat_mismatches(
    users: Iterable[Listed],
    reads: Mapping[str, AddonRead],
    seats: Mapping[str, Mapping[str, int]],
) -> dict[str, set[str]]:
    """Accounts whose plan-usage ``assigned`` count disagrees with the stored tally, per add-on.

    ``seats`` maps account id to {plan key: assigned}; accounts whose plan usage
    was not readable are absent and never flagged.
    """
    tally: dict[str, Counter[str]] = {}
    for u in users:
        if u.status != "active":
            continue
        read = reads.get(u.zoom_id)
        if read is None:
            continue
        counter = tally.setdefault(u.account_id, Counter())
        for addon in read.addons:
            plan = ADDON_PLANS.get(addon)
            if plan:
                counter[plan] += 1
    flagged: dict[str, set[str]] = {}
    for account_id, by_plan in seats.items():
        counter = tally.get(account_id, Counter())
        for plan in ADDON_PLANS.values():
            if plan in by_plan and by_plan[plan] != counter.get(plan, 0):
                flagged.setdefault(account_id, set()).add(plan)
    return flagged


def licensed_of(users: Iterable[Listed], accounts: Iterable[str]) -> set[str]:
    """Active licensed users of the given accounts (the re-read set after a mismatch)."""
    wanted = set(accounts)
    return {
        u.zoom_id for u in users if u.account_id in wanted and u.status == "active" and u.licensed
    }
