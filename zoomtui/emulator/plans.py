"""Catalogue of add-ons, bundles and the plan-usage pools they draw seats from.

Each per-user add-on is one bit of a user's add-on mask; the same table says
which ``feature`` flag it sets in user settings and which ``plan_*`` pool of
``/plans/usage`` counts it, so settings and seat counts can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Addon:
    """One assignable add-on: its settings flag, capacity and seat pool."""

    bit: int
    feature: str  # boolean key in settings["feature"]
    capacity_key: str | None  # e.g. "webinar_capacity"
    capacity: int
    plan_key: str  # key in /plans/usage
    plan_type: str  # "type" of the pool entry
    is_array: bool  # pool rendered as a list of {type, hosts, usage, pending}


ADDONS: tuple[Addon, ...] = (
    Addon(
        0,
        "large_meeting",
        "large_meeting_capacity",
        500,
        "plan_large_meeting",
        "large500_monthly",
        True,
    ),
    Addon(
        1,
        "large_meeting",
        "large_meeting_capacity",
        1000,
        "plan_large_meeting",
        "large1000_monthly",
        True,
    ),
    Addon(2, "webinar", "webinar_capacity", 500, "plan_webinar", "webinar500_monthly", True),
    Addon(3, "webinar", "webinar_capacity", 1000, "plan_webinar", "webinar1000_monthly", True),
    Addon(
        4,
        "zoom_events",
        "zoom_events_capacity",
        1000,
        "plan_zoom_events",
        "zoomevents1000_monthly",
        True,
    ),
    Addon(5, "zoom_phone", None, 0, "plan_phone", "phone_pro_monthly", False),
    Addon(6, "zoom_whiteboard", None, 0, "plan_whiteboard", "zwb_monthly", False),
    Addon(7, "zoom_iq_for_sales", None, 0, "plan_zoom_iq", "ziq_sales_monthly", False),
    Addon(8, "zoom_translated_captions", None, 0, "plan_ztransl", "ztransl_monthly", False),
    Addon(9, "zoom_scheduler", None, 0, "plan_zsched", "zsched_yearly", False),
    Addon(10, "zoom_clips_plus", None, 0, "plan_zoom_clips_plus", "zclipsplus_monthly", False),
    Addon(
        11, "zoom_workforce_management", None, 0, "plan_workforce_management", "zwfm_yearly", False
    ),
)

# Bits that exclude each other (one capacity per add-on family).
EXCLUSIVE: tuple[tuple[int, int], ...] = ((0, 1), (2, 3))
# Relative popularity of each add-on among licensed users (probability).
ADDON_RATE: tuple[float, ...] = (
    0.03,
    0.01,
    0.05,
    0.02,
    0.02,
    0.12,
    0.08,
    0.02,
    0.03,
    0.04,
    0.02,
    0.01,
)

# Boolean feature flags that exist in settings but are never purchased here.
OTHER_FEATURES: tuple[str, ...] = (
    "cn_meeting",
    "in_meeting",
    "zoom_huddles",
    "zoom_customer_managed_key",
    "zoom_quality_management",
    "zoom_revenue_accelerator",
    "zoom_whiteboard_plus",
    "zoom_mail_calendar",
    "zoom_compliance_management",
)

# zoom_one_type value -> (plan_key, plan type, pool is a list)
ZOOM_ONE: dict[int, tuple[str, str, bool]] = {
    4: ("plan_zoom_one", "zoe_monthly", True),
    8: ("plan_zoom_one", "zoep_monthly", True),
    16: ("plan_zoom_one", "zobp_usca_monthly_unlimited", True),
    33554432: ("plan_zoom_one", "zobp_gs_monthly", True),
    134217728: ("plan_zoom_one_premier", "zoepr_usca_monthly", True),
    4398046511104: ("plan_zoom_one", "zowpp_monthly", True),
    # Education (values above 2**53: must survive JSON as exact integers)
    18014398509481984: ("plan_zoom_one", "zoedu_sc_yearly", True),
    72057594037927936: ("plan_zoom_one", "zoedu_ee_yearly", True),
    576460752303423488: ("plan_zoom_one_edu_student", "zoedu_student_yearly", False),
    144115188075855872: ("plan_zoom_one", "zoedu_ep_yearly", True),
    137438953472: ("plan_zoom_one_edu_school_campus_plus", "zoedu_scp_usca_yearly", True),
    4294967296: ("plan_zoom_one_edu_premier", "zoedu_epr_usca_yearly", True),
}
BUSINESS_ZOOM_ONE: tuple[int, ...] = (16, 4, 8, 33554432, 134217728, 4398046511104)
EDU_ZOOM_ONE: tuple[int, ...] = (
    18014398509481984,
    72057594037927936,
    576460752303423488,
    144115188075855872,
    137438953472,
    4294967296,
)

# plan_united_type value (a string in JSON) -> (name, plan type)
UNITED: dict[int, tuple[str, str]] = {
    32: ("Zoom United Business US/CA", "zu_biz_usca_monthly"),
    64: ("Zoom United Business UK/IR", "zu_biz_ukir_monthly"),
    1: ("Zoom United Pro US/CA", "zu_pro_usca_monthly"),
}


def feature_names() -> list[str]:
    """Every boolean add-on feature name, in settings order, without duplicates."""
    seen: dict[str, None] = {}
    for addon in ADDONS:
        seen.setdefault(addon.feature, None)
    return list(seen)


def addon_names(mask: int) -> list[str]:
    """Sorted feature names switched on by an add-on mask."""
    return sorted({a.feature for a in ADDONS if mask >> a.bit & 1})
