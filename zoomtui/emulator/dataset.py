"""The emulated Zoom account: a deterministic, compact, immutable snapshot.

``Dataset.generate`` builds a main account with sub accounts; ``advance``
returns the next state. Both are pure given the seed, so tests and
benchmarks can compare what zoomtui stored with the ground truth exposed by
the accessors below (``users_of``, ``settings_of``, ``plan_usage_of``,
``sign_in_events``), which render exactly what the HTTP handler serves.
"""

from __future__ import annotations

import calendar
from array import array
from bisect import bisect_left
from collections.abc import Callable, Hashable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from zoomtui.emulator import hostile_text, render
from zoomtui.emulator.accounts import Account
from zoomtui.emulator.columns import (
    ACTIVE,
    PENDING,
    STATUS_BY_CODE,
    Columns,
    email_of,
    ip_of,
    names,
    serial_of_id,
)
from zoomtui.emulator.events import SIGN_IN, unpack, window
from zoomtui.emulator.names import CLIENTS, DEPARTMENTS
from zoomtui.emulator.oplog import OpEntry
from zoomtui.emulator.plans import ADDONS, UNITED, ZOOM_ONE

PoolKey = tuple[str, str]  # (plan_key, plan type)
T = TypeVar("T")


class Dataset:
    """Users, seat pools and sign-in events of one account family at ``now``."""

    __slots__ = (
        "_cache",
        "accounts",
        "cols",
        "events",
        "hostile",
        "hosts",
        "next_serial",
        "now",
        "oplog",
        "seed",
        "type_log",
    )

    def __init__(
        self,
        *,
        seed: int,
        now: datetime,
        accounts: tuple[Account, ...],
        cols: Columns,
        events: array[int],
        hosts: dict[tuple[int, str, str], int],
        next_serial: int,
        hostile: bool = False,
        type_log: dict[int, tuple[tuple[int, int], ...]] | None = None,
        oplog: tuple[OpEntry, ...] = (),
    ) -> None:
        self.seed = seed
        self.hostile = hostile  # some users' names carry escape sequences and markup
        self.now = now
        self.accounts = accounts
        self.cols = cols
        self.events = events
        self.hosts = hosts
        self.next_serial = next_serial
        # serial -> ((changed_at epoch, type before), ...) oldest first: a month's
        # hosting is judged by the type the user had then (emulator/hosting.py).
        self.type_log = type_log or {}
        # Admin operations, oldest first: GET /report/operationlogs (emulator/oplog.py).
        self.oplog = oplog
        self._cache: dict[Any, Any] = {}

    @classmethod
    def generate(
        cls,
        users: int,
        seed: int,
        start: datetime,
        account_id: str = "demo-account",
        *,
        hostile: bool = False,
    ) -> Dataset:
        """Build a fresh account family of about ``users`` users at ``start``.

        ``hostile``: every third user's names, department and e-mail address carry
        terminal escape sequences, bidi overrides and markup (see ``emulator.hostile_text``).
        """
        from zoomtui.emulator.generate import generate

        ds = generate(cls, users=users, seed=seed, start=start, account_id=account_id)
        ds.hostile = hostile
        return ds

    def advance(self, days: int, churn: float = 1.0) -> Dataset:
        """The account ``days`` later: hires, departures, plan and add-on changes, logins.

        ``churn`` scales how many users change (see ``evolve.advance``).
        """
        from zoomtui.emulator.evolve import advance

        return advance(self, days, churn)

    # --- lookups -----------------------------------------------------------

    @property
    def now_epoch(self) -> int:
        return int(self.now.timestamp())

    @property
    def main(self) -> Account:
        return self.accounts[0]

    def __len__(self) -> int:
        return len(self.cols)

    def account_index(self, account_id: str) -> int | None:
        """Index of an account by id (``me`` is the main account)."""
        if account_id == "me":
            return 0
        for i, account in enumerate(self.accounts):
            if account.id == account_id:
                return i
        return None

    def user_names(self, serial: int) -> tuple[str, str, str]:
        """(first_name, last_name, display_name) of a user, hostile ones included."""
        if self.hostile and hostile_text.is_hostile(serial, len(self.accounts)):
            return hostile_text.hostile_names(self.seed, serial)
        return names(self.seed, serial)

    def email(self, serial: int, acct: int) -> str:
        """A user's e-mail address, hostile ones included."""
        domain = self.accounts[acct].domain
        if self.hostile and hostile_text.is_hostile(serial, len(self.accounts)):
            return hostile_text.hostile_email(self.seed, serial, domain)
        return email_of(self.seed, serial, domain)

    def dept_name(self, serial: int, dept: int) -> str:
        """A user's department ("" for none), hostile ones included."""
        if self.hostile and hostile_text.is_hostile(serial, len(self.accounts)):
            return hostile_text.hostile_dept(serial, dept)
        return DEPARTMENTS[dept]

    def cached(self, key: Hashable, build: Callable[[Dataset], T]) -> T:
        """``build(self)``, computed once per snapshot (``advance`` starts a new one)."""
        if key not in self._cache:
            self._cache[key] = build(self)
        found: T = self._cache[key]
        return found

    def clear_cache(self) -> None:
        """Forget what was computed: the emulator's write endpoints changed a user."""
        self._cache.clear()

    def rows(self, acct: int, status: int) -> array[int]:
        """Row numbers of an account's users with one status, in list order.

        All groups are sorted out in one pass on first use: a run lists every
        one of them, and a pass over all users per group cost more than the
        pages it served.
        """
        groups = self.cached("rows", _group_rows)
        return groups.get(acct << 2 | status) or array("i")

    def find(self, acct: int, key: str) -> int | None:
        """Row of a user of ``acct`` by Zoom id or e-mail address (case-insensitive)."""
        if "@" in key:
            if "emails" not in self._cache:
                c = self.cols
                self._cache["emails"] = {
                    self.email(c.serial[i], c.acct[i]).lower(): i for i in range(len(c))
                }
            row: int | None = self._cache["emails"].get(key.lower())
        else:
            serial = serial_of_id(self.seed, key)
            if serial is None:
                return None
            pos = bisect_left(self.cols.serial, serial)
            found = pos < len(self.cols) and self.cols.serial[pos] == serial
            row = pos if found and self.cols.status[pos] != PENDING else None
        if row is None or self.cols.acct[row] != acct:
            return None
        return row

    # --- ground truth --------------------------------------------------------

    def users_of(
        self, account_id: str, status: str = "active", request_time: datetime | None = None
    ) -> list[dict[str, Any]]:
        """Every user of an account with one status, as GET /users lists them."""
        acct = self._acct(account_id)
        epoch = int((request_time or self.now).timestamp())
        rows = self.rows(acct, STATUS_BY_CODE.index(status))
        return [render.user_list_json(self, row, epoch) for row in rows]

    def settings_of(self, account_id: str, user_id: str) -> dict[str, Any]:
        """GET /users/{id}/settings of one user (id or e-mail); KeyError if unknown."""
        row = self.find(self._acct(account_id), user_id)
        if row is None:
            raise KeyError(user_id)
        return render.settings_json(self, row)

    def pool_usage(self, acct: int) -> dict[PoolKey, list[int]]:
        """(plan_key, type) -> [usage, pending] counted from the users themselves."""
        key = ("usage", acct)
        if key in self._cache:
            cached: dict[PoolKey, list[int]] = self._cache[key]
            return cached
        counts: dict[PoolKey, list[int]] = {}
        c = self.cols
        for i in range(len(c)):
            if c.acct[i] != acct or c.status[i] == 1 or c.utype[i] != 2:
                continue
            slot = 0 if c.status[i] == ACTIVE else 1
            counts.setdefault(base_pool(c.zoom_one[i], c.united[i]), [0, 0])[slot] += 1
            mask = c.addons[i]
            if mask and slot == 0:
                for addon in ADDONS:
                    if addon.plan_key and mask >> addon.bit & 1:
                        counts.setdefault((addon.plan_key, addon.plan_type), [0, 0])[0] += 1
        self._cache[key] = counts
        return counts

    def plan_usage_of(self, account_id: str) -> dict[str, Any]:
        """GET /accounts/{id}/plans/usage: every pool with hosts >= usage."""
        from zoomtui.emulator.usage import plan_usage_json

        return plan_usage_json(self, self._acct(account_id))

    def summary_of(self, account_id: str) -> dict[str, int]:
        """GET /users/summary counts of active users by type, and pending invitations.

        ``total_users_count`` is Zoom's sum of licensed, basic, on-prem, join-only
        and room users (zoom-api.md §12), not active + pending.
        """
        acct = self._acct(account_id)
        active = [self.cols.utype[i] for i in self.rows(acct, ACTIVE)]
        pending = len(self.rows(acct, PENDING))
        return {
            "licensed_users_count": active.count(2),
            "basic_users_count": active.count(1),
            "on_prem_users_count": active.count(3),
            "room_users_count": 0,
            "pending_users_count": pending,
            "join_only_users_count": active.count(4) + active.count(99),
            "total_users_count": len(active),  # every active type above, rooms included (0)
        }

    def sign_in_events(
        self, start: date | datetime, end: date | datetime, account_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Sign-in/out events between two dates (inclusive), newest first."""
        acct = self._acct(account_id or self.main.id)
        return [self.event_json(key) for key in self.event_keys(acct, start, end)]

    def event_keys(self, acct: int, start: date | datetime, end: date | datetime) -> array[int]:
        """Packed events of one account in a date range, newest first (cached).

        Events are split by account once rather than filtered per window, and
        a window's keys stay packed (8 bytes each, not a 36-byte list slot).
        """
        lo_t, hi_t = _day_start(start), _day_start(end) + 86_400
        key = ("events", acct, lo_t, hi_t)
        if key not in self._cache:
            mine = self.cached("account_events", _split_events)[acct]
            lo, hi = window(mine, lo_t, hi_t)
            picked = mine[lo:hi]
            picked.reverse()
            self._cache[key] = picked
        keys: array[int] = self._cache[key]
        return keys

    def event_json(self, key: int) -> dict[str, Any]:
        """One ``activity_logs`` entry."""
        when, serial, acct, kind, client = unpack(key)
        _, client_type, version = CLIENTS[client]
        return {
            "email": self.email(serial, acct),
            "time": render.iso(when),
            "type": "Sign in" if kind == SIGN_IN else "Sign out",
            "ip_address": ip_of(self.seed, serial, when),
            "client_type": client_type,
            "version": version,
        }

    def hosting_truth(self) -> dict[str, dict[str, tuple[int, int, int]]]:
        """E-mail -> {"YYYY-MM": (meetings, participants, meeting_minutes)} hosted.

        What ``GET /report/users`` reports for each calendar month (UTC), for
        every month whose sign-ins the snapshot still keeps.
        """
        from zoomtui.emulator.hosting import hosting_truth

        return self.cached("hosting_truth", hosting_truth)

    def _acct(self, account_id: str) -> int:
        acct = self.account_index(account_id)
        if acct is None:
            raise KeyError(account_id)
        return acct


def base_pool(zoom_one: int, united: int) -> PoolKey:
    """The pool a licensed user's base seat comes from (bundle or plan_base)."""
    if zoom_one:
        return ZOOM_ONE[zoom_one][0], ZOOM_ONE[zoom_one][1]
    if united:
        return "plan_united", UNITED[united][1]
    return "plan_base", "monthly"


def _group_rows(ds: Dataset) -> dict[int, array[int]]:
    """Row numbers by ``acct << 2 | status``, each in row order."""
    groups: dict[int, list[int]] = {}
    for row, (acct, status) in enumerate(zip(ds.cols.acct, ds.cols.status, strict=True)):
        key = acct << 2 | status
        if key in groups:
            groups[key].append(row)
        else:
            groups[key] = [row]
    return {key: array("i", rows) for key, rows in groups.items()}


def _split_events(ds: Dataset) -> list[array[int]]:
    """Packed events by account index (three bits of the key), each still in time order."""
    parts: list[array[int]] = [array("q") for _ in range(8)]
    for key in ds.events:
        parts[key >> 5 & 7].append(key)
    return parts


def _day_start(value: date | datetime) -> int:
    if isinstance(value, datetime):
        value = value.astimezone(UTC).date()
    return calendar.timegm(datetime.combine(value, time()).timetuple())


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (clamped to month end)."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


SIX_MONTHS = timedelta(days=183)
