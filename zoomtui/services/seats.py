"""Seat counts per plan and add-on, and the licensed users nobody uses (reclaim)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from zoomtui.licences import plan_type_label
from zoomtui.services.context import AppContext, ServiceError
from zoomtui.services.users import UserFilter, count_needing, query_users, resolve_run
from zoomtui.store import Store


@dataclass(frozen=True, slots=True)
class SeatCount:
    """One account's seats of one plan; fields in the CLI's JSON and CSV order."""

    account_id: str
    plan: str  # the ``plan_*`` key of Zoom's plan usage
    type: str | None
    purchased: int
    assigned: int
    pending: int
    account_name: str
    type_label: str | None  # the product in words, else ``type``
    free: int
    over_assigned: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ReclaimResult:
    """Who needs no licensed seat in a run, and what taking the seats back saves a year."""

    run_id: int
    definition: str  # idle | unused | both
    inactive_days: int
    price_per_seat: float
    count: int
    needs_licence_count: int
    invitations_count: int
    yearly_savings: float
    candidates: list[dict[str, Any]]  # user records, longest idle first
    invitations: list[dict[str, Any]]  # licensed invitations older than N days

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Candidates then invitations: what the TUI lists, exports and plans."""
        return self.candidates + self.invitations


def seat_report(ctx: AppContext, run_id: int | None = None) -> list[SeatCount]:
    """One record per account and plan: purchased, assigned, pending and free seats."""
    store = ctx.open_store()
    rows = _seats_of(store, run_id)
    names = {a["id"]: a["name"] for a in store.accounts()}
    out = []
    for row in rows:
        account, kind = row["account_id"], row["type"]
        # An invitation holds a seat; more held than bought is over-assignment, not "free".
        held = row["assigned"] + row["pending"]
        out.append(
            SeatCount(
                **row,
                account_name=names.get(account) or account,
                type_label=plan_type_label(kind or "") or kind,
                free=max(0, row["purchased"] - held),
                over_assigned=max(0, held - row["purchased"]),
            )
        )
    return out


def _seats_of(store: Store, run_id: int | None) -> list[dict[str, Any]]:
    """The default run's seats, or a named run's: a run that ended early keeps the
    seat counts it read (they are read first, beside the listings)."""
    if run_id is None:
        return store.seats(resolve_run(store, None))
    run = store.run(run_id)
    if run is None:
        raise ServiceError(f"There is no run {run_id}; `zoomtui runs` lists them.")
    rows = store.seats(run_id)
    if not rows and run.status != "complete":
        raise ServiceError(f"Run {run_id} is {run.status} and recorded no seat counts.")
    return rows


DEFINITIONS = ("idle", "unused", "both")
ORDER = ("days_inactive", True)  # candidates: longest idle first (never signed in first)
INVITATION_ORDER = ("user_created_at", False)  # invitations: oldest first


@dataclass(frozen=True, slots=True)
class ReclaimQuery:
    """Who the reclaim of one definition and N days lists, in the run it was first read from."""

    definition: str
    inactive_days: int
    price_per_seat: float
    candidates: UserFilter
    invitations: UserFilter
    run_id: int | None = None


def reclaim_query(
    ctx: AppContext,
    run_id: int | None = None,
    inactive_days: int | None = None,
    price_per_seat: float | None = None,
    definition: str = "idle",
) -> ReclaimQuery:
    """The two filters of :func:`reclaim` (the one definition of a candidate).

    ``definition`` says who does not need a licensed seat:

    - ``idle``: no login, no sign-in and no creation in N days (a new hire who
      has not logged in yet is not a candidate);
    - ``unused``: hosted no meeting in the months overlapping N days, and not
      created in them — signing in to attend meetings needs no licence;
    - ``both``: idle and not hosting, the cautious reading.

    An invitation nobody accepted in N days holds a seat under every definition
    and is its own category (revoke it, don't downgrade).
    """
    if definition not in DEFINITIONS:
        raise ServiceError(f"Unknown reclaim definition {definition!r}: use idle, unused or both.")
    days = ctx.settings.inactive_days if inactive_days is None else inactive_days
    price = ctx.settings.price_per_seat if price_per_seat is None else price_per_seat
    licensed = UserFilter(
        plans=("Licensed",),
        statuses=("active",),
        inactive_days=None if definition == "unused" else days,
        not_hosted_days=None if definition == "idle" else days,
        hosting_days=days,  # the hosting figures (needs a licence) read the same N days
        # A new hire has had no time to host yet (idle already says "not created in N days").
        created_days=days if definition == "unused" else None,
    )
    invitations = UserFilter(plans=("Licensed",), statuses=("pending",), inactive_days=days)
    return ReclaimQuery(definition, days, price, licensed, invitations, run_id)


def reclaim(
    ctx: AppContext,
    run_id: int | None = None,
    inactive_days: int | None = None,
    price_per_seat: float | None = None,
    definition: str = "idle",
) -> ReclaimResult:
    """Licensed users who need no seat, and licensed invitations older than N days, priced;
    every row read (the CLI, a plan, an export). See :func:`reclaim_query`."""
    q = reclaim_query(ctx, run_id, inactive_days, price_per_seat, definition)
    idle = query_users(ctx, q.candidates, run_id=run_id, sort=ORDER[0], descending=ORDER[1])
    candidates = idle.rows
    invitations = query_users(ctx, q.invitations, run_id=idle.run_id, sort=INVITATION_ORDER[0])
    return ReclaimResult(
        run_id=idle.run_id,
        definition=definition,
        inactive_days=q.inactive_days,
        price_per_seat=q.price_per_seat,
        count=len(candidates),
        # Idle by logins yet hosting meetings a Basic seat cannot: reclaiming these hurts.
        needs_licence_count=sum(1 for r in candidates if r.get("needs_licence")),
        invitations_count=invitations.total,
        yearly_savings=_savings(len(candidates) + invitations.total, q.price_per_seat),
        candidates=candidates,
        invitations=invitations.rows,
    )


def _savings(seats: int, price: float) -> float:
    return round(seats * price, 2)


@dataclass(frozen=True, slots=True)
class ReclaimPage:
    """A window of :attr:`ReclaimResult.rows`, the run it was read from and the sizes."""

    run_id: int
    rows: list[dict[str, Any]]
    total: int  # candidates and invitations
    count: int  # candidates: the rows before the invitations


def reclaim_counts(
    ctx: AppContext, q: ReclaimQuery, *, count_invitations: bool = True
) -> ReclaimResult:
    """:func:`reclaim`'s counts and savings, counted in SQL; no rows (see :func:`reclaim_page`).

    ``count_invitations=False``: the invitations are left at 0 for the caller to add with
    :func:`with_invitations` (the first page, read beside, counts them already).
    """
    run, count, needing = count_needing(ctx, q.candidates, q.run_id)
    invitations = 0
    if count_invitations:
        invitations = query_users(ctx, q.invitations, run, INVITATION_ORDER[0], limit=1).total
    return ReclaimResult(
        run_id=run,
        definition=q.definition,
        inactive_days=q.inactive_days,
        price_per_seat=q.price_per_seat,
        count=count,
        needs_licence_count=needing,
        invitations_count=invitations,
        yearly_savings=_savings(count + invitations, q.price_per_seat),
        candidates=[],
        invitations=[],
    )


def with_invitations(result: ReclaimResult, page: ReclaimPage) -> ReclaimResult:
    """``result`` read with ``count_invitations=False``, with the invitations ``page`` counted.

    Why: Seats reads the counts and the first page side by side, and both counted the
    invitations (40-75 ms of SQL each at 100,000 users); the data waits for the slower.
    """
    invitations = page.total - page.count
    return replace(
        result,
        invitations_count=invitations,
        yearly_savings=_savings(result.count + invitations, result.price_per_seat),
    )


def reclaim_page(
    ctx: AppContext, q: ReclaimQuery, count: int | None, offset: int, limit: int
) -> ReclaimPage:
    """Rows ``offset`` to ``offset + limit`` of :attr:`ReclaimResult.rows`.

    ``count``: the candidates (the rows before the invitations) when known, else
    counted here (the first page, read beside :func:`reclaim_counts`).
    """
    rows: list[dict[str, Any]] = []
    run = q.run_id
    if count is None or offset < count:
        wanted = limit if count is None else min(limit, count - offset)
        page = query_users(ctx, q.candidates, run, *ORDER, offset=offset, limit=wanted)
        rows, run, count = page.rows, page.run_id, page.total
    more = max(limit - len(rows), 0)  # none: their count only
    invitations = query_users(
        ctx, q.invitations, run, INVITATION_ORDER[0], offset=max(0, offset - count), limit=more
    )
    rows += invitations.rows
    return ReclaimPage(invitations.run_id, rows, count + invitations.total, count)
