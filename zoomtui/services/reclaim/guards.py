"""Who must never lose a licence, and what a live re-read must show before a change.

Two moments: when the plan is built (from the history: exclusions, run age)
and right before each write (from Zoom, now: role, exclusions by group, what
moved since the plan, meetings and webinars that need the licence).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from zoomtui.services.context import AppContext, ServiceError
from zoomtui.store import RunRecord, Store
from zoomtui.zoom.models import parse_time

BASIC_MINUTES = 40  # a Basic (free) host's meetings end at 40 minutes (docs/reclaim.md)
OWNER_ROLE, ADMIN_ROLE, MEMBER_ROLE = "0", "1", "2"


@dataclass(frozen=True)
class Exclusions:
    """The ``reclaim_exclude`` setting: e-mails, departments and ``group:<id>``."""

    emails: frozenset[str]
    departments: frozenset[str]
    groups: frozenset[str]

    @classmethod
    def parse(cls, text: str) -> Exclusions:
        emails, depts, groups = set(), set(), set()
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            if part.lower().startswith("group:"):
                groups.add(part[6:].strip())
            elif "@" in part:
                emails.add(part.casefold())
            else:
                depts.add(part.casefold())
        return cls(frozenset(emails), frozenset(depts), frozenset(groups))

    def reason(self, email: str, dept: str | None, groups: tuple[str, ...] = ()) -> str | None:
        """Why a user is excluded, or None."""
        if email.casefold() in self.emails:
            return "excluded by e-mail (reclaim_exclude)"
        if dept and dept.casefold() in self.departments:
            return "excluded by department (reclaim_exclude)"
        hit = self.groups.intersection(groups)
        if hit:
            return f"excluded by group {sorted(hit)[0]} (reclaim_exclude)"
        return None


def latest_run(ctx: AppContext, store: Store) -> RunRecord:
    """The latest complete run, refused when older than ``reclaim_max_run_age_days``."""
    run = store.latest_complete_run()
    if run is None:
        raise ServiceError("There is no complete run yet: run `zoomtui aggregate` first.")
    limit = ctx.settings.reclaim_max_run_age_days
    ended = run.finished_at or run.started_at
    if ctx.clock() - ended > timedelta(days=limit):
        days = (ctx.clock() - ended).days
        raise ServiceError(
            f"The latest complete run ({run.id}) is {days} days old, more than "
            f"reclaim_max_run_age_days ({limit}): run `zoomtui aggregate` first."
        )
    return run


def check_plan_run(ctx: AppContext, store: Store, plan_run: int) -> None:
    """Refuse to act on a plan whose run is no longer the latest complete one."""
    run = latest_run(ctx, store)
    if run.id != plan_run:
        raise ServiceError(
            f"This plan was built from run {plan_run} but the latest complete run is {run.id}: "
            "build a new plan with `zoomtui reclaim plan`."
        )


def moved(item: dict[str, Any], live: dict[str, Any], features: dict[str, Any]) -> str | None:
    """What changed since the plan, in words, or None (the item may go ahead)."""
    before = item["before"]
    role_id = str(live.get("role_id", ""))
    if role_id in (OWNER_ROLE, ADMIN_ROLE):
        return f"is an account {'owner' if role_id == OWNER_ROLE else 'admin'}"
    if role_id != MEMBER_ROLE:
        # Custom roles get other ids and may carry admin rights: only members are touched.
        return f"has role {role_id or 'unknown'}, not Member (only members are changed)"
    if live.get("status") != before.get("status"):
        return f"status is now {live.get('status')} (planned: {before.get('status')})"
    if item["action"] in ("downgrade", "deactivate") and live.get("type") != before.get("type"):
        return f"type is now {live.get('type')} (planned: {before.get('type')})"
    planned = parse_time(before.get("last_login_time"))
    now_seen = parse_time(live.get("last_login_time"))
    if now_seen is not None and (planned is None or now_seen > planned):
        return f"logged in since the plan ({now_seen:%Y-%m-%d %H:%M} UTC)"
    if item["action"] == "remove-addon" and item["addon"] not in features:
        return f"no longer holds {item['addon']}"
    return None


def meeting_block(
    action: str, addon: str, live: list[dict], upcoming: list[dict], webinars: list[dict]
) -> str | None:
    """Meetings that need the licence: hosting now, long meetings ahead, webinars ahead."""
    if action == "remove-addon" and addon != "webinar":
        return None
    if live and action != "remove-addon":
        return "is hosting a meeting right now"
    if webinars:
        return f"has {len(webinars)} upcoming webinar(s)"
    if action == "remove-addon":
        return None
    if action == "deactivate" and upcoming:
        return f"has {len(upcoming)} upcoming meeting(s)"
    long = [m for m in upcoming if _minutes(m) > BASIC_MINUTES]
    if long:
        return f"has {len(long)} upcoming meeting(s) longer than {BASIC_MINUTES} minutes"
    return None


def _minutes(meeting: dict[str, Any]) -> int:
    value = meeting.get("duration")
    return value if isinstance(value, int) else 0


def iso_or_none(value: datetime | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")
