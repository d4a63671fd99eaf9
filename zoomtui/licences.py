"""Zoom's per-user licences: which flags of ``settings.feature`` are paid add-ons.

The one declaration of what counts as an add-on, taken from the field
descriptions of "Get user settings" in Zoom's User API spec (zoom-api.md §3.2
and §12): a flag is a licence, an attribute (``cn_meeting`` / ``in_meeting``
say where the host's meetings are hosted) or a size (``meeting_capacity``).
Capacities belong to the add-on — Webinar 500 and Webinar 1000 are different
products — so a licence is kept as a token ``name`` or ``name:variant``;
``concurrent_meeting`` is a string (``Basic`` / ``Plus`` / ``None``), not a
boolean, and ``zoom_iq_for_sales`` is the old flag of Revenue Accelerator.
Everything else (seat pools, filters, diff, labels, the emulator) derives
from :data:`LICENCES`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# The tokens of one user's ``feature`` object are stored comma-separated, so no
# part of a token may hold a comma; names and variants are checked against these.
_NAME = re.compile(r"^zoom_[a-z0-9_]{1,60}$")
_VARIANT = re.compile(r"^[a-z0-9]{1,20}$")
_MAX_CAPACITY = 10_000_000
REGION_PREFIX = "@"


@dataclass(frozen=True, slots=True)
class Licence:
    """One paid per-user licence as Zoom's ``feature`` object shows it."""

    flag: str  # the boolean (or, for concurrent_meeting, string) key in ``feature``
    label: str  # how an admin calls the product
    variant: str | None = None  # the key holding its capacity (int or list of ints)
    plan_key: str | None = None  # the ``plan_*`` seat pool of /plans/usage, where one exists
    also: tuple[str, ...] = ()  # older flags that mean the same licence


LICENCES: tuple[Licence, ...] = (
    Licence("large_meeting", "Large Meetings", "large_meeting_capacity", "plan_large_meeting"),
    Licence("webinar", "Webinars", "webinar_capacity", "plan_webinar"),
    Licence("zoom_events", "Zoom Events", "zoom_events_capacity", "plan_zoom_events"),
    Licence("zoom_events_unlimited", "Zoom Events Unlimited", "zoom_events_unlimited_capacities"),
    Licence(
        "zoom_sessions_unlimited", "Zoom Sessions Unlimited", "zoom_sessions_unlimited_capacities"
    ),
    Licence("zoom_events_pay_per_attendee", "Zoom Events pay per attendee"),
    Licence("zoom_sessions_pay_per_attendee", "Zoom Sessions pay per attendee"),
    # Phone licences are counted by the Phone API, not by /plans/usage (zoom-api.md §12).
    Licence("zoom_phone", "Zoom Phone"),
    Licence(
        "zoom_revenue_accelerator",
        "Revenue Accelerator",
        plan_key="plan_zoom_iq",
        also=("zoom_iq_for_sales",),
    ),
    Licence("zoom_whiteboard", "Whiteboard", plan_key="plan_whiteboard"),
    Licence("zoom_whiteboard_plus", "Whiteboard Plus", plan_key="plan_whiteboard_plus"),
    Licence("zoom_translated_captions", "Translated Captions", plan_key="plan_ztransl"),
    Licence("zoom_customer_managed_key", "Customer Managed Key"),
    Licence("zoom_huddles", "Huddles"),
    Licence("zoom_quality_management", "Quality Management"),
    Licence(
        "zoom_workforce_management", "Workforce Management", plan_key="plan_workforce_management"
    ),
    Licence("zoom_scheduler", "Scheduler", plan_key="plan_zsched"),
    Licence("zoom_clips_plus", "Clips Plus", plan_key="plan_zoom_clips_plus"),
    Licence("zoom_mail_calendar", "Mail and Calendar"),
    Licence("zoom_compliance_management", "Compliance Management"),
    Licence("zoom_docs", "Docs"),
    # A string, not a boolean: "Basic" or "Plus" is a paid add-on, "None" is none.
    Licence("concurrent_meeting", "Concurrent Meeting", "concurrent_meeting"),
)
CONCURRENT = "concurrent_meeting"
CONCURRENT_LEVELS = ("basic", "plus")

# Flags that are not licences: where meetings are hosted (an attribute of the user).
REGIONS: dict[str, str] = {"cn_meeting": "China", "in_meeting": "India"}

BY_FLAG: dict[str, Licence] = {f: lic for lic in LICENCES for f in (lic.flag, *lic.also)}
_VARIANT_KEYS = frozenset(lic.variant for lic in LICENCES if lic.variant)
_NOT_LICENCES = frozenset({"meeting_capacity", "license_info_list", *REGIONS, *_VARIANT_KEYS})


@dataclass(frozen=True, slots=True)
class FeatureRead:
    """What one ``feature`` object says: licence and region tokens, and flags we don't know."""

    tokens: tuple[str, ...]
    unknown: tuple[str, ...]


def read_feature(settings_json: Any) -> FeatureRead:
    """The sorted tokens of a user's licences (``name[:variant]``) and hosting regions (``@flag``).

    A ``true`` flag of the ``zoom_*`` form that the table does not know is kept by
    its raw name (Zoom adds licences often) and reported in ``unknown``; other
    unknown booleans are not licences and are reported the same way, not kept.
    """
    feature = settings_json.get("feature") if isinstance(settings_json, dict) else None
    if not isinstance(feature, dict):
        return FeatureRead((), ())
    tokens: set[str] = set()
    unknown: set[str] = set()
    for flag, value in feature.items():
        if not isinstance(flag, str):
            continue
        if flag in REGIONS:
            if value is True:
                tokens.add(REGION_PREFIX + flag)
            continue
        licence = BY_FLAG.get(flag)
        if licence is not None and licence.flag == CONCURRENT:
            level = value.strip().lower() if isinstance(value, str) else ""
            if level in CONCURRENT_LEVELS:
                tokens.add(f"{CONCURRENT}:{level}")
            continue
        if value is not True:
            continue
        if licence is not None:
            tokens.add(_with_variant(licence, feature))
        elif flag not in _NOT_LICENCES:
            if _NAME.match(flag):
                tokens.add(flag)
            unknown.add(flag if _NAME.match(flag) or len(flag) <= 60 else flag[:60])
    # Revenue Accelerator shown by both its flags is one licence; keep the richer token.
    return FeatureRead(tuple(sorted(_one_per_licence(tokens))), tuple(sorted(unknown)))


def _with_variant(licence: Licence, feature: dict[str, Any]) -> str:
    if licence.variant is None:
        return licence.flag
    value = feature.get(licence.variant)
    if isinstance(value, list):
        sizes = sorted({v for v in value if _sane_capacity(v)})
        return f"{licence.flag}:{'/'.join(map(str, sizes))}" if sizes else licence.flag
    return f"{licence.flag}:{value}" if _sane_capacity(value) else licence.flag


def _sane_capacity(value: Any) -> bool:
    return type(value) is int and 0 < value <= _MAX_CAPACITY


def _one_per_licence(tokens: set[str]) -> set[str]:
    by_name: dict[str, str] = {}
    for token in sorted(tokens):  # "x" sorts before "x:500", so the variant wins
        by_name[token.split(":", 1)[0]] = token
    return set(by_name.values())


def addons_from_settings(settings_json: Any) -> tuple[str, ...]:
    """The sorted licence and region tokens of a settings reply (see :func:`read_feature`)."""
    return read_feature(settings_json).tokens


def normalise_tokens(names: Iterable[str]) -> tuple[str, ...]:
    """Stored names from before these rules (every ``true`` flag) read under them.

    ``cn_meeting`` / ``in_meeting`` become region tokens, ``zoom_iq_for_sales``
    becomes ``zoom_revenue_accelerator``, booleans that are no licence are dropped;
    tokens already in the new form pass unchanged, so applying it twice is harmless.
    """
    out: set[str] = set()
    for token in names:
        name, _, variant = token.partition(":")
        if name.startswith(REGION_PREFIX):
            out.add(token)
        elif name in REGIONS:
            out.add(REGION_PREFIX + name)
        elif name in BY_FLAG:
            licence = BY_FLAG[name]
            out.add(f"{licence.flag}:{variant}" if variant else licence.flag)
        elif _NAME.match(name):
            out.add(token)
    return tuple(sorted(_one_per_licence(out)))


def split_tokens(tokens: Iterable[str]) -> tuple[list[str], dict[str, int | str], list[str]]:
    """(add-on names, {name: capacity or level}, hosting regions) of stored tokens."""
    names: list[str] = []
    variants: dict[str, int | str] = {}
    regions: list[str] = []
    for token in tokens:
        if token.startswith(REGION_PREFIX):
            region = REGIONS.get(token[len(REGION_PREFIX) :])
            if region:
                regions.append(region)
            continue
        name, _, variant = token.partition(":")
        names.append(name)
        if variant:
            variants[name] = int(variant) if variant.isdigit() else variant.capitalize()
    return sorted(set(names)), variants, sorted(regions)


def addon_label(token: str) -> str:
    """``webinar:1000`` → ``Webinars 1000``; unknown names stay as Zoom spells them."""
    name, _, variant = token.partition(":")
    licence = BY_FLAG.get(name)
    label = licence.label if licence else name
    if variant:
        label += " " + (variant if variant[0].isdigit() else variant.title())
    return label


def addon_filter_tokens(value: str) -> tuple[str, bool] | None:
    """A filter value as (token, exact): ``webinar`` matches every capacity, ``webinar:1000`` one.

    None when the value cannot be a token (so the filter matches nothing rather
    than everything).
    """
    name, sep, variant = value.strip().lower().partition(":")
    if name in BY_FLAG:
        name = BY_FLAG[name].flag
    if not (_NAME.match(name) or name in BY_FLAG):
        return None
    if not sep:
        return name, False
    if not _VARIANT.match(variant.replace("/", "")):
        return None
    return f"{name}:{variant}", True


def plan_keys() -> dict[str, str]:
    """Licence name → the ``plan_*`` pool that counts its seats (only where one exists)."""
    return {lic.flag: lic.plan_key for lic in LICENCES if lic.plan_key}


# Plan type codes of /plans/usage (zoom-api.md §4.1-4.2), read as words: the
# product prefix (with a capacity when digits follow it), then region and term.
_PRODUCTS: dict[str, str] = {
    "webinar": "Webinar",
    "large": "Large Meetings",
    "zoomevents": "Zoom Events",
    "zroom": "Zoom Rooms",
    "zwb": "Whiteboard",
    "zwbp": "Whiteboard Plus",
    "zsched": "Scheduler",
    "zwr": "Workspace Reservation",
    "ztransl": "Translated Captions",
    "zclipsplus": "Clips Plus",
    "zwfm": "Workforce Management",
    "ziq": "Revenue Accelerator",
    "zobp": "Workplace Business Plus",
    "zoe": "Workplace Enterprise",
    "zoep": "Workplace Enterprise Plus",
    "zoepr": "Workplace Enterprise Premier",
    "zowpp": "Workplace Pro Plus",
    "zoedu": "Workplace for Education",
    "zu": "Zoom United",
    "cmr": "Cloud Recording",
    "phone": "Zoom Phone",
    "plan": "",
}
_WORDS: dict[str, str] = {
    "usca": "US/CA",
    "ukir": "UK/IR",
    "aunz": "AU/NZ",
    "gs": "Global Select",
    "jp": "Japan",
    "biz": "Business",
    "pro": "Pro",
    "sales": "",
    "sc": "School & Campus",
    "scp": "School & Campus Plus",
    "ee": "Enterprise Essentials",
    "ep": "Enterprise Plus",
    "epr": "Enterprise Premier",
    "student": "Student",
}
_TERMS = ("monthly", "yearly", "annual", "years")
_CODE = re.compile(r"^([a-z]+?)(\d*)$")


def plan_type_label(code: str) -> str | None:
    """``webinar500_monthly`` → ``Webinar 500, monthly``; None for a code we cannot read."""
    parts = code.strip().lower().split("_")
    first = _CODE.match(parts[0]) if parts and parts[0] else None
    if first is None:
        return None
    product, size = first.groups()
    if product in _TERMS and len(parts) == 1:
        return f"Base plan, {product}"
    if product not in _PRODUCTS:
        return None
    words = [_PRODUCTS[product]] if _PRODUCTS[product] else []
    if size:
        words.append(size)
    terms: list[str] = []
    for part in parts[1:]:
        if part in _TERMS or part == "three":
            terms.append("3" if part == "three" else part)
        elif part in _WORDS:
            words.append(_WORDS[part])
        elif part.isdigit() or part in ("unlimited", "commitment"):
            (terms if terms else words).append(part)
        else:
            return None
    label = " ".join(w for w in words if w)
    return f"{label}, {' '.join(terms)}" if terms and label else label or None


def tokens_of(names: Iterable[str], variants: dict[str, int | str]) -> list[str]:
    """The stored add-on tokens again: ``webinar`` with {webinar: 1000} → ``webinar:1000``."""
    return [f"{n}:{str(variants[n]).lower()}" if n in variants else n for n in names]


# Zoom's status "inactive" means manually deactivated; the product keeps "idle" for
# the login-based meaning, so people never read one for the other.
STATUS_WORDS: dict[str, str] = {"inactive": "deactivated"}


def status_word(status: str | None) -> str:
    """The word shown for a Zoom user status (``inactive`` → ``deactivated``)."""
    return STATUS_WORDS.get(status or "", status or "")
