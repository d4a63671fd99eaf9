"""SQLite history of aggregation runs (sqlite-utils only; knows nothing of Zoom's models)."""

from __future__ import annotations

from zoomtui.store.errors import RunLocked, StoreError
from zoomtui.store.records import (
    AccountRow,
    AddonRead,
    RunRecord,
    SeatRow,
    SignInRow,
    UserRow,
)
from zoomtui.store.store import Store

__all__ = [
    "AccountRow",
    "AddonRead",
    "RunLocked",
    "RunRecord",
    "SeatRow",
    "SignInRow",
    "Store",
    "StoreError",
    "UserRow",
]
