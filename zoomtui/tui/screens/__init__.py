"""One screen per mode, in the order of ``actions.MODES``."""

from __future__ import annotations

from zoomtui.tui.screens.accounts import AccountsScreen
from zoomtui.tui.screens.aggregate import AggregateScreen
from zoomtui.tui.screens.base import ZoomScreen
from zoomtui.tui.screens.connection import ConnectionScreen
from zoomtui.tui.screens.diff import DiffScreen
from zoomtui.tui.screens.runs import RunsScreen
from zoomtui.tui.screens.seats import SeatsScreen
from zoomtui.tui.screens.switcher import SWITCHING, SwitchingScreen
from zoomtui.tui.screens.users import UsersScreen

SCREENS: dict[str, type[ZoomScreen]] = {
    "users": UsersScreen,
    "runs": RunsScreen,
    "diff": DiffScreen,
    "seats": SeatsScreen,
    "aggregate": AggregateScreen,
    "connection": ConnectionScreen,
    "accounts": AccountsScreen,
}

__all__ = ["SCREENS", "SWITCHING", "SwitchingScreen", "ZoomScreen"]
