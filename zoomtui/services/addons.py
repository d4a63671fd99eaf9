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
from typing import Any

from zoomtui.licences import plan_keys

# Licence name -> the plan-usage key that counts its seats (zoom/licences.py).
ADDON_PLANS: dict[str, str] = plan_keys()


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
class LastRead:
    """What the history holds of one user's last settings read.

    Not the store's ``AddonRead``, which is one read being written.
    """

    read_at: datetime
    type: int | None
    bundle: str | None
    status: str | None
    addons: tuple[str, ...]


def stale_reads(
    users: Iterable[Listed],
    reads: Mapping[str, LastRead],
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


def seat_differences(
    users: Iterable[Listed],
    reads: Mapping[str, LastRead],
    seats: Mapping[str, Mapping[str, int]],
) -> dict[str, dict[str, tuple[int, int]]]:
    """Per account and add-on pool: (plan-usage ``assigned``, stored tally) where they differ.

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
            plan = ADDON_PLANS.get(addon.partition(":")[0])
            if plan:
                counter[plan] += 1
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for account_id, by_plan in seats.items():
        counter = tally.get(account_id, Counter())
        for plan in ADDON_PLANS.values():
            if plan in by_plan and by_plan[plan] != counter.get(plan, 0):
                out.setdefault(account_id, {})[plan] = (by_plan[plan], counter.get(plan, 0))
    return out


def unexplained(
    differences: Mapping[str, Mapping[str, tuple[int, int]]],
    known: Mapping[str, Mapping[str, Any]],
) -> dict[str, set[str]]:
    """The differences a recount may explain: those not already left after an earlier one.

    Zoom's ``usage`` may count what no per-user flag shows (a bundle's included
    add-ons, deactivated holders): a difference that a full re-read did not
    reconcile would otherwise cost a re-read of every licensed user of the
    account on every run. What is compared is the gap (``usage`` − tally): when
    seats moved and this run's reads (hinted or changed users) moved the tally
    by as much, the gap is the one left before and nothing was missed; a change
    no read saw moves ``usage`` alone, so the gap moves and the account is
    re-read.
    """
    out: dict[str, set[str]] = {}
    for account, plans in differences.items():
        for plan, (usage, tally) in plans.items():
            before = known.get(account, {}).get(plan)
            same_gap = (
                isinstance(before, list | tuple)
                and len(before) == 2
                and all(isinstance(v, int) for v in before)
                and before[0] - before[1] == usage - tally
            )
            if not same_gap:
                out.setdefault(account, set()).add(plan)
    return out


def licensed_of(users: Iterable[Listed], accounts: Iterable[str]) -> set[str]:
    """Active licensed users of the given accounts (the re-read set after a mismatch)."""
    wanted = set(accounts)
    return {
        u.zoom_id for u in users if u.account_id in wanted and u.status == "active" and u.licensed
    }
