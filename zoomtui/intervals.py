"""Schedule intervals as the operator writes them: ``30m``, ``12h``, ``7d``, ``1d12h`` or ``off``.

On the ground floor because settings validate ``schedule_interval`` when they load,
and settings must not import the services above them; ``services.schedule``
decides from these intervals whether a run is due.
"""

from __future__ import annotations

import re
from datetime import timedelta

__all__ = ["MAX_INTERVAL", "format_interval", "parse_interval"]

_UNITS = {
    "w": timedelta(weeks=1),
    "d": timedelta(days=1),
    "h": timedelta(hours=1),
    "m": timedelta(minutes=1),
}
_PART = re.compile(r"(\d+)\s*([wdhm])")
_SHAPE = re.compile(r"(\d+\s*[wdhm]\s*)+")
# The longest interval accepted: a year. Longer ones meant nothing useful and
# overflowed date arithmetic (99999999999d failed every command; 3000000d made
# the next due time unrepresentable, so scheduled runs silently stopped).
MAX_INTERVAL = timedelta(days=366)
_EXAMPLES = "30m, 12h, 7d, 1w or 1d12h (or off)"


def parse_interval(text: str) -> timedelta | None:
    """Parse ``30m``, ``12h``, ``7d``, ``1w``, ``1d12h`` or ``off`` (None).

    Units are weeks, days, hours and minutes, each at most once and largest
    first, so that a value reads one way only; seconds are refused because no
    timer worth scheduling an account audit runs that often.
    """
    cleaned = text.strip().lower()
    if cleaned == "off":
        return None
    if not cleaned or _SHAPE.fullmatch(cleaned) is None:
        raise ValueError(f"Interval must look like {_EXAMPLES}, not {text!r}.")
    parts = _PART.findall(cleaned)
    units = [unit for _, unit in parts]
    order = list(_UNITS)
    if len(set(units)) != len(units) or units != sorted(units, key=order.index):
        raise ValueError(
            f"Interval {text!r} must give each unit once, largest first (for example 1d12h)."
        )
    too_long = f"Interval {text!r} is longer than a year (366d); use off to disable it."
    if any(len(number.lstrip("0")) > 6 for number, _ in parts):
        raise ValueError(too_long)
    total = sum((int(number) * _UNITS[unit] for number, unit in parts), timedelta())
    if total > MAX_INTERVAL:
        raise ValueError(too_long)
    if total <= timedelta(0):
        raise ValueError(f"Interval {text!r} must be longer than zero; use off to disable it.")
    return total


def format_interval(interval: timedelta | None) -> str:
    """The canonical text of an interval (``1d12h``), ``off`` for None."""
    if interval is None:
        return "off"
    minutes = int(interval.total_seconds() // 60)
    out = []
    for unit, size in _UNITS.items():
        count, minutes = divmod(minutes, int(size.total_seconds() // 60))
        if count:
            out.append(f"{count}{unit}")
    return "".join(out) or "0m"
