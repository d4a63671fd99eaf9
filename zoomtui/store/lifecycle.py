"""Run lifecycle: lock, stage, and turn a stage into a run's snapshot in one transaction.

Only a *complete* run writes versions; every other ending drops the stage, so
earlier runs read exactly as before and nobody is ever marked removed by a
run that did not see everyone.
"""

from __future__ import annotations

import os
import socket
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from zoomtui.store.codec import dumps
from zoomtui.store.columns import STAGE_COLUMNS, VERSION_FIELDS
from zoomtui.store.errors import RunLocked, StoreError
from zoomtui.store.records import iso, parse_iso
from zoomtui.store.runlock import RunLock, State
from zoomtui.store.writes import finish_sign_ins

FOREIGN_HOST_STALE = timedelta(hours=24)
_FIELDS = ", ".join(VERSION_FIELDS)


@contextmanager
def write_tx(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``: take the write lock up front, roll back on error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this host."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(conn: sqlite3.Connection, now: datetime, lock: State = "unknown") -> list[int]:
    """Mark dead ``running`` runs ``interrupted`` and drop orphaned stage rows (in a tx)."""
    dead = dead_runs(conn, now, lock)
    for run_id in dead:
        conn.execute(
            "UPDATE runs SET status = 'interrupted', error = ? WHERE id = ?",
            ("The run ended without finishing (its process is gone).", run_id),
        )
    conn.execute(
        "DELETE FROM stage_users WHERE run_id NOT IN (SELECT id FROM runs WHERE status = 'running')"
    )
    return dead


def dead_runs(conn: sqlite3.Connection, now: datetime, lock: State = "unknown") -> list[int]:
    """``running`` runs whose process is gone.

    ``lock`` is the run lock's state (see ``runlock``): free, or just taken by
    us, means no live process holds it, so every ``running`` run is dead
    whatever its pid; held by another means the one running run is alive.
    Only when the lock file is unusable (or this Store holds it) do the pid
    and host decide: a pid alive on this host, or another host's run < 24 h old.
    """
    rows = conn.execute("SELECT id, pid, host, started_at FROM runs WHERE status = 'running'")
    if lock in ("free", "fresh"):
        return [row[0] for row in rows.fetchall()]
    if lock == "held":
        return []
    host = socket.gethostname()
    dead: list[int] = []
    for run_id, pid, run_host, started in rows.fetchall():
        if run_host == host:
            if pid_alive(pid or 0):
                continue
        else:
            started_at = parse_iso(started)
            if started_at is not None and now - started_at < FOREIGN_HOST_STALE:
                continue
        dead.append(run_id)
    return dead


def begin(
    conn: sqlite3.Connection,
    started_at: datetime,
    full: bool,
    pid: int,
    now: datetime,
    lock: RunLock,
) -> int:
    """Insert a ``running`` run unless a live one holds the database (and its run lock)."""
    state = lock.acquire()
    try:
        return _begin(conn, started_at, full, pid, now, state)
    except BaseException:
        if state == "fresh":
            lock.release()
        raise


def _begin(
    conn: sqlite3.Connection,
    started_at: datetime,
    full: bool,
    pid: int,
    now: datetime,
    state: State,
) -> int:
    with write_tx(conn):
        recover(conn, now, state)
        live = conn.execute(
            "SELECT id, pid, host FROM runs WHERE status = 'running' ORDER BY id LIMIT 1"
        ).fetchone()
        if live is not None:
            raise RunLocked(live[0], live[1] or 0, live[2])
        if state == "held":  # its holder has not recorded its run yet
            raise RunLocked(0, 0, socket.gethostname())
        # What a killed run's sign-in report left undone (usually nothing).
        finish_sign_ins(conn)
        cur = conn.execute(
            "INSERT INTO runs (status, started_at, full, pid, host) VALUES ('running', ?, ?, ?, ?)",
            (iso(started_at), int(full), pid, socket.gethostname()),
        )
        return int(cur.lastrowid or 0)


def require_running(conn: sqlite3.Connection, run_id: int) -> None:
    """Raise unless ``run_id`` exists and is still ``running``."""
    row = conn.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()
    if row is None:
        raise StoreError(f"Run {run_id} does not exist.")
    if row[0] != "running":
        raise StoreError(f"Run {run_id} is {row[0]}, not running.")


def clear_stage(conn: sqlite3.Connection, run_id: int) -> None:
    """Drop ``run_id``'s stage; with no other stage present, SQLite's fast truncate applies."""
    other = conn.execute("SELECT 1 FROM stage_users WHERE run_id <> ? LIMIT 1", (run_id,))
    if other.fetchone() is None:
        conn.execute("DELETE FROM stage_users")
    else:
        conn.execute("DELETE FROM stage_users WHERE run_id = ?", (run_id,))


def end(
    conn: sqlite3.Connection,
    run_id: int,
    status: str,
    finished_at: datetime,
    stats: dict | None,
    notes: dict | None,
    error: str | None,
) -> None:
    """Close a run as partial / failed / cancelled: drop its stage, keep every version."""
    with write_tx(conn):
        require_running(conn, run_id)
        clear_stage(conn, run_id)
        conn.execute(
            "UPDATE runs SET status = ?, finished_at = ?, stats = ?, notes = ?, error = ? "
            "WHERE id = ?",
            (status, iso(finished_at), dumps(stats), dumps(notes), error, run_id),
        )


def complete(
    conn: sqlite3.Connection,
    run_id: int,
    finished_at: datetime,
    stats: dict | None,
    notes: dict | None,
) -> int:
    """Make the stage run ``run_id``'s snapshot; returns its active + pending count."""
    with write_tx(conn):
        require_running(conn, run_id)
        try:
            _load_stage(conn, run_id)
            _resolve_identities(conn)
            _apply_versions(conn, run_id)
            _apply_logins(conn, run_id)
            (users,) = conn.execute(
                "SELECT count(*) FROM _st WHERE status IN ('active', 'pending')"
            ).fetchone()
            clear_stage(conn, run_id)
            conn.execute(
                "UPDATE runs SET status = 'complete', finished_at = ?, users = ?, stats = ?, "
                "notes = ?, error = NULL WHERE id = ?",
                (iso(finished_at), users, dumps(stats), dumps(notes), run_id),
            )
        finally:
            for table in ("_st", "_chg", "_actchg"):
                conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
    # Fresh planner statistics (sampled, so cheap): sort indexes get used, scans stop early.
    conn.execute("PRAGMA analysis_limit = 1000")
    conn.execute("ANALYZE")
    return int(users)


def _load_stage(conn: sqlite3.Connection, run_id: int) -> None:
    """De-duplicated stage (last row per user wins) in a temp table with an identity column.

    Known Zoom ids and pending e-mails get their identity in the same pass: a
    later UPDATE would rewrite every row of a rerun's stage just to fill it in.
    Pending rows can look theirs up before activations are resolved, because an
    activation never takes an identity whose e-mail is staged as pending.
    """
    staged = ", ".join(f"s.{c}" for c in STAGE_COLUMNS.split(", "))
    conn.execute(
        f"""CREATE TEMP TABLE _st AS SELECT coalesce(i.id, p.id) AS identity, {staged}
        FROM stage_users s
        LEFT JOIN identities i ON i.zoom_id = s.zoom_id
        LEFT JOIN identities p ON s.zoom_id IS NULL AND p.zoom_id IS NULL
            AND p.email_lc = s.email_lc
        WHERE s.run_id = ? ORDER BY s.rowid""",
        (run_id,),
    )
    conn.execute("CREATE INDEX temp._st_zoom ON _st(zoom_id)")
    conn.execute("CREATE INDEX temp._st_email ON _st(email_lc)")
    # A user listed twice (a restarted listing): the last staged row wins.
    conn.execute(
        """DELETE FROM _st WHERE rowid IN (
            SELECT a.rowid FROM _st a JOIN _st b ON b.zoom_id = a.zoom_id AND b.rowid > a.rowid
            WHERE a.zoom_id IS NOT NULL
            UNION ALL
            SELECT a.rowid FROM _st a JOIN _st b ON b.email_lc = a.email_lc AND b.rowid > a.rowid
            WHERE a.zoom_id IS NULL AND b.zoom_id IS NULL)"""
    )


def _resolve_identities(conn: sqlite3.Connection) -> None:
    """Give every staged row its stable identity; activation keeps the pending identity."""
    candidates = conn.execute(
        """SELECT s.rowid, s.zoom_id, i.id FROM _st s
        JOIN identities i ON i.zoom_id IS NULL AND i.email_lc = s.email_lc
        WHERE s.identity IS NULL AND s.zoom_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM _st p
                          WHERE p.zoom_id IS NULL AND p.email_lc = s.email_lc)"""
    ).fetchall()
    by_identity: dict[int, list[tuple[int, str]]] = {}
    for rowid, zoom_id, identity in candidates:
        by_identity.setdefault(identity, []).append((rowid, zoom_id))
    for identity, rows in by_identity.items():
        if len(rows) == 1:  # two new ids for one pending email: ambiguous, keep both new
            rowid, zoom_id = rows[0]
            conn.execute("UPDATE identities SET zoom_id = ? WHERE id = ?", (zoom_id, identity))
            conn.execute("UPDATE _st SET identity = ? WHERE rowid = ?", (identity, rowid))
    conn.execute(
        "INSERT INTO identities (zoom_id, email_lc) SELECT zoom_id, email_lc FROM _st "
        "WHERE identity IS NULL"
    )
    conn.execute(
        "UPDATE _st SET identity = (SELECT id FROM identities i WHERE i.zoom_id = _st.zoom_id) "
        "WHERE identity IS NULL AND zoom_id IS NOT NULL"
    )
    conn.execute(
        "UPDATE _st SET identity = (SELECT id FROM identities i WHERE i.zoom_id IS NULL "
        "AND i.email_lc = _st.email_lc) WHERE identity IS NULL AND zoom_id IS NULL"
    )
    conn.execute(
        "UPDATE identities SET email_lc = s.email_lc FROM _st s WHERE s.identity = identities.id "
        "AND s.zoom_id IS NOT NULL AND identities.email_lc <> s.email_lc"
    )
    conn.execute("CREATE UNIQUE INDEX temp._st_identity ON _st(identity)")


# Rows staged without add-ons take the newer of the last read and the open version.
_CARRIED_ADDONS = """coalesce(s.addons, CASE
    WHEN r.addons IS NOT NULL AND (v.id IS NULL OR r.read_at >= vr.started_at) THEN r.addons
    ELSE v.addons END)"""


# A licensed user whose listing names no bundle takes the bundle its newest Get-user
# read found ('' = none); without such a read, the open version's; others have none.
_CARRIED_BUNDLE = """coalesce(s.bundle, CASE
    WHEN s.type <> 2 THEN NULL
    WHEN r.read_bundle IS NOT NULL AND (v.id IS NULL OR r.read_at >= vr.started_at)
        THEN nullif(r.read_bundle, '')
    ELSE v.bundle END)"""
_CARRIED = {"addons": _CARRIED_ADDONS, "bundle": _CARRIED_BUNDLE}


def _apply_versions(conn: sqlite3.Connection, run_id: int) -> None:
    """Close changed and vanished versions, insert new ones: growth only with change.

    Add-ons and bundles learned by per-user reads are carried forward in the same
    pass that compares with the open version (both need that version), instead
    of an UPDATE of every staged row.
    """
    fields = [f"{_CARRIED[f]} AS {f}" if f in _CARRIED else f"s.{f}" for f in VERSION_FIELDS]
    differs = " OR ".join(f"v.{f} IS NOT {_CARRIED.get(f, 's.' + f)}" for f in VERSION_FIELDS)
    conn.execute(
        f"""CREATE TEMP TABLE _chg AS SELECT s.identity, {", ".join(fields)}, s.search FROM _st s
        LEFT JOIN user_versions v ON v.identity = s.identity AND v.valid_to_run IS NULL
        LEFT JOIN addon_reads r ON r.zoom_id = s.zoom_id
        LEFT JOIN runs vr ON r.addons IS NOT NULL AND vr.id = v.valid_from_run
        WHERE v.id IS NULL OR {differs}"""
    )
    conn.execute(
        """UPDATE user_versions SET valid_to_run = ? WHERE valid_to_run IS NULL AND (
            identity IN (SELECT identity FROM _chg)
            OR identity NOT IN (SELECT identity FROM _st))""",
        (run_id,),
    )
    conn.execute(
        f"""INSERT INTO user_versions (identity, valid_from_run, {_FIELDS}, search)
        SELECT identity, ?, {_FIELDS}, search FROM _chg ORDER BY identity""",
        (run_id,),
    )


def _apply_logins(conn: sqlite3.Connection, run_id: int) -> None:
    """Activity (last login, last sign-in) versioned apart so login churn stays small."""
    conn.execute(
        """CREATE TEMP TABLE _actchg AS SELECT s.identity, s.last_login_time,
            l.time AS last_sign_in,
            CASE WHEN l.time IS NULL OR s.last_login_time >= l.time THEN s.last_login_time
                 ELSE l.time END AS last_activity
        FROM _st s LEFT JOIN sign_in_latest l ON l.email = s.email_lc
        LEFT JOIN activity_current o ON o.identity = s.identity
        WHERE o.identity IS NULL OR o.last_login_time IS NOT s.last_login_time
           OR o.last_sign_in IS NOT l.time"""
    )
    conn.execute(
        """UPDATE logins SET valid_to_run = ? WHERE valid_to_run IS NULL AND (
            identity IN (SELECT identity FROM _actchg)
            OR identity NOT IN (SELECT identity FROM _st))""",
        (run_id,),
    )
    conn.execute(
        """INSERT INTO logins (identity, valid_from_run, last_login_time, last_sign_in,
            last_activity) SELECT identity, ?, last_login_time, last_sign_in, last_activity
        FROM _actchg ORDER BY identity""",
        (run_id,),
    )
    conn.execute("DELETE FROM activity_current WHERE identity NOT IN (SELECT identity FROM _st)")
    conn.execute(
        """INSERT OR REPLACE INTO activity_current
        SELECT identity, last_login_time, last_sign_in, last_activity FROM _actchg"""
    )
