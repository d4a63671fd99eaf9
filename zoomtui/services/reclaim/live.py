"""One user's state read live from Zoom, and whether a write's effect is already there.

``reached`` is what makes re-applying idempotent: a change journaled as
attempted but never answered (the process was killed) is settled by reading
the user again, not by sending the write a second time blindly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zoomtui.services.reclaim.actions import held_features
from zoomtui.zoom.admin import AdminApi, path_segment
from zoomtui.zoom.errors import NotFound, ZoomError


@dataclass
class LiveUser:
    """What Zoom says now: the user object (None: gone) and the ``feature`` settings."""

    user: dict[str, Any] | None
    feature: dict[str, Any] = field(default_factory=dict)

    @property
    def features(self) -> dict[str, Any]:
        return held_features(self.feature)

    def snapshot(self, addon: str = "") -> dict[str, Any]:
        """The state an undo gives back (only the one add-on for remove-addon)."""
        user = self.user or {}
        features = self.features
        if addon:
            keep = {addon, f"{addon}_capacity"}
            features = {k: v for k, v in features.items() if k in keep}
        return {
            "type": user.get("type"),
            "status": user.get("status"),
            "zoom_one_type": user.get("zoom_one_type"),
            "plan_united_type": user.get("plan_united_type"),
            "features": features,
        }


def account_path(account_id: str, main_id: str | None) -> str:
    """``""`` for the main account's users, ``/accounts/{id}`` for a sub account's."""
    if not account_id or account_id == main_id:
        return ""
    return f"/accounts/{path_segment(account_id)}"


async def read_user(api: AdminApi, key: str, account_id: str | None, pending: bool) -> LiveUser:
    """GET the user and (unless pending: Zoom refuses, code 1000) its settings."""
    try:
        user = await api.user(key, account_id)
    except NotFound:
        return LiveUser(None)
    except ZoomError as exc:
        if getattr(exc, "code", None) in (1001, 1120):
            return LiveUser(None)
        raise
    if pending or user.get("status") == "pending":
        return LiveUser(user)
    settings = await api.settings(key, account_id)
    feature = settings.get("feature") if isinstance(settings, dict) else None
    return LiveUser(user, feature if isinstance(feature, dict) else {})


def reached(request: dict[str, Any], live: LiveUser) -> bool:
    """Whether the live state already shows what ``request`` asks for."""
    method, body = request["method"], request.get("body") or {}
    if method == "DELETE":
        return live.user is None
    if live.user is None:
        return False
    if method == "PUT":
        want = "inactive" if body.get("action") == "deactivate" else "active"
        return live.user.get("status") == want
    if "feature" in body:
        for name, value in body["feature"].items():
            have = live.feature.get(name)
            if value is False:
                if have is True:
                    return False
            elif have != value:
                return False
        return True
    if "type" in body:
        return live.user.get("type") == body["type"]
    return False
