"""The writes of one aggregation run: begin, stage each page, complete or end it.

Split from ``store.py`` (the reads): every method here takes the write lock
through ``lifecycle.write_tx`` and checks the run is still running where it matters.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from zoomtui.clock import Clock
from zoomtui.store import columns, lifecycle
from zoomtui.store.columns import stage_tuple
from zoomtui.store.records import ENDINGS, AccountRow, AddonRead, SeatRow, SignInTuple, UserRow
from zoomtui.store.runlock import RunLock
from zoomtui.store.writes import (
    add_sign_ins,
    finish_sign_ins,
    record_addons,
    stage_accounts,
    stage_seats,
)


class RunWrites:
    """The run-lifecycle half of :class:`~zoomtui.store.store.Store` (same connection)."""

    conn: sqlite3.Connection
    clock: Clock
    run_lock: RunLock

    def recover_interrupted(self) -> list[int]:
        """Mark ``running`` runs whose process is gone ``interrupted``; returns their ids.

        A plain read decides first, so that opening the history to read it never
        waits for a running aggregation's write lock when there is nothing to mend.
        """
        lock = self.run_lock.probe()
        if not lifecycle.dead_runs(self.conn, self.clock(), lock):
            return []
        with lifecycle.write_tx(self.conn):
            # Probed again inside the write lock: a run may have started meanwhile.
            return lifecycle.recover(self.conn, self.clock(), self.run_lock.probe())

    def begin_run(self, started_at: datetime, full: bool, pid: int | None = None) -> int:
        """Start a run; raises ``RunLocked`` while another live aggregation runs."""
        return lifecycle.begin(
            self.conn,
            started_at,
            full,
            os.getpid() if pid is None else pid,
            self.clock(),
            self.run_lock,
        )

    def stage_users(self, run_id: int, rows: Iterable[UserRow]) -> int:
        """Stage one page of listed users for ``run_id``; returns how many."""
        data = [stage_tuple(run_id, row) for row in rows]
        with lifecycle.write_tx(self.conn):
            lifecycle.require_running(self.conn, run_id)
            self.conn.executemany(columns.STAGE_INSERT, data)
        return len(data)

    def stage_seats(self, run_id: int, rows: Iterable[SeatRow]) -> None:
        """Record seat counts of ``run_id`` (kept whatever the run's ending)."""
        with lifecycle.write_tx(self.conn):
            stage_seats(self.conn, run_id, rows)

    def stage_accounts(self, run_id: int, rows: Iterable[AccountRow]) -> None:
        """Upsert the accounts ``run_id`` saw."""
        with lifecycle.write_tx(self.conn):
            stage_accounts(self.conn, run_id, rows)

    def add_sign_ins(self, events: Iterable[SignInTuple], bulk: bool = False) -> int:
        """Keep sign-in/out events forever, de-duplicated; returns how many were new.

        ``bulk``: the events start a report read from its beginning, so the
        per-email index is dropped until :meth:`finish_sign_ins` (reads stay
        correct without it, only slower).
        """
        with lifecycle.write_tx(self.conn):
            return add_sign_ins(self.conn, events, bulk)

    def finish_sign_ins(self) -> None:
        """After a report (or part of it) was stored: index it and advance each
        email's latest sign-in."""
        with lifecycle.write_tx(self.conn):
            finish_sign_ins(self.conn)

    def record_addons(self, run_id: int, reads: Iterable[AddonRead | Mapping[str, Any]]) -> None:
        """Record settings reads now: a read is a fact even if the run later fails."""
        with lifecycle.write_tx(self.conn):
            record_addons(self.conn, run_id, reads)

    def complete_run(
        self,
        run_id: int,
        finished_at: datetime,
        stats: dict[str, Any] | None = None,
        notes: dict[str, Any] | None = None,
    ) -> int:
        """Turn the stage into ``run_id``'s snapshot in one transaction; returns its user count."""
        users = lifecycle.complete(self.conn, run_id, finished_at, stats, notes)
        self.run_lock.release()
        return users

    def end_run(
        self,
        run_id: int,
        status: str,
        finished_at: datetime,
        stats: dict[str, Any] | None = None,
        notes: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        """End a run as ``partial``, ``failed`` or ``cancelled``: the stage is dropped."""
        if status not in ENDINGS:
            raise ValueError(f"status must be one of {', '.join(ENDINGS)}, not {status!r}")
        lifecycle.end(self.conn, run_id, status, finished_at, stats, notes, error)
        self.run_lock.release()

    fail_run = end_run
