"""Read side: the user snapshot of a run, filtered, sorted and windowed in SQL.

Membership of run R is "version valid at R"; for the latest complete run that
is simply the open versions, which the partial indexes serve directly.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from zoomtui.licences import addon_filter_tokens
from zoomtui.store.codec import SEP, fold_needle
from zoomtui.store.columns import (
    SORT_KEYS,
    SORT_NEEDS_LOGINS,
    SORT_NULLABLE,
    USER_SELECT,
    user_record,
)
from zoomtui.store.errors import StoreError
from zoomtui.store.hosting import minutes_below_clause, needs_licence_clause, not_hosted_clause
from zoomtui.store.records import iso

WHOLE_READ = 2_000  # a window larger than this is read in one statement (see ``page``)
IDLE_SQL = (
    "(l.last_activity IS NULL OR l.last_activity < ?) "
    "AND (v.user_created_at IS NULL OR v.user_created_at < ?)"
)


@dataclass(frozen=True)
class Scope:
    """How to select the rows valid at one complete run."""

    run_id: int
    latest: bool

    def member(self, alias: str) -> tuple[str, list[Any]]:
        if self.latest:
            return f"{alias}.valid_to_run IS NULL", []
        return (
            f"{alias}.valid_from_run <= ? AND ({alias}.valid_to_run IS NULL "
            f"OR {alias}.valid_to_run > ?)",
            [self.run_id, self.run_id],
        )

    def join_logins(self) -> tuple[str, list[Any]]:
        if self.latest:
            return "LEFT JOIN activity_current l ON l.identity = v.identity", []
        cond, params = self.member("l")
        return f"LEFT JOIN logins l ON l.identity = v.identity AND {cond}", params


def scope_of(conn: sqlite3.Connection, run_id: int) -> Scope:
    """The scope of ``run_id``; only complete runs have a user snapshot."""
    row = conn.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()
    if row is None:
        raise StoreError(f"Run {run_id} does not exist.")
    if row[0] != "complete":
        raise StoreError(f"Run {run_id} is {row[0]}; only complete runs have a user list.")
    (latest,) = conn.execute("SELECT max(id) FROM runs WHERE status = 'complete'").fetchone()
    return Scope(run_id, latest == run_id)


@dataclass(frozen=True)
class UserQuery:
    """Filters of :meth:`Store.users`; every list is "any of"; None means no filter."""

    plans: Sequence[str] | None = None
    statuses: Sequence[str] | None = None
    addons: Sequence[str] | None = None
    account: str | None = None
    dept: str | None = None
    inactive_before: datetime | None = None  # idle: see IDLE_SQL
    never_logged_in: bool = False
    search: str | None = None
    not_hosted_since: str | None = None  # "YYYY-MM": no meeting hosted in it or later
    hosted_minutes_below: tuple[str, int] | None = None  # (since month, minutes)
    created_before: datetime | None = None  # created before it, or creation not known
    email: str | None = None  # exactly this address, any case (one user's detail)

    def needs_logins(self) -> bool:
        return self.inactive_before is not None or self.never_logged_in

    def where(self) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        for column, values in (("plan", self.plans), ("status", self.statuses)):
            if values is not None:
                values = list(values)
                clauses.append(f"v.{column} IN ({', '.join('?' * len(values))})" if values else "0")
                params.extend(values)
        if self.addons is not None:
            # ",webinar," or ",webinar:" matches every capacity; ",webinar:1000," one.
            wanted: list[str] = []
            for value in self.addons:
                parsed = addon_filter_tokens(value)
                if parsed is None:
                    continue
                token, exact = parsed
                wanted.append(f"{SEP}{token}{SEP}")
                if not exact:
                    wanted.append(f"{SEP}{token}:")
            if wanted:
                clauses.append("(" + " OR ".join("instr(v.addons, ?) > 0" for _ in wanted) + ")")
                params.extend(wanted)
            else:
                clauses.append("0")
        if self.account is not None:
            clauses.append("v.account_id = ?")
            params.append(self.account)
        if self.dept is not None:
            clauses.append("v.dept = ?")
            params.append(self.dept)
        if self.inactive_before is not None:
            # Idle: no login, no sign-in and no creation since the cut (a new hire is not idle).
            clauses.append(IDLE_SQL)
            params.extend([iso(self.inactive_before)] * 2)
        if self.never_logged_in:
            clauses.append("l.last_activity IS NULL")
        if self.created_before is not None:  # "" sorts first: not known, as NULL
            clauses.append("(v.user_created_at IS NULL OR v.user_created_at < ?)")
            params.append(iso(self.created_before))
        # Both read per-connection tables: Store prepares them (HostingWindows) first.
        hosting = []
        if self.not_hosted_since is not None:
            hosting.append(not_hosted_clause(self.not_hosted_since))
        if self.hosted_minutes_below is not None:
            hosting.append(minutes_below_clause(*self.hosted_minutes_below))
        for clause, more in hosting:
            clauses.append(clause)
            params.extend(more)
        if self.email is not None:
            # Through the identities' index: the search text would scan every user (1.4 s).
            clauses.append("v.identity IN (SELECT id FROM identities WHERE email_lc = ?)")
            params.append(self.email.casefold())
        if self.search:
            clauses.append("instr(v.search, ?) > 0")
            params.append(fold_needle(self.search))
        return clauses, params


def from_where(scope: Scope, q: UserQuery, with_logins: bool) -> tuple[str, list[Any]]:
    member, params = scope.member("v")
    sql = "FROM user_versions v "
    if with_logins:
        join, jparams = scope.join_logins()
        sql += join + " "
        params = jparams + params
    clauses, fparams = q.where()
    sql += "WHERE " + " AND ".join([member, *clauses])
    return sql, params + fparams


def count(conn: sqlite3.Connection, scope: Scope, q: UserQuery) -> int:
    """How many users of the run match ``q``."""
    sql, params = from_where(scope, q, q.needs_logins())
    (n,) = conn.execute(f"SELECT count(*) {sql}", params).fetchone()
    return int(n)


def count_needing(
    conn: sqlite3.Connection, scope: Scope, q: UserQuery, needs: tuple[str, float, float]
) -> tuple[int, int]:
    """How many users of the run match ``q``, and how many of them hosting says need a
    licence (``needs``: since month, min minutes, min participants; see hosting.py)."""
    sql, params = from_where(scope, q, q.needs_logins())
    clause, nparams = needs_licence_clause(*needs)
    total, needing = conn.execute(
        f"SELECT count(*), coalesce(sum({clause}), 0) {sql}", nparams + params
    ).fetchone()
    return int(total), int(needing)


def order_by(sort: str, descending: bool) -> str:
    """The ORDER BY expressions of a sort key: a stable order (ties by identity)."""
    if sort not in SORT_KEYS:
        raise ValueError(f"unknown sort key {sort!r}; one of {', '.join(sorted(SORT_KEYS))}")
    if sort == "days_inactive":  # more days inactive = older activity; never = most of all
        direction = "ASC" if descending else "DESC"
        nulls = " NULLS FIRST" if descending else " NULLS LAST"
    else:
        direction = "DESC" if descending else "ASC"
        nulls = " NULLS LAST" if sort in SORT_NULLABLE else ""
    return f"{SORT_KEYS[sort]} {direction}{nulls}, v.identity {direction}"


def page(
    conn: sqlite3.Connection,
    scope: Scope,
    q: UserQuery,
    sort: str,
    descending: bool,
    offset: int,
    limit: int | None,
    now: datetime | None,
) -> tuple[list[dict[str, Any]], int]:
    """One window of matching users, fully described, in a stable order; and the total.

    Two statements, not a window count: with planner statistics the page walks
    a sort index and stops early, and the count reads no row it need not.
    """
    order = order_by(sort, descending)
    if limit is None or limit > WHOLE_READ:
        # Every row (the CLI, reclaim, exports): one statement reads them in order.
        # Ids first and then the records by id (below) read each matching version's
        # page twice, at random: 0.9 s against 0.17 s for 21,000 of 100,000 users.
        sql, params = from_where(scope, q, True)
        params += [-1 if limit is None else limit, max(offset, 0)]
        cur = conn.execute(f"SELECT {USER_SELECT} {sql} ORDER BY {order} LIMIT ? OFFSET ?", params)
        rows = [user_record(row, now) for row in cur]
        whole = offset <= 0 and (limit is None or len(rows) < limit)
        return rows, len(rows) if whole else count(conn, scope, q)
    sql, params = from_where(scope, q, q.needs_logins() or sort in SORT_NEEDS_LOGINS)
    params += [max(limit, 0), max(offset, 0)]
    found = conn.execute(f"SELECT v.id {sql} ORDER BY {order} LIMIT ? OFFSET ?", params)
    ids = [r[0] for r in found]
    return fetch_versions(conn, scope, ids, now), count(conn, scope, q)


def fetch_versions(
    conn: sqlite3.Connection, scope: Scope, version_ids: Iterable[int], now: datetime | None
) -> list[dict[str, Any]]:
    """User records for these version ids, in the order given."""
    ids = list(version_ids)
    out: dict[int, dict[str, Any]] = {}
    join, jparams = scope.join_logins()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT v.id, {USER_SELECT} FROM user_versions v {join} WHERE v.id IN ({marks})"
        for row in conn.execute(sql, jparams + chunk):
            out[row[0]] = user_record(row[1:], now)
    return [out[i] for i in ids if i in out]
