"""Seat counts per plan and add-on, and the licensed users nobody uses (reclaim)."""

from __future__ import annotations

from datetime import timedelta
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


DEFINITIONS = ("idle", "unused", "both")


def reclaim(
    ctx: AppContext,
    run_id: int | None = None,
    inactive_days: int | None = None,
    price_per_seat: float | None = None,
    definition: str = "idle",
) -> dict[str, Any]:
    """Licensed users who need no seat, and licensed invitations older than N days, priced.

    ``definition`` says who does not need it:

    - ``idle``: no login, no sign-in and no creation in N days (a new hire who
      has not logged in yet is not a candidate);
    - ``unused``: hosted no meeting in the months overlapping N days, and not
      created in them — signing in to attend meetings needs no licence;
    - ``both``: idle and not hosting, the cautious reading.

    An invitation nobody accepted in N days holds a seat under every definition
    and is its own category (revoke it, don't downgrade).
    """
    if definition not in DEFINITIONS:
        raise ServiceError(f"Unknown reclaim definition {definition!r}: use idle, unused or both.")
    days = ctx.settings.inactive_days if inactive_days is None else inactive_days
    price = ctx.settings.price_per_seat if price_per_seat is None else price_per_seat
    licensed = UserFilter(
        plans=("Licensed",),
        statuses=("active",),
        inactive_days=None if definition == "unused" else days,
        not_hosted_days=None if definition == "idle" else days,
        hosting_days=days,  # the hosting figures (needs a licence) read the same N days
    )
    idle = query_users(ctx, licensed, run_id=run_id, sort="days_inactive", descending=True)
    candidates = idle.rows
    if definition == "unused":  # a new hire has had no time to host yet
        cut = iso_cut(ctx, days)
        candidates = [
            r for r in candidates if not r["user_created_at"] or r["user_created_at"] < cut
        ]
    invitations = query_users(
        ctx,
        UserFilter(plans=("Licensed",), statuses=("pending",), inactive_days=days),
        run_id=run_id,
        sort="user_created_at",
    )
    return {
        "run_id": idle.run_id,
        "definition": definition,
        "inactive_days": days,
        "price_per_seat": price,
        "count": len(candidates),
        # Idle by logins yet hosting meetings a Basic seat cannot: reclaiming these hurts.
        "needs_licence_count": sum(1 for r in candidates if r.get("needs_licence")),
        "invitations_count": invitations.total,
        "yearly_savings": round((len(candidates) + invitations.total) * price, 2),
        "candidates": candidates,
        "invitations": invitations.rows,
    }


def iso_cut(ctx: AppContext, days: int) -> str:
    """``now - days`` as the store's ISO text, to compare with ``user_created_at``."""
    return (ctx.clock() - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
