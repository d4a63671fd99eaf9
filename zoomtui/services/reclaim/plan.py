"""Build a reclaim plan from the latest complete run, store it, and read it back from a file.

A plan names each user, the action, why (idle since, last login, hosting,
seats freed, yearly saving) and the state it expects (``before``); the
apply re-reads that state live and skips the item when anything moved.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from zoomtui.services.context import AppContext, ServiceError
from zoomtui.services.reclaim.actions import Action
from zoomtui.services.reclaim.guards import Exclusions, latest_run
from zoomtui.services.seats import (
    DEFINITIONS,
    INVITATION_ORDER,
    ORDER,
    ReclaimQuery,
    reclaim_query,
)
from zoomtui.services.usage import hosting_known
from zoomtui.services.users import UserFilter, store_filters
from zoomtui.store import Store
from zoomtui.store import reclaim as db
from zoomtui.store import reclaim_build as build
from zoomtui.store.queries import UserQuery

FORMAT = "zoomtui-reclaim-plan/1"
UNDO_NOTES = {
    "revoke-invitation": "A revoked invitation cannot be restored, only sent again.",
    "remove-addon": "Undo gives the add-on back with its capacity if a seat is free.",
    "downgrade": "Undo licenses the user again, with bundle and add-ons, if seats are free.",
    "deactivate": "Undo activates the user again and gives back the add-ons.",
}


def build_plan(
    ctx: AppContext,
    action: Action,
    idle_days: int | None = None,
    definition: str = "idle",
    only: set[str] | None = None,
) -> dict[str, Any]:
    """Plan one action for the candidates of the latest complete run; stored, with ids.

    ``only``: e-mails picked in the TUI (a selection on Users or Seats); the
    candidates outside it are left out.
    """
    stored = create_plan(ctx, action, idle_days, definition, only)
    return load_plan(ctx, stored["id"]) | {"excluded": stored["excluded"]}


@dataclass(frozen=True)
class _Planning:
    """What a plan of one action is made from: the run, the plan row, whom it takes."""

    store: Store
    plan: dict[str, Any]  # the plan row but its yearly saving
    take: build.Take
    selection: tuple[build.Take, build.Take]  # the candidates, the old invitations
    shape: build.ItemShape
    excluded: Callable[[str, str], str | None] | None


def _planning(
    ctx: AppContext, action: Action, idle_days: int | None, definition: str, only: set[str] | None
) -> _Planning:
    if definition not in DEFINITIONS:
        raise ServiceError(f"Unknown definition {definition!r}: use idle, unused or both.", 2)
    store = ctx.open_store()
    run = latest_run(ctx, store)
    q = reclaim_query(ctx, run.id, idle_days, None, definition)
    candidates, invitations = _takes(ctx, store, q, only)
    take = invitations if action.name == "revoke-invitation" else candidates
    if action.name == "remove-addon":
        take = replace(take, addon=action.addon)
    price = float(q.price_per_seat)
    plan = {
        "created_at": ctx.clock(),
        "run_id": run.id,
        "action": action.label,
        "definition": definition,
        "idle_days": int(q.inactive_days),
        "price_per_seat": price,
    }
    rules = Exclusions.parse(ctx.settings.reclaim_exclude)
    # Groups are known live only (the apply's guard); e-mails and departments now.
    excluded = rules.reason if rules.emails or rules.departments else None
    shape = _shape(action, definition, q.inactive_days, price)
    return _Planning(store, plan, take, (candidates, invitations), shape, excluded)


def create_plan(
    ctx: AppContext,
    action: Action,
    idle_days: int | None = None,
    definition: str = "idle",
    only: set[str] | None = None,
) -> dict[str, Any]:
    """:func:`build_plan` without reading the items back: written by SQLite from the
    candidate query (store/reclaim_build.py), in the store's thread.

    The items are those of the run's candidates (or its old invitations) in the
    Seats screen's order, ``only`` applied, ``reclaim_exclude`` left out; each the
    same ``reason`` and ``before`` as ever (see :func:`_shape`). The plan returned
    counts its items (``items``, ``planned``), read a page at a time with
    :func:`plan_page`; ``excluded`` lists who ``reclaim_exclude`` left out.
    """
    p = _planning(ctx, action, idle_days, definition, only)
    written = build.create_plan(
        p.store.conn,
        p.store.hosting_windows,
        p.plan,
        p.take,
        p.shape,
        now=p.plan["created_at"],
        hosting=hosting_known(p.store),
        excluded=p.excluded,
    )
    return plan_head(ctx, written.plan_id) | {"excluded": written.excluded}


def preview_plan(
    ctx: AppContext,
    action: Action,
    idle_days: int | None,
    definition: str,
    only: set[str] | None,
    limit: int,
) -> list[dict[str, Any]]:
    """The first ``limit`` items :func:`create_plan` would store, without ids: what the
    TUI shows while the plan is written (read in the other reader thread)."""
    p = _planning(ctx, action, idle_days, definition, only)
    rows = build.preview(
        p.store.conn,
        p.store.hosting_windows,
        p.plan["run_id"],
        p.take,
        p.shape,
        now=p.plan["created_at"],
        hosting=hosting_known(p.store),
        excluded=p.excluded,
        limit=limit,
    )
    return [
        {
            "zoom_id": zoom_id,
            "email": email,
            "account_id": account_id,
            "action": p.shape.action,
            "addon": p.shape.addon,
            "reason": json.loads(reason),
            "before": json.loads(before),
            "saving": p.shape.saving,
        }
        for zoom_id, email, account_id, reason, before in rows
    ]


def addons_held(
    ctx: AppContext, idle_days: int | None, definition: str, only: set[str] | None
) -> dict[str, int]:
    """Add-on name -> how many users hold it, of the selection a plan is made from (the
    latest run's candidates and old invitations, ``only`` applied)."""
    p = _planning(ctx, Action("downgrade"), idle_days, definition, only)
    conn, windows = p.store.conn, p.store.hosting_windows
    return build.addons_held(conn, windows, p.plan["run_id"], p.selection)


def _takes(
    ctx: AppContext, store: Store, q: ReclaimQuery, only: set[str] | None
) -> tuple[build.Take, build.Take]:
    """The candidates and the old invitations of a reclaim query, as the store takes them."""
    return (
        _take(ctx, store, q.candidates, ORDER, only),
        _take(ctx, store, q.invitations, (INVITATION_ORDER[0], False), only),
    )


def plan_page(ctx: AppContext, plan_id: int, offset: int, limit: int) -> list[dict[str, Any]]:
    """``limit`` items of a stored plan from ``offset``, in plan order."""
    return db.items(ctx.open_store().conn, plan_id, offset, limit)


def planned_of(ctx: AppContext, plan_id: int, ids: set[int]) -> set[int]:
    """Which of ``ids`` are items of the plan still planned."""
    return db.planned_ids(ctx.open_store().conn, plan_id) & ids


def plan_head(ctx: AppContext, plan_id: int) -> dict[str, Any]:
    """A stored plan without its items: ``items`` and ``planned`` count them."""
    store = ctx.open_store()
    found = db.plan(store.conn, plan_id)
    if found is None:
        raise ServiceError(
            f"There is no reclaim plan {plan_id}; `zoomtui reclaim journal` lists them.", 2
        )
    total, planned = db.item_counts(store.conn, plan_id)
    note = UNDO_NOTES[found["action"].partition(":")[0]]
    return found | {"items": total, "planned": planned, "undo_note": note}


def _take(
    ctx: AppContext,
    store: Store,
    flt: UserFilter,
    order: tuple[str, bool],
    only: set[str] | None,
) -> build.Take:
    """The store's query of a reclaim filter, as ``query_users`` reads it."""
    query = UserQuery(**store_filters(ctx, store, flt.validated(), ctx.clock()))
    picked = None if only is None else frozenset(only)
    return build.Take(query, order[0], order[1], picked)


def _shape(action: Action, definition: str, idle_days: int, price: float) -> build.ItemShape:
    """An item's action, saving and JSON: why (idle since, last login, hosting, seats freed,
    yearly saving) and the state it expects (``before``), re-read live by the apply."""
    saving = 0.0 if action.name == "remove-addon" else price
    reason = {
        "definition": definition,
        "idle_days": idle_days,
        "last_login_time": build.RowField("last_login_time"),
        "days_inactive": build.RowField("days_inactive"),
        "last_hosted_month": build.RowField("last_hosted_month"),
        "invited_at": build.RowField("invited_at"),  # None unless an invitation (pending)
        "seats_freed": 0 if action.name == "remove-addon" else 1,
        "yearly_saving": saving,
    }
    before = {
        "status": build.RowField("status"),
        "type": build.RowField("type"),
        "plan": build.RowField("plan"),
        "last_login_time": build.RowField("last_login_time"),
        "addons": build.RowField("addons"),
        "dept": build.RowField("dept"),
    }
    return build.ItemShape(action.name, action.addon, saving, reason, before)


def load_plan(ctx: AppContext, plan_id: int) -> dict[str, Any]:
    """A stored plan with its items; one sentence when there is none."""
    store = ctx.open_store()
    found = db.plan(store.conn, plan_id)
    if found is None:
        raise ServiceError(
            f"There is no reclaim plan {plan_id}; `zoomtui reclaim journal` lists them.", 2
        )
    found["items"] = db.items(store.conn, plan_id)
    found["undo_note"] = UNDO_NOTES[found["action"].partition(":")[0]]
    return found


def plan_document(plan: dict[str, Any]) -> dict[str, Any]:
    """The JSON written with ``-o``: what a reviewer reads and edits (drop items to skip them)."""
    keys = ("zoom_id", "email", "account_id", "action", "addon", "reason", "before", "saving")
    return {
        "format": FORMAT,
        "plan_id": plan["id"],
        "run_id": plan["run_id"],
        "created_at": plan["created_at"],
        "action": plan["action"],
        "definition": plan["definition"],
        "idle_days": plan["idle_days"],
        "yearly_saving": plan["yearly_saving"],
        "undo_note": plan["undo_note"],
        "items": [{"item_id": i["id"], **{k: i[k] for k in keys}} for i in plan["items"]],
    }


def read_plan_file(path: Path) -> tuple[int, set[int]]:
    """(plan id, item ids kept) from a plan file; one sentence for anything else."""
    plan_id, kept, _doc = read_plan_document(path)
    return plan_id, kept


ITEM_KEYS = ("zoom_id", "email", "account_id", "action", "addon")
"""What a plan file may not change in a kept item: who is changed, where, and how."""


def verify_plan_file(path: Path, doc: dict[str, Any], plan: dict[str, Any]) -> None:
    """Refuse a file that is not this history's plan, or edits more than dropping items.

    Why: the file names a plan by number only; applied under another profile or
    ``--db`` it would pick that history's plan of the same number, and an edited
    e-mail or id would look applied while the stored item went ahead.
    """
    stored = plan_document(plan)
    for key in ("run_id", "created_at", "action"):
        if doc.get(key) != stored[key]:
            raise ServiceError(
                f"{path} does not match plan P{plan['id']} of this history (its {key} differs): "
                "was it written under another profile or database?",
                2,
            )
    items = {i["item_id"]: i for i in stored["items"]}
    for item in doc["items"]:
        want = items.get(item.get("item_id"))
        if want is None:
            raise ServiceError(
                f"{path} has an item {item.get('item_id')} that plan P{plan['id']} does not: "
                "a plan file may only lose items; build a new plan to add one.",
                2,
            )
        changed = [k for k in ITEM_KEYS if item.get(k) != want[k]]
        if changed:
            raise ServiceError(
                f"{path} changes item {want['item_id']}'s {', '.join(changed)}: a plan file may "
                "only lose items; build a new plan to change one.",
                2,
            )


def read_plan_document(path: Path) -> tuple[int, set[int], dict[str, Any]]:
    """(plan id, item ids kept, the document) from a plan file; one sentence for anything else."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ServiceError(f"There is no plan file {path}.", 2) from None
    except (OSError, UnicodeDecodeError, ValueError):
        raise ServiceError(f"{path} is not a reclaim plan (unreadable JSON).", 2) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ServiceError(f"{path} is not a reclaim plan written by `zoomtui reclaim plan`.", 2)
    plan_id, items = doc.get("plan_id"), doc.get("items")
    if not isinstance(plan_id, int) or not isinstance(items, list):
        raise ServiceError(f"{path} is not a complete reclaim plan (plan_id or items missing).", 2)
    kept = {i.get("item_id") for i in items if isinstance(i, dict)}
    if not all(isinstance(i, int) for i in kept):
        raise ServiceError(f"{path} has an item without a numeric item_id.", 2)
    return plan_id, {int(i) for i in kept if isinstance(i, int)}, doc
