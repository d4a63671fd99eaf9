"""Run history and trends across complete runs."""

from __future__ import annotations

from typing import Any

from zoomtui.services.context import AppContext


def list_runs(ctx: AppContext) -> list[dict[str, Any]]:
    """Every run, newest first, with its duration and the parts it skipped."""
    out = []
    for run in ctx.open_store().runs():
        record = run.as_dict()
        duration = None
        if run.finished_at is not None:
            duration = round((run.finished_at - run.started_at).total_seconds(), 1)
        record["duration_s"] = duration
        out.append(record)
    return out


def trend(ctx: AppContext, inactive_days: int | None = None) -> list[dict[str, Any]]:
    """Per complete run: total, licensed, inactive licensed users and free seats."""
    days = ctx.settings.inactive_days if inactive_days is None else inactive_days
    return ctx.open_store().trend(days)


# Notes that say something about a complete run without any part of it being skipped.
# A missing operation-logs scope costs calls, not data (services/hints.py).
INFORMATIONAL_NOTES = frozenset(
    {"licences", "feature_flags", "addons_seat_counts", "operation_logs"}
)


def skipped_parts(notes: Any) -> list[str]:
    """The note keys that name a part of the run that was skipped or incomplete."""
    if not isinstance(notes, dict):
        return [str(notes)] if notes else []
    return [str(k) for k in notes if k not in INFORMATIONAL_NOTES]
