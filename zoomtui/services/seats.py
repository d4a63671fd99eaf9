"""Seat counts per plan and add-on, and the licensed users nobody uses (reclaim)."""

from __future__ import annotations

from typing import Any

from zoomtui.services.context import AppContext, ServiceError
from zoomtui.services.users import UserFilter, query_users, resolve_run
from zoomtui.store import Store


def seat_report(ctx: AppContext, run_id: int | None = None) -> list[dict[str, Any]]:
    """One record per account and plan: purchased, assigned, pending and free seats."""
    store = ctx.open_store()
    rows = _seats_of(store, run_id)
    names = {a["id"]: a["name"] for a in store.accounts()}
    out = []
    for row in rows:
        record = dict(row)
        record["account_name"] = names.get(record["account_id"]) or record["account_id"]
        record["free"] = max(0, record["purchased"] - record["assigned"])
        out.append(record)
    return out


def _seats_of(store: Store, run_id: int | None) -> list[dict[str, Any]]:
    """The default run's seats, or a named run's: a run that ended early keeps the
    seat counts it read (they are read first, beside the listings)."""
    if run_id is None:
        return store.seats(resolve_run(store, None))
    run = store.run(run_id)
    if run is None:
        raise ServiceError(f"There is no run {run_id}; `zoomtui runs` lists them.")
    rows = store.seats(run_id)
    if not rows and run.status != "complete":
        raise ServiceError(f"Run {run_id} is {run.status} and recorded no seat counts.")
    return rows


def reclaim(
    ctx: AppContext,
    run_id: int | None = None,
    inactive_days: int | None = None,
    price_per_seat: float | None = None,
) -> dict[str, Any]:
    """Licensed active users inactive for N days, and what their seats cost per year."""
    days = ctx.settings.inactive_days if inactive_days is None else inactive_days
    price = ctx.settings.price_per_seat if price_per_seat is None else price_per_seat
    page = query_users(
        ctx,
        UserFilter(plans=("Licensed",), statuses=("active",), inactive_days=days),
        run_id=run_id,
        sort="days_inactive",
        descending=True,
    )
    return {
        "run_id": page.run_id,
        "inactive_days": days,
        "price_per_seat": price,
        "count": page.total,
        "yearly_savings": round(page.total * price, 2),
        "candidates": page.rows,
    }
