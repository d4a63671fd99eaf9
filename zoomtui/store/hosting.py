"""Hosting per host and month: written per report month, read per user and as filters.

Months are ``YYYY-MM`` strings, so "the months overlapping the last N days"
is a plain string comparison with the month of the window's first day.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

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
    folded = sorted({e.casefold() for e in emails})
    for start in range(0, len(folded), 500):
        chunk = folded[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        cur = conn.execute(
            f"""SELECT email, max(month),
                sum(CASE WHEN month >= ? THEN meetings ELSE 0 END),
                sum(CASE WHEN month >= ? THEN meeting_minutes ELSE 0 END),
                max(CASE WHEN month >= ? AND meetings > 0 AND (
                    meeting_minutes > ? * meetings OR participants > ? * meetings)
                    THEN 1 ELSE 0 END)
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


# Filters on a user version ``v``. Each subquery is uncorrelated, so SQLite builds
# its set of identities once (from the month index) instead of probing the hosting
# rows once per user: 100,000 probes cost ~15x the plain filters.
HOSTED_SINCE = (
    "SELECT hi.id FROM hosting h JOIN identities hi ON hi.email_lc = h.email "
    "WHERE h.month >= ? AND h.meetings > 0"
)
NOT_HOSTED_SQL = f"v.identity NOT IN ({HOSTED_SINCE})"
MINUTES_BELOW_SQL = (
    "v.identity NOT IN (SELECT hi.id FROM hosting h JOIN identities hi "
    "ON hi.email_lc = h.email WHERE h.month >= ? GROUP BY hi.id "
    "HAVING sum(h.meeting_minutes) >= ?)"
)
