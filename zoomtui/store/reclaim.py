"""Reclaim plans, their items and the journal of every change sent to Zoom.

The journal is what makes an apply safe to kill: a row is committed as
``attempted`` *before* the request leaves and completed with Zoom's answer
*after* it, each in its own transaction. An ``attempted`` row without an
answer is exactly the one change whose outcome is unknown; the service
resolves it by re-reading the user (services/reclaim/apply.py).

The migration lives here, beside the queries that need it, and registers on
the one ``Migrations`` set of store/schema.py.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from zoomtui.store.lifecycle import write_tx
from zoomtui.store.records import iso
from zoomtui.store.schema import migrations

ITEM_STATES = ("planned", "dropped", "done", "skipped", "failed")
ANSWER_STATES = ("done", "failed", "confirmed", "unchanged")


@migrations()
def m005_reclaim(db: Database) -> None:
    """Reclaim plans, their items, and the journal written before and after each write."""
    for statement in (
        """CREATE TABLE reclaim_plans (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            run_id INTEGER NOT NULL,
            action TEXT NOT NULL,
            definition TEXT NOT NULL,
            idle_days INTEGER NOT NULL,
            price_per_seat REAL NOT NULL,
            yearly_saving REAL NOT NULL
        )""",
        """CREATE TABLE reclaim_items (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES reclaim_plans(id),
            zoom_id TEXT NOT NULL,
            email TEXT NOT NULL,
            account_id TEXT NOT NULL,
            action TEXT NOT NULL,
            addon TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL,
            before TEXT NOT NULL,
            saving REAL NOT NULL,
            state TEXT NOT NULL DEFAULT 'planned',
            note TEXT NOT NULL DEFAULT '',
            undone INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX reclaim_items_plan ON reclaim_items(plan_id)",
        """CREATE TABLE reclaim_journal (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL,
            item_id INTEGER NOT NULL REFERENCES reclaim_items(id),
            kind TEXT NOT NULL,
            step INTEGER NOT NULL,
            email TEXT NOT NULL,
            request TEXT NOT NULL,
            attempted_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'attempted',
            answered_at TEXT,
            http_status INTEGER,
            zoom_code INTEGER,
            message TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX reclaim_journal_item ON reclaim_journal(item_id, kind, step)",
    ):
        db.execute(statement)


_PLAN = "id, created_at, run_id, action, definition, idle_days, price_per_seat, yearly_saving"
_ITEM = (
    "id, plan_id, zoom_id, email, account_id, action, addon, reason, before, saving, state, "
    "note, undone"
)
_JOURNAL = (
    "id, plan_id, item_id, kind, step, email, request, attempted_at, state, answered_at, "
    "http_status, zoom_code, message"
)


def plan(conn: sqlite3.Connection, plan_id: int) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {_PLAN} FROM reclaim_plans WHERE id = ?", (plan_id,)).fetchone()
    return dict(zip(_PLAN.split(", "), row, strict=True)) if row else None


def plans(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute(f"SELECT {_PLAN} FROM reclaim_plans ORDER BY id").fetchall()
    return [dict(zip(_PLAN.split(", "), row, strict=True)) for row in rows]


def items(
    conn: sqlite3.Connection, plan_id: int, offset: int = 0, limit: int | None = None
) -> list[dict[str, Any]]:
    """A plan's items (``limit`` from ``offset``), in plan order, ``reason`` and ``before``
    decoded."""
    rows = conn.execute(
        f"SELECT {_ITEM} FROM reclaim_items WHERE plan_id = ? ORDER BY id LIMIT ? OFFSET ?",
        (plan_id, -1 if limit is None else limit, max(offset, 0)),
    ).fetchall()
    out = []
    for row in rows:
        item = dict(zip(_ITEM.split(", "), row, strict=True))
        item["reason"] = json.loads(item["reason"])
        item["before"] = json.loads(item["before"])
        out.append(item)
    return out


def item_counts(conn: sqlite3.Connection, plan_id: int) -> tuple[int, int]:
    """(items, items still planned) of a plan."""
    total, planned = conn.execute(
        "SELECT count(*), coalesce(sum(state = 'planned'), 0) FROM reclaim_items WHERE plan_id = ?",
        (plan_id,),
    ).fetchone()
    return int(total), int(planned)


def planned_ids(conn: sqlite3.Connection, plan_id: int) -> set[int]:
    """The ids of a plan's items still planned."""
    rows = conn.execute(
        "SELECT id FROM reclaim_items WHERE plan_id = ? AND state = 'planned'", (plan_id,)
    )
    return {row[0] for row in rows}


def set_item(conn: sqlite3.Connection, item_id: int, state: str, note: str = "") -> None:
    if state not in ITEM_STATES:
        raise ValueError(state)
    with write_tx(conn):
        conn.execute(
            "UPDATE reclaim_items SET state = ?, note = ? WHERE id = ?", (state, note, item_id)
        )


def mark_undone(conn: sqlite3.Connection, item_id: int) -> None:
    with write_tx(conn):
        conn.execute("UPDATE reclaim_items SET undone = 1 WHERE id = ?", (item_id,))


def attempt(
    conn: sqlite3.Connection,
    item: dict[str, Any],
    kind: str,
    step: int,
    request: dict[str, Any],
    now: datetime,
) -> int:
    """Journal a change as ``attempted`` and commit, before it is sent; returns its id."""
    with write_tx(conn):
        cur = conn.execute(
            "INSERT INTO reclaim_journal (plan_id, item_id, kind, step, email, request, "
            "attempted_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (item["plan_id"], item["id"], kind, step, item["email"], json.dumps(request), iso(now)),
        )
        return int(cur.lastrowid or 0)


def answer(
    conn: sqlite3.Connection,
    journal_id: int,
    state: str,
    now: datetime,
    http_status: int | None = None,
    zoom_code: int | None = None,
    message: str = "",
    item: tuple[int, str, str] | None = None,
) -> None:
    """Complete a journal row with Zoom's answer (or how an open one was resolved).

    ``item`` = (item id, state, note) sets the plan item in the same transaction: a
    kill between two commits left a journal saying ``done`` beside an item still
    ``planned``, and the next apply skipped it as "changed since the plan".
    """
    if state not in ANSWER_STATES or (item is not None and item[1] not in ITEM_STATES):
        raise ValueError(state)
    with write_tx(conn):
        conn.execute(
            "UPDATE reclaim_journal SET state = ?, answered_at = ?, http_status = ?, "
            "zoom_code = ?, message = ? WHERE id = ?",
            (state, iso(now), http_status, zoom_code, message, journal_id),
        )
        if item is not None:
            conn.execute(
                "UPDATE reclaim_items SET state = ?, note = ? WHERE id = ?",
                (item[1], item[2], item[0]),
            )


def journal(
    conn: sqlite3.Connection, plan_id: int | None = None, item_id: int | None = None
) -> list[dict[str, Any]]:
    """Journal rows, oldest first, optionally of one plan or one item."""
    where, args = [], []
    if plan_id is not None:
        where.append("plan_id = ?")
        args.append(plan_id)
    if item_id is not None:
        where.append("item_id = ?")
        args.append(item_id)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    rows = conn.execute(f"SELECT {_JOURNAL} FROM reclaim_journal{clause} ORDER BY id", args)
    out = []
    for row in rows.fetchall():
        entry = dict(zip(_JOURNAL.split(", "), row, strict=True))
        entry["request"] = json.loads(entry["request"])
        out.append(entry)
    return out


def journal_entry(conn: sqlite3.Connection, journal_id: int) -> dict[str, Any] | None:
    row = conn.execute(
        f"SELECT {_JOURNAL} FROM reclaim_journal WHERE id = ?", (journal_id,)
    ).fetchone()
    if row is None:
        return None
    entry = dict(zip(_JOURNAL.split(", "), row, strict=True))
    entry["request"] = json.loads(entry["request"])
    return entry
