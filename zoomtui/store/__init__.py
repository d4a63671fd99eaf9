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

# Registers the reclaim migration on the one migration set (store/reclaim.py).
from zoomtui.store import reclaim as _reclaim  # noqa: F401  isort: skip

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
