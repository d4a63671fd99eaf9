"""Small direct writes: seats, accounts, sign-in events and add-on reads."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
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
# Times are UTC by then and SQLite's strftime writes the stored form; its lower()
# folds ASCII exactly as casefold does (other emails are folded in Python).
_BATCH = """WITH batch AS (SELECT
    strftime('%Y-%m-%dT%H:%M:%SZ', json_extract(value, '$[1]')) AS time,
    lower(json_extract(value, '$[0]')) AS email, json_extract(value, '$[2]') AS type,
    json_extract(value, '$[3]') AS ip_address, json_extract(value, '$[4]') AS client_type,
    json_extract(value, '$[5]') AS version FROM json_each(?))"""
_JSON_TIMES = orjson.OPT_OMIT_MICROSECONDS
_SIGN_IN_COLUMNS = "time, email, type, ip_address, client_type, version"


def add_sign_ins(
    conn: sqlite3.Connection, events: Iterable[SignInTuple], bulk: bool = False
) -> int:
    """Insert new events (emails case-folded); :func:`finish_sign_ins` completes a report.

    ``bulk`` (a report read from its start) drops the per-email index first, to
    be built again in one sort at the end.
    """
    rows = events if isinstance(events, list) else list(events)
    if not rows:
        return 0
    if bulk:
        conn.execute("DROP INDEX IF EXISTS sign_ins_email")
    if not all(e[0].isascii() and e[1].tzinfo is UTC for e in rows):
        rows = [(e.casefold(), _utc(t), *rest) for e, t, *rest in rows]
    batch = orjson.dumps(rows, default=tuple, option=_JSON_TIMES)  # default: named tuples
    before = conn.total_changes
    if b"\\u0000" in batch:
        # SQLite's JSON functions cut a string at NUL; such a batch takes the slow road.
        data = sorted((iso_utc(t), e.casefold(), *rest) for e, t, *rest in rows)
        conn.executemany(
            f"INSERT OR IGNORE INTO sign_ins ({_SIGN_IN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)", data
        )
        added = conn.total_changes - before
        conn.execute(_UNFINISHED, (data[0][0],))
        return added
    # In key order a batch (one stretch of the report's time line) is an append.
    conn.execute(
        f"""{_BATCH} INSERT OR IGNORE INTO sign_ins ({_SIGN_IN_COLUMNS})
        SELECT {_SIGN_IN_COLUMNS} FROM batch ORDER BY time, email, type""",
        (batch,),
    )
    added = conn.total_changes - before
    conn.execute(
        _UNFINISHED,
        (conn.execute(f"{_BATCH} SELECT min(time) FROM batch", (batch,)).fetchone()[0],),
    )
    return added


def _utc(time: datetime) -> datetime:
    if time.tzinfo is None:
        raise ValueError(f"naive datetime {time!r}; the store needs aware UTC times")
    return time.astimezone(UTC)


# Remember the oldest event not yet reflected in sign_in_latest (same transaction).
_UNFINISHED = """INSERT INTO sign_ins_unfinished (id, since) VALUES (1, ?)
    ON CONFLICT(id) DO UPDATE SET since = min(since, excluded.since)"""


def finish_sign_ins(conn: sqlite3.Connection) -> None:
    """Build the per-email index if it was dropped; advance each email's latest sign-in.

    Once per report rather than per batch: upserting the latest of every batch
    cost as much as storing the events. It looks at the events stored since it
    last ran, including those of a run killed before it got here.
    """
    conn.execute(SIGN_INS_EMAIL_INDEX)
    row = conn.execute("SELECT since FROM sign_ins_unfinished").fetchone()
    if row is None:
        return
    conn.execute(
        """INSERT INTO sign_in_latest (email, time)
        SELECT email, max(time) FROM sign_ins WHERE time >= ? AND type = 'Sign in'
        GROUP BY email ORDER BY email
        ON CONFLICT(email) DO UPDATE SET time = max(time, excluded.time)""",
        (row[0],),
    )
    conn.execute("DELETE FROM sign_ins_unfinished")


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
                read_bundle=read.get("read_bundle"),
            )
        )
        data.append(
            (
                r.zoom_id, iso(r.read_at), encode_addons(r.addons), r.type, r.bundle, r.status,
                run_id, r.read_bundle,
            )
        )  # fmt: skip
    conn.executemany(
        """INSERT INTO addon_reads
            (zoom_id, read_at, addons, type, bundle, status, run_id, read_bundle)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(zoom_id) DO UPDATE SET read_at = excluded.read_at, addons = excluded.addons,
            type = excluded.type, bundle = excluded.bundle, status = excluded.status,
            run_id = excluded.run_id, read_bundle = excluded.read_bundle
        WHERE excluded.read_at >= addon_reads.read_at""",
        data,
    )
