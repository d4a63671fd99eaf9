"""The user write endpoints a licence reclaim uses, with Zoom's rules and refusals.

Sources (docs/reclaim.md): Zoom's User API spec vendored in
folio-sec/terraform-provider-zoom ``spec/ZoomUserAPISpec.json`` (operations
``userUpdate``, ``userSettingsUpdate``, ``userStatus``, ``userDelete``: bodies,
scopes, rate labels, 204 answers) and Zoom's per-endpoint error tables of its
v2 docs source (``harrisyang/api`` ``errors/UserAPIs.md``). Each change is made
to the dataset's columns in place, so ``plans/usage``, ``/users`` and
``/settings`` follow it; the dataset's caches are dropped after each write.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from zoomtui.emulator.call import Reject, Result, invalid_field, not_found_user
from zoomtui.emulator.columns import ACTIVE, INACTIVE, PENDING
from zoomtui.emulator.dataset import base_pool
from zoomtui.emulator.oplog import TYPE_NAMES, OpEntry, feature_label
from zoomtui.emulator.plans import ADDONS, UNITED, ZOOM_ONE, Addon

if TYPE_CHECKING:
    from zoomtui.emulator.call import Call
    from zoomtui.emulator.dataset import Dataset

OWNER, ADMIN = 0, 1
NO_CONTENT: Result = (204, {})
# "Update a user": 1108 User type permission check failed: {userId} (errors/UserAPIs.md).
# Zoom's exact answer to changing the owner's type is not documented (UNCERTAIN): this
# is the closest documented refusal.
TYPE_REFUSED = "User type permission check failed: {}"
# "Update a user's status": code 200 (errors/UserAPIs.md).
STATUS_REFUSED = "Zoom Room and Admin users can not be activated or deactivated."
# "Delete a user": 1117 (errors/UserAPIs.md).
DISASSOCIATE_REFUSED = "Can not disassociate Admin user"
# "Update a user" / "Update a user's settings": code 200 when the pool is full.
NO_PAID_SEAT = "You can add max {} paid users."
NO_ADDON_SEAT = "You can add max {} {} users."
# "Update a user's settings": 1122.
NEEDS_LICENCE = "Only Pro or Corp user can enable {} feature."


def body_of(call: Call) -> dict[str, Any]:
    """The JSON object sent; Zoom's 300 answer for anything else (zoom-api.md §7)."""
    try:
        body = json.loads(call.request.content or b"null")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise Reject(400, {"code": 300, "message": "Request Body should be a valid JSON object."})
    return body


def _row(call: Call) -> int:
    row = call.ds.find(call.acct, call.params["userId"])
    if row is None:
        raise Reject(*not_found_user(call.params["userId"]))
    return row


def free_seats(ds: Dataset, acct: int, pool: tuple[str, str]) -> tuple[int, int]:
    """(purchased, free) of one pool: free = hosts - usage - pending (zoom-api.md §12)."""
    hosts = ds.hosts.get((acct, *pool), 0)
    usage, pending = ds.pool_usage(acct).get(pool, [0, 0])
    return hosts, hosts - usage - pending


def patch_user(call: Call) -> Result:
    """PATCH /users/{userId}: ``type`` 1 (Basic) or 2 (Licensed), with its bundle fields.

    Downgrading takes the bundle and every add-on with it (the dataset's own
    downgrades do the same, emulator/evolve.py; a webinar needs a Pro user, 1122).
    Licensing again needs a free seat in the pool the bundle draws from.
    """
    ds, c = call.ds, call.ds.cols
    row = _row(call)
    body = body_of(call)
    if "type" not in body:
        return NO_CONTENT  # only profile fields: nothing a licence audit tracks
    utype = body["type"]
    if utype not in (1, 2):
        raise invalid_field("type", "Invalid field.")
    if c.role[row] == OWNER:
        return 400, {"code": 1108, "message": TYPE_REFUSED.format(call.params["userId"])}
    if utype == 1:
        if c.utype[row] != 1:
            _log(call, row, "Update", f"User Type: from {_type(c.utype[row])} to Basic")
            _retype(ds, row, 1, call.now)
            c.zoom_one[row] = c.united[row] = 0
            c.addons[row] = 0
        _changed(ds)
        return NO_CONTENT
    zoom_one = int(body.get("zoom_one_type") or 0)
    united = int(body.get("plan_united_type") or 0)
    if zoom_one and zoom_one not in ZOOM_ONE:
        raise invalid_field("zoom_one_type", "Invalid field.")
    if united and united not in UNITED:
        raise invalid_field("plan_united_type", "Invalid field.")
    same = c.utype[row] == 2 and c.zoom_one[row] == zoom_one and c.united[row] == united
    if not same:
        pool = base_pool(zoom_one, united)
        hosts, free = free_seats(ds, call.acct, pool)
        held = c.utype[row] == 2 and base_pool(c.zoom_one[row], c.united[row]) == pool
        if free < 1 and not held and c.status[row] != INACTIVE:
            return 400, {"code": 200, "message": NO_PAID_SEAT.format(hosts)}
        if c.utype[row] != 2:
            _log(call, row, "Update", f"User Type: from {_type(c.utype[row])} to Licensed")
            _retype(ds, row, 2, call.now)
        c.zoom_one[row], c.united[row] = zoom_one, united
    _changed(ds)
    return NO_CONTENT


def patch_settings(call: Call) -> Result:
    """PATCH /users/{userId}/settings with ``feature``: add-ons on or off, with capacity."""
    ds, c = call.ds, call.ds.cols
    row = _row(call)
    if c.status[row] == PENDING:
        return 400, {"code": 1000, "message": "Can not access pending user settings."}
    feature = body_of(call).get("feature")
    if feature is None:
        return NO_CONTENT
    if not isinstance(feature, dict):
        raise invalid_field("feature", "Invalid field.")
    mask = c.addons[row]
    for name, value in feature.items():
        family = [a for a in ADDONS if a.feature == name]
        if not family:
            continue  # capacities and flags that are no licence are read with their family
        held = [a for a in family if mask >> a.bit & 1]
        wanted = _wanted(family, value, feature)
        for addon in held:
            mask &= ~(1 << addon.bit)
        if wanted is None:
            continue
        if c.utype[row] != 2:
            label = name.replace("_", " ").title().replace("Zoom ", "")
            return 400, {"code": 1122, "message": NEEDS_LICENCE.format(label)}
        if wanted not in held and wanted.plan_key:
            hosts, free = free_seats(ds, call.acct, (wanted.plan_key, wanted.plan_type))
            if free < 1:
                label = f"{name.replace('_', ' ').title()} {wanted.capacity or ''}".strip()
                return 400, {"code": 200, "message": NO_ADDON_SEAT.format(hosts, label)}
        mask |= 1 << wanted.bit
    for addon in ADDONS:
        was, now = c.addons[row] >> addon.bit & 1, mask >> addon.bit & 1
        if was != now:
            turned = "from Off to On" if now else "from On to Off"
            _log(call, row, "Update", f"{feature_label(addon.feature)}: {turned}")
    c.addons[row] = mask
    _changed(ds)
    return NO_CONTENT


def _wanted(family: list[Addon], value: Any, feature: dict[str, Any]) -> Addon | None:
    """The add-on of a family a ``feature`` value asks for (None: switched off)."""
    if family[0].value is not True:  # concurrent_meeting: "Basic" | "Plus" | "None"
        return next((a for a in family if a.value == value), None)
    if value is not True:
        return None
    key = family[0].capacity_key
    capacity = feature.get(key) if key else None
    if capacity is None:
        return family[0]
    found = next((a for a in family if a.capacity == capacity), None)
    if found is None:
        raise invalid_field(str(key), "Invalid field.")
    return found


def put_status(call: Call) -> Result:
    """PUT /users/{userId}/status ``{"action": "activate" | "deactivate"}``.

    "Deactivating a user removes all licenses associated with a user" (spec):
    the add-ons go, the base seat is freed (an inactive user holds none,
    ``Dataset.pool_usage``). Activating needs a free seat for a licensed user.
    """
    ds, c = call.ds, call.ds.cols
    row = _row(call)
    action = body_of(call).get("action")
    if action not in ("activate", "deactivate", "clock_in", "clock_out"):
        raise invalid_field("action", "Invalid field.")
    if action in ("clock_in", "clock_out"):
        return 200, {}
    if c.role[row] in (OWNER, ADMIN):
        return 400, {"code": 200, "message": STATUS_REFUSED}
    if action == "deactivate" and c.status[row] == ACTIVE:
        _log(call, row, "Deactivate")
        c.status[row] = INACTIVE
        c.addons[row] = 0
    elif action == "activate" and c.status[row] == INACTIVE:
        if c.utype[row] == 2:
            hosts, free = free_seats(ds, call.acct, base_pool(c.zoom_one[row], c.united[row]))
            if free < 1:
                return 400, {"code": 200, "message": NO_PAID_SEAT.format(hosts)}
        _log(call, row, "Activate")
        c.status[row] = ACTIVE
    _changed(ds)
    return 200, {}


def delete_user(call: Call) -> Result:
    """DELETE /users/{userId}?action=disassociate|delete: the user leaves the account.

    "To delete pending user in the account, use ``disassociate``" (spec): this is
    how an invitation is revoked; a pending user is addressed by e-mail.
    """
    ds = call.ds
    row = _row(call)
    action = call.query.get("action", "disassociate")
    if action not in ("disassociate", "delete"):
        raise invalid_field("action", "Invalid field.")
    if ds.cols.role[row] in (OWNER, ADMIN):
        return 400, {"code": 1117, "message": DISASSOCIATE_REFUSED}
    c = ds.cols
    _log(call, row, "Delete", f"User Type: {_type(c.utype[row])}")
    for name in type(c).__slots__:
        del getattr(c, name)[row]
    _changed(ds)
    return NO_CONTENT


def _retype(ds: Dataset, row: int, utype: int, now: int) -> None:
    """Change a type and log the old one (hosting of past months keeps it, emulator/hosting.py)."""
    serial = ds.cols.serial[row]
    ds.type_log = {**ds.type_log, serial: (*ds.type_log.get(serial, ()), (now, ds.cols.utype[row]))}
    ds.cols.utype[row] = utype


def _type(utype: int) -> str:
    return TYPE_NAMES.get(utype, str(utype))


def _log(call: Call, row: int, verb: str, change: str = "") -> None:
    """Record the write in the operation logs, worded like ``evolve.advance``'s entries.

    Zoom logs admins' changes to users (support article KB0067251, "Using admin
    activity logs"); a Server-to-Server OAuth app acts for the account, so its
    writes are logged too. Which operator Zoom names for an app is not
    documented: the account's admin stands in, as in ``evolve``.
    """
    ds, c = call.ds, call.ds.cols
    acct = c.acct[row]
    detail = f"{verb} User {ds.email(c.serial[row], acct)}" + (f"  - {change}" if change else "")
    action = "Delete" if verb == "Delete" else "Update"
    operator = f"admin@{ds.accounts[acct].domain}"
    ds.oplog = (*ds.oplog, OpEntry(call.now, acct, operator, "User", action, detail))


def _changed(ds: Dataset) -> None:
    ds.clear_cache()
