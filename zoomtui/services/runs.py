"""Run history and trends across complete runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from zoomtui.services.context import AppContext
from zoomtui.store.records import RunRecord


def list_runs(ctx: AppContext) -> list[dict[str, Any]]:
    """Every run, oldest first (by id), with its duration and the parts it skipped."""
    out = []
    for run in ctx.open_store().runs():
        record = run.as_dict()
        duration = None
        if run.finished_at is not None:
            duration = round((run.finished_at - run.started_at).total_seconds(), 1)
        record["duration_s"] = duration
        out.append(record)
    return out


@dataclass(frozen=True, slots=True)
class RunView:
    """One run as the TUI shows it: the stored record, its duration and, once the
    trends are read, its licensed and idle licensed users."""

    record: RunRecord
    licensed: int | None = None
    idle_licensed: int | None = None

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def status(self) -> str:
        return self.record.status

    @property
    def complete(self) -> bool:
        return self.record.status == "complete"

    @property
    def started_at(self) -> datetime:
        return self.record.started_at

    @property
    def finished_at(self) -> datetime | None:
        return self.record.finished_at

    @property
    def duration_s(self) -> float | None:
        if self.record.finished_at is None:
            return None
        return round((self.record.finished_at - self.record.started_at).total_seconds(), 1)

    def as_dict(self) -> dict[str, Any]:
        """The JSON/CSV form, as ``zoomtui runs`` writes it plus the two user counts."""
        out = self.record.as_dict()
        out["duration_s"] = self.duration_s
        out["licensed"], out["idle_licensed"] = self.licensed, self.idle_licensed
        return out


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One complete run's figures for the trend lines."""

    run_id: int
    total: int
    licensed: int
    idle_licensed: int
    seats_free: int


def run_views(ctx: AppContext) -> list[RunView]:
    """Every run, newest first (typed, for the TUI)."""
    return sorted((RunView(r) for r in ctx.open_store().runs()), key=lambda r: -r.id)


def complete_run_ids(ctx: AppContext) -> list[int]:
    """The complete runs' ids, oldest first."""
    return sorted(r.id for r in ctx.open_store().runs() if r.status == "complete")


def trend_points(ctx: AppContext, inactive_days: int | None = None) -> list[TrendPoint]:
    """``trend`` as typed points; the store names the total ``users`` and gives base seats
    as bought and used."""
    out = []
    for p in trend(ctx, inactive_days):
        bought, used = int(p.get("seats_purchased") or 0), int(p.get("seats_assigned") or 0)
        free = p.get("seats_free")
        out.append(
            TrendPoint(
                run_id=int(p["run_id"]),
                total=int(p.get("total") or p.get("users") or 0),
                licensed=int(p.get("licensed") or 0),
                idle_licensed=int(p.get("idle_licensed") or 0),
                seats_free=int(free) if free is not None else max(bought - used, 0),
            )
        )
    return out


def runs_with_trends(ctx: AppContext) -> tuple[list[RunView], list[TrendPoint]]:
    """The Runs screen's data in one read: every run (newest first) and the trend points."""
    points = trend_points(ctx)
    by_run = {p.run_id: p for p in points}
    views = []
    for view in run_views(ctx):
        point = by_run.get(view.id)
        if point is not None:
            view = RunView(view.record, point.licensed, point.idle_licensed)
        views.append(view)
    return views, points


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
