"""The user filters, declared once for the service, the CLI and the TUI's filter bar.

Ground floor because the filter bar is a widget (widgets never import services) and
the service must not import the TUI: both subclass :class:`FilterFields`, so a new
filter is one field here, the place the store reads it, and the controls that set it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class FilterFields:
    """The filters the operator sets; empty fields mean "any"."""

    plans: tuple[str, ...] = ()
    addons: tuple[str, ...] = ()
    account: str | None = None
    dept: str | None = None
    inactive_days: int | None = None
    never_logged_in: bool = False
    search: str = ""
    not_hosted_days: int | None = None  # hosted no meeting in the months overlapping N days
    hosted_minutes_below: int | None = None  # hosted fewer minutes than M in that window

    def filter_values(self) -> dict[str, Any]:
        """The shared fields by name, to build another kind of filter from this one."""
        return {f.name: getattr(self, f.name) for f in fields(FilterFields)}
