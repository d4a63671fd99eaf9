"""Plain records the store reads and writes; services convert Zoom's models into these.

The store deliberately knows nothing of Zoom's JSON, so the two packages never
import each other and the schema only changes when what we keep changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

STATUSES = ("running", "complete", "partial", "failed", "cancelled", "interrupted")
ENDINGS = ("partial", "failed", "cancelled")


@dataclass(frozen=True, slots=True)
class UserRow:
    """One listed user as seen by one run; ``addons`` None means "not read this run"."""

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


@dataclass(frozen=True, slots=True)
class SignInRow:
    """One sign-in or sign-out event of the activity report."""

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
    if value is None:
        return None
    if value.tzinfo is UTC and value.year >= 1000:
        # The common case, ~3x cheaper than strftime (a run stages two per user);
        # the slice drops the offset and any microseconds, as strftime does.
        return value.isoformat()[:19] + "Z"
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}; the store needs aware UTC times")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str | None) -> datetime | None:
    """Inverse of :func:`iso`; fromisoformat is ~50x faster than strptime here."""
    if value is None:
        return None
    return datetime.fromisoformat(value).replace(tzinfo=UTC)
