"""Zoom's models to the store's records: the one place the two vocabularies meet."""

from __future__ import annotations

from zoomtui.store.records import AccountRow, SeatRow, UserRow
from zoomtui.zoom.models import PlanUsage, SubAccount, User, UserSummary, plan_name


def user_row(
    user: User, account_id: str, bundle: str | None, listed_status: str = "active"
) -> UserRow:
    """The stored form of one listed user; add-ons are filled in by settings reads.

    A user without ``status`` (optional in Zoom's schema) has the status its
    listing was asked for (``status=active|inactive|pending``).
    """
    return UserRow(
        zoom_id=user.id,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        display_name=user.display_name,
        status=user.status or listed_status,
        type=user.type,
        plan=plan_name(user.type),
        bundle=bundle,
        dept=user.dept,
        account_id=account_id,
        plan_united_type=user.plan_united_type,
        zoom_one_type=user.zoom_one_type,
        last_login_time=user.last_login_time,
        user_created_at=user.user_created_at,
        addons=None,
    )


def account_row(sub: SubAccount | None, main_id: str = "") -> AccountRow:
    """The main account (``sub`` None) or one sub account."""
    if sub is None:
        return AccountRow(id=main_id, name="Main account", is_main=True)
    return AccountRow(
        id=sub.id,
        name=sub.account_name,
        owner_email=sub.owner_email,
        account_type=sub.account_type,
        seats=sub.seats,
    )


def seat_rows(account_id: str, usage: PlanUsage) -> list[SeatRow]:
    """Every ``plan_*`` seat pool of the account's plan usage."""
    return [
        SeatRow(account_id, s.plan, s.type, s.purchased, s.assigned, s.pending) for s in usage.seats
    ]


def summary_seat_rows(account_id: str, summary: UserSummary) -> list[SeatRow]:
    """Seat counts from ``/users/summary`` when plan usage is not readable.

    The summary knows who holds a license but not how many were bought, so
    ``purchased`` is what is held (assigned plus invited: no free seat and no
    over-assignment is claimed) and the type says where the figure came from.
    """
    licensed, pending = summary.licensed_users_count, summary.pending_users_count
    return [
        SeatRow(account_id, "plan_base", "users_summary", licensed + pending, licensed, pending)
    ]
