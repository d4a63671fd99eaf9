"""The reclaim journal as the CLI and the TUI show it: one row per change sent (or settled)."""

from __future__ import annotations

import json
from typing import Any

from zoomtui.services.context import AppContext
from zoomtui.store import reclaim as db

COLUMNS = (
    "journal_id",
    "plan_id",
    "kind",
    "email",
    "change",
    "state",
    "attempted_at",
    "answered_at",
    "http_status",
    "zoom_code",
    "message",
)


def describe(request: dict[str, Any]) -> str:
    """``PATCH /users/…`` with its body, in one short line."""
    body = request.get("body")
    params = request.get("params")
    sent = body or params  # as JSON, the way Zoom receives it (not Python's repr)
    extra = f" {json.dumps(sent, sort_keys=True)}" if sent else ""
    return f"{request.get('method', '')} {request.get('path', '')}{extra}"


def journal_rows(ctx: AppContext, plan_id: int | None = None) -> list[dict[str, Any]]:
    """Every journal entry (optionally one plan's), oldest first, ready for a table."""
    conn = ctx.open_store().conn
    return [
        {
            "journal_id": f"J{e['id']}",
            "plan_id": f"P{e['plan_id']}",
            "kind": e["kind"],
            "email": e["email"],
            "change": describe(e["request"]),
            "state": e["state"],
            "attempted_at": e["attempted_at"],
            "answered_at": e["answered_at"] or "",
            "http_status": e["http_status"],
            "zoom_code": e["zoom_code"],
            "message": e["message"],
        }
        for e in db.journal(conn, plan_id=plan_id)
    ]


def plan_summaries(ctx: AppContext) -> list[dict[str, Any]]:
    """Every plan with its item counts by state."""
    conn = ctx.open_store().conn
    out = []
    for plan in db.plans(conn):
        states: dict[str, int] = {}
        for item in db.items(conn, plan["id"]):
            states[item["state"]] = states.get(item["state"], 0) + 1
        out.append({**plan, "plan_id": f"P{plan['id']}", "states": states})
    return out
