"""A reclaim plan's items written by SQLite straight from the candidate query.

Why: reading 21,000 candidates of 100,000 users into Python, building an item of
each and writing them back, JSON-encoded one by one, took 1.5-1.8 s before the
Reclaim dialog could show a stored plan. One ``INSERT … SELECT`` of the same
filtered, ordered rows stores the same items in a fraction of that.

The items' ``reason`` and ``before`` are the texts ``json.dumps`` wrote for them:
the service gives their shape as a template (:class:`RowField` where a value is
the user's), dumped once by ``json.dumps`` for the keys and constants, with
SQLite filling each user's values. Strings are quoted by SQLite's ``json_quote``
when they are printable ASCII (the same text as ``json.dumps``) and by
``json.dumps`` itself otherwise (it escapes every other character as ``\\uXXXX``).
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from zoomtui.licences import split_tokens
from zoomtui.store.codec import decode_addons
from zoomtui.store.hosting import HostingWindows
from zoomtui.store.lifecycle import write_tx
from zoomtui.store.queries import UserQuery, from_where, order_by, scope_of
from zoomtui.store.records import iso


@dataclass(frozen=True)
class RowField:
    """A value of the item's JSON taken from the user's row (see :data:`FIELDS`)."""

    name: str


@dataclass(frozen=True)
class Take:
    """Whom a plan takes: a user query of the run in a sort order, then narrowed."""

    query: UserQuery
    sort: str
    descending: bool
    only: frozenset[str] | None = None  # case-folded e-mails picked in the TUI
    addon: str | None = None  # holders of this add-on only (remove-addon)


@dataclass(frozen=True)
class ItemShape:
    """What every item of a plan holds besides the user: its columns and JSON templates."""

    action: str
    addon: str
    saving: float
    reason: dict[str, Any]
    before: dict[str, Any]


@dataclass(frozen=True)
class Written:
    """A plan stored: its id, how many items and who was excluded."""

    plan_id: int
    items: int
    excluded: list[dict[str, str]]


def _quoted(expr: str) -> str:
    """SQL giving the JSON text of a text value, exactly as ``json.dumps`` writes it."""
    return (
        f"CASE WHEN {expr} IS NULL THEN 'null' WHEN {expr} GLOB '*[^ -~]*' "
        f"THEN zt_json({expr}) ELSE json_quote({expr}) END"
    )


def _formatted(expr: str) -> str:
    """SQL giving the JSON text of a value this program wrote in printable ASCII (an ISO
    time from ``iso``, a ``YYYY-MM`` month) or a filter matched exactly (a status, a plan),
    or NULL: ``json_quote`` alone, which quotes such text as ``json.dumps`` does."""
    return f"json_quote({expr})"


# ``casefold`` of the e-mail: SQLite's ``lower`` folds ASCII alone, which for ASCII text is
# exactly what ``str.casefold`` does; other text goes to Python.
FOLDED_EMAIL = (
    "(CASE WHEN v.email GLOB '*[^ -~]*' THEN zt_casefold(v.email) ELSE lower(v.email) END)"
)


def _fields(now: datetime, hosting: bool, addons: str = "") -> dict[str, str]:
    """The per-user values a template may name, as SQL giving their JSON text.

    ``days_inactive`` is ``user_record``'s whole days since the last activity (never
    negative); stored times have whole seconds, so the floor of now's seconds does.
    ``last_hosted_month`` is ``add_hosting``'s: the last month with a meeting hosted.
    """
    now_s = math.floor(now.timestamp())
    hosted = (
        f"(SELECT max(h.month) FROM hosting h WHERE h.email = {FOLDED_EMAIL} AND h.meetings > 0)"
        if hosting
        else "NULL"
    )
    return {
        "last_login_time": _formatted("l.last_login_time"),
        "days_inactive": (
            "CASE WHEN l.last_activity IS NULL THEN 'null' "
            f"ELSE max(({int(now_s)} - unixepoch(l.last_activity)) / 86400, 0) END"
        ),
        "last_hosted_month": _formatted(hosted),
        "invited_at": _formatted("CASE WHEN v.status = 'pending' THEN v.user_created_at END"),
        "status": _formatted("v.status"),
        "type": "coalesce(CAST(v.type AS TEXT), 'null')",
        "plan": _formatted("v.plan"),
        "addons": addons
        # A text missing from the table gives NULL, which the NOT NULL columns refuse.
        or f"CASE WHEN v.addons IS NULL THEN '[]' "
        f"ELSE (SELECT n.names FROM {NAMES} n WHERE n.addons = v.addons) END",
        "dept": _quoted("coalesce(v.dept, '')"),
    }


_HOLE = re.compile(r'"\\u0000(\d+)\\u0000"')


def json_sql(template: dict[str, Any], fields: dict[str, str]) -> tuple[str, list[str]]:
    """SQL concatenating ``json.dumps(template)`` with each :class:`RowField` filled."""
    holes: list[str] = []

    def hole(value: object) -> str:
        if not isinstance(value, RowField):
            raise TypeError(f"not JSON: {value!r}")
        holes.append(fields[value.name])
        return f"\x00{len(holes) - 1}\x00"

    parts = _HOLE.split(json.dumps(template, default=hole))
    sql, params = [], []
    for index, part in enumerate(parts):
        if index % 2:
            sql.append(f"({holes[int(part)]})")
        else:
            sql.append("?")
            params.append(part)
    return " || ".join(sql), params


@lru_cache(maxsize=4096)  # a run holds a few hundred distinct add-on texts
def _names(addons: str | None) -> tuple[str, ...]:
    return tuple(split_tokens(decode_addons(addons) or ())[0])


NAMES = "temp.zt_addon_names"
"""Stored add-on text -> the JSON list of its add-on names (a user record's ``addons``).

A table, not a Python function called per row: a reader thread calling into Python
21,000 times waited for the GIL each time the TUI's event loop held it."""


def _fill_names(conn: sqlite3.Connection) -> None:
    """Every stored add-on text in :data:`NAMES`, kept per connection: a text's names never
    change and versions are only added, so only versions added since the last fill are read
    (the first plan of a connection reads them all, ~50 ms at 100,000 users)."""
    conn.execute(f"CREATE TABLE IF NOT EXISTS {NAMES} (addons TEXT PRIMARY KEY, names TEXT)")
    conn.execute(f"CREATE TABLE IF NOT EXISTS {NAMES}_upto (version INTEGER NOT NULL)")
    (upto,) = conn.execute(f"SELECT coalesce(max(version), 0) FROM {NAMES}_upto").fetchone()
    (top,) = conn.execute("SELECT coalesce(max(id), 0) FROM user_versions").fetchone()
    if top == upto:
        return
    texts = conn.execute(
        f"SELECT DISTINCT addons FROM user_versions WHERE id > ? AND addons IS NOT NULL "
        f"AND addons NOT IN (SELECT addons FROM {NAMES})",
        (upto,),
    ).fetchall()
    conn.executemany(
        f"INSERT INTO {NAMES} (addons, names) VALUES (?, ?)",
        [(text, json.dumps(list(_names(text)))) for (text,) in texts],
    )
    conn.execute(f"DELETE FROM {NAMES}_upto")
    conn.execute(f"INSERT INTO {NAMES}_upto (version) VALUES (?)", (top,))


def _register(conn: sqlite3.Connection, excluded: Callable[[str, str], str | None]) -> None:
    conn.create_function("zt_json", 1, json.dumps, deterministic=True)
    conn.create_function("zt_casefold", 1, str.casefold, deterministic=True)
    conn.create_function("zt_excluded", 2, excluded)
    conn.create_function("zt_addon_names", 1, _addon_names, deterministic=True)


@lru_cache(maxsize=4096)
def _addon_names(addons: str | None) -> str:
    return json.dumps(list(_names(addons)))


def _taken(conn: sqlite3.Connection, run_id: int, take: Take) -> tuple[str, list[Any]]:
    """FROM … WHERE of ``take`` (the user query's, then the picked e-mails and add-on)."""
    sql, params = from_where(scope_of(conn, run_id), take.query, True)
    if take.only is not None:
        sql += f" AND {FOLDED_EMAIL} IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(sorted(take.only)))
    if take.addon is not None:
        sql += (
            f" AND EXISTS (SELECT 1 FROM {NAMES} n, json_each(n.names) j "
            "WHERE n.addons = v.addons AND j.value = ?)"
        )
        params.append(take.addon)
    return sql, params


WRITE_CACHE_KIB = 65_536


@contextmanager
def larger_cache(conn: sqlite3.Connection) -> Iterator[None]:
    """A 64 MiB page cache while a plan is written, then the connection's own again.

    Why: 21,000 items are 12 MB of pages; in the default 2 MB cache they were spilled
    to the WAL mid-transaction and the candidates' pages read again, which made the
    write ~1.7x slower (bench/reclaim_plan.py). The cache shrinks back after.
    """
    (before,) = conn.execute("PRAGMA cache_size").fetchone()
    conn.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(before)}")


def create_plan(
    conn: sqlite3.Connection,
    windows: HostingWindows,
    plan: dict[str, Any],
    take: Take,
    item: ItemShape,
    *,
    now: datetime,
    hosting: bool,
    excluded: Callable[[str, str], str | None] | None = None,
) -> Written:
    """Store a plan and its items in one transaction; the items as Python wrote them before
    (``tests/services/test_reclaim_plan_sql.py`` keeps that code as the reference).

    ``plan``: the plan row but its ``yearly_saving`` (the items' savings summed in
    plan order, as Python sums them). ``excluded(email, dept)``: why a user is left
    out (listed in :attr:`Written.excluded`), or None.
    """
    _register(conn, excluded or (lambda _e, _d: None))
    fields = _fields(now, hosting)
    reason, reason_params = json_sql(item.reason, fields)
    before, before_params = json_sql(item.before, fields)
    order = order_by(take.sort, take.descending)
    with larger_cache(conn), write_tx(conn):
        windows.prepare(conn, take.query.not_hosted_since, take.query.hosted_minutes_below)
        _fill_names(conn)
        cur = conn.execute(
            "INSERT INTO reclaim_plans (created_at, run_id, action, definition, idle_days, "
            "price_per_seat, yearly_saving) VALUES (?, ?, ?, ?, ?, ?, 0)",
            (
                iso(plan["created_at"]),
                plan["run_id"],
                plan["action"],
                plan["definition"],
                plan["idle_days"],
                plan["price_per_seat"],
            ),
        )
        plan_id = int(cur.lastrowid or 0)
        where, params = _taken(conn, plan["run_id"], take)
        out: list[dict[str, str]] = []
        if excluded is not None:
            rows = conn.execute(
                f"SELECT v.email, zt_excluded(v.email, v.dept) AS why {where} "
                f"AND why IS NOT NULL ORDER BY {order}",
                params,
            )
            out = [{"email": email, "reason": why} for email, why in rows]
            where += " AND zt_excluded(v.email, v.dept) IS NULL"
        cur = conn.execute(
            "INSERT INTO reclaim_items (plan_id, zoom_id, email, account_id, action, addon, "
            f"reason, before, saving) SELECT ?, coalesce(nullif(v.zoom_id, ''), v.email), "
            f"v.email, v.account_id, ?, ?, {reason}, {before}, ? {where} ORDER BY {order}",
            [plan_id, item.action, item.addon, *reason_params, *before_params, item.saving,
             *params],
        )  # fmt: skip
        count = cur.rowcount
        saving = round(sum([item.saving] * count), 2)
        conn.execute("UPDATE reclaim_plans SET yearly_saving = ? WHERE id = ?", (saving, plan_id))
    return Written(plan_id, count, out)


@contextmanager
def _read_tx(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction (one snapshot), unless one is open already."""
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")
    try:
        yield
    finally:
        if began:
            conn.execute("COMMIT")


def preview(
    conn: sqlite3.Connection,
    windows: HostingWindows,
    run_id: int,
    take: Take,
    item: ItemShape,
    *,
    now: datetime,
    hosting: bool,
    excluded: Callable[[str, str], str | None] | None = None,
    limit: int,
) -> list[tuple[str, str, str, str, str]]:
    """The first ``limit`` items :func:`create_plan` would write, read, not written:
    (zoom_id, email, account_id, reason, before) in plan order.

    Their order is found first and their JSON built for those rows alone: building
    it for every candidate to keep 100 cost as much as writing the plan. So few rows
    take their add-on names from Python, and the run's add-on texts need not be read.
    """
    _register(conn, excluded or (lambda _e, _d: None))
    fields = _fields(now, hosting, addons="zt_addon_names(v.addons)")
    reason, reason_params = json_sql(item.reason, fields)
    before, before_params = json_sql(item.before, fields)
    order = order_by(take.sort, take.descending)
    with _read_tx(conn):
        windows.prepare(conn, take.query.not_hosted_since, take.query.hosted_minutes_below)
        if take.addon is not None:  # its holders are found by their add-on names
            _fill_names(conn)
        where, params = _taken(conn, run_id, take)
        if excluded is not None:
            where += " AND zt_excluded(v.email, v.dept) IS NULL"
        ids = [r[0] for r in conn.execute(
            f"SELECT v.id {where} ORDER BY {order} LIMIT ?", [*params, limit]
        )]  # fmt: skip
        if not ids:
            return []
        rows = conn.execute(
            f"SELECT v.id, coalesce(nullif(v.zoom_id, ''), v.email), v.email, v.account_id, "
            f"{reason}, {before} {where} AND v.id IN ({', '.join('?' * len(ids))})",
            [*reason_params, *before_params, *params, *ids],
        ).fetchall()
    by_id = {row[0]: row[1:] for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def addons_held(
    conn: sqlite3.Connection, windows: HostingWindows, run_id: int, takes: Sequence[Take]
) -> dict[str, int]:
    """Add-on name -> how many users of ``takes`` hold it, read in one snapshot."""
    _register(conn, lambda _e, _d: None)
    texts: dict[str | None, int] = {}
    with _read_tx(conn):
        for take in takes:
            windows.prepare(conn, take.query.not_hosted_since, take.query.hosted_minutes_below)
            where, params = _taken(conn, run_id, take)
            for text, n in conn.execute(f"SELECT v.addons, count(*) {where} GROUP BY 1", params):
                texts[text] = texts.get(text, 0) + n
    held: dict[str, int] = {}
    for text, users in texts.items():
        for name in _names(text):
            held[name] = held.get(name, 0) + users
    return held
