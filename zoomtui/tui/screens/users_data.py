"""What the Users screen reads, as functions a reader thread calls with its own context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zoomtui.services.context import AppContext
from zoomtui.services.runs import complete_run_ids
from zoomtui.services.users import UserFilter, UserPage, filter_options, query_users


@dataclass
class UsersRead:
    """What one reload of the Users screen reads, in a reader thread."""

    page: UserPage | None = None
    everyone: int = 0
    error: str | None = None
    options: dict[str, list[str]] | None = None


def read_users(
    ctx: AppContext,
    flt: UserFilter,
    pinned: int | None,
    sort: str,
    descending: bool,
    limit: int,
    options: bool,
) -> UsersRead:
    """The first page, the count of everyone of the shown statuses and, when asked, the
    pick lists: one call in the reader thread, so the screen draws it all at once."""
    out = UsersRead()
    if options:
        try:
            out.options = filter_options(ctx, pinned)
        except Exception:
            out.options = None  # no complete run yet: the counts line says so
    try:
        out.page = query_users(ctx, flt, pinned, sort, descending, 0, limit)
    except Exception as exc:
        out.error = str(getattr(exc, "message", exc))
        if not complete_run_ids(ctx):
            out.error = "No complete run yet: press 5 (Aggregate), then r to run one."
        return out
    try:
        out.everyone = query_users(ctx, UserFilter(statuses=flt.statuses), pinned, limit=1).total
    except Exception:
        out.everyone = out.page.total
    return out


def read_page(
    ctx: AppContext,
    flt: UserFilter,
    run_id: int | None,
    sort: str,
    descending: bool,
    offset: int,
    limit: int,
) -> tuple[list[dict[str, Any]], int]:
    """One further page of the table (the run pinned to the one the first page showed)."""
    page = query_users(ctx, flt, run_id, sort, descending, offset, limit)
    return page.rows, page.total
