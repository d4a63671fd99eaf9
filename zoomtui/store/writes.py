"""Small direct writes: seats, accounts, sign-in events and add-on reads."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from zoomtui.store.codec import encode_addons
from zoomtui.store.records import AccountRow, AddonRead, SeatRow, SignInRow, iso


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


def add_sign_ins(conn: sqlite3.Connection, events: Iterable[SignInRow]) -> int:
    """Insert new events (emails case-folded) and advance each email's latest sign-in."""
    # Sorted in key order, the batch walks the email-keyed B-tree once instead of
    # jumping between pages for every event (reports arrive in time order).
    data = sorted(
        (e.email.casefold(), iso(e.time), e.type, e.ip_address, e.client_type, e.version)
        for e in events
    )
    before = conn.total_changes
    conn.executemany(
        "INSERT OR IGNORE INTO sign_ins (email, time, type, ip_address, client_type, version) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        data,
    )
    added = conn.total_changes - before
    latest: dict[str, str] = {}
    for email, time, type_, *_ in data:
        if type_ == "Sign in" and time is not None and time > latest.get(email, ""):
            latest[email] = time
    conn.executemany(
        """INSERT INTO sign_in_latest (email, time) VALUES (?, ?)
        ON CONFLICT(email) DO UPDATE SET time = max(time, excluded.time)""",
        list(latest.items()),
    )
    return added


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
