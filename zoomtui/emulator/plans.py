"""Catalogue of add-ons, bundles and the plan-usage pools they draw seats from.

Each per-user add-on is one bit of a user's add-on mask; the same table says
which ``feature`` flag it sets in user settings and which ``plan_*`` pool of
``/plans/usage`` counts it, so settings and seat counts can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Addon:
    """One assignable add-on: the ``feature`` flags it sets, its capacity and seat pool."""

    bit: int
    feature: str  # key in settings["feature"]
    capacity_key: str | None  # e.g. "webinar_capacity"
    capacity: int
    plan_key: str | None  # key in /plans/usage; None where Zoom counts no pool there
    plan_type: str  # "type" of the pool entry
    is_array: bool  # pool rendered as a list of {type, hosts, usage, pending}
    value: bool | str = True  # what the flag holds (concurrent_meeting is a string)
    also: tuple[str, ...] = ()  # further flags Zoom sets for the same licence


# Sources for the shapes below (zoom-api.md §3.2, §4.2, §12): Zoom's User API spec
# (`feature` descriptions, vendored in folio-sec/terraform-provider-zoom), ZoomNet's
# settings sample and BillingPlanUsageInfo model.
ADDONS: tuple[Addon, ...] = (
    Addon(0, "large_meeting", "large_meeting_capacity", 500, "plan_large_meeting",
          "large500_monthly", True),
    Addon(1, "large_meeting", "large_meeting_capacity", 1000, "plan_large_meeting",
          "large1000_monthly", True),
    Addon(2, "webinar", "webinar_capacity", 500, "plan_webinar", "webinar500_monthly", True),
    Addon(3, "webinar", "webinar_capacity", 1000, "plan_webinar", "webinar1000_monthly", True),
    Addon(4, "zoom_events", "zoom_events_capacity", 1000, "plan_zoom_events",
          "zoomevents1000_monthly", True),
    # Phone licences: per user in `feature`, counted by the Phone API; plan usage has
    # no plan_phone pool (ZoomNet's BillingPlanUsageInfo, Zoom's sample replies).
    Addon(5, "zoom_phone", None, 0, None, "", False),
    Addon(6, "zoom_whiteboard", None, 0, "plan_whiteboard", "zwb_monthly", False),
    # The spec describes both flags as "has a Zoom Revenue Accelerator license".
    Addon(7, "zoom_revenue_accelerator", None, 0, "plan_zoom_iq", "ziq_sales_monthly", False,
          also=("zoom_iq_for_sales",)),
    Addon(8, "zoom_translated_captions", None, 0, "plan_ztransl", "ztransl_monthly", False),
    Addon(9, "zoom_scheduler", None, 0, "plan_zsched", "zsched_yearly", False),
    Addon(10, "zoom_clips_plus", None, 0, "plan_zoom_clips_plus", "zclipsplus_monthly", False),
    Addon(11, "zoom_workforce_management", None, 0, "plan_workforce_management",
          "zwfm_yearly", False),
    # "requires a Concurrent Meeting Basic or Plus plan subscription" (spec); no pool seen.
    Addon(12, "concurrent_meeting", None, 0, None, "", False, value="Basic"),
    Addon(13, "concurrent_meeting", None, 0, None, "", False, value="Plus"),
    Addon(14, "zoom_whiteboard_plus", None, 0, "plan_whiteboard_plus", "zwbp_monthly", False),
    Addon(15, "zoom_huddles", None, 0, None, "", False),
    # Not in the 2025 spec; a peer's app README lists it (zoom-api.md §3.2): a licence
    # flag a client does not know yet.
    Addon(16, "zoom_spots", None, 0, None, "", False),
)  # fmt: skip

# Bits that exclude each other (one capacity or level per add-on family).
EXCLUSIVE: tuple[tuple[int, int], ...] = ((0, 1), (2, 3), (12, 13))
# Relative popularity of the first twelve add-ons among licensed users (probability),
# drawn from the generator's random stream; the later ones come from EXTRA_RATE.
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
# bit -> per-mille of licensed users, drawn from a hash of the user's serial so the
# random stream (and every other figure of a dataset) stays as it was.
EXTRA_RATE: dict[int, int] = {12: 40, 13: 8, 14: 15, 15: 20, 16: 4}

# Every other flag of the spec's `feature` object, present and false unless set.
OTHER_FEATURES: tuple[str, ...] = (
    "zoom_events_unlimited",
    "zoom_sessions_unlimited",
    "zoom_events_pay_per_attendee",
    "zoom_sessions_pay_per_attendee",
    "zoom_customer_managed_key",
    "zoom_quality_management",
    "zoom_mail_calendar",
    "zoom_compliance_management",
    "zoom_docs",
)
# "The host meeting in China." / "... in India." (spec): a hosting region, per mille.
REGION_FLAGS: tuple[tuple[str, int], ...] = (("cn_meeting", 15), ("in_meeting", 25))

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
    """Every boolean licence flag the catalogue sets, in settings order, without duplicates."""
    seen: dict[str, None] = {}
    for addon in ADDONS:
        if addon.value is True:
            for name in (addon.feature, *addon.also):
                seen.setdefault(name, None)
    return list(seen)


def addon_names(mask: int) -> list[str]:
    """Sorted feature names switched on by an add-on mask."""
    return sorted({a.feature for a in ADDONS if mask >> a.bit & 1})
