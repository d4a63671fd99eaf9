"""Human labels for Zoom's plan codes: base plan type, bundles and per-user add-ons.

Kept apart from the dataclasses so the tables can grow (Zoom adds bundle codes
often) without crowding the parsing code; `models` re-exports the functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zoomtui.licences import addons_from_settings

__all__ = ["PLAN_NAMES", "addons_from_settings", "bundle_name", "plan_name"]

if TYPE_CHECKING:
    from zoomtui.zoom.models import User

PLAN_NAMES: dict[int, str] = {1: "Basic", 2: "Licensed", 3: "On-prem", 4: "Unassigned", 99: "None"}

_REGIONS_UNITED = ("US/CA", "UK/IR", "AU/NZ", "Global Select", "with Zoom Phone Pro")
UNITED_TYPES: dict[str, str] = {
    str(1 << (i + 5 * n)): f"{tier} {region}"
    for n, tier in enumerate(("Pro", "Business", "Enterprise"))
    for i, region in enumerate(_REGIONS_UNITED)
}
UNITED_TYPES.update({"32768": "Pro JP", "65536": "Business JP", "131072": "Enterprise JP"})

WORKPLACE_TYPES: dict[int, str] = {
    4: "Enterprise",
    8: "Enterprise Plus",
    16: "Business Plus US/CA",
    32: "Business Plus UK/IR",
    64: "Business Plus AU/NZ",
    128: "Business Plus Japan",
    33554432: "Business Plus Global Select",
    134217728: "Enterprise Premier US/CA",
    536870912: "Enterprise Premier UK/IR",
    1073741824: "Enterprise Premier AU/NZ",
    268435456: "Enterprise Premier Japan",
    4398046511104: "Pro Plus",
    18014398509481984: "Education School & Campus",
    72057594037927936: "Education Enterprise Essentials",
    576460752303423488: "Education Enterprise Student",
    144115188075855872: "Education Enterprise Plus",
    137438953472: "Education School & Campus Plus US/CA",
    1099511627776: "Education School & Campus Plus AU/NZ",
    549755813888: "Education School & Campus Plus UK/IR",
    274877906944: "Education School & Campus Plus Japan",
    2199023255552: "Education School & Campus Plus Global Select",
    4294967296: "Education Enterprise Premier US/CA",
    34359738368: "Education Enterprise Premier AU/NZ",
    17179869184: "Education Enterprise Premier UK/IR",
    8589934592: "Education Enterprise Premier Japan",
    68719476736: "Education Enterprise Premier Global Select",
}


def plan_name(type: int) -> str:
    """Name Zoom's user `type` integer; unknown values stay visible as `Type N`."""
    return PLAN_NAMES.get(type, f"Type {type}")


def bundle_name(user: User) -> str | None:
    """Label the user's bundle (Zoom United or Zoom Workplace), None when not bundled."""
    if user.plan_united_type:
        name = UNITED_TYPES.get(user.plan_united_type) or f"(type {user.plan_united_type})"
        return f"Zoom United {name}"
    if user.zoom_one_type:
        name = WORKPLACE_TYPES.get(user.zoom_one_type) or f"(type {user.zoom_one_type})"
        return f"Zoom Workplace {name}"
    for info in user.license_info_list:
        if info.license_type == "ZOOM_WORKPLACE_BUNDLE":
            # license_option holds the zoom_one_type value: name it as Get user would.
            known = WORKPLACE_TYPES.get(info.license_option)
            return f"Zoom Workplace {known}" if known else "Zoom Workplace"
    return None
