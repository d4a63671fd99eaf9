"""What changed between two complete runs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zoomtui.services.context import AppContext, ServiceError
from zoomtui.services.users import resolve_run


@dataclass(frozen=True, slots=True)
class UserChange:
    """One user present in both runs, and what changed: field -> ``[before, after]``."""

    identity: int
    id: str | None
    email: str
    changes: dict[str, list[Any]]


@dataclass(frozen=True, slots=True)
class RunDiff:
    """Added, removed and changed users between two runs; fields in the CLI's JSON order."""

    from_run: int
    to_run: int
    addons_compared: str  # "with capacities" / "without capacities" (older runs lack them)
    added: list[dict[str, Any]]  # user records of run ``to_run``
    removed: list[dict[str, Any]]  # user records of run ``from_run``
    changed: list[UserChange]


def diff_runs(
    ctx: AppContext,
    run_a: int | None = None,
    run_b: int | None = None,
    inactive_days: int | None = None,
) -> RunDiff:
    """Added, removed and changed users from ``run_a`` to ``run_b`` (default: the two latest)."""
    store = ctx.open_store()
    if (run_a is None) != (run_b is None):
        raise ServiceError(
            "Give both runs to compare, or neither for the two latest complete runs.",
            exit_code=2,
        )
    if run_a is None or run_b is None:
        complete = [r.id for r in store.complete_runs()]
        if len(complete) < 2:
            raise ServiceError("A diff needs two complete runs; there are fewer so far.")
        run_a, run_b = sorted(complete)[-2:]
    else:
        run_a, run_b = resolve_run(store, run_a), resolve_run(store, run_b)
    days = ctx.settings.inactive_days if inactive_days is None else inactive_days
    result = store.diff(run_a, run_b, now=ctx.clock(), inactive_days=days)
    return RunDiff(
        from_run=run_a,
        to_run=run_b,
        addons_compared=result["addons_compared"],
        added=result["added"],
        removed=result["removed"],
        changed=[UserChange(**change) for change in result["changed"]],
    )
