"""The four reclaim actions: the scopes they need, the write each sends, and how each is undone.

Endpoints, bodies and scopes: docs/reclaim.md (Zoom's User API spec). One
fact, one place: the CLI, the connection check and the apply all read them here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zoomtui.services.context import ServiceError
from zoomtui.zoom.admin import path_segment

ACTIONS = ("downgrade", "deactivate", "remove-addon", "revoke-invitation")
# Add-ons that can be removed one by one: the per-user licence flags of the
# spec's ``feature`` object with their capacity key (zoom-api.md §12).
CAPACITY_KEYS: dict[str, str | None] = {
    "large_meeting": "large_meeting_capacity",
    "webinar": "webinar_capacity",
    "zoom_events": "zoom_events_capacity",
    "zoom_phone": None,
    "zoom_whiteboard": None,
    "zoom_whiteboard_plus": None,
    "zoom_revenue_accelerator": None,
    "zoom_iq_for_sales": None,
    "zoom_translated_captions": None,
    "zoom_scheduler": None,
    "zoom_clips_plus": None,
    "zoom_workforce_management": None,
    "zoom_huddles": None,
    "concurrent_meeting": None,  # a level: "Basic" | "Plus" | "None"
}
# (classic, granular) scope pairs; either one is enough (zoom-api.md §12).
WRITE_SCOPES: dict[str, tuple[str, str]] = {
    "downgrade": ("user:write:admin", "user:update:user:admin"),
    "deactivate": ("user:write:admin", "user:update:status:admin"),
    "remove-addon": ("user:write:admin", "user:update:settings:admin"),
    "revoke-invitation": ("user:write:admin", "user:delete:user:admin"),
}
# Undoing a downgrade or a deactivation gives back add-ons too.
UNDO_SCOPES: dict[str, tuple[tuple[str, str], ...]] = {
    "downgrade": (WRITE_SCOPES["downgrade"], WRITE_SCOPES["remove-addon"]),
    "deactivate": (WRITE_SCOPES["deactivate"], WRITE_SCOPES["remove-addon"]),
    "remove-addon": (WRITE_SCOPES["remove-addon"],),
    "revoke-invitation": (),
}
MEETING_SCOPES: tuple[tuple[str, str], ...] = (
    ("meeting:read:admin", "meeting:read:list_meetings:admin"),
    ("webinar:read:admin", "webinar:read:list_webinars:admin"),
)
READ_SCOPES: tuple[tuple[str, str], ...] = (
    ("user:read:admin", "user:read:user:admin"),
    ("user:read:admin", "user:read:settings:admin"),
)
TAKES_LICENCE = ("downgrade", "deactivate", "remove-addon")


@dataclass(frozen=True)
class Action:
    """A parsed ``--action``: its name and, for remove-addon, the add-on."""

    name: str
    addon: str = ""

    @property
    def label(self) -> str:
        return f"{self.name}:{self.addon}" if self.addon else self.name


def parse_action(text: str) -> Action:
    """``downgrade`` | ``deactivate`` | ``remove-addon:NAME`` | ``revoke-invitation``."""
    name, _, addon = text.strip().partition(":")
    if name not in ACTIONS or bool(addon) != (name == "remove-addon"):
        raise ServiceError(
            f"Unknown action {text!r}: use downgrade, deactivate, remove-addon:NAME "
            "or revoke-invitation.",
            exit_code=2,
        )
    if addon and addon not in CAPACITY_KEYS:
        raise ServiceError(
            f"Unknown add-on {addon!r}: use one of {', '.join(sorted(CAPACITY_KEYS))}.",
            exit_code=2,
        )
    return Action(name, addon)


def has_scope(scopes: frozenset[str], pair: tuple[str, str]) -> bool:
    """Whether the token holds the classic, the granular or its ``:master`` twin."""
    classic, granular = pair
    master = granular.replace(":admin", ":master")
    return bool(scopes & {classic, granular, master})


def needed(action: str) -> tuple[tuple[str, str], ...]:
    """Every scope pair an action needs: the write, the live reads, the meeting checks."""
    pairs = (WRITE_SCOPES[action], *READ_SCOPES)
    return pairs + MEETING_SCOPES if action in TAKES_LICENCE else pairs


def missing_scopes(scopes: frozenset[str], action: str) -> list[str]:
    """The granular names of the scopes an action lacks (empty: it is allowed)."""
    return [
        granular for pair in needed(action) if not has_scope(scopes, pair) for granular in pair[1:]
    ]


def capability(scopes: frozenset[str]) -> dict[str, Any]:
    """What Test Connection reports: write scopes present and the actions they allow."""
    writes = sorted(
        {s for pair in WRITE_SCOPES.values() for s in pair if s in scopes}
        | {s for s in scopes if s.startswith(("user:update:", "user:delete:"))}
    )
    actions = {name: not missing_scopes(scopes, name) for name in ACTIONS}
    missing = {name: missing_scopes(scopes, name) for name in ACTIONS if not actions[name]}
    return {"write_scopes": writes, "actions": actions, "missing": missing}


def write_request(action: Action, user: str, account_path: str) -> dict[str, Any]:
    """The one write of an action: method, path, JSON body, query."""
    path = f"{account_path}/users/{path_segment(user)}"  # as the live reads quote it
    if action.name == "downgrade":
        return {"method": "PATCH", "path": path, "body": {"type": 1}}
    if action.name == "deactivate":
        return {"method": "PUT", "path": f"{path}/status", "body": {"action": "deactivate"}}
    if action.name == "remove-addon":
        off: Any = "None" if action.addon == "concurrent_meeting" else False
        return {
            "method": "PATCH",
            "path": f"{path}/settings",
            "body": {"feature": {action.addon: off}},
        }
    return {"method": "DELETE", "path": path, "params": {"action": "disassociate"}}


def addon_requests(features: dict[str, Any], path: str) -> list[dict[str, Any]]:
    """One settings write per add-on held before, with its capacity or level."""
    out = []
    for name, value in sorted(features.items()):
        if name.endswith("_capacity"):
            continue
        feature: dict[str, Any] = {name: value}
        cap_key = CAPACITY_KEYS.get(name)
        if cap_key and cap_key in features:
            feature[cap_key] = features[cap_key]
        out.append({"method": "PATCH", "path": f"{path}/settings", "body": {"feature": feature}})
    return out


def undo_requests(
    action: str, live_before: dict[str, Any], user: str, account_path: str
) -> list[dict[str, Any]]:
    """The writes that give back what one applied change took, from the state read before it."""
    path = f"{account_path}/users/{path_segment(user)}"  # as the live reads quote it
    features = live_before.get("features", {})
    if action == "downgrade":
        body: dict[str, Any] = {"type": live_before.get("type", 2)}
        for key in ("zoom_one_type", "plan_united_type"):
            if live_before.get(key):
                body[key] = live_before[key]
        return [{"method": "PATCH", "path": path, "body": body}, *addon_requests(features, path)]
    if action == "deactivate":
        first = {"method": "PUT", "path": f"{path}/status", "body": {"action": "activate"}}
        return [first, *addon_requests(features, path)]
    if action == "remove-addon":
        return addon_requests(features, path)
    return []


def held_features(feature: dict[str, Any]) -> dict[str, Any]:
    """The add-ons a settings ``feature`` object shows as held, with their capacities."""
    out: dict[str, Any] = {}
    for name, cap_key in CAPACITY_KEYS.items():
        value = feature.get(name)
        if value is True or (name == "concurrent_meeting" and value in ("Basic", "Plus")):
            out[name] = value
            if cap_key and isinstance(feature.get(cap_key), int):
                out[cap_key] = feature[cap_key]
    return out
