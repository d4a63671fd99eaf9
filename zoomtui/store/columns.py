"""The user columns, declared once: what a run stages, what a version keeps, what a record shows.

One ordered list, the way sqlite-utils derives columns and placeholders from one
list: the staging insert (:data:`STAGE_COLUMNS`, :func:`stage_tuple`), the
attributes that make a new version (:data:`VERSION_FIELDS`), the select list
and record mapping of the read side (:data:`USER_SELECT`, :func:`user_record`),
the sort keys (:data:`SORT_KEYS`), the fields the diff compares
(:data:`DIFF_FIELDS`) and the DDL a new migration adds (:func:`add_user_column`)
all come from :data:`USER_COLUMNS`.

Adding a user attribute is: a line here, a migration calling
``add_user_column``, the place it is read from Zoom (``services/convert.py``,
which fills ``UserRow``) and where it is shown. Released migrations keep their
own literal SQL: they are history.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from zoomtui.licences import split_tokens
from zoomtui.store.codec import decode_addons, encode_addons, search_text
from zoomtui.store.records import UserRow, iso, parse_iso

# Where a column lives: user_versions (versioned), logins/activity (the login
# columns, versioned apart so login churn stays small), or the stage only.
VERSION, LOGIN, STAGE = "v", "l", "stage"


@dataclass(frozen=True)
class UserColumn:
    """One user attribute and everything derived from it.

    ``stage``: the Python expression (over ``row``, a ``UserRow``) staged for it,
    None when it is not staged. ``sort``: the SQL sort expression's collation
    ("" plain, "NOCASE"), None when not sortable. ``diff``: the diff compares it.
    ``shown``: it is a key of the user record (under ``key``).
    """

    name: str
    sql_type: str
    where: str = VERSION
    stage: str | None = "row.{name}"
    key: str | None = None
    sort: str | None = None
    sort_nulls_last: bool = False
    diff: bool = False
    shown: bool = True

    @property
    def record_key(self) -> str:
        return self.key or self.name

    @property
    def versioned(self) -> bool:
        return self.where == VERSION


_TEXT = "row.{name} or ''"

USER_COLUMNS: tuple[UserColumn, ...] = (
    UserColumn("zoom_id", "TEXT", stage="row.zoom_id or None", key="id", sort="",
               sort_nulls_last=True),
    UserColumn("email", "TEXT NOT NULL", sort="NOCASE"),
    UserColumn("email_lc", "TEXT NOT NULL", where=STAGE, stage="row.email.casefold()",
               shown=False),
    UserColumn("first_name", "TEXT NOT NULL", stage=_TEXT, sort="NOCASE"),
    UserColumn("last_name", "TEXT NOT NULL", stage=_TEXT, sort="NOCASE"),
    UserColumn("display_name", "TEXT NOT NULL", stage=_TEXT, sort="NOCASE"),
    UserColumn("status", "TEXT NOT NULL", sort="", diff=True),
    UserColumn("type", "INTEGER NOT NULL", stage="int(row.type)", sort="", diff=True),
    UserColumn("plan", "TEXT NOT NULL", sort="", diff=True),
    UserColumn("bundle", "TEXT", diff=True),
    UserColumn("dept", "TEXT NOT NULL", stage=_TEXT, sort="NOCASE", diff=True),
    UserColumn("account_id", "TEXT NOT NULL", stage=_TEXT, sort="", diff=True),
    UserColumn("plan_united_type", "TEXT"),
    UserColumn("zoom_one_type", "INTEGER",
               stage="None if row.zoom_one_type is None else int(row.zoom_one_type)"),
    UserColumn("user_created_at", "TEXT", stage="iso(row.user_created_at)", sort="",
               sort_nulls_last=True),
    # Stored ",a,b,"; the record splits it into addons, addon_capacities and
    # meetings_hosted_in (see user_record), and the diff compares it with capacities.
    UserColumn("addons", "TEXT", stage="encode_addons(row.addons)"),
    UserColumn("search", "TEXT NOT NULL", where=STAGE, shown=False,
               stage="search_text(row.email, row.first_name or '', row.last_name or '', "
                     "row.display_name or '')"),
    UserColumn("last_login_time", "TEXT", where=LOGIN, stage="iso(row.last_login_time)",
               sort="", sort_nulls_last=True),
    UserColumn("last_sign_in", "TEXT", where=LOGIN, stage=None, sort="", sort_nulls_last=True),
    UserColumn("last_activity", "TEXT", where=LOGIN, stage=None, sort="",
               sort_nulls_last=True),
)  # fmt: skip

STAGED = tuple(c for c in USER_COLUMNS if c.stage is not None)
STAGE_COLUMNS = ", ".join(["run_id", *(c.name for c in STAGED)])
STAGE_INSERT = (
    f"INSERT INTO stage_users ({STAGE_COLUMNS}) VALUES ({', '.join('?' * (len(STAGED) + 1))})"
)
# The attributes of a user version; a change in any of them makes a new version.
VERSION_FIELDS = tuple(c.name for c in USER_COLUMNS if c.versioned)
_SHOWN = tuple(c for c in USER_COLUMNS if c.shown and c.where in (VERSION, LOGIN))
# The read side's select list (v: user_versions, l: logins or activity_current).
VERSION_SELECT = ", ".join(["v.identity", *(f"v.{c.name}" for c in _SHOWN if c.versioned)])
USER_SELECT = ", ".join([VERSION_SELECT, *(f"l.{c.name}" for c in _SHOWN if c.where == LOGIN)])
_RECORD_KEYS = ("identity", *(c.record_key for c in _SHOWN))
LOGIN_KEYS = tuple(c.record_key for c in _SHOWN if c.where == LOGIN)

# Public sort key -> SQL expression. Never user text in SQL.
SORT_KEYS: dict[str, str] = {
    c.record_key: f"{c.where}.{c.name}" + (f" COLLATE {c.sort}" if c.sort else "")
    for c in USER_COLUMNS
    if c.sort is not None
}
SORT_KEYS["days_inactive"] = SORT_KEYS["last_activity"]  # fewer days = later activity
SORT_NULLABLE = frozenset(c.record_key for c in USER_COLUMNS if c.sort_nulls_last)
SORT_NEEDS_LOGINS = frozenset(
    [*(c.record_key for c in USER_COLUMNS if c.where == LOGIN and c.sort is not None),
     "days_inactive"]
)  # fmt: skip
# Compared as they are; add-ons are compared with their capacities (history.addon_tokens),
# and the regions their meetings are hosted in come from the same add-on tokens.
DIFF_FIELDS = (*(c.record_key for c in USER_COLUMNS if c.diff), "meetings_hosted_in")


def _compile_stage() -> Callable[[int, UserRow], tuple[Any, ...]]:
    """``stage_tuple`` written out from the declaration, as ``dataclasses`` writes ``__init__``.

    One tuple expression, not a loop over the columns: it runs once per listed
    user per run, and a loop of per-column calls measurably slowed big runs.
    """
    body = ", ".join(c.stage.format(name=c.name) for c in STAGED if c.stage is not None)
    source = f"def stage_tuple(run_id, row):\n    return (run_id, {body})\n"
    namespace: dict[str, Any] = {
        "iso": iso,
        "encode_addons": encode_addons,
        "search_text": search_text,
    }
    exec(compile(source, "<zoomtui.store.columns>", "exec"), namespace)
    function: Callable[[int, UserRow], tuple[Any, ...]] = namespace["stage_tuple"]
    function.__doc__ = "One ``stage_users`` row, in the order of :data:`STAGE_COLUMNS`."
    return function


stage_tuple = _compile_stage()


# The split of a stored add-on string, per string: a run holds a few hundred distinct
# combinations for 100,000 users, and splitting each row's anew was a third of the
# time to build 20,000-40,000 records (reclaim candidates, a diff, an export).
_ADDON_SPLITS: dict[str | None, tuple[list[str], dict[str, int | str], list[str]]] = {}
_MAX_SPLITS = 4_096


def user_record(row: Sequence[Any], now: datetime | None) -> dict[str, Any]:
    """A row of :data:`USER_SELECT` as the product's user record."""
    record = dict(zip(_RECORD_KEYS, row, strict=True))
    addons = record.pop("addons")  # re-added last, split, after the login columns
    split = _ADDON_SPLITS.get(addons)
    if split is None:
        split = split_tokens(decode_addons(addons) or ())
        if len(_ADDON_SPLITS) < _MAX_SPLITS:
            _ADDON_SPLITS[addons] = split
    names, variants, regions = split
    days = None
    if now is not None and record["last_activity"] is not None:
        days = max((now - parse_iso(record["last_activity"])).days, 0)  # type: ignore[operator]
    record["addons"] = names.copy()  # each record its own lists: callers may change them
    record["addon_capacities"] = variants.copy()
    record["addons_known"] = addons is not None
    record["meetings_hosted_in"] = regions.copy()
    record["days_inactive"] = days
    return record


def add_user_column(db: Database, name: str) -> None:
    """Add a declared column to the tables that hold it: for a NEW migration only.

    Released migrations keep their literal SQL. A new ``NOT NULL`` column needs a
    default for the rows already there, so the declared type is used without
    ``NOT NULL`` here; the staging code always writes a value.
    """
    (column,) = (c for c in USER_COLUMNS if c.name == name)
    sql_type = column.sql_type.replace(" NOT NULL", "")
    tables = {VERSION: ("user_versions", "stage_users"), STAGE: ("stage_users",),
              LOGIN: ("stage_users",) if column.stage else ()}[column.where]  # fmt: skip
    for table in tables:
        db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {sql_type}")
