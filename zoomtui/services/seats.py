"""Seat counts per plan and add-on, and the licensed users nobody uses (reclaim)."""

from __future__ import annotations

from typing import Any

from zoomtui.licences import plan_type_label
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
        record["type_label"] = plan_type_label(record["type"] or "") or record["type"]
        # An invitation holds a seat; more held than bought is over-assignment, not "free".
        held = record["assigned"] + record["pending"]
        record["free"] = max(0, record["purchased"] - held)
        record["over_assigned"] = max(0, held - record["purchased"])
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
    *,
    rows: bool = True,
) -> dict[str, Any]:
    """Licensed users idle for N days and licensed invitations older than N days, priced.

    Idle means no login, no sign-in and no creation in N days, so a new hire who
    has not logged in yet is not a candidate; an invitation nobody accepted in N
    days holds a seat too, and is its own category (revoke it, don't downgrade).
    """
    days = ctx.settings.inactive_days if inactive_days is None else inactive_days
    price = ctx.settings.price_per_seat if price_per_seat is None else price_per_seat
    idle, invitations = (
        query_users(
            ctx,
            UserFilter(plans=("Licensed",), statuses=(status,), inactive_days=days),
            run_id=run_id,
            sort="days_inactive" if status == "active" else "user_created_at",
            descending=status == "active",
            limit=None if rows else 0,  # counts only (the cross-account summary)
        )
        for status in ("active", "pending")
    )
    return {
        "run_id": idle.run_id,
        "inactive_days": days,
        "price_per_seat": price,
        "count": idle.total,
        "invitations_count": invitations.total,
        "yearly_savings": round((idle.total + invitations.total) * price, 2),
        "candidates": idle.rows,
        "invitations": invitations.rows,
    }
