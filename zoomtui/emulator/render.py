"""Build the JSON objects Zoom returns, one user or one account at a time.

Rendering happens per page on demand, so a dataset never holds 100,000 dicts;
the quirks live here: pending users have no ``id``, no ``pmi`` and a
``created_at`` equal to the request time; ``last_login_time`` and
``last_client_version`` are absent for users who never signed in; ``dept`` is
absent when empty; ``plan_united_type`` is a string; ``zoom_one_type`` is only
on Get-user (and in ``license_info_list``) and is an exact 64-bit integer.
"""

from __future__ import annotations

import functools
import time
from typing import TYPE_CHECKING, Any

from zoomtui.emulator.columns import PENDING, STATUS_BY_CODE, mix, pmi_of, user_id
from zoomtui.emulator.names import CLIENTS, LANGUAGES, TIMEZONES
from zoomtui.emulator.plans import ADDONS, OTHER_FEATURES, REGION_FLAGS, ZOOM_ONE, feature_names

if TYPE_CHECKING:
    from zoomtui.emulator.dataset import Dataset

ROLE_NAMES = ("Owner", "Admin", "Member")


# "HH:MM:" by minute of the day and "SSZ" by second, for ``iso`` and its inlined copies
HOURS_MINUTES = tuple(f"{h:02d}:{m:02d}:" for h in range(24) for m in range(60))
SECONDS = tuple(f"{s:02d}Z" for s in range(60))


def iso(epoch: int) -> str:
    """Zoom's timestamp format: second precision, literal Z.

    Pages carry up to 900 timestamps; ``time.strftime`` per timestamp was a
    twentieth of a local run's CPU, so the date part is cached per day and
    the time of day comes from two small tables.
    """
    day, second = divmod(epoch, 86_400)
    return day_prefix(day) + HOURS_MINUTES[second // 60] + SECONDS[second % 60]


@functools.lru_cache(maxsize=4096)
def day_prefix(day: int) -> str:
    """``YYYY-MM-DDT`` of a day counted from the epoch (a few thousand distinct days)."""
    return time.strftime("%Y-%m-%dT", time.gmtime(day * 86_400))


def group_id(dept: int) -> str:
    """A stable group id per department."""
    return f"grp{mix(7, dept) % 10**12:012d}"


def user_list_json(ds: Dataset, row: int, request_epoch: int) -> dict[str, Any]:
    """One element of ``users[]`` in GET /users, as Zoom shapes it."""
    c = ds.cols
    seed, serial, status = ds.seed, c.serial[row], c.status[row]
    first, last, display = ds.user_names(serial)
    out: dict[str, Any] = {}
    if status != PENDING:
        out["id"] = user_id(seed, serial)
    out["first_name"] = first
    out["last_name"] = last
    out["display_name"] = display
    out["email"] = ds.email(serial, c.acct[row])
    out["type"] = c.utype[row]
    if status != PENDING:
        out["pmi"] = pmi_of(seed, serial)
    out["timezone"] = TIMEZONES[c.tz[row]]
    out["verified"] = 0 if status == PENDING else 1
    if c.dept[row]:
        out["dept"] = ds.dept_name(serial, c.dept[row])
    created = c.created[row]
    if status == PENDING:
        login_created = request_epoch  # Zoom quirk: the time of the API call
    else:
        bump = mix(seed, serial ^ 0xC0DE)
        login_created = min(created + (bump % 3 == 0) * (bump % 200) * 86_400, ds.now_epoch)
    out["created_at"] = iso(login_created)
    out["user_created_at"] = iso(created)
    if c.last_login[row]:
        out["last_login_time"] = iso(c.last_login[row])
        out["last_client_version"] = CLIENTS[c.client[row]][0]
    if c.united[row]:
        out["plan_united_type"] = str(c.united[row])
    out["status"] = STATUS_BY_CODE[status]
    out["role_id"] = str(c.role[row])
    out["group_ids"] = [group_id(c.dept[row])] if c.dept[row] else []
    out["im_group_ids"] = []
    if c.zoom_one[row] and ds.accounts[c.acct[row]].duplicate_plans:
        out["license_info_list"] = [bundle_license(ds, row)]
    return out


def bundle_license(ds: Dataset, row: int) -> dict[str, Any]:
    """The ``license_info_list`` entry of a Zoom Workplace bundle holder."""
    account = ds.accounts[ds.cols.acct[row]]
    value = ds.cols.zoom_one[row]
    return {
        "license_type": "ZOOM_WORKPLACE_BUNDLE",
        "license_option": value,
        "subscription_id": f"SUBREF-{account.account_number}-{ZOOM_ONE[value][1]}",
    }


def user_get_json(ds: Dataset, row: int, request_epoch: int) -> dict[str, Any]:
    """GET /users/{userId}: the list object plus the Get-user-only fields."""
    c = ds.cols
    out = user_list_json(ds, row, request_epoch)
    account = ds.accounts[c.acct[row]]
    out["role_name"] = ROLE_NAMES[c.role[row]]
    out["use_pmi"] = False
    out["language"] = LANGUAGES[c.lang[row]]
    out["account_id"] = account.id
    out["account_number"] = account.account_number
    out["cluster"] = "us06"
    out["company"] = account.name
    out["job_title"] = ""
    out["location"] = ""
    out["login_types"] = [101] if account.education else [100]
    out["phone_numbers"] = []
    if "pmi" in out:
        out["personal_meeting_url"] = f"https://us06web.zoom.us/j/{out['pmi']}"
    if c.zoom_one[row]:
        out["zoom_one_type"] = c.zoom_one[row]
    return out


def settings_json(ds: Dataset, row: int) -> dict[str, Any]:
    """GET /users/{userId}/settings with the whole ``feature`` object of Zoom's spec.

    Every flag of the spec is present (false unless held); a licence sets its
    flags and capacity (Revenue Accelerator sets both of its flags);
    ``concurrent_meeting`` is "Basic", "Plus" or "None"; a few hosts have their
    meetings hosted in China or India (``cn_meeting`` / ``in_meeting``).
    """
    c = ds.cols
    mask, utype = c.addons[row], c.utype[row]
    feature: dict[str, Any] = {"meeting_capacity": 300 if utype == 2 else 100}
    for name in (*feature_names(), *OTHER_FEATURES):
        feature[name] = False
    feature["concurrent_meeting"] = "None"
    for addon in ADDONS:
        if mask >> addon.bit & 1:
            feature[addon.feature] = addon.value
            for flag in addon.also:
                feature[flag] = addon.value
            if addon.capacity_key:
                feature[addon.capacity_key] = addon.capacity
    for index, (flag, per_mille) in enumerate(REGION_FLAGS):
        feature[flag] = mix(ds.seed, c.serial[row] ^ (0x5EA0 + index)) % 1000 < per_mille
    licensed = utype == 2
    return {
        "schedule_meeting": {
            "host_video": True,
            "participants_video": False,
            "join_before_host": False,
            "use_pmi_for_scheduled_meetings": False,
        },
        "in_meeting": {"chat": True, "private_chat": True, "breakout_room": licensed},
        "email_notification": {"cloud_recording_available_reminder": True},
        "recording": {"local_recording": True, "cloud_recording": licensed},
        "telephony": {"third_party_audio": False, "show_international_numbers_link": True},
        "feature": feature,
        "tsp": {"call_out": False, "show_international_numbers_link": False},
    }
