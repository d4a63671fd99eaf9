"""Plain records the store reads and writes; services convert Zoom's models into these.

The store deliberately knows nothing of Zoom's JSON, so the two packages never
import each other and the schema only changes when what we keep changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

RUN_STATUSES = ("running", "complete", "partial", "failed", "cancelled", "interrupted")
ENDINGS = ("partial", "failed", "cancelled")


class UserRow(NamedTuple):
    """One listed user as seen by one run; ``addons`` None means "not read this run".

    A tuple, like the model it comes from: built once per user per run.
    """

    zoom_id: str | None
    email: str
    first_name: str = ""
    last_name: str = ""
    display_name: str = ""
    status: str = "active"
    type: int = 1
    plan: str = "Basic"
    bundle: str | None = None
    dept: str = ""
    account_id: str = ""
    plan_united_type: str | None = None
    zoom_one_type: int | None = None
    last_login_time: datetime | None = None
    user_created_at: datetime | None = None
    addons: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class SeatRow:
    """Seat counts of one plan of one account in one run."""

    account_id: str
    plan: str
    type: str
    purchased: int
    assigned: int
    pending: int = 0


@dataclass(frozen=True, slots=True)
class AccountRow:
    """The main account or one sub account."""

    id: str
    name: str = ""
    owner_email: str = ""
    account_type: str = ""
    seats: int = 0
    is_main: bool = False


# email, time, type, ip_address, client_type, version
SignInTuple = tuple[str, datetime, str, str, str, str]


class SignInRow(NamedTuple):
    """One sign-in or sign-out event of the activity report (a tuple: there are many).

    The store takes any tuple of this shape (:data:`SignInTuple`), so a caller
    holding equally shaped tuples passes them on without a copy per event.
    """

    email: str
    time: datetime
    type: str
    ip_address: str = ""
    client_type: str = ""
    version: str = ""


@dataclass(frozen=True, slots=True)
class AddonRead:
    """The result of reading one user's settings: when, what type/bundle then, which add-ons."""

    zoom_id: str
    read_at: datetime
    addons: tuple[str, ...]
    type: int | None = None
    bundle: str | None = None
    status: str | None = None
    read_bundle: str | None = None  # from Get user: a name, "" for none, None if not read


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One aggregation run as kept in ``runs``."""

    id: int
    status: str
    started_at: datetime
    finished_at: datetime | None
    full: bool
    users: int | None
    pid: int | None
    host: str
    stats: dict[str, Any]
    notes: dict[str, Any]
    error: str | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: times as ISO 8601 UTC strings."""
        return {
            "id": self.id,
            "status": self.status,
            "started_at": iso(self.started_at),
            "finished_at": iso(self.finished_at),
            "full": self.full,
            "users": self.users,
            "pid": self.pid,
            "host": self.host,
            "stats": self.stats,
            "notes": self.notes,
            "error": self.error,
        }


def iso(value: datetime | None) -> str | None:
    """Canonical stored form of a time: aware UTC, whole seconds, ``Z`` suffix.

    One fixed width keeps text comparison equal to time comparison in SQL.
    """
    return None if value is None else iso_utc(value)


def iso_utc(value: datetime) -> str:
    """:func:`iso` of a time known to be there."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}; the store needs aware UTC times")
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    # isoformat is C code and pads the year; strftime is slower and does not.
    return value.isoformat()[:19] + "Z"


def parse_iso(value: str | None) -> datetime | None:
    """Inverse of :func:`iso`; fromisoformat is ~50x faster than strptime here."""
    if value is None:
        return None
    found = datetime.fromisoformat(value)  # "…Z" reads as UTC already: no copy needed
    return found if found.tzinfo is UTC else found.replace(tzinfo=UTC)
