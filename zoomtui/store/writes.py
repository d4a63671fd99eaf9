"""Small direct writes: seats, accounts, sign-in events and add-on reads."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from datetime import UTC
from typing import Any

import orjson

from zoomtui.store.codec import encode_addons
from zoomtui.store.records import AccountRow, AddonRead, SeatRow, SignInTuple, iso, iso_utc
from zoomtui.store.schema import SIGN_INS_EMAIL_INDEX


def stage_seats(conn: sqlite3.Connection, run_id: int, rows: Iterable[SeatRow]) -> None:
    """Seat counts of one run; a repeated (account, plan, type) replaces the earlier one."""
    conn.executemany(
        "INSERT OR REPLACE INTO seats (run_id, account_id, plan, type, purchased, assigned, "
        "pending) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(run_id, r.account_id, r.plan, r.type, r.purchased, r.assigned, r.pending) for r in rows],
    )


def stage_accounts(conn: sqlite3.Connection, run_id: int, rows: Iterable[AccountRow]) -> None:
    """Upsert accounts, remembering the first and last run that saw each."""
    conn.executemany(
        """INSERT INTO accounts (id, name, owner_email, account_type, seats, is_main,
            first_seen_run, last_seen_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET name = excluded.name, owner_email = excluded.owner_email,
            account_type = excluded.account_type, seats = excluded.seats,
            is_main = excluded.is_main, last_seen_run = excluded.last_seen_run""",
        [
            (r.id, r.name, r.owner_email, r.account_type, r.seats, int(r.is_main), run_id, run_id)
            for r in rows
        ],
    )


# A batch goes in as one JSON parameter read by SQLite's json_each: one statement
# that runs with the GIL released, where executemany takes it back for every row.
# SQLite's strftime turns any offset orjson writes into the stored UTC form, and
# its lower() folds ASCII exactly as casefold does (others are folded in Python).
_BATCH = """WITH batch AS (SELECT
    strftime('%Y-%m-%dT%H:%M:%SZ', json_extract(value, '$[1]')) AS time,
    lower(json_extract(value, '$[0]')) AS email, json_extract(value, '$[2]') AS type,
    json_extract(value, '$[3]') AS ip_address, json_extract(value, '$[4]') AS client_type,
    json_extract(value, '$[5]') AS version FROM json_each(?))"""
_JSON_TIMES = orjson.OPT_OMIT_MICROSECONDS | orjson.OPT_NAIVE_UTC
_SIGN_IN_COLUMNS = "time, email, type, ip_address, client_type, version"


def add_sign_ins(
    conn: sqlite3.Connection, events: Iterable[SignInTuple], bulk: bool = False
) -> int:
    """Insert new events (emails case-folded); :func:`finish_sign_ins` completes a report.

    ``bulk`` (a report read from its start) drops the per-email index first, to
    be built again in one sort at the end. A naive time is taken as UTC.
    """
    if bulk:
        conn.execute("DROP INDEX IF EXISTS sign_ins_email")
    rows = events if isinstance(events, list) else list(events)
    if not all(e[0].isascii() for e in rows):
        rows = [(e[0].casefold(), *e[1:]) for e in rows]
    batch = orjson.dumps(rows, default=tuple, option=_JSON_TIMES)  # default: named tuples
    before = conn.total_changes
    if b"\\u0000" in batch:
        # SQLite's JSON functions cut a string at NUL; such a batch takes the slow road.
        conn.executemany(
            f"INSERT OR IGNORE INTO sign_ins ({_SIGN_IN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
            sorted(
                (iso_utc(t if t.tzinfo else t.replace(tzinfo=UTC)), e.casefold(), *rest)
                for e, t, *rest in rows
            ),
        )
    else:
        # In key order a batch (one stretch of the report's time line) is an append.
        conn.execute(
            f"""{_BATCH} INSERT OR IGNORE INTO sign_ins ({_SIGN_IN_COLUMNS})
            SELECT {_SIGN_IN_COLUMNS} FROM batch ORDER BY time, email, type""",
            (batch,),
        )
    return conn.total_changes - before


def finish_sign_ins(conn: sqlite3.Connection, since: str) -> None:
    """Build the per-email index if it was dropped; advance each email's latest sign-in.

    Once per report rather than per batch: upserting the latest of every batch
    cost as much as storing the events. ``since`` (stored-time text) bounds the
    events looked at; a run killed before this point is covered by the next
    one, which reads the report again from no later than where this one began.
    """
    conn.execute(SIGN_INS_EMAIL_INDEX)
    conn.execute(
        """INSERT INTO sign_in_latest (email, time)
        SELECT email, max(time) FROM sign_ins WHERE time >= ? AND type = 'Sign in'
        GROUP BY email ORDER BY email
        ON CONFLICT(email) DO UPDATE SET time = max(time, excluded.time)""",
        (since,),
    )


def record_addons(
    conn: sqlite3.Connection, run_id: int, reads: Iterable[AddonRead | Mapping[str, Any]]
) -> None:
    """Keep the newest settings read per Zoom id."""
    data = []
    for read in reads:
        r = (
            read
            if isinstance(read, AddonRead)
            else AddonRead(
                zoom_id=read["zoom_id"],
                read_at=read["read_at"],
                addons=tuple(read["addons"]),
                type=read.get("type"),
                bundle=read.get("bundle"),
                status=read.get("status"),
            )
        )
        data.append(
            (r.zoom_id, iso(r.read_at), encode_addons(r.addons), r.type, r.bundle, r.status, run_id)
        )
    conn.executemany(
        """INSERT INTO addon_reads (zoom_id, read_at, addons, type, bundle, status, run_id)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(zoom_id) DO UPDATE SET read_at = excluded.read_at, addons = excluded.addons,
            type = excluded.type, bundle = excluded.bundle, status = excluded.status,
            run_id = excluded.run_id
        WHERE excluded.read_at >= addon_reads.read_at""",
        data,
    )
