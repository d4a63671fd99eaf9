"""Hosting per host and month: written per report month, read per user and as filters.

Months are ``YYYY-MM`` strings, so "the months overlapping the last N days"
is a plain string comparison with the month of the window's first day.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from zoomtui.store import lifecycle
from zoomtui.store.records import iso

# (email, zoom_id, meetings, participants, meeting_minutes)
HostTuple = tuple[str, str, int, int, int]


@dataclass(frozen=True)
class MonthRead:
    """One account's report month as read: its days, when, whether the month had ended."""

    account_id: str
    month: str
    first_day: date
    last_day: date
    fetched_at: datetime
    complete: bool


def record_month(conn: sqlite3.Connection, read: MonthRead, hosts: Iterable[HostTuple]) -> int:
    """Replace one account's month with what the report said; returns how many hosts.

    A month read again (the current one, or one read before it ended) replaces
    the earlier reading whole: a host may have been listed then and not now.
    """
    fetched = iso(read.fetched_at)
    complete = int(read.complete)
    rows = [
        (email.casefold(), read.month, zoom_id, read.account_id, m, p, mins, fetched, complete)
        for email, zoom_id, m, p, mins in hosts
    ]
    conn.execute(
        "DELETE FROM hosting WHERE account_id = ? AND month = ?", (read.account_id, read.month)
    )
    conn.executemany(
        "INSERT OR REPLACE INTO hosting (email, month, zoom_id, account_id, meetings, "
        "participants, meeting_minutes, fetched_at, complete) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute(
        "INSERT OR REPLACE INTO hosting_months (account_id, month, first_day, last_day, "
        "fetched_at, complete, hosts) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            read.account_id,
            read.month,
            read.first_day.isoformat(),
            read.last_day.isoformat(),
            fetched,
            complete,
            len(rows),
        ),
    )
    return len(rows)


def months_read(conn: sqlite3.Connection, account_id: str | None = None) -> list[dict[str, Any]]:
    """Every report month read, per account, oldest first."""
    sql = (
        "SELECT account_id, month, first_day, last_day, fetched_at, complete, hosts "
        "FROM hosting_months"
    )
    params: list[Any] = []
    if account_id is not None:
        sql += " WHERE account_id = ?"
        params.append(account_id)
    cur = conn.execute(sql + " ORDER BY month, account_id", params)
    keys = [d[0] for d in cur.description]
    out = [dict(zip(keys, row, strict=True)) for row in cur]
    for row in out:
        row["complete"] = bool(row["complete"])
    return out


def hosting_of(conn: sqlite3.Connection, email: str) -> list[dict[str, Any]]:
    """One user's hosting by month, newest first."""
    cur = conn.execute(
        "SELECT month, meetings, participants, meeting_minutes, complete FROM hosting "
        "WHERE email = ? ORDER BY month DESC",
        (email.casefold(),),
    )
    keys = [d[0] for d in cur.description]
    return [{**dict(zip(keys, row, strict=True)), "complete": bool(row[4])} for row in cur]


def all_hosting(conn: sqlite3.Connection) -> dict[str, dict[str, tuple[int, int, int]]]:
    """Every stored figure: email -> month -> (meetings, participants, meeting_minutes)."""
    out: dict[str, dict[str, tuple[int, int, int]]] = {}
    cur = conn.execute("SELECT email, month, meetings, participants, meeting_minutes FROM hosting")
    for email, month, m, p, mins in cur:
        out.setdefault(email, {})[month] = (m, p, mins)
    return out


NEEDS_LICENCE = "meetings > 0 AND (meeting_minutes > ? * meetings OR participants > ? * meetings)"
"""A month of hosting that calls for a licence: its meetings averaged more than the
minutes or the participants a Basic (free) meeting allows; parameters (min minutes,
min participants). The one definition, used per user by :func:`summaries` and counted
by :func:`needs_licence_clause`."""


def needs_licence_clause(
    since_month: str, min_minutes: float, min_participants: float
) -> tuple[str, list[Any]]:
    """User version ``v`` hosted, since ``since_month``, a month that calls for a licence.

    Keyed by identity, as the hosting filters are (``HostingWindows``): the identity's
    e-mail is the one its latest run listed, the e-mail ``summaries`` reads for it.
    """
    sql = (
        "v.identity IN (SELECT hi.id FROM hosting "
        "JOIN identities hi ON hi.email_lc = hosting.email "
        f"WHERE hosting.month >= ? AND {NEEDS_LICENCE})"
    )
    return sql, [since_month, min_minutes, min_participants]


def summaries(
    conn: sqlite3.Connection,
    emails: Sequence[str],
    since_month: str,
    min_minutes: float,
    min_participants: float,
) -> dict[str, dict[str, Any]]:
    """Per e-mail (case-folded): last hosted month, and since ``since_month`` the meetings,
    minutes and whether any month's averages call for a licence."""
    out: dict[str, dict[str, Any]] = {}
    # Not sorted: one sort of 90,000 addresses held the GIL for 50-80 ms, a stall of the
    # TUI's loop while an export read in a reader thread; SQLite orders each IN list itself.
    folded = list({e.casefold() for e in emails})
    for start in range(0, len(folded), 500):
        chunk = folded[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        cur = conn.execute(
            f"""SELECT email, max(month),
                sum(CASE WHEN month >= ? THEN meetings ELSE 0 END),
                sum(CASE WHEN month >= ? THEN meeting_minutes ELSE 0 END),
                max(CASE WHEN month >= ? AND {NEEDS_LICENCE} THEN 1 ELSE 0 END)
            FROM hosting WHERE email IN ({marks}) AND meetings > 0 GROUP BY email""",
            [since_month, since_month, since_month, min_minutes, min_participants, *chunk],
        )
        for email, last, meetings, minutes, needs in cur:
            out[email] = {
                "last_hosted_month": last,
                "meetings": int(meetings or 0),
                "meeting_minutes": int(minutes or 0),
                "needs_licence": bool(needs),
            }
    return out


# -- the hosting filters ---------------------------------------------------------------------
#
# Both filters need, per user, "hosted since month S?" and "minutes since S". Computed inside
# each filter query (the old way) that cost a GROUP BY over the hosting rows of every month
# since S joined to identities, twice per users page (window and total): ~4x the plain
# filters on 100,000 users. Now each connection keeps one derived table per S, built once
# and dropped as soon as anything has been written to the database since (by this
# connection or another), so the filters probe a small integer-keyed table and stay exact.

_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
MAX_TABLES = 12  # kept per connection (the TUI's typed days and minutes); more: start over


def window_table(since_month: str) -> str:
    """The derived table of hosts since ``since_month``; refuses anything but ``YYYY-MM``."""
    if not _MONTH.fullmatch(since_month):
        raise ValueError(f"not a YYYY-MM month: {since_month!r}")
    return f"temp.hosted_since_{since_month.replace('-', '_')}"


def busy_table(since_month: str, minutes: int) -> str:
    """The derived table of hosts with at least ``minutes`` (> 0) minutes since the month."""
    return f"{window_table(since_month)}_min_{int(minutes)}"


def not_hosted_clause(since_month: str) -> tuple[str, list[Any]]:
    """User version ``v`` hosted no meeting in ``since_month`` or later."""
    return f"v.identity NOT IN (SELECT identity FROM {window_table(since_month)})", []


def minutes_below_clause(since_month: str, minutes: int) -> tuple[str, list[Any]]:
    """User version ``v`` hosted fewer than ``minutes`` meeting minutes since ``since_month``."""
    if minutes <= 0:
        return "0", []  # nobody hosted fewer than 0 minutes
    return f"v.identity NOT IN (SELECT identity FROM {busy_table(since_month, minutes)})", []


@dataclass
class HostingWindows:
    """One connection's derived tables: per identity that hosted since S, its minutes since S;
    and per (S, M), the identities with at least M minutes.

    Integer-keyed tables make each filter one rowid probe per user. Minutes count
    months with a meeting, as ``summaries`` does, so the filter and the shown
    ``meeting_minutes_last_n_days`` always agree.
    """

    stamp: tuple[int, int] | None = None
    built: set[str] = field(default_factory=set)

    def prepare(
        self,
        conn: sqlite3.Connection,
        not_hosted_since: str | None,
        minutes_below: tuple[str, int] | None,
    ) -> None:
        """Make sure the filters' tables reflect the database as this transaction sees it.

        Call inside the read transaction of the queries that use them. ``data_version``
        moves when another connection commits, ``total_changes`` when this one writes.
        """
        wanted: dict[str, tuple[str, int | None]] = {}
        if not_hosted_since is not None:
            wanted[window_table(not_hosted_since)] = (not_hosted_since, None)
        if minutes_below is not None and minutes_below[1] > 0:
            wanted[window_table(minutes_below[0])] = (minutes_below[0], None)
            wanted[busy_table(*minutes_below)] = minutes_below
        if not wanted:
            return
        if self._stamp(conn) != self.stamp or len(self.built | set(wanted)) > MAX_TABLES:
            for table in self.built:
                conn.execute(f"DROP TABLE IF EXISTS {table}")
            self.built.clear()
        for table, (since, least) in wanted.items():  # a window before its busy table
            if table in self.built:
                continue
            conn.execute(f"DROP TABLE IF EXISTS {table}")
            if least is None:
                conn.execute(
                    f"CREATE TABLE {table} (identity INTEGER PRIMARY KEY, minutes INTEGER NOT NULL)"
                )
                conn.execute(
                    f"INSERT INTO {table} SELECT hi.id, sum(h.meeting_minutes) FROM hosting h "
                    "JOIN identities hi ON hi.email_lc = h.email "
                    "WHERE h.month >= ? AND h.meetings > 0 GROUP BY hi.id",
                    (since,),
                )
            else:
                conn.execute(f"CREATE TABLE {table} (identity INTEGER PRIMARY KEY)")
                conn.execute(
                    f"INSERT INTO {table} SELECT identity FROM {window_table(since)} "
                    "WHERE minutes >= ?",
                    (least,),
                )
            self.built.add(table)
        self.stamp = self._stamp(conn)

    @staticmethod
    def _stamp(conn: sqlite3.Connection) -> tuple[int, int]:
        (version,) = conn.execute("PRAGMA data_version").fetchone()
        return int(version), conn.total_changes


class HostingReads:
    """The hosting part of :class:`~zoomtui.store.store.Store` (same connection)."""

    conn: sqlite3.Connection

    def _read(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError  # Store's read transaction

    def record_hosting(self, read: MonthRead, hosts: Iterable[HostTuple]) -> int:
        """Replace one account's report month with what Zoom said; returns the host count."""
        with lifecycle.write_tx(self.conn):
            return record_month(self.conn, read, hosts)

    def hosting_months(self, account_id: str | None = None) -> list[dict[str, Any]]:
        """The report months read so far (per account, with ``complete``), oldest first."""
        return months_read(self.conn, account_id)

    def hosting_of(self, email: str) -> list[dict[str, Any]]:
        """One user's hosting by month, newest first."""
        return hosting_of(self.conn, email)

    def all_hosting(self) -> dict[str, dict[str, tuple[int, int, int]]]:
        """email -> month -> (meetings, participants, meeting_minutes), everything kept."""
        return all_hosting(self.conn)

    def hosting_summaries(
        self, emails: Sequence[str], since_month: str, min_minutes: float, min_participants: float
    ) -> dict[str, dict[str, Any]]:
        """Per-user hosting figures since a month; see ``hosting.summaries``."""
        with self._read() as conn:
            return summaries(conn, emails, since_month, min_minutes, min_participants)
