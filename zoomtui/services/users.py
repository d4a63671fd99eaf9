"""The users of a run: filters, sorting, windows and one user's detail."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from zoomtui.filters import FilterFields
from zoomtui.licences import addon_filter_tokens
from zoomtui.services.context import AppContext, ServiceError
from zoomtui.services.usage import (
    add_hosting,
    hosting_filters,
    hosting_known,
    hosting_window,
    since_month,
)
from zoomtui.store import Store
from zoomtui.store.columns import SORT_KEYS as STORE_SORT_KEYS
from zoomtui.zoom.client import USER_STATUSES  # Zoom's words; "inactive" is deactivated

# The product says "deactivated" for Zoom's "inactive" (idle is the login-based meaning).
STATUS_ALIASES = {"deactivated": "inactive"}
PLANS = ("Basic", "Licensed", "On-prem", "Unassigned", "None")
# What the users view and ``--sort`` offer: the store's sortable columns (declared
# once in store/columns.py) but the Zoom id, the display name and the raw activity
# time (days_inactive sorts by it, in the operator's words).
SORT_KEYS = tuple(
    key for key in STORE_SORT_KEYS if key not in ("id", "display_name", "last_activity")
)
MAX_SEARCH = 200
MAX_DAYS = 36500  # a century: more is a typo, and would overflow date arithmetic


@dataclass(frozen=True)
class UserFilter(FilterFields):
    """What the users view and ``zoomtui users`` filter on; deactivated hidden by default."""

    statuses: tuple[str, ...] = ("active", "pending")
    hosting_days: int | None = None  # the window N; default not_hosted_days, then the setting
    created_days: int | None = None  # created at least N days ago (or creation not known)

    def validated(self) -> UserFilter:
        """The same filter with canonical plan names; one clear sentence when a value is wrong."""
        plans = tuple(canonical_plan(p) for p in self.plans)
        addons = tuple(a.strip().lower() for a in self.addons)
        for addon in addons:
            if addon_filter_tokens(addon) is None:
                raise ServiceError(
                    f"Unknown add-on {addon!r}: use a name such as webinar or large_meeting, "
                    "or one capacity such as webinar:1000, one per --addon.",
                    exit_code=2,
                )
        statuses = tuple(STATUS_ALIASES.get(s, s) for s in self.statuses)
        for status in statuses:
            if status not in USER_STATUSES:
                raise ServiceError(
                    f"Unknown status {status!r}: use active, pending or deactivated.",
                    exit_code=2,
                )
        if self.inactive_days is not None and not 0 <= self.inactive_days <= MAX_DAYS:
            raise ServiceError(
                f"--inactive-days must be between 0 and {MAX_DAYS} days.", exit_code=2
            )
        for name, days in (("--not-hosted-days", self.not_hosted_days),
                           ("hosting days", self.hosting_days),
                           ("created days", self.created_days)):  # fmt: skip
            if days is not None and not 0 <= days <= MAX_DAYS:
                raise ServiceError(f"{name} must be between 0 and {MAX_DAYS} days.", exit_code=2)
        if self.hosted_minutes_below is not None and self.hosted_minutes_below < 0:
            raise ServiceError("--hosted-minutes-below must be 0 or more minutes.", exit_code=2)
        search = self.search
        if len(search) > MAX_SEARCH:
            search = search[:MAX_SEARCH]
        return replace(self, plans=plans, statuses=statuses, addons=addons, search=search)


@dataclass(frozen=True)
class UserPage:
    """One window of a filtered, sorted user list and the size of the whole list."""

    run_id: int
    rows: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0


def canonical_plan(text: str) -> str:
    """``licensed`` -> ``Licensed``, ``type 7`` -> ``Type 7``; refuses anything else."""
    for plan in PLANS:
        if text.strip().lower() == plan.lower():
            return plan
    parts = text.strip().split()
    if len(parts) == 2 and parts[0].lower() == "type" and parts[1].isdigit():
        return f"Type {int(parts[1])}"
    raise ServiceError(
        f"Unknown plan {text!r}: use one of {', '.join(PLANS)} or 'Type N'.", exit_code=2
    )


def resolve_run(store: Store, run_id: int | None) -> int:
    """The run to read: the given one if it is complete, else the latest complete run."""
    if run_id is None:
        latest = store.latest_complete_run()
        if latest is None:
            raise ServiceError("There is no complete run yet: run `zoomtui aggregate` first.")
        return latest.id
    run = store.run(run_id)
    if run is None:
        raise ServiceError(f"There is no run {run_id}; `zoomtui runs` lists them.", exit_code=2)
    if run.status != "complete":
        raise ServiceError(
            f"Run {run_id} is {run.status}; only complete runs hold a user list.", exit_code=2
        )
    return run_id


def query_users(
    ctx: AppContext,
    flt: UserFilter,
    run_id: int | None = None,
    sort: str = "email",
    descending: bool = False,
    offset: int = 0,
    limit: int | None = None,
) -> UserPage:
    """One window of the run's users that match the filter."""
    if sort not in SORT_KEYS:
        raise ServiceError(
            f"Cannot sort by {sort!r}: use one of {', '.join(SORT_KEYS)}.", exit_code=2
        )
    flt = flt.validated()
    store = ctx.open_store()
    run = resolve_run(store, run_id)
    now = ctx.clock()
    rows, total = store.users(
        run,
        sort=sort,
        descending=descending,
        offset=offset,
        limit=limit,
        now=now,
        **store_filters(ctx, store, flt, now),
    )
    add_hosting(ctx, store, rows, hosting_window(ctx, flt))
    return UserPage(run, rows, total)


def store_filters(ctx: AppContext, store: Store, flt: UserFilter, now: datetime) -> dict[str, Any]:
    """The store's filter arguments for a validated filter, times relative to ``now``."""

    def before(days: int | None) -> datetime | None:
        return None if days is None else now - timedelta(days=days)

    return {
        "plans": flt.plans or None,  # the store reads an empty list as "match nothing"
        "statuses": flt.statuses or None,
        "addons": flt.addons or None,
        "account": flt.account,
        "dept": flt.dept,
        "inactive_before": before(flt.inactive_days),
        "never_logged_in": flt.never_logged_in,
        "search": flt.search,
        "created_before": before(flt.created_days),
        **hosting_filters(ctx, store, flt),
    }


def count_needing(
    ctx: AppContext, flt: UserFilter, run_id: int | None = None
) -> tuple[int, int, int]:
    """(run, users matching, how many of them need a licence by hosting): the count of
    ``query_users(...).total`` and of its rows' ``needs_licence``, read without the rows."""
    flt = flt.validated()
    store = ctx.open_store()
    run = resolve_run(store, run_id)
    if not hosting_known(store):  # add_hosting: no row needs one when hosting was never read
        return run, store.count_users(run, **store_filters(ctx, store, flt, ctx.clock())), 0
    settings, now = ctx.settings, ctx.clock()
    needs = (
        since_month(now, hosting_window(ctx, flt)),
        settings.licence_min_minutes,
        settings.licence_min_participants,
    )
    total, needing = store.count_needing(run, needs, **store_filters(ctx, store, flt, now))
    return run, total, needing


def user_detail(ctx: AppContext, email: str, run_id: int | None = None) -> dict[str, Any]:
    """One user's record, sign-in history and changes across runs."""
    store = ctx.open_store()
    run = resolve_run(store, run_id)
    rows, _ = store.users(run, statuses=USER_STATUSES, email=email, now=ctx.clock(), limit=50)
    record = next(iter(rows), None)
    if record is not None:
        add_hosting(ctx, store, [record], ctx.settings.inactive_days)
    return {
        "record": record,
        "sign_ins": store.sign_ins_of(email, limit=200),
        "hosting": store.hosting_of(email),
        "history": store.history_of(email),
    }


def filter_options(ctx: AppContext, run_id: int | None = None) -> dict[str, list[str]]:
    """The plans, add-ons, accounts and departments present in a run, for pick lists."""
    store = ctx.open_store()
    return store.distinct_values(resolve_run(store, run_id))
