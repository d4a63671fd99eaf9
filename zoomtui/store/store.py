"""The history database: one ``Store`` per connection, synchronous, safe to share a file.

Writers and readers may be different processes (the TUI open while cron
aggregates): WAL plus a long busy timeout, and every read of several
statements runs in one read transaction so it sees one consistent snapshot.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from zoomtui.clock import Clock, utcnow
from zoomtui.licences import REGION_PREFIX
from zoomtui.store import columns, history, hosting, lifecycle, queries
from zoomtui.store.codec import decode_addons, dumps, encode_addons, loads
from zoomtui.store.errors import StoreError
from zoomtui.store.opening import connect, connect_readonly
from zoomtui.store.records import (
    RunRecord,
    iso,
    parse_iso,
)
from zoomtui.store.run_writes import RunWrites
from zoomtui.store.runlock import RunLock

_RUN_COLUMNS = "id, status, started_at, finished_at, full, users, pid, host, stats, notes, error"


class Store(RunWrites, hosting.HostingReads):
    """History of aggregation runs: users versioned by change, seats, sign-ins, add-on reads.

    The writes of a run (begin, stage, complete or end) are in :class:`RunWrites`.
    """

    def __init__(self, db: Database, path: Path, clock: Clock = utcnow) -> None:
        self.db, self.path, self.clock = db, path, clock
        self.conn: sqlite3.Connection = db.conn
        self.run_lock = RunLock(path)
        self.hosting_windows = hosting.HostingWindows()  # this connection's derived tables

    @classmethod
    def open(cls, path: Path | str, *, clock: Clock = utcnow, readonly: bool = False) -> Store:
        """Open (creating it 0600) and migrate; runs left ``running`` by dead processes end.

        ``readonly``: the caller only queries. When the file or its directory
        cannot be written (a read-only mount, a backup) it is opened read-only:
        no creation, no migration, no mending; otherwise it opens as usual so
        dead runs are still marked interrupted for the reader.
        """
        path = Path(path).expanduser()
        if readonly and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            return cls(connect_readonly(path), path, clock)
        store = cls(connect(path), path, clock)
        try:
            store.recover_interrupted()
        except sqlite3.DatabaseError as exc:
            store.close()
            raise StoreError(f"The history database {path} is unreadable ({exc}).") from exc
        return store

    def close(self) -> None:
        self.run_lock.release()
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: a consistent snapshot across several statements."""
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN")
        try:
            yield self.conn
        finally:
            self.conn.execute("COMMIT")

    # -- runs ----------------------------------------------------------------------------------

    def runs(self) -> list[RunRecord]:
        """Every run, oldest first."""
        rows = self.conn.execute(f"SELECT {_RUN_COLUMNS} FROM runs ORDER BY id").fetchall()
        return [_run(row) for row in rows]

    def run(self, run_id: int) -> RunRecord | None:
        row = self.conn.execute(f"SELECT {_RUN_COLUMNS} FROM runs WHERE id = ?", (run_id,))
        found = row.fetchone()
        return _run(found) if found else None

    def latest_complete_run(self) -> RunRecord | None:
        """The default run of users, seats and diff."""
        row = self.conn.execute(
            f"SELECT {_RUN_COLUMNS} FROM runs WHERE status = 'complete' ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return _run(row) if row else None

    def complete_runs(self) -> list[RunRecord]:
        return [r for r in self.runs() if r.status == "complete"]

    # -- users ---------------------------------------------------------------------------------

    def users(
        self,
        run_id: int,
        *,
        plans: Sequence[str] | None = None,
        statuses: Sequence[str] | None = None,
        addons: Sequence[str] | None = None,
        account: str | None = None,
        dept: str | None = None,
        inactive_before: datetime | None = None,
        never_logged_in: bool = False,
        search: str | None = None,
        not_hosted_since: str | None = None,
        hosted_minutes_below: tuple[str, int] | None = None,
        created_before: datetime | None = None,
        email: str | None = None,
        sort: str = "email",
        descending: bool = False,
        offset: int = 0,
        limit: int | None = None,
        now: datetime | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        """A window of run ``run_id``'s users matching every filter, and the total matching."""
        q = queries.UserQuery(
            plans,
            statuses,
            addons,
            account,
            dept,
            inactive_before,
            never_logged_in,
            search,
            not_hosted_since,
            hosted_minutes_below,
            created_before,
            email=email,
        )
        with self._read() as conn:
            scope = queries.scope_of(conn, run_id)
            self._prepare_hosting(conn, q)
            return queries.page(conn, scope, q, sort, descending, offset, limit, now)

    def _prepare_hosting(self, conn: sqlite3.Connection, q: queries.UserQuery) -> None:
        self.hosting_windows.prepare(conn, q.not_hosted_since, q.hosted_minutes_below)

    def distinct_values(self, run_id: int) -> dict[str, list[str]]:
        """Plans, statuses, accounts, departments and add-ons present in a run (pick lists)."""
        out: dict[str, list[str]] = {}
        with self._read() as conn:
            member, params = queries.scope_of(conn, run_id).member("v")
            for key, column in (
                ("plans", "plan"), ("statuses", "status"), ("accounts", "account_id"),
                ("depts", "dept"),
            ):  # fmt: skip
                rows = conn.execute(
                    f"SELECT DISTINCT v.{column} FROM user_versions v WHERE {member} ORDER BY 1",
                    params,
                )
                out[key] = [r[0] for r in rows if r[0] not in (None, "")]
            addons: set[str] = set()
            for (encoded,) in conn.execute(
                f"SELECT DISTINCT v.addons FROM user_versions v WHERE {member} "
                "AND v.addons IS NOT NULL",
                params,
            ):
                for token in decode_addons(encoded) or ():
                    if not token.startswith(REGION_PREFIX):  # a hosting region, not an add-on
                        addons.update({token.partition(":")[0], token})
            out["addons"] = sorted(addons)
        return out

    def count_users(self, run_id: int, **filters: Any) -> int:
        """How many users of ``run_id`` match the filters of :meth:`users`."""
        q = queries.UserQuery(**filters)
        with self._read() as conn:
            scope = queries.scope_of(conn, run_id)
            self._prepare_hosting(conn, q)
            return queries.count(conn, scope, q)

    def count_needing(
        self, run_id: int, needs: tuple[str, float, float], **filters: Any
    ) -> tuple[int, int]:
        """How many users of ``run_id`` match the filters of :meth:`users`, and how many of
        them hosted, since ``needs`` = (month, min minutes, min participants), as only a
        licence allows (``hosting.NEEDS_LICENCE``)."""
        q = queries.UserQuery(**filters)
        with self._read() as conn:
            scope = queries.scope_of(conn, run_id)
            self._prepare_hosting(conn, q)
            return queries.count_needing(conn, scope, q, needs)

    def history_of(self, identity: int | str) -> list[dict[str, Any]]:
        """Every version of one user (identity number, Zoom id or email), oldest first."""
        with self._read() as conn:
            ident = self._identity(identity)
            if ident is None:
                return []
            no_logins = ", ".join(["NULL"] * len(columns.LOGIN_KEYS))
            rows = conn.execute(
                f"SELECT v.valid_from_run, v.valid_to_run, {columns.VERSION_SELECT}, {no_logins} "
                "FROM user_versions v WHERE v.identity = ? ORDER BY v.valid_from_run",
                (ident,),
            ).fetchall()
        out = []
        for row in rows:
            record = columns.user_record(row[2:], None)
            for key in (*columns.LOGIN_KEYS, "days_inactive"):
                record.pop(key)
            out.append({"valid_from_run": row[0], "valid_to_run": row[1], **record})
        return out

    def _identity(self, key: int | str) -> int | None:
        if isinstance(key, int):
            return key
        row = self.conn.execute("SELECT id FROM identities WHERE zoom_id = ?", (key,)).fetchone()
        if row is None:
            row = self.conn.execute(
                "SELECT id FROM identities WHERE email_lc = ? ORDER BY zoom_id IS NULL, id DESC",
                (key.casefold(),),
            ).fetchone()
        return row[0] if row else None

    def diff(
        self,
        run_a: int,
        run_b: int,
        now: datetime | None = None,
        inactive_days: int = 90,
    ) -> dict[str, Any]:
        """Added / removed / changed users between two complete runs (see docs/architecture.md)."""
        with self._read() as conn:
            return history.diff(conn, run_a, run_b, now, inactive_days)

    def trend(self, inactive_days: int = 90) -> list[dict[str, Any]]:
        """Per complete run, oldest first, its counts as :meth:`run_counts` gives them.

        Why the kept counts: counting a 100,000-user run takes ~0.2 s, and the Runs
        screen reads the trend on every visit (a run may have landed from cron).
        """
        with self._read() as conn:
            rows = conn.execute(
                "SELECT id, stats FROM runs WHERE status = 'complete' ORDER BY id"
            ).fetchall()
            out = []
            for run_id, stats in rows:
                kept = history.kept_counts(loads(stats), inactive_days)
                out.append(kept or history.counts_of(conn, run_id, inactive_days))
            return out

    def run_counts(self, run_id: int, inactive_days: int = 90) -> dict[str, Any]:
        """One complete run's counts, as one record of :meth:`trend`.

        Kept in the run's stats (``summary``) by :meth:`summarise_run` when it
        completed: a stored summary at the same ``inactive_days`` costs no query.
        """
        run = self.run(run_id)
        kept = history.kept_counts(run.stats, inactive_days) if run is not None else None
        if kept is not None:
            return kept
        with self._read() as conn:
            return history.counts_of(conn, run_id, inactive_days)

    def summarise_run(self, run_id: int, inactive_days: int) -> dict[str, Any]:
        """Count a just-completed run once and keep it in its stats, for ``summary``."""
        counts = self.run_counts(run_id, inactive_days)
        with lifecycle.write_tx(self.conn) as conn:
            conn.execute(
                "UPDATE runs SET stats = json_set(coalesce(stats, '{}'), '$.summary', json(?)) "
                "WHERE id = ?",
                (dumps(counts), run_id),
            )
        return counts

    def summarise_runs(self, inactive_days: int) -> int:
        """Count every complete run not yet counted at ``inactive_days``; how many were.

        Why after each run: the Runs screen's trend reads kept counts, and runs from
        before counts were kept, or counted at another ``inactive_days``, are counted
        here once, in the aggregation, instead of on every visit.
        """
        rows = self.conn.execute("SELECT id, stats FROM runs WHERE status = 'complete'")
        kept = history.kept_counts
        stale = [i for i, stats in rows.fetchall() if not kept(loads(stats), inactive_days)]
        for run_id in stale:
            self.summarise_run(run_id, inactive_days)
        return len(stale)

    # -- seats, sign-ins, add-ons, accounts ----------------------------------------------------

    def seats(self, run_id: int) -> list[dict[str, Any]]:
        """Seat counts recorded by ``run_id``, by account, plan and type."""
        cur = self.conn.execute(
            "SELECT account_id, plan, type, purchased, assigned, pending FROM seats "
            "WHERE run_id = ? ORDER BY account_id, plan, type",
            (run_id,),
        )
        keys = [d[0] for d in cur.description]
        return [dict(zip(keys, row, strict=True)) for row in cur]

    def accounts(self) -> list[dict[str, Any]]:
        cur = self.conn.execute(
            "SELECT id, name, owner_email, account_type, seats, is_main, first_seen_run, "
            "last_seen_run FROM accounts ORDER BY is_main DESC, id"
        )
        keys = [d[0] for d in cur.description]
        return [{**dict(zip(keys, r, strict=True)), "is_main": bool(r[5])} for r in cur]

    def sign_ins_of(self, email: str, limit: int = 100) -> list[dict[str, Any]]:
        """The newest sign-in/out events of ``email`` (case-insensitive)."""
        cur = self.conn.execute(
            "SELECT email, time, type, ip_address, client_type, version FROM sign_ins "
            "WHERE email = ? ORDER BY time DESC, type LIMIT ?",
            (email.casefold(), limit),
        )
        keys = [d[0] for d in cur.description]
        return [dict(zip(keys, row, strict=True)) for row in cur]

    def latest_sign_in_time(self, account_id: str | None = None) -> datetime | None:
        """The newest event time kept, to resume the sign-in report from there.

        With ``account_id``: the newest sign-in of that account's current users,
        so a sub account seen for the first time is backfilled in full.
        """
        if account_id is None:
            (value,) = self.conn.execute("SELECT max(time) FROM sign_ins").fetchone()
        else:
            (value,) = self.conn.execute(
                "SELECT max(l.time) FROM sign_in_latest l "
                "JOIN identities i ON i.email_lc = l.email "
                "JOIN user_versions v ON v.identity = i.id AND v.valid_to_run IS NULL "
                "WHERE v.account_id = ?",
                (account_id,),
            ).fetchone()
        return parse_iso(value)

    def addon_state(self) -> dict[str, dict[str, Any]]:
        """Per Zoom id: the last settings read (``read_at``, ``type``, ``bundle``, ``status``,
        ``addons``)."""
        cur = self.conn.execute(
            "SELECT zoom_id, read_at, type, bundle, status, addons, read_bundle FROM addon_reads"
        )
        return {
            zoom_id: {
                "read_at": parse_iso(read_at),
                "type": type_,
                "bundle": bundle,
                "status": status,
                "addons": tuple(decode_addons(addons) or ()),
                "read_bundle": read_bundle,
            }
            for zoom_id, read_at, type_, bundle, status, addons, read_bundle in cur
        }


def _run(row: Sequence[Any]) -> RunRecord:
    started = parse_iso(row[2])
    assert started is not None
    return RunRecord(
        id=row[0],
        status=row[1],
        started_at=started,
        finished_at=parse_iso(row[3]),
        full=bool(row[4]),
        users=row[5],
        pid=row[6],
        host=row[7],
        stats=loads(row[8]),
        notes=loads(row[9]),
        error=row[10],
    )


__all__ = ["Store", "encode_addons", "iso"]
