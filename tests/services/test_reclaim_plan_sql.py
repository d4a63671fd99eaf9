"""The plan SQLite writes (store/reclaim_build.py) is byte for byte the plan Python wrote.

The reference below is the code the plan was built with before: every candidate
read as a record, an item built per row, ``json.dumps`` per item, then inserted.
Both are run on the same history for every definition, three windows and every
action, with exclusions and a picked selection; the stored rows must be equal.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from zoomtui.services.context import AppContext
from zoomtui.services.demo import demo_context, fill_demo_history
from zoomtui.services.reclaim.actions import Action
from zoomtui.services.reclaim.guards import Exclusions, latest_run
from zoomtui.services.reclaim.plan import (
    addons_held,
    build_plan,
    create_plan,
    plan_page,
    preview_plan,
)
from zoomtui.services.seats import ReclaimResult, reclaim
from zoomtui.store.lifecycle import write_tx
from zoomtui.store.reclaim_build import _quoted, _register
from zoomtui.store.records import iso

NOW = datetime(2026, 3, 2, 9, 30, 17, 654321, tzinfo=UTC)  # not a whole second: days floor
PLAN_COLUMNS = "created_at, run_id, action, definition, idle_days, price_per_seat, yearly_saving"
ITEM_KEYS = ("zoom_id", "email", "account_id", "action", "addon", "reason", "before", "saving")
ITEM_COLUMNS = (
    "zoom_id, email, account_id, action, addon, reason, before, saving, state, note, undone"
)


# -- the reference: the Python path as it was --------------------------------------------------


def _old_item(row: dict[str, Any], action: Action, found: ReclaimResult, price: float) -> dict:
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


def old_plan(
    ctx: AppContext, action: Action, days: int, definition: str, only: set[str] | None
) -> tuple[int, list[dict[str, str]]]:
    """The plan as ``draft_plan`` then ``store_plan`` wrote it: (plan id, excluded)."""
    store = ctx.open_store()
    run = latest_run(ctx, store)
    found = reclaim(ctx, run_id=run.id, inactive_days=days, definition=definition)
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
        items.append(_old_item(row, action, found, price))
    plan = {
        "created_at": ctx.clock(),
        "run_id": run.id,
        "action": action.label,
        "definition": definition,
        "idle_days": int(found.inactive_days),
        "price_per_seat": price,
        "yearly_saving": round(sum(i["saving"] for i in items), 2),
    }
    return _old_store(store.conn, plan, items), excluded


def _old_store(conn: sqlite3.Connection, plan: dict[str, Any], items: Sequence[dict]) -> int:
    with write_tx(conn):
        cur = conn.execute(
            f"INSERT INTO reclaim_plans ({PLAN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (iso(plan["created_at"]), plan["run_id"], plan["action"], plan["definition"],
             plan["idle_days"], plan["price_per_seat"], plan["yearly_saving"]),
        )  # fmt: skip
        plan_id = int(cur.lastrowid or 0)
        conn.executemany(
            "INSERT INTO reclaim_items (plan_id, zoom_id, email, account_id, action, addon, "
            "reason, before, saving) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(plan_id, i["zoom_id"], i["email"], i["account_id"], i["action"], i["addon"],
              json.dumps(i["reason"]), json.dumps(i["before"]), i["saving"]) for i in items],
        )  # fmt: skip
    return plan_id


# -- the comparison ------------------------------------------------------------------------------


def stored(conn: sqlite3.Connection, plan_id: int) -> tuple[tuple, list[tuple]]:
    plan = conn.execute(f"SELECT {PLAN_COLUMNS} FROM reclaim_plans WHERE id = ?", (plan_id,))
    items = conn.execute(
        f"SELECT {ITEM_COLUMNS} FROM reclaim_items WHERE plan_id = ? ORDER BY id", (plan_id,)
    )
    return plan.fetchone(), items.fetchall()


@pytest.fixture
async def history(db_path: Path) -> Any:
    """A demo history with hostile names (escapes, markup, non-ASCII) and hosting read."""
    ctx = demo_context(db_path, clock=lambda: NOW - timedelta(days=1), users=300, fill=False,
                       hostile=True)  # fmt: skip
    await fill_demo_history(ctx)
    ctx.clock = lambda: NOW
    yield ctx
    ctx.close()


async def test_sql_plans_equal_the_python_plans(history: AppContext) -> None:
    ctx = history
    conn = ctx.open_store().conn
    addons = [row[0] for row in conn.execute(
        "SELECT DISTINCT addons FROM user_versions WHERE valid_to_run IS NULL"
    )]  # fmt: skip
    held = sorted({a.split(":")[0] for text in addons if text for a in text.split(",") if a})
    actions = [Action("downgrade"), Action("deactivate"), Action("revoke-invitation")]
    actions += [Action("remove-addon", name) for name in held if not name.startswith("region")]
    assert len(actions) > 4
    seen = {"items": 0, "hosted": 0, "never": 0, "pending": 0, "escaped": 0}
    for definition in ("idle", "unused", "both"):
        for days in (30, 90, 200):
            for action in actions:
                old_id, old_excluded = old_plan(ctx, action, days, definition, None)
                shown = preview_plan(ctx, action, days, definition, None, 7)
                new = create_plan(ctx, action, days, definition)
                old, now = stored(conn, old_id), stored(conn, new["id"])
                first = plan_page(ctx, new["id"], 0, 7)
                assert shown == [{k: i[k] for k in ITEM_KEYS} for i in first]
                assert now == old, (definition, days, action.label)
                assert new["excluded"] == old_excluded == []
                assert new["items"] == len(old[1])
                for item in now[1]:
                    seen["items"] += 1
                    seen["hosted"] += '"last_hosted_month": "' in item[5]
                    seen["never"] += '"days_inactive": null' in item[5]
                    seen["pending"] += '"invited_at": "' in item[5]
                    seen["escaped"] += "\\u" in item[0] + item[1] + item[5] + item[6]
    # The comparison saw every kind of value, hostile text included.
    assert (
        seen["items"] and seen["hosted"] and seen["never"] and seen["pending"] and seen["escaped"]
    )


async def test_exclusions_and_a_selection_as_before(history: AppContext) -> None:
    ctx = history
    conn = ctx.open_store().conn
    first = build_plan(ctx, Action("downgrade"), 90, "idle")
    emails = [i["email"] for i in first["items"]]
    dept = next(d for i in first["items"][1:] if (d := i["before"]["dept"]) and "," not in d)
    ctx.settings = dataclasses.replace(
        ctx.settings, reclaim_exclude=f"{emails[0].upper()}, {dept.upper()}, group:g1"
    )
    only = {e.casefold() for e in emails[::2]} | {"nobody@example.com"}
    for picked in (None, only):
        for action in (Action("downgrade"), Action("revoke-invitation")):
            old_id, old_excluded = old_plan(ctx, action, 90, "idle", picked)
            shown = preview_plan(ctx, action, 90, "idle", picked, 5)
            new = create_plan(ctx, action, 90, "idle", picked)
            first = plan_page(ctx, new["id"], 0, 5)
            assert shown == [{k: i[k] for k in ITEM_KEYS} for i in first]
            assert stored(conn, new["id"]) == stored(conn, old_id)
            assert new["excluded"] == old_excluded
            if action.name == "downgrade" and picked is None:
                assert {"email": emails[0], "reason": "excluded by e-mail (reclaim_exclude)"} in (
                    old_excluded
                )
                assert any("department" in e["reason"] for e in old_excluded)


async def test_build_plan_reads_back_what_it_wrote(history: AppContext) -> None:
    """``zoomtui reclaim plan``'s plan: the stored items decoded, the excluded beside."""
    plan = build_plan(history, Action("deactivate"), 90, "both")
    conn = history.open_store().conn
    _header, rows = stored(conn, plan["id"])
    assert [i["email"] for i in plan["items"]] == [r[1] for r in rows]
    assert [json.dumps(i["reason"]) for i in plan["items"]] == [r[5] for r in rows]
    assert plan["undo_note"].startswith("Undo activates")
    assert plan["excluded"] == []


def test_sql_quotes_text_as_json_dumps_does() -> None:
    conn = sqlite3.connect(":memory:")
    _register(conn, lambda _e, _d: None)
    texts = [
        "", "plain", 'quo"te', "back\\slash", "slash/", "tab\there", "nl\n", "\x1b[31mred",
        "\x00nul", "\x7fdel", "é", "Zoë Ürlaub", "日本", "emoji 🎉", "[b]markup[/b]",
        "".join(chr(c) for c in range(32, 127)), "\u2028line", "\ud7ff",
    ]  # fmt: skip
    for text in texts:
        (out,) = conn.execute(f"SELECT {_quoted('?')}", [text] * 4).fetchone()
        assert out == json.dumps(text), text
    (out,) = conn.execute(f"SELECT {_quoted('NULL')}").fetchone()
    assert out == "null"


async def test_addons_held_counts_the_selection(history: AppContext) -> None:
    """The add-ons the dialog offers to remove: every candidate's and invitation's, counted."""
    found = reclaim(history, inactive_days=90, definition="unused")
    want: dict[str, int] = {}
    for row in found.rows:
        for name in row.get("addons") or ():
            want[name] = want.get(name, 0) + 1
    assert want and addons_held(history, 90, "unused", None) == want
    one = found.rows[0]
    picked = {one["email"].casefold()}
    assert addons_held(history, 90, "unused", picked) == dict.fromkeys(one["addons"], 1)
