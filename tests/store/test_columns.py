"""The one declaration of user columns agrees with the database the migrations build."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from tests.store.conftest import user
from zoomtui.store import Store
from zoomtui.store.columns import (
    LOGIN,
    STAGE_COLUMNS,
    USER_COLUMNS,
    VERSION_FIELDS,
    add_user_column,
    stage_tuple,
)


def _types(store: Store, table: str) -> dict[str, str]:
    rows = store.conn.execute(f"PRAGMA table_info({table})").fetchall()
    return {name: f"{kind}{' NOT NULL' if notnull else ''}" for _, name, kind, notnull, *_ in rows}


def test_every_declared_column_exists_with_its_type(store: Store) -> None:
    staged = _types(store, "stage_users")
    versions = _types(store, "user_versions")
    for column in USER_COLUMNS:
        if column.stage is not None:
            assert staged[column.name] == column.sql_type, column.name
        if column.versioned:
            assert versions[column.name] == column.sql_type, column.name
    assert set(STAGE_COLUMNS.split(", ")) == set(staged)  # no staged column left undeclared


def test_the_stage_row_follows_the_declared_order() -> None:
    row = stage_tuple(7, user(1, dept=None, first_name=None))
    names = STAGE_COLUMNS.split(", ")
    assert len(row) == len(names)
    staged = dict(zip(names, row, strict=True))
    assert staged["run_id"] == 7
    assert staged["email_lc"] == "user1@example.com"
    assert staged["dept"] == "" and staged["first_name"] == ""  # NOT NULL text: "" for none
    assert staged["search"].split("\n") == ["user1@example.com", "", "last1", "first1 last1"]


def test_versions_compare_only_versioned_columns() -> None:
    assert "last_login_time" not in VERSION_FIELDS  # logins are versioned apart
    assert {c.name for c in USER_COLUMNS if c.where == LOGIN} & set(VERSION_FIELDS) == set()


def test_a_new_migration_adds_a_declared_column(tmp_path: Path) -> None:
    db = Database(tmp_path / "x.db")
    db.execute("CREATE TABLE stage_users (run_id INTEGER)")
    db.execute("CREATE TABLE user_versions (id INTEGER PRIMARY KEY)")
    add_user_column(db, "dept")
    assert "dept" in db["stage_users"].columns_dict
    assert "dept" in db["user_versions"].columns_dict


def test_the_diff_compares_version_columns_only() -> None:
    """The diff reports only idle for a user with one version in both runs (history.diff)."""
    assert all(c.versioned for c in USER_COLUMNS if c.diff)
