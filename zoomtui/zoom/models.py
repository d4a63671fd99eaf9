"""Frozen dataclasses (tuples for the many) for what Zoom returns, each with a lean `from_json`.

`User.from_json` runs once per user on 100,000-user accounts, so it is plain
dict lookups and `datetime.fromisoformat` (which reads Zoom's trailing "Z" on
Python 3.11+) — no regex, no dateutil. Zoom's 64-bit bitmasks (`zoom_one_type`,
`license_option`) stay exact because bodies are parsed into Python ints.

Whatever Zoom sends is also bounded (rules in `bounds.py`) before anything stores it: a field
of the wrong type (an id that is a list, an e-mail that is a number) or a
count beyond any real account is a `ProtocolError`; an over-long text is cut
to `FIELD_LIMITS` with `TRUNCATED` at its end. The common case costs a few
type and length checks per user; only a suspect record takes the slow path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from zoomtui.zoom.bounds import (
    FIELD_LIMITS,
    ID_LIMIT,
    MAX_COUNT,
    TRUNCATED,
    bounded,
    checked_count,
    checked_id,
    parse_time,
)
from zoomtui.zoom.bounds import as_int as _int
from zoomtui.zoom.labels import addons_from_settings, bundle_name, plan_name

__all__ = [
    "FIELD_LIMITS",
    "TRUNCATED",
    "HostActivity",
    "HostReport",
    "LicenseInfo",
    "PlanSeat",
    "PlanUsage",
    "SignInEvent",
    "SubAccount",
    "Token",
    "User",
    "UserSummary",
    "addons_from_settings",
    "bundle_name",
    "parse_time",
    "plan_name",
]


INT64 = 2**63
_FAST_USER_CHARS = 256  # no user text field's limit is lower (status aside)


@dataclass(frozen=True, slots=True)
class LicenseInfo:
    """One entry of a user's `license_info_list` (newer multi-subscription accounts)."""

    license_type: str
    license_option: int
    subscription_id: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> LicenseInfo:
        return cls(
            license_type=str(d.get("license_type") or ""),
            license_option=_int(d.get("license_option"), 0) or 0,
            subscription_id=str(d.get("subscription_id") or ""),
        )


class User(NamedTuple):
    """A user as listed by `GET /users` or read by `GET /users/{id}`; pending users have no id.

    A tuple rather than a frozen dataclass: built once per listed user, and a
    tuple of 21 fields is built ~3x faster.
    """

    id: str | None
    email: str
    first_name: str = ""
    last_name: str = ""
    display_name: str = ""
    type: int = 1
    status: str = "active"
    dept: str = ""
    role_id: str = ""
    timezone: str = ""
    verified: int = 0
    pmi: int | None = None
    created_at: datetime | None = None
    user_created_at: datetime | None = None
    last_login_time: datetime | None = None
    last_client_version: str = ""
    plan_united_type: str | None = None
    zoom_one_type: int | None = None
    license_info_list: tuple[LicenseInfo, ...] = ()
    group_ids: tuple[str, ...] = ()
    language: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> User:
        get = d.get
        licenses = get("license_info_list")
        groups = get("group_ids")
        united = get("plan_united_type")
        zoom_one = get("zoom_one_type")
        pmi = get("pmi")
        user_type = get("type", 1)
        if type(user_type) is not int:
            user_type = _int(user_type, 1) or 1
        if type(zoom_one) is not int:
            zoom_one = _int(zoom_one)
        uid = get("id") or None
        email = get("email") or ""
        first = get("first_name") or ""
        last = get("last_name") or ""
        display = get("display_name") or ""
        dept = get("dept") or ""
        # Optional in Zoom's list schema (only email and type are required): the
        # caller falls back to the status it asked the listing for.
        status = get("status") or ""
        if (
            type(email) is not str
            or type(first) is not str
            or type(last) is not str
            or type(display) is not str
            or type(dept) is not str
            or type(status) is not str
            or len(email) + len(first) + len(last) + len(display) + len(dept) > _FAST_USER_CHARS
            or len(status) > 32
            or (uid is not None and (type(uid) is not str or len(uid) > ID_LIMIT))
            or not 0 <= user_type < MAX_COUNT
            or (zoom_one is not None and not 0 <= zoom_one < INT64)
        ):
            what = "a user"
            uid = checked_id(uid, what)
            email, first, last = (
                bounded("email", email, what),
                bounded("first_name", first, what),
                bounded("last_name", last, what),
            )
            display, dept = bounded("display_name", display, what), bounded("dept", dept, what)
            status = bounded("status", status, what)
            checked_count("type", user_type, what)
            if zoom_one is not None:
                checked_count("zoom_one_type", zoom_one, what, high=INT64 - 1)
        if united not in (None, ""):
            united = str(united)
            if len(united) > 64:
                united = bounded("plan_united_type", united, "a user")
        else:
            united = None
        return cls(
            id=uid,
            email=email,
            first_name=first,
            last_name=last,
            display_name=display,
            type=user_type,
            status=status,
            dept=dept,
            role_id=str(get("role_id") or ""),
            timezone=get("timezone") or "",
            verified=_int(get("verified"), 0) or 0,
            pmi=pmi if type(pmi) is int else _int(pmi),
            created_at=parse_time(get("created_at")),
            user_created_at=parse_time(get("user_created_at")),
            last_login_time=parse_time(get("last_login_time")),
            last_client_version=get("last_client_version") or "",
            plan_united_type=united,
            zoom_one_type=zoom_one,
            license_info_list=_licenses(licenses) if licenses else (),
            group_ids=tuple(groups) if type(groups) is list else (),
            language=get("language") or "",
        )


def _licenses(value: Any) -> tuple[LicenseInfo, ...]:
    if type(value) is not list:
        return ()
    return tuple(LicenseInfo.from_json(x) for x in value if type(x) is dict)


@dataclass(frozen=True, slots=True)
class SubAccount:
    """A sub account of a master account (`GET /accounts`)."""

    id: str
    account_name: str = ""
    owner_email: str = ""
    account_type: str = ""
    seats: int = 0
    account_number: int | None = None
    created_at: datetime | None = None

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SubAccount:
        what = "a sub account"
        return cls(
            id=checked_id(d.get("id"), what) or "",
            account_name=bounded("account_name", d.get("account_name") or "", what),
            owner_email=bounded("owner_email", d.get("owner_email") or "", what),
            account_type=bounded("account_type", str(d.get("account_type") or ""), what),
            seats=checked_count("seats", _int(d.get("seats"), 0) or 0, what),
            account_number=_int(d.get("account_number")),
            created_at=parse_time(d.get("created_at")),
        )


@dataclass(frozen=True, slots=True)
class PlanSeat:
    """Seat counts of one plan entry: `hosts` purchased, `usage` assigned, `pending`."""

    plan: str
    type: str
    purchased: int
    assigned: int
    pending: int = 0


@dataclass(frozen=True, slots=True)
class PlanUsage:
    """Every seat-carrying `plan_*` entry of `GET /accounts/{id}/plans/usage`."""

    seats: tuple[PlanSeat, ...] = ()

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PlanUsage:
        """Parse every `plan_*` key, objects and arrays alike, so new plans need no code."""
        seats: list[PlanSeat] = []
        for key, value in d.items():
            if not key.startswith("plan_"):
                continue
            entries = value if isinstance(value, list) else [value]
            for entry in entries:
                if not isinstance(entry, dict) or "hosts" not in entry:
                    continue  # storage objects such as plan_recording carry no seats
                what = f"a seat pool ({key[:64]})"
                seats.append(
                    PlanSeat(
                        plan=bounded("plan", key, what),
                        type=bounded(
                            "type", str(entry.get("type") or entry.get("name") or ""), what
                        ),
                        purchased=checked_count(
                            "purchased seats", _int(entry.get("hosts"), 0) or 0, what
                        ),
                        assigned=checked_count(
                            "assigned seats", _int(entry.get("usage"), 0) or 0, what
                        ),
                        pending=checked_count(
                            "pending seats", _int(entry.get("pending"), 0) or 0, what
                        ),
                    )
                )
        return cls(seats=tuple(seats))

    def by_plan(self, plan: str) -> tuple[PlanSeat, ...]:
        """Return the entries of one `plan_*` key (e.g. `plan_base`)."""
        return tuple(s for s in self.seats if s.plan == plan)


@dataclass(frozen=True, slots=True)
class UserSummary:
    """User counts of `GET /users/summary`: the fallback when plan usage is not allowed."""

    licensed_users_count: int = 0
    basic_users_count: int = 0
    on_prem_users_count: int = 0
    room_users_count: int = 0
    pending_users_count: int = 0
    join_only_users_count: int = 0
    total_users_count: int = 0

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> UserSummary:
        names = cls.__dataclass_fields__
        what = "a user summary"
        return cls(**{n: checked_count(n, _int(d.get(n), 0) or 0, what) for n in names})


class SignInEvent(NamedTuple):
    """One row of the sign-in/sign-out report; Zoom keys these by email, not user id.

    A tuple rather than a frozen dataclass: six months of a 100,000-user account
    are ~400,000 of these, and a tuple is built ~4x faster and hashes as its own
    de-duplication key.
    """

    email: str
    time: datetime
    type: str
    ip_address: str = ""
    client_type: str = ""
    version: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> SignInEvent | None:
        """Return the event, or None when Zoom sent a row without a readable time."""
        when = parse_time(d.get("time"))
        if when is None:
            return None
        get = d.get
        email, kind = get("email") or "", get("type") or ""
        ip, client, version = (
            get("ip_address") or "",
            get("client_type") or "",
            get("version") or "",
        )
        if (
            type(email) is not str
            or type(kind) is not str
            or type(ip) is not str
            or type(client) is not str
            or type(version) is not str
            or len(email) + len(kind) + len(ip) + len(client) + len(version) > 64
        ):
            what = "a sign-in event"
            email, kind = bounded("email", email, what), bounded("type", kind, what)
            ip, client = bounded("ip_address", ip, what), bounded("client_type", client, what)
            version = bounded("version", version, what)
        return cls(email, when, kind, ip, client, version)


@dataclass(frozen=True, slots=True)
class Token:
    """An access token with its expiry; repr never shows the token itself."""

    access_token: str = field(repr=False)
    expires_at: datetime
    scopes: frozenset[str] = frozenset()
    api_url: str | None = None


class HostActivity(NamedTuple):
    """One host's row of the active host report (``GET /report/users``): what they hosted.

    Zoom lists only hosts with at least one meeting in the window; everyone else
    hosted nothing (zoom-api.md §5.2, docs/usage-report.md).
    """

    id: str
    email: str
    user_name: str
    dept: str
    type: int
    meetings: int
    participants: int
    meeting_minutes: int

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> HostActivity | None:
        """The row, or None when it names nobody (neither id nor email)."""
        get = d.get
        zoom_id, email = get("id") or "", get("email") or ""
        if not zoom_id and not email:
            return None
        return cls(
            str(zoom_id),
            str(email),
            str(get("user_name") or ""),
            str(get("dept") or ""),
            _int(get("type"), 0) or 0,
            max(_int(get("meetings"), 0) or 0, 0),
            max(_int(get("participants"), 0) or 0, 0),
            max(_int(get("meeting_minutes"), 0) or 0, 0),
        )


@dataclass(frozen=True)
class HostReport:
    """One report window (at most a calendar month) and every host Zoom listed in it."""

    first: date
    last: date
    hosts: tuple[HostActivity, ...]
