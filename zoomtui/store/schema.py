"""Opening the database safely and its schema, as sqlite-utils ``Migrations``.

Migrations are never edited once released: a change is a new function.
A database carrying a migration we do not know was written by a newer zoomtui
and is refused rather than touched.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from zoomtui.licences import normalise_tokens
from zoomtui.store.codec import decode_addons, encode_addons
from zoomtui.store.errors import StoreError

MIGRATION_SET = "zoomtui"
BUSY_TIMEOUT_MS = 15_000
migrations = Migrations(MIGRATION_SET)


@migrations()
def m001_initial(db: Database) -> None:
    """Runs, identities, versioned users, activity, sign-ins, seats, accounts, add-on reads."""
    db.executescript(
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            status TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            full INTEGER NOT NULL DEFAULT 0,
            users INTEGER,
            pid INTEGER,
            host TEXT NOT NULL DEFAULT '',
            stats TEXT NOT NULL DEFAULT '{}',
            notes TEXT NOT NULL DEFAULT '{}',
            error TEXT
        );
        CREATE INDEX runs_status ON runs(status);

        CREATE TABLE identities (
            id INTEGER PRIMARY KEY,
            zoom_id TEXT UNIQUE,
            email_lc TEXT NOT NULL
        );
        CREATE UNIQUE INDEX identities_pending ON identities(email_lc) WHERE zoom_id IS NULL;
        CREATE INDEX identities_email ON identities(email_lc);

        CREATE TABLE user_versions (
            id INTEGER PRIMARY KEY,
            identity INTEGER NOT NULL REFERENCES identities(id),
            valid_from_run INTEGER NOT NULL REFERENCES runs(id),
            valid_to_run INTEGER REFERENCES runs(id),
            zoom_id TEXT,
            email TEXT NOT NULL,
            first_name TEXT NOT NULL,
            last_name TEXT NOT NULL,
            display_name TEXT NOT NULL,
            status TEXT NOT NULL,
            type INTEGER NOT NULL,
            plan TEXT NOT NULL,
            bundle TEXT,
            dept TEXT NOT NULL,
            account_id TEXT NOT NULL,
            plan_united_type TEXT,
            zoom_one_type INTEGER,
            user_created_at TEXT,
            addons TEXT,
            search TEXT NOT NULL
        );
        CREATE UNIQUE INDEX uv_open ON user_versions(identity) WHERE valid_to_run IS NULL;
        CREATE INDEX uv_identity ON user_versions(identity, valid_from_run);
        CREATE INDEX uv_from ON user_versions(valid_from_run);
        CREATE INDEX uv_to ON user_versions(valid_to_run) WHERE valid_to_run IS NOT NULL;
        CREATE INDEX uv_open_email ON user_versions(email COLLATE NOCASE, identity)
            WHERE valid_to_run IS NULL;

        CREATE TABLE logins (
            id INTEGER PRIMARY KEY,
            identity INTEGER NOT NULL REFERENCES identities(id),
            valid_from_run INTEGER NOT NULL REFERENCES runs(id),
            valid_to_run INTEGER REFERENCES runs(id),
            last_login_time TEXT,
            last_sign_in TEXT,
            last_activity TEXT
        );
        CREATE UNIQUE INDEX logins_open ON logins(identity) WHERE valid_to_run IS NULL;
        CREATE INDEX logins_identity ON logins(identity, valid_from_run);
        CREATE INDEX logins_from ON logins(valid_from_run);
        CREATE INDEX logins_to ON logins(valid_to_run) WHERE valid_to_run IS NOT NULL;
        CREATE INDEX logins_activity ON logins(last_activity);
        -- The open logins rows again, keyed by identity: the latest run's join is a rowid lookup.
        CREATE TABLE activity_current (
            identity INTEGER PRIMARY KEY REFERENCES identities(id),
            last_login_time TEXT,
            last_sign_in TEXT,
            last_activity TEXT
        );

        CREATE TABLE stage_users (
            run_id INTEGER NOT NULL,
            zoom_id TEXT,
            email TEXT NOT NULL,
            email_lc TEXT NOT NULL,
            first_name TEXT NOT NULL,
            last_name TEXT NOT NULL,
            display_name TEXT NOT NULL,
            status TEXT NOT NULL,
            type INTEGER NOT NULL,
            plan TEXT NOT NULL,
            bundle TEXT,
            dept TEXT NOT NULL,
            account_id TEXT NOT NULL,
            plan_united_type TEXT,
            zoom_one_type INTEGER,
            user_created_at TEXT,
            addons TEXT,
            search TEXT NOT NULL,
            last_login_time TEXT
        );

        CREATE TABLE sign_ins (
            email TEXT NOT NULL,
            time TEXT NOT NULL,
            type TEXT NOT NULL,
            ip_address TEXT NOT NULL DEFAULT '',
            client_type TEXT NOT NULL DEFAULT '',
            version TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (email, time, type)
        ) WITHOUT ROWID;
        CREATE INDEX sign_ins_time ON sign_ins(time);
        CREATE TABLE sign_in_latest (email TEXT PRIMARY KEY, time TEXT NOT NULL) WITHOUT ROWID;

        CREATE TABLE seats (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            account_id TEXT NOT NULL,
            plan TEXT NOT NULL,
            type TEXT NOT NULL,
            purchased INTEGER NOT NULL,
            assigned INTEGER NOT NULL,
            pending INTEGER NOT NULL,
            PRIMARY KEY (run_id, account_id, plan, type)
        );

        CREATE TABLE accounts (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            owner_email TEXT NOT NULL,
            account_type TEXT NOT NULL,
            seats INTEGER NOT NULL,
            is_main INTEGER NOT NULL,
            first_seen_run INTEGER REFERENCES runs(id),
            last_seen_run INTEGER REFERENCES runs(id)
        );

        CREATE TABLE addon_reads (
            zoom_id TEXT PRIMARY KEY,
            read_at TEXT NOT NULL,
            addons TEXT NOT NULL,
            type INTEGER,
            bundle TEXT,
            status TEXT,
            run_id INTEGER REFERENCES runs(id)
        );
        """
    )


# The detail panel's lookup. A first run's six-month backfill drops it and builds
# it once at the end: maintained row by row it cost more than the table itself.
SIGN_INS_EMAIL_INDEX = "CREATE INDEX IF NOT EXISTS sign_ins_email ON sign_ins(email, time)"


@migrations()
def m002_sign_ins_by_time(db: Database) -> None:
    """Keep sign-in events in time order, with the per-email lookup as a secondary index.

    Reports arrive in time order, so a time-keyed table takes each batch as an
    append; keyed by email, every batch touched hundreds of scattered pages.
    Uniqueness is the same (time, email, type) as before. One statement at a
    time, all inside the migration's transaction, so a crash between the copy
    and the rename leaves the old table as it was.
    """
    for statement in (
        """CREATE TABLE sign_ins_by_time (
            time TEXT NOT NULL,
            email TEXT NOT NULL,
            type TEXT NOT NULL,
            ip_address TEXT NOT NULL DEFAULT '',
            client_type TEXT NOT NULL DEFAULT '',
            version TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (time, email, type)
        ) WITHOUT ROWID""",
        """INSERT INTO sign_ins_by_time (time, email, type, ip_address, client_type, version)
            SELECT time, email, type, ip_address, client_type, version FROM sign_ins
            ORDER BY time""",
        "DROP TABLE sign_ins",
        "ALTER TABLE sign_ins_by_time RENAME TO sign_ins",
        SIGN_INS_EMAIL_INDEX,
        # The oldest event stored since the latest sign-ins were last brought up to
        # date: what a run killed before finishing its report leaves to the next.
        """CREATE TABLE sign_ins_unfinished (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            since TEXT NOT NULL
        )""",
    ):
        db.execute(statement)


@migrations()
def m003_licences(db: Database) -> None:
    """Read stored add-ons under Zoom's licence definitions, and re-read every user once.

    Before, every ``true`` flag of ``feature`` was stored as an add-on: the China /
    India hosting flags become region tokens, ``zoom_iq_for_sales`` becomes
    Revenue Accelerator, booleans that are no licence go. Capacities and
    Concurrent Meeting were never stored, so the add-on reads are forgotten
    (the next run re-reads every user's settings) and ``meta`` records the first
    run under the new rules: a diff across it compares add-ons without them.
    Reads also keep the bundle that Get user names (``read_bundle``), since the
    user list names a Workplace bundle only on accounts with duplicate plans.
    """
    db.conn.create_function("zt_normalise", 1, _normalise_stored, deterministic=True)
    for statement in (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
        """INSERT INTO meta (key, value)
            SELECT 'licence_rules_since_run', coalesce(max(id), 0) + 1 FROM runs""",
        """UPDATE user_versions SET addons = zt_normalise(addons)
            WHERE addons IS NOT NULL AND addons <> zt_normalise(addons)""",
        "DELETE FROM stage_users",
        "DELETE FROM addon_reads",
        # The bundle a Get-user read found ('' = none): Zoom's list names Workplace
        # bundles only on accounts with duplicate plans.
        "ALTER TABLE addon_reads ADD COLUMN read_bundle TEXT",
    ):
        db.execute(statement)


@migrations()
def m004_hosting(db: Database) -> None:
    """Hosting per host and calendar month, kept forever, and which months were read.

    Zoom's host report keeps six months (zoom-api.md §5.2); kept here, the
    history reaches further, like sign-ins. ``hosting_months`` records each
    account's months as read — a month with no host at all is a fact too —
    and whether the month had ended when read (``complete``): a complete month
    is never asked again. Rows are keyed by the case-folded e-mail (what
    ``identities.email_lc`` holds) and month; the Zoom id is kept beside it.
    """
    for statement in (
        """CREATE TABLE hosting (
            email TEXT NOT NULL,
            month TEXT NOT NULL,
            zoom_id TEXT NOT NULL DEFAULT '',
            account_id TEXT NOT NULL,
            meetings INTEGER NOT NULL,
            participants INTEGER NOT NULL,
            meeting_minutes INTEGER NOT NULL,
            fetched_at TEXT NOT NULL,
            complete INTEGER NOT NULL,
            PRIMARY KEY (email, month)
        ) WITHOUT ROWID""",
        "CREATE INDEX hosting_account_month ON hosting(account_id, month)",
        # covers the "hosted since month M" filters (store/hosting.py)
        "CREATE INDEX hosting_month ON hosting(month, email, meetings, meeting_minutes)",
        """CREATE TABLE hosting_months (
            account_id TEXT NOT NULL,
            month TEXT NOT NULL,
            first_day TEXT NOT NULL,
            last_day TEXT NOT NULL,
            fetched_at TEXT NOT NULL,
            complete INTEGER NOT NULL,
            hosts INTEGER NOT NULL,
            PRIMARY KEY (account_id, month)
        ) WITHOUT ROWID""",
    ):
        db.execute(statement)


def _normalise_stored(value: str | None) -> str | None:
    if value is None:
        return None
    return encode_addons(normalise_tokens(decode_addons(value) or ()))


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
