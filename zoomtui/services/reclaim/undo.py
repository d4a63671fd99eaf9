"""Undo applied changes from the state the journal recorded right before each of them.

Each undo step is journaled like an apply (attempted, then Zoom's answer) and
skipped when the live state already shows it, so an interrupted undo can be
run again. A revoked invitation cannot be restored; it is said, not tried.
"""

from __future__ import annotations

import re
from typing import Any

from zoomtui.services.context import AppContext, ServiceError
from zoomtui.services.reclaim.actions import undo_requests
from zoomtui.services.reclaim.apply import NO_ANSWER, main_account, scope_problem
from zoomtui.services.reclaim.live import account_path, reached, read_user
from zoomtui.store import reclaim as db
from zoomtui.zoom.admin import AdminApi
from zoomtui.zoom.errors import ZoomError

TARGET = re.compile(r"(?i)^(p|plan:|j|journal:)?(\d+)$")


def parse_target(text: str) -> tuple[str, int]:
    """``P3`` / ``plan:3`` is a plan; ``J12`` / ``12`` a journal entry."""
    found = TARGET.match(text.strip())
    if not found:
        raise ServiceError(
            f"{text!r} is neither a journal entry (J12) nor a plan (P3); "
            "`zoomtui reclaim journal` lists them.",
            exit_code=2,
        )
    kind = "plan" if (found.group(1) or "").lower().startswith("p") else "journal"
    return kind, int(found.group(2))


def undo_targets(ctx: AppContext, kind: str, number: int) -> list[dict[str, Any]]:
    """The applied journal entries to undo (newest first), each with its item."""
    conn = ctx.open_store().conn
    if kind == "journal":
        entry = db.journal_entry(conn, number)
        if entry is None or entry["kind"] != "apply":
            raise ServiceError(f"There is no applied change J{number} in the journal.", exit_code=2)
        if entry["state"] == "attempted":
            raise ServiceError(
                f"J{number}'s outcome is unknown (interrupted): apply its plan P{entry['plan_id']} "
                "again to settle it from Zoom's live state, then undo.",
                exit_code=2,
            )
        if entry["state"] not in ("done", "confirmed"):
            raise ServiceError(
                f"J{number} changed nothing in Zoom ({entry['state']}).", exit_code=2
            )
        entries = [entry]
    else:
        if db.plan(conn, number) is None:
            raise ServiceError(f"There is no reclaim plan P{number}.", exit_code=2)
        entries = [
            e
            for e in db.journal(conn, plan_id=number)
            if e["kind"] == "apply" and e["state"] in ("done", "confirmed")
        ]
    items = {i["id"]: i for e in entries for i in db.items(conn, e["plan_id"])}
    out = []
    for entry in reversed(entries):
        item = items[entry["item_id"]]
        if not item["undone"]:
            out.append({**entry, "item": item})
    return out


async def undo(ctx: AppContext, kind: str, number: int) -> dict[str, Any]:
    """Give back what the targeted changes took; returns one outcome per change."""
    targets = undo_targets(ctx, kind, number)
    main = main_account(ctx)
    outcomes: list[dict[str, Any]] = []
    if not targets:
        return {"outcomes": outcomes, "restored": 0}
    async with ctx.make_client() as client:
        token = await client.token()
        for action in {t["item"]["action"] for t in targets}:
            problem = scope_problem(token.scopes, action, undo=True)
            if problem and action != "revoke-invitation":
                raise ServiceError(problem)
        api = AdminApi(client)
        for target in targets:
            outcomes.append(await _undo_one(ctx, api, target, main))
    return {"outcomes": outcomes, "restored": sum(o["result"] == "restored" for o in outcomes)}


async def _undo_one(
    ctx: AppContext, api: AdminApi, target: dict[str, Any], main: str | None
) -> dict[str, Any]:
    conn = ctx.open_store().conn
    item = target["item"]
    base = {"journal_id": f"J{target['id']}", "email": item["email"], "action": item["action"]}
    if item["action"] == "revoke-invitation":
        why = "a revoked invitation cannot be restored: invite the user again"
        return {**base, "result": "not restorable", "reason": why}
    path = account_path(item["account_id"], main)
    sub = item["account_id"] if path else None
    before = target["request"].get("live_before") or {}
    steps = undo_requests(item["action"], before, item["zoom_id"], path)
    for step, request in enumerate(steps):
        live = await read_user(api, item["zoom_id"], sub, pending=False)
        if live.user is None:
            return {**base, "result": "failed", "reason": "the user no longer exists in Zoom"}
        if reached(request, live):
            continue
        journal_id = db.attempt(conn, item, "undo", step, request, ctx.clock())
        try:
            answer = await api.write(request["method"], request["path"], request.get("body"))
        except ZoomError as exc:
            raise ServiceError(NO_ANSWER.format(f"journal J{journal_id}: {exc.message}")) from exc
        state = "done" if answer.ok else "failed"
        db.answer(conn, journal_id, state, ctx.clock(), answer.status, answer.code, answer.message)
        if not answer.ok:
            reason = f"Zoom answered {answer.status}: {answer.message}"
            return {**base, "result": "failed", "reason": reason}
    db.mark_undone(conn, item["id"])
    return {**base, "result": "restored", "reason": ""}
