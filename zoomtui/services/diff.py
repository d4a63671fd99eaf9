"""What changed between two complete runs."""

from __future__ import annotations

from typing import Any

from zoomtui.services.context import AppContext, ServiceError
from zoomtui.services.users import resolve_run


def diff_runs(
    ctx: AppContext,
    run_a: int | None = None,
    run_b: int | None = None,
    inactive_days: int | None = None,
) -> dict[str, Any]:
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
    return {"from_run": run_a, "to_run": run_b, **result}
