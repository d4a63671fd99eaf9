"""Comparisons across runs: the diff of two snapshots and the per-run trend.

The diff only looks at identities whose version or activity row changed between
the two runs, or whose unchanged activity crossed the inactivity threshold in
the time between them, so an unchanged account costs a few index range scans.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from typing import Any

from zoomtui.store.queries import USER_COLUMNS, Scope, scope_of, user_record
from zoomtui.store.records import iso, parse_iso

DIFF_FIELDS = ("status", "type", "plan", "bundle", "addons", "dept", "account_id")


def finished(conn: sqlite3.Connection, run_id: int) -> datetime:
    """When a complete run finished: the reference time of its snapshot."""
    row = conn.execute("SELECT finished_at, started_at FROM runs WHERE id = ?", (run_id,))
    fin, start = row.fetchone()
    value = parse_iso(fin or start)
    assert value is not None
    return value


def _inactive(record: dict[str, Any], cut: datetime) -> bool:
    activity = parse_iso(record["last_activity"])
    return activity is None or activity < cut


def diff(
    conn: sqlite3.Connection,
    run_a: int,
    run_b: int,
    now: datetime | None,
    inactive_days: int,
) -> dict[str, Any]:
    """Added, removed and changed users from complete run ``run_a`` to complete run ``run_b``."""
    scope_a, scope_b = scope_of(conn, run_a), scope_of(conn, run_b)
    ref_a, ref_b = finished(conn, run_a), finished(conn, run_b)
    span = timedelta(days=inactive_days)
    cut_a, cut_b = ref_a - span, ref_b - span
    lo, hi = sorted((run_a, run_b))
    conn.execute("DROP TABLE IF EXISTS temp._cand")
    conn.execute("CREATE TEMP TABLE _cand (identity INTEGER PRIMARY KEY)")
    try:
        for table in ("user_versions", "logins"):
            for column in ("valid_from_run", "valid_to_run"):
                conn.execute(
                    f"INSERT OR IGNORE INTO _cand SELECT identity FROM {table} "
                    f"WHERE {column} > ? AND {column} <= ?",
                    (lo, hi),
                )
        t1, t2 = sorted((cut_a, cut_b))
        conn.execute(
            "INSERT OR IGNORE INTO _cand SELECT identity FROM logins "
            "WHERE last_activity >= ? AND last_activity < ?",
            (iso(t1), iso(t2)),
        )
        before = _members(conn, scope_a, now or ref_a)
        after = _members(conn, scope_b, now or ref_b)
    finally:
        conn.execute("DROP TABLE IF EXISTS temp._cand")
    added = [after[i] for i in after.keys() - before.keys()]
    removed = [before[i] for i in before.keys() - after.keys()]
    changed = []
    for identity in before.keys() & after.keys():
        a, b = before[identity], after[identity]
        changes = {f: [a[f], b[f]] for f in DIFF_FIELDS if a[f] != b[f]}
        was, now_inactive = _inactive(a, cut_a), _inactive(b, cut_b)
        if was != now_inactive:
            changes["inactive"] = [was, now_inactive]
        if changes:
            changed.append(
                {"identity": identity, "id": b["id"], "email": b["email"], "changes": changes}
            )
    key = lambda r: (r["email"].casefold(), r["identity"])  # noqa: E731
    return {
        "from_run": run_a,
        "to_run": run_b,
        "added": sorted(added, key=key),
        "removed": sorted(removed, key=key),
        "changed": sorted(changed, key=key),
    }


def _members(conn: sqlite3.Connection, scope: Scope, now: datetime) -> dict[int, dict[str, Any]]:
    """Candidate identities that are members of ``scope``'s run, with their records."""
    member, params = scope.member("v")
    join, jparams = scope.join_logins()
    sql = (
        f"SELECT {USER_COLUMNS} FROM _cand c JOIN user_versions v ON v.identity = c.identity "
        f"{join} WHERE {member}"
    )
    return {row[0]: user_record(row, now) for row in conn.execute(sql, jparams + params)}


def trend(conn: sqlite3.Connection, inactive_days: int) -> list[dict[str, Any]]:
    """Per complete run: users, licensed, inactive licensed, base-plan seats."""
    runs = conn.execute(
        "SELECT id, started_at, finished_at FROM runs WHERE status = 'complete' ORDER BY id"
    ).fetchall()
    latest = runs[-1][0] if runs else None
    out = []
    for run_id, started, fin in runs:
        scope = Scope(run_id, run_id == latest)
        member, params = scope.member("v")
        join, jparams = scope.join_logins()
        ref = parse_iso(fin or started)
        assert ref is not None
        cut = iso(ref - timedelta(days=inactive_days))
        licensed = "(v.type = 2 OR v.bundle IS NOT NULL)"
        users, lic, idle = conn.execute(
            f"""SELECT count(*), coalesce(sum({licensed}), 0),
                coalesce(sum({licensed} AND v.status = 'active'
                             AND (l.last_activity IS NULL OR l.last_activity < ?)), 0)
            FROM user_versions v {join}
            WHERE {member} AND v.status IN ('active', 'pending')""",
            [cut, *jparams, *params],
        ).fetchone()
        purchased, assigned = conn.execute(
            "SELECT coalesce(sum(purchased), 0), coalesce(sum(assigned), 0) FROM seats "
            "WHERE run_id = ? AND plan = 'plan_base'",
            (run_id,),
        ).fetchone()
        out.append(
            {
                "run_id": run_id,
                "finished_at": fin,
                "users": users,
                "licensed": lic,
                "inactive_licensed": idle,
                "seats_purchased": purchased,
                "seats_assigned": assigned,
            }
        )
    return out
