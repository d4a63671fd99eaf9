"""Build a reclaim plan from the latest complete run, store it, and read it back from a file.

A plan names each user, the action, why (idle since, last login, hosting,
seats freed, yearly saving) and the state it expects (``before``); the
apply re-reads that state live and skips the item when anything moved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zoomtui.services.context import AppContext, ServiceError
from zoomtui.services.reclaim.actions import Action
from zoomtui.services.reclaim.guards import Exclusions, latest_run
from zoomtui.services.seats import DEFINITIONS, ReclaimResult, reclaim
from zoomtui.store import reclaim as db

FORMAT = "zoomtui-reclaim-plan/1"
UNDO_NOTES = {
    "revoke-invitation": "A revoked invitation cannot be restored, only sent again.",
    "remove-addon": "Undo gives the add-on back with its capacity if a seat is free.",
    "downgrade": "Undo licenses the user again, with bundle and add-ons, if seats are free.",
    "deactivate": "Undo activates the user again and gives back the add-ons.",
}


@dataclass(frozen=True)
class Draft:
    """A plan read from the history and not stored yet: what :func:`store_plan` writes."""

    plan: dict[str, Any]  # created_at, run_id, action, definition, idle_days, price, saving
    items: list[dict[str, Any]]  # in plan order, without ids
    excluded: list[dict[str, str]]  # e-mail and why (reclaim_exclude)


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
    return store_plan(ctx, draft_plan(ctx, action, idle_days, definition, only)[0])


def draft_plan(
    ctx: AppContext,
    action: Action,
    idle_days: int | None = None,
    definition: str = "idle",
    only: set[str] | None = None,
) -> tuple[Draft, list[dict[str, Any]]]:
    """:func:`build_plan` up to the write, and the selection's rows it was planned from
    (the run's candidates then its old invitations, ``only`` applied), read once for both."""
    if definition not in DEFINITIONS:
        raise ServiceError(f"Unknown definition {definition!r}: use idle, unused or both.", 2)
    store = ctx.open_store()
    run = latest_run(ctx, store)
    found = reclaim(ctx, run_id=run.id, inactive_days=idle_days, definition=definition)
    price = float(found.price_per_seat)
    rows = found.invitations if action.name == "revoke-invitation" else found.candidates
    if action.name == "remove-addon":
        rows = [r for r in rows if action.addon in (r.get("addons") or [])]
    rules = Exclusions.parse(ctx.settings.reclaim_exclude)
    items, excluded = [], []
    for row in rows:
        if only is not None and row["email"].casefold() not in only:
            continue
        why = rules.reason(row["email"], row.get("dept"))
        if why:
            excluded.append({"email": row["email"], "reason": why})
            continue
        items.append(_item(row, action, found, price))
    plan = {
        "created_at": ctx.clock(),
        "run_id": run.id,
        "action": action.label,
        "definition": definition,
        "idle_days": int(found.inactive_days),
        "price_per_seat": price,
        "yearly_saving": round(sum(i["saving"] for i in items), 2),
    }
    selection = found.rows
    if only is not None:
        selection = [r for r in selection if r["email"].casefold() in only]
    return Draft(plan, items, excluded), selection


def store_plan(ctx: AppContext, draft: Draft) -> dict[str, Any]:
    """Write a drafted plan and its items in one transaction; the plan with ids, as stored."""
    plan_id = db.create_plan(ctx.open_store().conn, draft.plan, draft.items)
    return load_plan(ctx, plan_id, draft.items) | {"excluded": draft.excluded}


def _item(row: dict[str, Any], action: Action, found: ReclaimResult, price: float) -> dict:
    pending = row["status"] == "pending"
    saving = 0.0 if action.name == "remove-addon" else price
    reason = {
        "definition": found.definition,
        "idle_days": found.inactive_days,
        "last_login_time": row.get("last_login_time"),
        "days_inactive": row.get("days_inactive"),
        "last_hosted_month": row.get("last_hosted_month"),
        "invited_at": row.get("user_created_at") if pending else None,
        "seats_freed": 0 if action.name == "remove-addon" else 1,
        "yearly_saving": saving,
    }
    before = {
        "status": row["status"],
        "type": row.get("type"),
        "plan": row.get("plan"),
        "last_login_time": row.get("last_login_time"),
        "addons": list(row.get("addons") or []),
        "dept": row.get("dept") or "",
    }
    return {
        "zoom_id": row.get("id") or row["email"],
        "email": row["email"],
        "account_id": row["account_id"],
        "action": action.name,
        "addon": action.addon,
        "reason": reason,
        "before": before,
        "saving": saving,
    }


def load_plan(
    ctx: AppContext, plan_id: int, written: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A stored plan with its items; one sentence when there is none.

    ``written``: the items :func:`build_plan` has just stored, which need not be
    read and decoded again.
    """
    store = ctx.open_store()
    found = db.plan(store.conn, plan_id)
    if found is None:
        raise ServiceError(
            f"There is no reclaim plan {plan_id}; `zoomtui reclaim journal` lists them.", 2
        )
    if written is None:
        found["items"] = db.items(store.conn, plan_id)
    else:
        found["items"] = db.created_items(store.conn, plan_id, written)
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
