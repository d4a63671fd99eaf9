"""Render GET /accounts/{id}/plans/usage from purchased seats and real holders.

``hosts`` (purchased) come from the dataset's seat pools, ``usage`` and
``pending`` are counted from the users, so the seat report and the per-user
add-ons can be cross-checked. Pools appear as arrays or objects exactly as
Zoom names them, plus a storage-only ``plan_recording`` without ``hosts``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zoomtui.emulator.plans import ADDONS, UNITED, ZOOM_ONE

if TYPE_CHECKING:
    from zoomtui.emulator.dataset import Dataset

_ARRAY_KEYS = {a.plan_key for a in ADDONS if a.is_array and a.plan_key} | {
    key for key, _, is_array in ZOOM_ONE.values() if is_array
}


def plan_usage_json(ds: Dataset, acct: int) -> dict[str, Any]:
    """The plans/usage body of one account."""
    used = ds.pool_usage(acct)
    out: dict[str, Any] = {}
    for (index, plan_key, plan_type), hosts in sorted(ds.hosts.items()):
        if index != acct:
            continue
        usage, pending = used.get((plan_key, plan_type), [0, 0])
        entry: dict[str, Any] = {"type": plan_type, "hosts": hosts, "usage": usage}
        entry["pending"] = pending
        if plan_key == "plan_base":
            entry["active_hosts"] = usage
        if plan_key == "plan_united":
            name = next(n for n, t in UNITED.values() if t == plan_type)
            entry = {"name": name, **entry}
        if plan_key in _ARRAY_KEYS:
            out.setdefault(plan_key, []).append(entry)
        else:
            out[plan_key] = entry
    out["plan_recording"] = {
        "free_storage": "5 GB",
        "free_storage_usage": "1.2 GB",
        "plan_storage": "1 TB",
        "plan_storage_usage": "310 GB",
        "plan_storage_exceed": "0",
        "max_exceed_date": "",
        "type": "cmr_monthly_commitment_1000",
    }
    return out


def fit_hosts(ds: Dataset, acct: int, spare: int) -> None:
    """Raise purchased seats so every pool has hosts >= usage + pending."""
    for (plan_key, plan_type), (usage, pending) in ds.pool_usage(acct).items():
        key = (acct, plan_key, plan_type)
        if ds.hosts.get(key, 0) < usage + pending:
            ds.hosts[key] = usage + pending + spare
