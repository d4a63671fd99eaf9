"""Comparisons across runs: the diff of two snapshots and the per-run trend.

The diff only looks at identities whose version or activity row changed between
the two runs, or whose unchanged activity crossed the inactivity threshold in
the time between them, so an unchanged account costs a few index range scans.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from typing import Any

from zoomtui.licences import CONCURRENT, tokens_of
from zoomtui.store.columns import DIFF_FIELDS, USER_SELECT, user_record
from zoomtui.store.queries import IDLE_SQL, Scope, scope_of
from zoomtui.store.records import iso, iso_utc, parse_iso


def finished(conn: sqlite3.Connection, run_id: int) -> datetime:
    """When a complete run finished: the reference time of its snapshot."""
    row = conn.execute("SELECT finished_at, started_at FROM runs WHERE id = ?", (run_id,))
    fin, start = row.fetchone()
    value = parse_iso(fin or start)
    assert value is not None
    return value


def _idle(record: dict[str, Any], cut: str) -> bool:
    """No login, no sign-in and no creation since ``cut`` (the rule of ``IDLE_SQL``).

    ``cut`` is the store's ISO text, compared as text like ``IDLE_SQL`` does: every
    stored time has the one fixed-width form :func:`iso` writes.
    """
    activity, created = record["last_activity"], record["user_created_at"]
    return (activity is None or activity < cut) and (created is None or created < cut)


def addon_tokens(record: dict[str, Any], comparable: bool = True) -> list[str]:
    """A record's add-ons with their capacity or level, as the diff compares them.

    ``comparable`` False drops what runs before Zoom's licence definitions could
    not see (capacities and Concurrent Meeting), so a diff across that boundary
    shows real changes only.
    """
    if not comparable:
        return [a for a in record["addons"] if a != CONCURRENT]
    return tokens_of(record["addons"], record["addon_capacities"])


def rules_since(conn: sqlite3.Connection) -> int:
    """The first run whose add-ons were read under Zoom's licence definitions."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'licence_rules_since_run'").fetchone()
    return int(row[0]) if row else 0


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
        cuts = {run_a: iso_utc(cut_a), run_b: iso_utc(cut_b)}
        _candidates(conn, (lo, cuts[lo]), (hi, cuts[hi]))
        before = _members(conn, scope_a)
        after = _members(conn, scope_b)
    finally:
        conn.execute("DROP TABLE IF EXISTS temp._cand")
    when_a, when_b = now or ref_a, now or ref_b
    added = [user_record(after[i][1:], when_b) for i in after.keys() - before.keys()]
    removed = [user_record(before[i][1:], when_a) for i in before.keys() - after.keys()]
    changed = []
    iso_a, iso_b = iso_utc(cut_a), iso_utc(cut_b)
    comparable = not (min(run_a, run_b) < rules_since(conn) <= max(run_a, run_b))
    for identity in before.keys() & after.keys():
        row_a, row_b = before[identity], after[identity]
        if row_a[0] == row_b[0]:
            # One version in both runs: every compared field but idle is the same (they
            # are all version columns). Most candidates are logins only; building
            # their records was most of a diff's time.
            was, now_idle = _idle_row(row_a, iso_a), _idle_row(row_b, iso_b)
            if was != now_idle:
                idle = {"idle": [was, now_idle]}
                changed.append(
                    {
                        "identity": identity,
                        "id": row_b[_ID],
                        "email": row_b[_EMAIL],
                        "changes": idle,
                    }
                )
            continue
        a, b = user_record(row_a[1:], when_a), user_record(row_b[1:], when_b)
        changes = {f: [a[f], b[f]] for f in DIFF_FIELDS if a[f] != b[f]}
        tokens_a, tokens_b = addon_tokens(a, comparable), addon_tokens(b, comparable)
        if tokens_a != tokens_b:
            changes["addons"] = [tokens_a, tokens_b]
        was, now_idle = _idle(a, iso_a), _idle(b, iso_b)
        if was != now_idle:
            changes["idle"] = [was, now_idle]
        if changes:
            changed.append(
                {"identity": identity, "id": b["id"], "email": b["email"], "changes": changes}
            )
    key = lambda r: (r["email"].casefold(), r["identity"])  # noqa: E731
    return {
        "from_run": run_a,
        "to_run": run_b,
        "addons_compared": "with capacities" if comparable else "without capacities",
        "added": sorted(added, key=key),
        "removed": sorted(removed, key=key),
        "changed": sorted(changed, key=key),
    }


def _candidates(conn: sqlite3.Connection, low: tuple[int, str], high: tuple[int, str]) -> None:
    """Fill ``_cand`` with every identity that may be added, removed or changed.

    ``low`` and ``high`` are the two runs, lower id first, each with its idle cut.
    A user whose version is the same in both runs changed only if idle moved: its
    activity moved across the cuts, or its activity or creation lies between the two
    cuts. Why not every identity whose login row changed: most did (a week of
    sign-ins) without idle moving, and reading their rows at both runs was most of a
    diff's time at 100,000 users; their activity at each run is read here by two
    range scans instead of two look-ups each.
    """
    (lo, cut_lo), (hi, cut_hi) = low, high
    for column in ("valid_from_run", "valid_to_run"):
        conn.execute(
            f"INSERT OR IGNORE INTO _cand SELECT identity FROM user_versions "
            f"WHERE {column} > ? AND {column} <= ?",
            (lo, hi),
        )
    t1, t2 = sorted((cut_lo, cut_hi))
    for table, column in (("logins", "last_activity"), ("user_versions", "user_created_at")):
        conn.execute(
            f"INSERT OR IGNORE INTO _cand SELECT identity FROM {table} "
            f"WHERE {column} >= ? AND {column} < ?",
            (t1, t2),
        )
    # An identity whose login row changed between the runs: the row valid at ``lo``
    # (if any) closed in (lo, hi], the row valid at ``hi`` (if any) opened in it.
    at_lo = dict(
        conn.execute(
            "SELECT identity, last_activity FROM logins "
            "WHERE valid_to_run > ? AND valid_to_run <= ? AND valid_from_run <= ?",
            (lo, hi, lo),
        ).fetchall()
    )
    at_hi = dict(
        conn.execute(
            "SELECT identity, last_activity FROM logins WHERE valid_from_run > ? "
            "AND valid_from_run <= ? AND (valid_to_run IS NULL OR valid_to_run > ?)",
            (lo, hi, hi),
        ).fetchall()
    )
    moved = [
        (identity,)
        for identity in at_lo.keys() | at_hi.keys()
        if _quiet(at_lo.get(identity), cut_lo) != _quiet(at_hi.get(identity), cut_hi)
    ]
    conn.executemany("INSERT OR IGNORE INTO _cand VALUES (?)", moved)


def _quiet(activity: str | None, cut: str) -> bool:
    """No activity since ``cut``: the activity half of ``IDLE_SQL``."""
    return activity is None or activity < cut


def _members(conn: sqlite3.Connection, scope: Scope) -> dict[int, tuple[Any, ...]]:
    """Candidate identities that are members of ``scope``'s run: identity -> (version id,
    *a row of ``USER_SELECT``), made a record only when the diff needs one."""
    member, params = scope.member("v")
    join, jparams = scope.join_logins()
    sql = (
        # CROSS JOIN: the candidates drive (SQLite keeps that order). The planner,
        # with no statistics on the temp table, scanned every version instead.
        f"SELECT v.id, {USER_SELECT} FROM _cand c CROSS JOIN user_versions v "
        "ON v.identity = c.identity "
        f"{join} WHERE {member}"
    )
    return {row[1]: row for row in conn.execute(sql, jparams + params)}


# Where ``_idle`` reads in a ``_members`` row (the version id comes first).
_SELECTED = ["v.id", *USER_SELECT.split(", ")]
_ACTIVITY, _CREATED = _SELECTED.index("l.last_activity"), _SELECTED.index("v.user_created_at")
_ID, _EMAIL = _SELECTED.index("v.zoom_id"), _SELECTED.index("v.email")


def _idle_row(row: tuple[Any, ...], cut: str) -> bool:
    """:func:`_idle` of a ``_members`` row."""
    activity, created = row[_ACTIVITY], row[_CREATED]
    return (activity is None or activity < cut) and (created is None or created < cut)


def kept_counts(stats: Any, inactive_days: int) -> dict[str, Any] | None:
    """The counts a run kept by ``summarise_run``, if counted at ``inactive_days``."""
    kept = stats.get("summary") if isinstance(stats, dict) else None
    if isinstance(kept, dict) and kept.get("inactive_days") == inactive_days:
        return kept
    return None


def counts_of(conn: sqlite3.Connection, run_id: int, inactive_days: int) -> dict[str, Any]:
    """:func:`run_counts` of complete run ``run_id``, counted now."""
    scope = scope_of(conn, run_id)
    started, fin = conn.execute(
        "SELECT started_at, finished_at FROM runs WHERE id = ?", (run_id,)
    ).fetchone()
    return run_counts(conn, scope, inactive_days, started, fin)


def run_counts(
    conn: sqlite3.Connection, scope: Scope, inactive_days: int, started: str, fin: str | None
) -> dict[str, Any]:
    """One complete run's users (active + pending), licensed, idle licensed and base seats."""
    member, params = scope.member("v")
    join, jparams = scope.join_logins()
    ref = parse_iso(fin or started)
    assert ref is not None
    cut = iso(ref - timedelta(days=inactive_days))
    licensed = "(v.type = 2 OR v.bundle IS NOT NULL)"
    users, lic, idle, invitations = conn.execute(
        f"""SELECT count(*), coalesce(sum({licensed}), 0),
            coalesce(sum({licensed} AND v.status = 'active' AND {IDLE_SQL}), 0),
            coalesce(sum(v.type = 2 AND v.status = 'pending' AND {IDLE_SQL}), 0)
        FROM user_versions v {join}
        WHERE {member} AND v.status IN ('active', 'pending')""",
        [cut, cut, cut, cut, *jparams, *params],
    ).fetchone()
    purchased, assigned, free = conn.execute(
        "SELECT coalesce(sum(purchased), 0), coalesce(sum(assigned), 0), "
        "coalesce(sum(max(0, purchased - assigned - pending)), 0) FROM seats "
        "WHERE run_id = ? AND plan = 'plan_base'",
        (scope.run_id,),
    ).fetchone()
    return {
        "run_id": scope.run_id,
        "finished_at": fin,
        "users": users,
        "licensed": lic,
        "idle_licensed": idle,
        "old_invitations": invitations,
        "seats_purchased": purchased,
        "seats_assigned": assigned,
        "seats_free": free,
        "inactive_days": inactive_days,
    }
