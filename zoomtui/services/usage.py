"""Hosting figures per user and the filters on them: who uses a licence, not only who logs in.

The history holds hosting per calendar month (Zoom's host report has no
finer grain, docs/usage-report.md), so "the last N days" means the months
that overlap them: from the month of ``now - N days`` to the current month.
It can reach up to a month further back than N days, never less.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from zoomtui.services.context import AppContext, ServiceError
from zoomtui.store import Store

if TYPE_CHECKING:
    from zoomtui.services.users import UserFilter

HOSTING_FIELDS = (
    "last_hosted_month",
    "hosting_since",
    "meetings_last_n_days",
    "meeting_minutes_last_n_days",
    "needs_licence",
)
NOT_KNOWN = (
    "Hosting is not known yet: no run has read Zoom's host report (it needs the "
    "report:read:admin or report:read:list_users:admin scope)."
)


def since_month(now: datetime, days: int) -> str:
    """The first month (``YYYY-MM``) that overlaps the last ``days`` days."""
    start = now - timedelta(days=days)
    return f"{start.year:04d}-{start.month:02d}"


def hosting_window(ctx: AppContext, flt: UserFilter) -> int:
    """N of the per-user figures: the filter's own window, else the ``inactive_days`` setting."""
    for days in (flt.hosting_days, flt.not_hosted_days):
        if days is not None:
            return days
    return ctx.settings.inactive_days


def hosting_known(store: Store) -> bool:
    """Whether any run has read the host report (else "not hosted" would mean "not read")."""
    return bool(store.hosting_months())


def hosting_filters(ctx: AppContext, store: Store, flt: UserFilter) -> dict[str, Any]:
    """The store's hosting filter arguments for ``flt``; refuses when hosting was never read."""
    if flt.not_hosted_days is None and flt.hosted_minutes_below is None:
        return {}
    if not hosting_known(store):
        raise ServiceError(NOT_KNOWN)
    now = ctx.clock()
    out: dict[str, Any] = {}
    if flt.not_hosted_days is not None:
        out["not_hosted_since"] = since_month(now, flt.not_hosted_days)
    if flt.hosted_minutes_below is not None:
        window = since_month(now, hosting_window(ctx, flt))
        out["hosted_minutes_below"] = (window, flt.hosted_minutes_below)
    return out


def add_hosting(ctx: AppContext, store: Store, rows: list[dict[str, Any]], days: int) -> None:
    """Add the hosting fields to user records (None throughout when hosting was never read).

    ``needs_licence``: within the window, some month's meetings averaged more
    than ``licence_min_minutes`` minutes or more than ``licence_min_participants``
    participants — what a Basic (free) meeting cannot do.
    """
    if not rows:
        return
    if not hosting_known(store):
        for row in rows:
            row.update(dict.fromkeys(HOSTING_FIELDS))
        return
    since = since_month(ctx.clock(), days)
    found = store.hosting_summaries(
        [row["email"] for row in rows],
        since,
        ctx.settings.licence_min_minutes,
        ctx.settings.licence_min_participants,
    )
    for row in rows:
        summary = found.get(row["email"].casefold())
        row["last_hosted_month"] = summary["last_hosted_month"] if summary else None
        row["hosting_since"] = since
        row["meetings_last_n_days"] = summary["meetings"] if summary else 0
        row["meeting_minutes_last_n_days"] = summary["meeting_minutes"] if summary else 0
        row["needs_licence"] = bool(summary and summary["needs_licence"])
