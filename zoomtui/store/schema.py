"""The database's schema, as sqlite-utils ``Migrations`` (opening it is ``opening.py``).

Migrations are never edited once released: a change is a new function.
A database carrying a migration we do not know was written by a newer zoomtui
and is refused rather than touched.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from zoomtui.licences import normalise_tokens
from zoomtui.store.codec import decode_addons, encode_addons

MIGRATION_SET = "zoomtui"
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
