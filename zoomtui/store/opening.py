"""Opening the history database safely: a private file, WAL, a busy timeout, migrations.

Split from ``schema.py`` (what the tables are): this is how a file becomes a
usable ``Database`` — created 0600, refused when it belongs to another program
or a newer zoomtui, migrated under a write lock, or opened read-only untouched.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from sqlite_utils import Database

from zoomtui.store.errors import StoreError
from zoomtui.store.schema import migrations

BUSY_TIMEOUT_MS = 15_000


def create_private_file(path: Path) -> None:
    """Create ``path`` (and parents) with mode 0600 before SQLite opens it; keep an existing one."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        os.close(fd)
    except OSError as exc:
        raise StoreError(f"Cannot open the history database {path}: {exc.strerror}.") from exc


def connect(path: Path) -> Database:
    """Open ``path`` with WAL, a busy timeout, foreign keys; migrate; refuse bad files."""
    create_private_file(path)
    old_umask = os.umask(0o077)  # the -wal and -shm files SQLite creates are 0600 too
    try:
        conn = sqlite3.connect(
            str(path),
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,  # TUI thread workers; one thread at a time per Store
        )
        try:
            _configure(conn, path)
            db = Database(conn, execute_plugins=False)
            _migrate(db, path)
        except BaseException:
            conn.close()
            raise
    finally:
        os.umask(old_umask)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            side.chmod(0o600)
    return db


def connect_readonly(path: Path) -> Database:
    """Open an existing history for reading only: nothing is created, migrated or mended.

    Why: ``runs``, ``users``, ``diff`` and ``seats`` only read, and must work on
    a read-only mount (a backup, a snapshot, a container volume mounted ro).
    SQLite cannot share a WAL database's index without write access to its
    directory, so when neither the file nor its directory is writable the file
    is opened ``immutable`` — no one can be writing it through this mount.
    """
    if not path.is_file():
        raise StoreError(f"There is no history database at {path}.")
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    uri = path.resolve().as_uri() + ("?mode=ro" if writable else "?mode=ro&immutable=1")
    try:
        conn = sqlite3.connect(
            uri,
            uri=True,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"The history database {path} cannot be opened ({exc}).") from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA temp_store = FILE")
        db = Database(conn, execute_plugins=False)
        known = {m.name for m in migrations._migrations}
        applied = {m.name for m in migrations.applied(db)}
        if applied - known:
            raise StoreError(
                f"The history database {path} was written by a newer zoomtui; "
                "upgrade zoomtui to open it."
            )
        if not applied:
            raise StoreError(f"The file {path} is not a zoomtui history database.")
        if applied != known:
            raise StoreError(
                f"The history database {path} needs an upgrade that a read-only open cannot "
                "apply; run any command that writes it (such as aggregate) once."
            )
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"The history database {path} is unreadable or corrupt ({exc}).") from exc
    except BaseException:
        conn.close()
        raise
    return db


def _wal(conn: sqlite3.Connection) -> str:
    """Switch to WAL, waiting out a concurrent first open of the same new file.

    Changing the journal mode does not go through SQLite's busy handler, so two
    processes creating the database at once could fail with "database is locked".
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _configure(conn: sqlite3.Connection, path: Path) -> None:
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        mode = _wal(conn)
        if str(mode).lower() != "wal":
            raise StoreError(f"The history database {path} cannot use WAL mode ({mode}).")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        # Temp tables on file (the OS caches them anyway): in memory, completing a
        # 100,000-user run held ~85 MB of temp B-trees, at no measurable speed gain.
        conn.execute("PRAGMA temp_store = FILE")
        conn.execute("PRAGMA journal_size_limit = 67108864")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"The history database {path} is unreadable or corrupt ({exc}).") from exc


def _migrate(db: Database, path: Path) -> None:
    """Apply pending migrations under a write lock, so two first opens cannot race."""
    try:
        known = {m.name for m in migrations._migrations}
        applied = {m.name for m in migrations.applied(db)}
        unknown = applied - known
        if unknown:
            raise StoreError(
                f"The history database {path} was written by a newer zoomtui "
                f"(schema {', '.join(sorted(unknown))}); upgrade zoomtui to open it."
            )
        others = set(db.table_names()) - {migrations.migrations_table}
        if not applied and others:
            raise StoreError(f"The file {path} is an SQLite database of another program.")
        if len(applied) == len(known):
            return
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            migrations.apply(db)  # nested: each migration is a savepoint inside this lock
            db.conn.execute("COMMIT")
        except BaseException:
            db.conn.execute("ROLLBACK")
            raise
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"The history database {path} could not be opened ({exc}).") from exc
